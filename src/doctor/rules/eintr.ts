/**
 * eintr-not-retried: a call the program sees fail with EINTR (form A: an ERESTART* line, the handler's
 * `--- SIG` line, then `rt_sigreturn(...) = -1 EINTR`; form B: `= -1 EINTR` on the call itself), after
 * which the thread gives up (exits non-zero, or writes an error to stderr and ends) instead of issuing
 * the call again. Restarts (`rt_sigreturn` returning the call's number, `restart_syscall`) and retries
 * (the same call again) clear it; calls whose purpose is to be interrupted (pause, sigsuspend) and
 * sleep(3)'s nanosleep (it returns the time left) are never flagged.
 */
import type { Citation, Finding } from '../types.js';
import { fdArgument, intArgument } from '../decode.js';
import { signalByName } from '../../kb/signals.js';
import { finding, type RuleDefinition } from '../rule.js';

const MEANT_TO_BE_INTERRUPTED = new Set(['pause', 'rt_sigsuspend', 'sigsuspend', 'clock_nanosleep', 'nanosleep', 'rt_sigtimedwait', 'sigtimedwait']);
/** Calls after which a thread that has not come back to the interrupted call is taken to have moved on. */
const PATIENCE = 64;

interface Interrupted {
  call: string;
  cites: Citation[];
  signal?: string;
  handler?: Citation;
  noRestart?: boolean;
  reported?: Citation;
  since: number;
}

export const eintrNotRetried: RuleDefinition = {
  id: 'eintr-not-retried',
  title: 'a call interrupted by a signal handler (EINTR) after which the program gives up instead of retrying',
  severity: 'warning',
  needs: ['all-syscalls', 'successful-calls'],
  fix: 'install handlers with SA_RESTART, and wrap calls that are never restarted (and any call that must not fail) in a loop that retries on EINTR, recomputing timeouts',
  start(ctx) {
    const restarting = new Map<string, { call: string; cite: Citation }>();
    const lastSignal = new Map<string, { signal: string; cite: Citation }>();
    const watching = new Map<string, Interrupted>();
    const out: Finding[] = [];
    const report = (taskKey: string, w: Interrupted, end: Citation, code?: number): void => {
      watching.delete(taskKey);
      const task = ctx.graph.task(taskKey)!;
      const process = ctx.graph.processOf(task);
      const program = ctx.program(process);
      out.push(finding(eintrNotRetried, 'warning', [ctx.taskRef(task)], [w.handler, ...w.cites, w.reported, end],
        `${w.call} in thread ${task.tid} of process ${process.tgid}${program ? ` (${program})` : ''} was interrupted${w.signal ? ` by ${w.signal}` : ''} and failed with EINTR${w.noRestart ? ' (its handler was installed without SA_RESTART)' : ''}; the program then ${w.reported ? 'reported the error and ' : ''}${code !== undefined ? `exited with ${code}` : 'ended'} instead of retrying the call`,
        { call: w.call, ...(w.signal ? { signal: w.signal } : {}), ...(code !== undefined ? { exitCode: code } : {}) }));
    };
    const interruptedBy = (taskKey: string, processKey: string): Pick<Interrupted, 'signal' | 'handler' | 'noRestart'> => {
      const sig = lastSignal.get(taskKey);
      if (!sig) return {};
      const n = signalByName(sig.signal)?.number;
      const d = n === undefined ? undefined : ctx.signals.disposition(processKey, n);
      return { signal: sig.signal, ...(d?.disposition === 'handler' ? { handler: { ...d.cite, role: 'handler installed' }, noRestart: !d.flags.includes('SA_RESTART') } : {}) };
    };
    return {
      signal(event, task) {
        if (!event.stopped) lastSignal.set(task.key, { signal: event.signal, cite: ctx.cite(event, `${event.signal} delivered`) });
      },
      syscall(event, task) {
        const key = task.key;
        const errno = event.ret?.errno;
        const w = watching.get(key);
        if (w) {
          w.since++;
          if (event.name === w.call || w.since > PATIENCE) {
            watching.delete(key);
          } else if (event.name === 'exit_group' || event.name === 'exit') {
            const code = (intArgument(event, 0) ?? 0) & 0xff;
            if (code !== 0 || w.reported) report(key, w, ctx.cite(event, 'gives up'), code);
            else watching.delete(key);
            return;
          } else if (event.name === 'write' && fdArgument(event) === 2) {
            w.reported ??= ctx.cite(event, 'error reported');
          }
        }
        if (errno !== undefined && errno.startsWith('ERESTART')) {
          restarting.set(key, { call: event.name, cite: ctx.cite(event, 'interrupted') });
          return;
        }
        if (event.name === 'rt_sigreturn' || event.name === 'sigreturn') {
          const r = restarting.get(key);
          restarting.delete(key);
          if (errno !== 'EINTR' || !r || MEANT_TO_BE_INTERRUPTED.has(r.call)) return;
          const sig = lastSignal.get(key);
          watching.set(key, { call: r.call, cites: [r.cite, ...(sig ? [sig.cite] : []), ctx.cite(event, 'EINTR returned to the program')], since: 0, ...interruptedBy(key, ctx.graph.processOf(task).key) });
          return;
        }
        if (event.name === 'restart_syscall') {
          restarting.delete(key);
          return;
        }
        if (errno === 'EINTR' && !MEANT_TO_BE_INTERRUPTED.has(event.name)) {
          // Right after an attach, non-restartable calls may fail with EINTR because of the attach itself.
          if (task.birth.kind === 'attached' && task.syscalls <= 1) return;
          watching.set(key, { call: event.name, cites: [ctx.cite(event, 'failed with EINTR')], since: 0, ...interruptedBy(key, ctx.graph.processOf(task).key) });
        }
      },
      ended(event, task) {
        const w = watching.get(task.key);
        if (!w) return;
        if (event.kind === 'exit' && (event.code !== 0 || w.reported)) report(task.key, w, ctx.cite(event, 'gives up'), event.code);
        else watching.delete(task.key);
      },
      finish: () => out,
    };
  },
};
