/**
 * A snapshot as readable text, like pstack with more to say: per thread a header (TID, name,
 * pthread_t, state, the syscall it is blocked in), its stack mapping and guard page, then frames as
 * `function+0xoff (module) at file:line` (C++ and Rust names demangled, the source when the module
 * has line tables); a footer with the pause and the threads that came or went. Threads standing at
 * the very same stack (a pool of 500 idle workers) are printed once, with their count and TIDs,
 * unless `all` asks for each one.
 */
import type { Palette } from '../color.js';
import type { Snapshot, ThreadSnapshot } from '../../ptrace/snapshot.js';
import type { Frame } from '../../ptrace/unwind.js';
import { termSafe } from '../escape.js';
import { plural } from '../../explain/format.js';
import { formatBytes, hex } from '../../units.js';
import { groupThreads, tidRanges, type ThreadGroup } from './groups.js';

/** Scheduler state letters of /proc/PID/task/TID/stat (proc(5)). */
const STATES: Record<string, string> = {
  R: 'running',
  S: 'sleeping',
  D: 'uninterruptible',
  T: 'stopped',
  t: 'tracing stop',
  Z: 'zombie',
  X: 'dead',
  I: 'idle',
  P: 'parked',
};

/** Syscalls whose name alone would puzzle a reader. */
const SYSCALL_NOTES: Record<string, string> = {
  // After a stop interrupts clock_nanosleep or poll with a timeout, the kernel resumes it with this.
  restart_syscall: 'resuming an interrupted sleep or wait',
};

const STOP_NOTES: Record<string, string> = {
  'group-stop': 'was already stopped (job control)',
  signal: 'stopped while a signal was being delivered (handed back on resume)',
};

export interface TextOptions {
  palette: Palette;
  /** Print every general register under each thread header (implies `all`). */
  registers?: boolean;
  /** One block per thread even when several share a stack. */
  all?: boolean;
}



/**
 * `function+0xoff (module) at file:line`, escaped: symbol names, module and source paths come from
 * the target's files. The function is the demangled name when there is one.
 */
export function formatFrame(frame: Frame): string {
  const module = frame.module === undefined ? undefined : termSafe(frame.module);
  const name = frame.demangled ?? frame.symbol;
  const where = name
    ? `${termSafe(name)}+${hex(frame.symbolOffset ?? 0n)}`
    : module
      ? `?? (${module}+${hex(frame.moduleOffset ?? 0n)})`
      : '??';
  const source = frame.source ? ` at ${sourceText(frame)}` : '';
  return (name && module ? `${where} (${module})` : where) + source;
}

function sourceText(frame: Frame): string {
  const s = frame.source!;
  return termSafe(`${s.file}:${s.line}`);
}

function threadHeader(thread: ThreadSnapshot, options: TextOptions): string {
  const p = options.palette;
  const parts = [p.bold(`Thread ${thread.tid}`), `"${termSafe(thread.name)}"`];
  if (thread.pthread !== undefined) parts.push(`pthread_t ${hex(thread.pthread)}`);
  parts.push(`state ${thread.state} (${STATES[thread.state] ?? 'unknown'})`);
  const blocked = blockedText(thread);
  if (blocked) parts.push(blocked);
  return parts.join('  ');
}

function blockedText(thread: ThreadSnapshot): string | undefined {
  if (!thread.syscall?.blocked) return undefined;
  const { name, nr } = thread.syscall;
  const note = name && SYSCALL_NOTES[name] ? ` (${SYSCALL_NOTES[name]})` : '';
  return `blocked in ${name ? `${name}()` : `syscall ${nr}`}${note}`;
}

function threadLines(thread: ThreadSnapshot, options: TextOptions): string[] {
  const p = options.palette;
  const lines = [threadHeader(thread, options)];
  if (thread.stop && STOP_NOTES[thread.stop]) lines.push(p.yellow(`  note: ${STOP_NOTES[thread.stop]}`));
  lines.push(...stackLines(thread, options));
  return lines;
}

/** A group of threads at the same stack: the count, names, state and TIDs, then the stack once. */
function groupLines(group: ThreadGroup, options: TextOptions): string[] {
  const p = options.palette;
  const first = group.threads[0];
  const names = [...group.names].map(([name, n]) => `"${termSafe(name)}"${n > 1 ? ` ×${n}` : ''}`).join(', ');
  const parts = [p.bold(`${plural(group.threads.length, 'thread')} with the same stack`), names, `state ${first.state} (${STATES[first.state] ?? 'unknown'})`];
  const blocked = blockedText(first);
  if (blocked) parts.push(blocked);
  const lines = [parts.join('  '), `  TIDs ${tidRanges(group.threads.map((t) => t.tid))}`];
  if (first.stop && STOP_NOTES[first.stop]) lines.push(p.yellow(`  note: ${STOP_NOTES[first.stop]}`));
  const liveReads = group.threads.find((t) => t.liveReads);
  lines.push(...frameLines(liveReads ?? first, options));
  return lines;
}

/** The stack mapping, registers, then the frames of one thread. */
function stackLines(thread: ThreadSnapshot, options: TextOptions): string[] {
  const p = options.palette;
  const lines: string[] = [];
  if (thread.stack) {
    const s = thread.stack;
    const size = formatBytes(Number(s.end - s.start));
    const guard = s.guard ? `, guard ${hex(s.guard.start)}-${hex(s.guard.end)} (${formatBytes(Number(s.guard.end - s.guard.start))})` : '';
    const label = s.label ? ` ${termSafe(s.label)}` : '';
    lines.push(p.dim(`  stack${label} ${hex(s.start)}-${hex(s.end)} (${size}, ${formatBytes(s.usedBytes)} in use)${guard}`));
  }
  if (options.registers && thread.registers) {
    const entries = Object.entries(thread.registers).map(([name, value]) => `${name.padStart(8)} ${hex(value, 16)}`);
    for (let i = 0; i < entries.length; i += 3) lines.push(p.dim(`  ${entries.slice(i, i + 3).join('  ')}`));
  }
  lines.push(...frameLines(thread, options));
  return lines;
}

function frameLines(thread: ThreadSnapshot, options: TextOptions): string[] {
  const p = options.palette;
  const lines: string[] = [];
  const width = String(Math.max(0, thread.frames.length - 1)).length;
  thread.frames.forEach((frame, i) => {
    const fp = frame.method === 'frame-pointer' ? p.dim(' [frame pointer]') : '';
    const sig = frame.signalFrame ? p.yellow(' <signal handler called>') : '';
    lines.push(`  #${String(i).padEnd(width)} ${p.dim(hex(frame.pc, 16))}  ${colorFrame(frame, p)}${fp}${sig}`);
  });
  if (thread.liveReads) lines.push(p.yellow(`  note: frames past the stack copy were read after the thread resumed (raise --stack-bytes or use --unwind-while-stopped)`));
  const stopped = thread.unwindEnd && thread.unwindEnd !== 'end' ? termSafe(thread.unwindEnd) : undefined;
  if (!thread.frames.length) lines.push(p.dim(`  (${stopped ?? 'no backtrace'})`));
  else if (stopped) lines.push(p.dim(`  (backtrace stops: ${stopped})`));
  return lines;
}

function colorFrame(frame: Frame, p: Palette): string {
  const source = frame.source ? `${p.dim(' at ')}${sourceText(frame)}` : '';
  const name = frame.demangled ?? frame.symbol;
  if (!name) return p.red(formatFrame({ ...frame, source: undefined })) + source;
  const module = frame.module ? ` (${termSafe(frame.module)})` : '';
  return `${p.cyan(`${termSafe(name)}+${hex(frame.symbolOffset ?? 0n)}`)}${p.dim(module)}${source}`;
}

function footer(snapshot: Snapshot): string[] {
  const t = snapshot.pause;
  const stopped = snapshot.threads.filter((th) => th.stop).length;
  const list = (tids: number[]) => (tids.length ? tids.join(', ') : 'none');
  return [
    `${plural(snapshot.threadsSeen, 'thread')} seen, ${stopped} stopped; paused ${t.pauseMs.toFixed(2)} ms ` +
      `(stopping ${t.stopMs.toFixed(2)}, capture ${t.captureMs.toFixed(2)}, resume ${t.resumeMs.toFixed(2)}` +
      `${t.runningPauseMs ? `; running threads held ${t.runningPauseMs.toFixed(2)} ms` : ''}); ` +
      `${formatBytes(t.bytesCopied)} of stack copied in ${t.readCalls} read${t.readCalls === 1 ? '' : 's'}; total ${snapshot.wallMs.toFixed(0)} ms`,
    `appeared during the snapshot: ${list(snapshot.appeared)}; vanished: ${list(snapshot.vanished)}` +
      (snapshot.notStopped.length ? `; not stopped: ${list(snapshot.notStopped)}` : ''),
  ];
}

export function renderSnapshotText(snapshot: Snapshot, options: TextOptions): string {
  const p = options.palette;
  const out = [p.bold(`process ${snapshot.pid} (${termSafe(snapshot.command)}): ${plural(snapshot.threads.length, 'thread')}`), ''];
  const each = options.all || options.registers;
  const groups = each ? snapshot.threads.map((t) => ({ threads: [t], names: new Map([[t.name, 1]]) })) : groupThreads(snapshot.threads);
  for (const group of groups) out.push(...(group.threads.length > 1 ? groupLines(group, options) : threadLines(group.threads[0], options)), '');
  const grouped = groups.filter((g) => g.threads.length > 1);
  if (grouped.length) {
    const threads = grouped.reduce((n, g) => n + g.threads.length, 0);
    out.push(p.dim(`${plural(threads, 'thread')} shown in ${plural(grouped.length, 'group')} of identical stacks (--all prints each thread)`));
  }
  out.push(...footer(snapshot).map((line) => p.dim(line)));
  return `${out.join('\n')}\n`;
}
