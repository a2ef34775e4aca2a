/**
 * Reading facts out of one traced program: its syscalls by task, their arguments and results, and
 * citations (program, line, text) to back every sentence a lab prints. Analyses use these helpers
 * so they stay short and say only what the trace shows.
 */
import type { SignalEvent, SyscallEvent, TraceEvent, Value } from '../parse/types.js';
import { flagNames, structField, toBigInt, valueText } from '../parse/values.js';
import type { Process, Task } from '../model/types.js';
import type { Citation, ProgramRun } from './types.js';

export class LabTrace {
  readonly program: string;
  readonly run: ProgramRun;
  private readonly all: SyscallEvent[];

  constructor(run: ProgramRun) {
    this.run = run;
    this.program = run.program.name;
    this.all = run.events.filter((e): e is SyscallEvent => e.kind === 'syscall' && e.state !== 'resumed');
  }

  /** The process strace started (the program). */
  root(): Process | undefined {
    return this.run.graph.roots()[0];
  }

  rootTid(): number | undefined {
    return this.root()?.tgid;
  }

  task(tid: number): Task | undefined {
    return this.run.graph.taskByTid(tid);
  }

  /** Syscalls in log order, optionally only those named `name` and/or made by `tid`. */
  calls(name?: string | readonly string[], tid?: number): SyscallEvent[] {
    const names = name === undefined ? undefined : typeof name === 'string' ? [name] : name;
    return this.all.filter((e) => (names === undefined || names.includes(e.name)) && (tid === undefined || e.prefix.pid === tid));
  }

  /** The first call matching, in log order. */
  first(name: string | readonly string[], test: (e: SyscallEvent) => boolean = () => true, tid?: number): SyscallEvent | undefined {
    return this.calls(name, tid).find(test);
  }

  /** The last call of `tid` before `event` (in log order), and the first one after it. */
  neighbours(event: SyscallEvent): { before?: SyscallEvent; after?: SyscallEvent } {
    const own = this.calls(undefined, event.prefix.pid);
    const i = own.indexOf(event);
    return { before: own[i - 1], after: own[i + 1] };
  }

  /** Signal deliveries (`--- SIGx {...} ---`) in log order. */
  signals(name?: string, tid?: number): SignalEvent[] {
    return this.run.events.filter(
      (e): e is SignalEvent => e.kind === 'signal' && !e.stopped && (name === undefined || e.signal === name) && (tid === undefined || e.prefix.pid === tid),
    );
  }

  /** Events of any kind made by one task. */
  eventsOf(tid: number): TraceEvent[] {
    return this.run.events.filter((e) => e.prefix.pid === tid);
  }

  cite(event: TraceEvent): Citation {
    const end = event.endLine !== undefined && event.endLine !== event.line ? { endLine: event.endLine } : {};
    return { program: this.program, line: event.line, ...end, raw: oneLine(event) };
  }
}

/** Seconds from `from` to `to` (their -ttt timestamps; for a joined call, `to` uses its return time). */
export function secondsBetween(from: TraceEvent | undefined, to: TraceEvent | undefined, toEnd = false): number | undefined {
  const a = from?.prefix.timeSec;
  const b = toEnd && to?.kind === 'syscall' && to.endPrefix?.timeSec !== undefined ? to.endPrefix.timeSec : to?.prefix.timeSec;
  return a === undefined || b === undefined ? undefined : b - a;
}

/** The `+++ exited with N +++` (or killed) line of a task. */
export function exitLine(run: ProgramRun, tid: number): TraceEvent | undefined {
  return run.events.find((e) => (e.kind === 'exit' || e.kind === 'killed') && e.prefix.pid === tid);
}

/** A syscall as one line of strace text (a joined unfinished/resumed pair reads as one call). */
export function oneLine(event: TraceEvent): string {
  if (event.kind === 'syscall' && event.state !== 'resumed') {
    return `${event.name}(${event.argsText}${event.ret ? `) = ${event.ret.raw}` : ' <unfinished ...>'}`;
  }
  const raw = event.raw.split('\n')[0];
  // Drop strace's pid and timestamp prefix: the citation already names the program and line.
  return raw.replace(/^\[?(?:pid\s+)?\d+\]?\s+(?:\d+(?:\.\d+)?\s+)?/, '');
}

/** The integer result of a call (pid, fd, address), or undefined for errors and `?`. */
export function returned(event: SyscallEvent | undefined): bigint | undefined {
  if (!event?.ret || event.ret.errno) return undefined;
  return toBigInt(event.ret.value);
}

/** The nth argument as an integer. */
export function argInt(event: SyscallEvent, index: number): bigint | undefined {
  return toBigInt(event.args[index]);
}

/** The nth argument's flag names (`PROT_READ|PROT_WRITE` -> both). */
export function argFlags(event: SyscallEvent, index: number): string[] {
  return flagNames(unnamed(event.args[index]));
}

/** The nth argument as strace printed it. */
export function argText(event: SyscallEvent, index: number): string {
  const v = event.args[index];
  return v === undefined ? '' : valueText(v);
}

/** A named argument (`flags=...` of clone) or the struct field of clone3's first argument. */
export function field(event: SyscallEvent, name: string): Value | undefined {
  const named = event.args.find((a) => a.t === 'named' && a.name === name);
  if (named?.t === 'named') return named.value;
  return structField(event.args[0], name);
}

function unnamed(v: Value | undefined): Value | undefined {
  return v?.t === 'named' ? v.value : v;
}

/** A field of a struct value as an integer (siginfo si_pid, clone3 stack_size). */
export function structInt(v: Value | null | undefined, name: string): bigint | undefined {
  return toBigInt(structField(v ?? undefined, name));
}

export { hex } from '../units.js';

/** Bytes in the words the explanations use (`8 MiB + 4 KiB`), so the points read like the trace above them. */
export { humanSize } from '../explain/format.js';

/** Seconds as microseconds or milliseconds, whichever reads better. */
export function humanDuration(seconds: number): string {
  if (seconds < 0.001) return `${Math.round(seconds * 1e6)} µs`;
  if (seconds < 0.01) return `${(seconds * 1e3).toFixed(1)} ms`;
  return seconds < 10 ? `${Math.round(seconds * 1e3)} ms` : `${seconds.toFixed(1)} s`;
}
