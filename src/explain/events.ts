/**
 * Lines that are not syscalls: signal deliveries, exits, kills, exec takeovers, strace's own
 * messages, program output, lines the parser could not read. Table by event kind.
 */
import type { TraceEvent, SignalEvent } from '../parse/types.js';
import { SI_CODE, SI_CODE_CHLD, SI_CODE_SEGV, decodeFlags, type FlagTable } from '../kb/flags/index.js';
import { signalByName } from '../kb/signals.js';
import type { ExplainContext } from './context.js';
import type { Explanation } from './types.js';
import { hex } from './format.js';
import { factOf, type SignalDeliveryFact } from '../facts/index.js';
import { defaultActionWords, signalWords } from './families/words.js';

type EventOf<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;
type Explain<K extends TraceEvent['kind']> = (event: EventOf<K>, ctx: ExplainContext) => Explanation | undefined;

const CODE_TABLES: Record<string, FlagTable> = { SIGCHLD: SI_CODE_CHLD, SIGSEGV: SI_CODE_SEGV };

function signal(event: SignalEvent, ctx: ExplainContext): Explanation {
  const tid = event.prefix.pid ?? 0;
  const info = signalByName(event.signal);
  const name = info?.name ?? event.signal;
  if (event.stopped) {
    return { text: `the thread stops: ${name} put the whole process in a group stop (it stays stopped until SIGCONT)`, category: 'signal' };
  }
  const fact = factOf(event) as SignalDeliveryFact;
  const { code, sender: pid, statusText: status, addrText: addr } = fact;
  const parts: string[] = [];
  const decoded: Record<string, unknown> = {};
  if (code) {
    const table = (Object.hasOwn(CODE_TABLES, name) ? CODE_TABLES[name] : undefined) ?? SI_CODE;
    const d = decodeFlags(table, code).known[0] ?? decodeFlags(SI_CODE, code).known[0];
    if (d) decoded.si_code = { name: d.name, meaning: d.meaning };
  }
  const proc = ctx.process(tid);
  if (name === 'SIGCHLD' && pid !== undefined) {
    const how = code === 'CLD_EXITED' ? `exited with status ${status ?? '?'}` : code === 'CLD_KILLED' ? `was killed by ${status ?? '?'}` : code === 'CLD_DUMPED' ? `was killed by ${status ?? '?'} and dumped core` : code === 'CLD_STOPPED' ? `stopped (${status ?? '?'})` : code === 'CLD_CONTINUED' ? 'continued' : (code ?? 'changed state');
    const ended = code === 'CLD_EXITED' || code === 'CLD_KILLED' || code === 'CLD_DUMPED';
    const reaped = ctx.graph.processByPid(pid)?.reaped !== undefined;
    const zombie = !ended ? '' : reaped ? '; the parent has already collected it with wait' : '; the child stays a zombie until it is waited for';
    parts.push(`the kernel tells ${tid || 'the process'} with SIGCHLD that its child ${pid} ${how}${zombie}`);
  } else {
    const origin = code === 'SI_USER' ? ` sent with kill() by process ${pid ?? '?'}` : code === 'SI_TKILL' ? ` sent with tgkill/tkill by ${pid ?? '?'}${pid !== undefined && pid === proc.tgid ? ' (itself: raise() or abort())' : ''}` : code === 'SI_KERNEL' ? ' sent by the kernel' : code === 'SI_QUEUE' ? ` queued with data by ${pid ?? '?'}` : code === 'SI_TIMER' ? ' from a POSIX timer' : '';
    parts.push(`${signalWords(name)} arrives at thread ${tid}${origin}`);
    if (addr !== undefined && fact.addr !== undefined && info?.synchronous) {
      const a = fact.addr;
      decoded.si_addr = addr;
      const guard = [...proc.mappings.values()].find((m) => m.kind === 'stack' && m.guard !== undefined && a >= m.start && a < m.start + m.guard);
      if (guard) parts.push(`the faulting address ${hex(a)} is in the guard page of the stack mapped on line ${guard.line}: a stack overflow`);
      else if (a < 4096n) parts.push(`the faulting address ${addr} is near zero: a NULL pointer dereference`);
      else parts.push(`the faulting address is ${addr}${code === 'SEGV_MAPERR' ? ' (nothing is mapped there)' : code === 'SEGV_ACCERR' ? ' (mapped, but the access is not allowed)' : ''}`);
    }
  }
  const handler = proc.handlers.get(name);
  if (handler && handler.handler !== 'SIG_DFL' && handler.handler !== 'SIG_IGN') {
    parts.push(`the handler installed on line ${handler.line} runs now, on this thread`);
    const t = ctx.thread(tid);
    (t.handling ??= []).push({ signal: name, line: event.line });
    if (t.handling.length > 32) t.handling.shift();
  } else if (handler?.handler === 'SIG_IGN') {
    parts.push('it is ignored');
  } else if (info && name !== 'SIGCHLD') {
    parts.push(`no handler: the default action ${defaultActionWords(info)}`);
  }
  const out: Explanation = { text: parts.join('; '), category: 'signal' };
  if (Object.keys(decoded).length > 0) out.decoded = decoded;
  if (info) out.detail = [`${name}: ${info.meaning}`];
  return out;
}

const EVENTS: { [K in TraceEvent['kind']]: Explain<K> } = {
  syscall: () => undefined,
  signal,
  exit: (e, ctx) => {
    const tid = e.prefix.pid ?? 0;
    const thread = ctx.isThreadOfOther(tid);
    const text = thread ? `thread ${tid} of process ${ctx.tgidOf(tid)} has ended (status ${e.code})` : `${tid ? `task ${tid}` : 'the process'} has ended with status ${e.code}${e.code === 0 ? ' (success)' : ''}`;
    return { text, category: 'exit' };
  },
  killed: (e, ctx) => {
    const info = signalByName(e.signal);
    return { text: `${e.prefix.pid !== undefined ? `task ${e.prefix.pid}` : ctx.tgidOf(0) ? `task ${ctx.tgidOf(0)}` : 'the traced process'} was killed by ${signalWords(e.signal)}${e.coreDumped ? ' and dumped core' : ''}${info ? `: ${info.meaning}` : ''}`, category: 'exit', failure: e.signal };
  },
  superseded: (e) => ({ text: `thread ${e.byPid} called execve, so the old leader ${e.prefix.pid ?? '?'} is replaced: the execing thread continues under this TID`, category: 'exit' }),
  message: (e) => {
    if (e.attached?.how === 'follow') return { text: `strace -f follows new task ${e.attached.pid}${e.attached.parent !== undefined ? `, created by ${e.attached.parent}` : ''}: it is traced from its start`, category: 'strace' };
    if (e.attached) return { text: `strace attached to ${e.attached.pid}${e.attached.threads ? ` and its threads (${e.attached.threads} in all, the leader included)` : ''}: tracing starts mid-flight, so calls already in progress show up as resumed`, category: 'strace' };
    if (e.detached) return { text: `strace detached from ${e.detached.pid}: it keeps running untraced`, category: 'strace' };
    return { text: `strace says: ${e.text}`, category: 'strace' };
  },
  personality: (e) => ({ text: `process ${e.pid} switched to ${e.mode} mode: syscall numbers now follow that ABI`, category: 'strace' }),
  stack: (e) => ({ text: `stack frame of the call above: ${e.symbol ?? '?'}${e.offset ? `+${e.offset}` : ''} in ${e.module || 'an unknown module'}`, category: 'stack' }),
  dump: () => undefined,
  'summary-row': (e) => (e.row === 'data' ? { text: `strace -c summary: ${e.syscall} was called ${e.calls ?? '?'} times${e.errors ? `, ${e.errors} failed` : ''}`, category: 'summary' } : undefined),
  output: () => ({ text: "output of the traced program, mixed into strace's log (same terminal or file)", category: 'output' }),
  unknown: (e) => ({ text: `a line the parser could not read: ${e.reason}`, category: 'unknown' }),
};

/** Explanation of a non-syscall event (undefined for lines with nothing to add, like hex dumps). */
export function explainOther(event: TraceEvent, ctx: ExplainContext): Explanation | undefined {
  return (EVENTS[event.kind] as Explain<typeof event.kind>)(event as never, ctx);
}
