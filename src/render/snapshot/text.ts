/**
 * A snapshot as readable text, like pstack with more to say: per thread a header (TID, name,
 * pthread_t, state, the syscall it is blocked in), its stack mapping and guard page, then frames as
 * `function+0xoff (module)`; a footer with the pause and the threads that came or went.
 */
import type { Palette } from '../color.js';
import type { Snapshot, ThreadSnapshot } from '../../ptrace/snapshot.js';
import type { Frame } from '../../ptrace/unwind.js';
import { termSafe } from '../escape.js';

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
  /** Print every general register under each thread header. */
  registers?: boolean;
}

export const hex = (value: bigint, width = 0) => `0x${value.toString(16).padStart(width, '0')}`;

export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 10 ? 0 : 1)} ${units[unit]}`;
}

/** `symbol+0xoff (module)`, escaped: symbol names and module paths come from the target's files. */
export function formatFrame(frame: Frame): string {
  const module = frame.module === undefined ? undefined : termSafe(frame.module);
  const where = frame.symbol
    ? `${termSafe(frame.symbol)}+${hex(frame.symbolOffset ?? 0n)}`
    : module
      ? `?? (${module}+${hex(frame.moduleOffset ?? 0n)})`
      : '??';
  return frame.symbol && module ? `${where} (${module})` : where;
}

function threadHeader(thread: ThreadSnapshot, options: TextOptions): string {
  const p = options.palette;
  const parts = [p.bold(`Thread ${thread.tid}`), `"${termSafe(thread.name)}"`];
  if (thread.pthread !== undefined) parts.push(`pthread_t ${hex(thread.pthread)}`);
  parts.push(`state ${thread.state} (${STATES[thread.state] ?? 'unknown'})`);
  if (thread.syscall?.blocked) {
    const { name, nr } = thread.syscall;
    const note = name && SYSCALL_NOTES[name] ? ` (${SYSCALL_NOTES[name]})` : '';
    parts.push(`blocked in ${name ? `${name}()` : `syscall ${nr}`}${note}`);
  }
  return parts.join('  ');
}

function threadLines(thread: ThreadSnapshot, options: TextOptions): string[] {
  const p = options.palette;
  const lines = [threadHeader(thread, options)];
  if (thread.stop && STOP_NOTES[thread.stop]) lines.push(p.yellow(`  note: ${STOP_NOTES[thread.stop]}`));
  if (thread.stack) {
    const s = thread.stack;
    const size = formatSize(Number(s.end - s.start));
    const guard = s.guard ? `, guard ${hex(s.guard.start)}-${hex(s.guard.end)} (${formatSize(Number(s.guard.end - s.guard.start))})` : '';
    const label = s.label ? ` ${termSafe(s.label)}` : '';
    lines.push(p.dim(`  stack${label} ${hex(s.start)}-${hex(s.end)} (${size}, ${formatSize(s.usedBytes)} in use)${guard}`));
  }
  if (options.registers && thread.registers) {
    const entries = Object.entries(thread.registers).map(([name, value]) => `${name.padStart(8)} ${hex(value, 16)}`);
    for (let i = 0; i < entries.length; i += 3) lines.push(p.dim(`  ${entries.slice(i, i + 3).join('  ')}`));
  }
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
  const text = formatFrame(frame);
  if (!frame.symbol) return p.red(text);
  const module = frame.module ? ` (${termSafe(frame.module)})` : '';
  return `${p.cyan(text.slice(0, text.length - module.length))}${p.dim(module)}`;
}

function footer(snapshot: Snapshot): string[] {
  const t = snapshot.pause;
  const stopped = snapshot.threads.filter((th) => th.stop).length;
  const list = (tids: number[]) => (tids.length ? tids.join(', ') : 'none');
  return [
    `${snapshot.threadsSeen} threads seen, ${stopped} stopped; paused ${t.pauseMs.toFixed(2)} ms ` +
      `(stopping ${t.stopMs.toFixed(2)}, capture ${t.captureMs.toFixed(2)}, resume ${t.resumeMs.toFixed(2)}` +
      `${t.runningPauseMs ? `; running threads held ${t.runningPauseMs.toFixed(2)} ms` : ''}); ` +
      `${formatSize(t.bytesCopied)} of stack copied in ${t.readCalls} read${t.readCalls === 1 ? '' : 's'}; total ${snapshot.wallMs.toFixed(0)} ms`,
    `appeared during the snapshot: ${list(snapshot.appeared)}; vanished: ${list(snapshot.vanished)}` +
      (snapshot.notStopped.length ? `; not stopped: ${list(snapshot.notStopped)}` : ''),
  ];
}

export function renderSnapshotText(snapshot: Snapshot, options: TextOptions): string {
  const p = options.palette;
  const out = [p.bold(`process ${snapshot.pid} (${termSafe(snapshot.command)}): ${snapshot.threads.length} threads`), ''];
  for (const thread of snapshot.threads) out.push(...threadLines(thread, options), '');
  out.push(...footer(snapshot).map((line) => p.dim(line)));
  return `${out.join('\n')}\n`;
}
