/**
 * Signals: handlers (rt_sigaction), masks (rt_sigprocmask), returning from handlers (rt_sigreturn),
 * alternate stacks, waiting for signals, signalfd, alarms and interval timers.
 */
import { ITIMER_WHICH, SIGACTION_FLAGS, SIGALTSTACK_FLAGS, SIGPROCMASK_HOW } from '../../kb/flags/index.js';
import { signalByName } from '../../kb/signals.js';
import { valueText } from '../../parse/values.js';
import type { Value } from '../../parse/types.js';
import type { Call } from '../call.js';
import { dec, humanSize, list } from '../format.js';
import type { FamilyTable, Said, Scope } from './types.js';
import { defaultActionWords, signalWords } from './words.js';

/** A sigset value in words: `every signal`, `every signal except SIGRT_1`, `SIGINT and SIGTERM`, `no signal`. */
export function sigsetWords(v: Value | undefined): string {
  if (v === undefined) return 'an unknown set';
  if (v.t === 'null') return 'nothing';
  if (v.t === 'changed') return sigsetWords(v.before);
  if (v.t === 'set' || (v.t === 'array' && v.items.length === 0)) {
    const items = v.t === 'set' ? v.items : [];
    const names = items.map((n) => signalByName(n)?.name ?? n);
    if (v.t === 'set' && v.negated) return names.length === 0 ? 'every signal' : `every signal except ${list(names)}`;
    return names.length === 0 ? 'no signal' : list(names);
  }
  if (v.t === 'array' && v.items.length === 1) {
    return sigsetWords(v.items[0].t === 'ident' ? { t: 'set', negated: false, items: [v.items[0].text] } : v.items[0]);
  }
  return valueText(v);
}

function rtSigaction(c: Call, s: Scope): Said {
  const sig = c.text(0);
  const words = signalWords(sig);
  const act = c.arg(1);
  if (act === undefined || act.t === 'null') return { text: `reads the current action for ${words} without changing it` };
  const handler = c.field(1, 'sa_handler');
  const handlerText = handler ? valueText(handler) : valueText(act);
  const flags = c.field(1, 'sa_flags') ? c.flags(valueText(c.field(1, 'sa_flags')!), SIGACTION_FLAGS, 'sa_flags') : [];
  const mask = c.field(1, 'sa_mask');
  const info = signalOf(sig);
  const name = info?.name ?? sig ?? '?';
  if (c.ok) s.proc.handlers.set(name, { signal: name, handler: handlerText, flags, line: c.line });
  if (handlerText === 'SIG_IGN') {
    return { text: `ignores ${words} from now on${name === 'SIGCHLD' ? '; an ignored SIGCHLD also makes children reap themselves, so they never become zombies (and wait fails with ECHILD)' : ''}` };
  }
  if (handlerText === 'SIG_DFL') {
    return { text: `restores the default action for ${words}${info ? `: it ${defaultActionWords(info)}` : ''}` };
  }
  const parts = [`installs a handler at ${handlerText} for ${words}`];
  if (flags.includes('SA_RESTART')) parts.push('slow calls it interrupts are restarted afterwards (SA_RESTART)');
  else parts.push('slow calls it interrupts fail with EINTR (no SA_RESTART)');
  if (flags.includes('SA_SIGINFO')) parts.push('the handler gets a siginfo (who sent it, why)');
  if (flags.includes('SA_ONSTACK')) parts.push('it runs on the alternate signal stack if one is set');
  if (flags.includes('SA_RESETHAND')) parts.push('it runs once, then the default action is back');
  if (flags.includes('SA_NOCLDSTOP')) parts.push('no SIGCHLD for stopped or continued children');
  if (flags.includes('SA_NOCLDWAIT')) parts.push('children are reaped automatically');
  const blocked = mask ? sigsetWords(mask) : 'no signal';
  if (blocked !== 'no signal' && blocked !== 'nothing') parts.push(`while it runs, ${blocked} ${blocked.includes(' and ') || blocked.startsWith('every') ? 'are' : 'is'} blocked too`);
  return { text: parts.join('; ') };
}

function signalOf(name: string | undefined) {
  return name === undefined ? undefined : signalByName(name);
}

function rtSigprocmask(c: Call, s: Scope): Said {
  const set = c.arg(1);
  const old = c.arg(2);
  if (set === undefined || set.t === 'null') return { text: `reads this thread's signal mask${old && old.t !== 'null' ? `: ${sigsetWords(old)} blocked` : ''}` };
  const how = c.flags(0, SIGPROCMASK_HOW, 'how', false)[0] ?? c.text(0) ?? '?';
  const words = sigsetWords(set);
  c.decode('set', words);
  const everything = set.t === 'set' && set.negated;
  if (how === 'SIG_BLOCK') {
    s.thread.allBlocked = everything;
    if (everything && set.t === 'set' && set.items.length === 0) {
      return { text: 'blocks every signal in this thread for a moment; glibc does this around clone so the new thread starts with everything blocked until it is set up, and before exit so no handler runs on a dying thread' };
    }
    if (everything) return { text: `blocks ${words} in this thread${set.t === 'set' && set.items.length === 1 && /RT_1/.test(set.items[0]) ? ': a thread about to exit keeps only glibc\'s SIGSETXID deliverable' : ''}` };
    return { text: `blocks ${words} in this thread: ${words.includes(' and ') ? 'they stay' : 'it stays'} pending until unblocked` };
  }
  if (how === 'SIG_UNBLOCK') {
    if (set.t === 'set' && set.items.includes('RTMIN') && set.items.includes('RT_1')) return { text: "unblocks glibc's internal SIGRTMIN (SIGCANCEL) and SIGRT_1 (SIGSETXID); glibc does this once before threads can exist" };
    return { text: `unblocks ${words}: pending ones are delivered now` };
  }
  if (how === 'SIG_SETMASK') {
    const restore = s.thread.allBlocked ? ' (restores the mask saved before the block)' : '';
    s.thread.allBlocked = everything;
    return { text: `sets this thread's mask to ${words === 'no signal' ? 'nothing blocked' : `${words} blocked`}${restore}` };
  }
  return { text: `changes this thread's signal mask (${how}) with ${words}` };
}

function rtSigreturn(c: Call, s: Scope): Said {
  const frame = s.thread.handling?.pop();
  const mask = c.field(0, 'mask');
  const restored = mask ? `; the mask goes back to ${sigsetWords(mask) === 'no signal' ? 'nothing blocked' : sigsetWords(mask)}` : '';
  const which = frame ? `the ${frame.signal} handler entered on line ${frame.line}` : 'a signal handler';
  const said: Said = { text: `returns from ${which}: the kernel restores the registers and mask saved at delivery and the thread resumes where it was interrupted${restored}`, coversResult: true };
  if (c.errno) {
    said.text += `; the interrupted call now returns ${c.errno} to the program`;
    said.benign = `rt_sigreturn itself does not fail: strace shows the restored return value of the call the signal interrupted${c.errno === 'EINTR' ? ' (EINTR: the handler was installed without SA_RESTART, so the program must retry)' : ''}`;
  }
  return said;
}

function sigaltstack(c: Call): Said {
  const ss = c.arg(0);
  if (!ss || ss.t === 'null') return { text: 'reads the alternate signal stack settings' };
  const size = c.fieldInt(0, 'ss_size');
  const flags = c.field(0, 'ss_flags') ? c.flags(valueText(c.field(0, 'ss_flags')!), SIGALTSTACK_FLAGS, 'ss_flags') : [];
  if (flags.includes('SS_DISABLE')) return { text: 'disables the alternate signal stack' };
  return { text: `sets up a ${size === undefined ? '' : `${humanSize(size)} `}alternate signal stack at ${c.text(0) ? valueText(c.field(0, 'ss_sp') ?? ss) : '?'}: handlers flagged SA_ONSTACK run there, so even a stack overflow can be handled` };
}

export const SIGNAL: FamilyTable = {
  rt_sigaction: rtSigaction,
  rt_sigprocmask: rtSigprocmask,
  rt_sigreturn: rtSigreturn,
  sigaltstack,
  rt_sigsuspend: (c) => ({ text: `waits for a signal with the mask temporarily set to ${sigsetWords(c.arg(0))}; it always ends with an error once a handler has run` }),
  rt_sigtimedwait: (c) => ({ text: `waits for one of ${sigsetWords(c.arg(0))} and takes it without running a handler${c.arg(2) && c.arg(2)!.t !== 'null' ? ' (with a timeout)' : ''}${c.ret !== undefined ? ` → got ${signalWords(String(c.ret))}` : ''}`, ...(c.errno === 'EAGAIN' ? { benign: 'EAGAIN is the timeout: no signal arrived in time' } : {}) }),
  rt_sigpending: (c) => ({ text: `reads the signals pending (blocked but already sent)${c.ok ? `: ${sigsetWords(c.arg(0))}` : ''}` }),
  rt_sigqueueinfo: (c) => ({ text: `queues ${signalWords(c.text(1))} with data to process ${c.text(0) ?? '?'} (sigqueue)` }),
  rt_tgsigqueueinfo: (c) => ({ text: `queues ${signalWords(c.text(2))} with data to thread ${c.text(1) ?? '?'} of process ${c.text(0) ?? '?'}` }),
  signalfd4: (c) => ({ text: `creates a descriptor that reads ${sigsetWords(c.arg(1))} as data instead of running handlers (they must be blocked too)${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}` }),
  signalfd: (c) => ({ text: `creates a descriptor that reads ${sigsetWords(c.arg(1))} as data${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}` }),
  pause: () => ({ text: 'sleeps until a signal handler runs (or a signal ends the process)' }),
  alarm: (c) => ({ text: c.text(0) === '0' ? 'cancels any pending alarm' : `asks for SIGALRM in ${c.text(0) ?? '?'} s${c.ret ? ` (an earlier alarm had ${dec(c.ret)} s left)` : ''}` }),
  setitimer: (c) => {
    const which = c.flags(0, ITIMER_WHICH, 'which', false)[0] ?? c.text(0) ?? '?';
    const sig = which === 'ITIMER_REAL' ? 'SIGALRM' : which === 'ITIMER_VIRTUAL' ? 'SIGVTALRM' : 'SIGPROF';
    return { text: `arms the ${which} interval timer (${c.text(1) ?? '?'}): it will send ${sig}` };
  },
  getitimer: (c) => ({ text: `reads the ${c.text(0) ?? '?'} interval timer` }),
  restart_syscall: (c) => ({ text: `the kernel transparently restarts ${c.event.restarting ?? 'a call'} that a signal interrupted (e.g. a sleep continues with the time left)` }),
};
