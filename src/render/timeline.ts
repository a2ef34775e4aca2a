/**
 * The live, thread-aware timeline of `tasklens trace`: one line per event, with the time since the
 * trace began, the task as TGID/TID (threads of one process share a colour), and the event in plain
 * words for process, thread and signal events (other syscalls are shown compactly as strace prints them).
 * The renderer reads the task graph the caller keeps up to date, so it can say "thread" or "process".
 */
import type { TraceEvent, SyscallEvent } from '../parse/types.js';
import { valueText } from '../parse/values.js';
import type { TaskGraph } from '../model/graph.js';
import { factOf, type SignalDeliveryFact } from '../facts/index.js';
import type { Palette } from './color.js';
import { cut } from './text.js';
import { termSafe } from './escape.js';

export interface TimelineOptions {
  palette: Palette;
  /** Maximum line width (terminal columns); lines are cut with `…`. Unset: no limit. */
  width?: number;
  /** Extra text under an event (e.g. the explanation), one or more lines. */
  annotate?: (event: TraceEvent) => string | undefined;
  /** Show strace's continuation lines (stack frames, hex dumps). Default false. */
  continuations?: boolean;
}

const GROUP_COLOURS = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'] as const;

/** How each lifecycle syscall reads on the timeline, from the call and its return. */
const LIFECYCLE: Partial<Record<string, (e: SyscallEvent, graph: TaskGraph) => string>> = {
  clone: describeClone,
  clone3: describeClone,
  fork: describeClone,
  vfork: describeClone,
  execve: describeExec,
  execveat: describeExec,
  exit: (e) => `${e.name}(${e.argsText}): thread exits`,
  exit_group: (e) => `exit_group(${e.argsText}): every thread of the process exits`,
  wait4: describeWait,
  waitid: describeWait,
  kill: describeKill,
  tkill: describeKill,
  tgkill: describeKill,
  pidfd_send_signal: describeKill,
  rt_sigqueueinfo: describeKill,
  rt_tgsigqueueinfo: describeKill,
};

export class TimelineRenderer {
  private readonly options: TimelineOptions;
  private readonly graph: TaskGraph;
  private start: number | undefined;
  /** Latest time shown so far. */
  private latest: number | undefined;
  private readonly colourOf = new Map<number, (typeof GROUP_COLOURS)[number]>();

  constructor(graph: TaskGraph, options: TimelineOptions) {
    this.graph = graph;
    this.options = options;
  }

  /**
   * The text for one event (already applied to the graph), or undefined to show nothing. `misses`:
   * the failed attempts of a PATH search this exec ended (see ExecSearchFold), shown as one line.
   */
  render(event: TraceEvent, misses?: readonly SyscallEvent[]): string | undefined {
    const c = this.options.palette;
    const when = this.when(event);
    const body = misses && misses.length > 0 && event.kind === 'syscall' ? c.bold(termSafe(describeFoundExec(event, misses))) : this.describe(event);
    if (body === undefined) return undefined;
    const task = this.taskLabel(event);
    let line = `${c.dim(this.relative(when.at).padStart(10))} ${task} ${body}${when.started === undefined ? '' : c.dim(this.startNote(event, when.started, when.at))}`;
    line = cut(line, this.options.width);
    const note = this.options.annotate?.(event);
    return note ? `${line}\n${note}` : line;
  }

  /**
   * When an event is shown. Lines come in log order, and strace writes a line when it happens, so a
   * call split by other tasks' lines is shown when it completed (its `<... resumed>` half), with its
   * start; a call that never returned, when its end became known (the task's death, the detach), which
   * is no earlier than the last line seen. Time then never runs backwards on the timeline.
   */
  private when(event: TraceEvent): { at: number | undefined; started?: number } {
    const start = event.prefix.timeSec;
    if (start === undefined) return { at: undefined };
    let at = start;
    if (event.kind === 'syscall') {
      if (event.state === 'joined' && event.endPrefix?.timeSec !== undefined) at = event.endPrefix.timeSec;
      else if (event.state === 'unfinished' && this.latest !== undefined) at = Math.max(start, this.latest);
    }
    // Time zero: the start of the first event (attached to a task inside a call, that call began first).
    if (this.start === undefined) this.start = start;
    if (this.latest === undefined || at > this.latest) this.latest = at;
    return at > start ? { at, started: start } : { at };
  }

  private relative(t: number | undefined): string {
    if (t === undefined || this.start === undefined) return '';
    const d = t - this.start;
    return `${d < 0 ? '-' : '+'}${Math.abs(d).toFixed(6)}`;
  }

  /** ` (started +0.001369, took 0.204708 s)`: -T's duration when strace measured it. */
  private startNote(event: TraceEvent, started: number, at: number | undefined): string {
    const took = event.kind === 'syscall' && event.state === 'joined' ? (event.durationSec ?? (at === undefined ? undefined : at - started)) : undefined;
    return ` (started ${this.relative(started)}${took === undefined ? '' : `, took ${took.toFixed(6)} s`})`;
  }

  private taskLabel(event: TraceEvent): string {
    const c = this.options.palette;
    const tid = event.prefix.pid;
    if (tid === undefined) return ''.padEnd(13);
    const task = this.graph.taskByTid(tid);
    const process = task ? this.graph.processOf(task) : undefined;
    const tgid = process?.tgid ?? tid;
    const label = (tgid === tid ? `${tid}` : `${tgid}/${tid}`).padEnd(13);
    let colour = this.colourOf.get(tgid);
    if (colour === undefined) {
      colour = GROUP_COLOURS[this.colourOf.size % GROUP_COLOURS.length];
      this.colourOf.set(tgid, colour);
    }
    return c[colour](label);
  }

  /** The event in words; every piece of log text is escaped (termSafe) before it is coloured. */
  private describe(event: TraceEvent): string | undefined {
    const c = this.options.palette;
    switch (event.kind) {
      case 'syscall': {
        const lifecycle = Object.hasOwn(LIFECYCLE, event.name) ? LIFECYCLE[event.name] : undefined; // names come from logs
        const text = termSafe(lifecycle ? lifecycle(event, this.graph) : compactSyscall(event));
        const failed = event.ret?.errno !== undefined && !event.ret.errno.startsWith('ERESTART');
        const suffix = event.state === 'unfinished' ? c.dim(termSafe(` (never returned: ${event.interruption?.text ?? 'still running'})`)) : '';
        return (lifecycle ? c.bold(text) : failed ? c.red(text) : text) + suffix;
      }
      case 'signal':
        return event.stopped ? c.yellow(termSafe(`■ stopped by ${event.signal} (group stop)`)) : c.yellow(termSafe(`⚡ ${event.signal}${signalOrigin(factOf(event) as SignalDeliveryFact)}`));
      case 'exit':
        return c.bold(`+++ exited with ${event.code}`);
      case 'killed':
        return c.red(termSafe(`+++ killed by ${event.signal}${event.coreDumped ? ' (core dumped)' : ''}`));
      case 'superseded':
        return c.bold(`+++ replaced: thread ${event.byPid} called execve and takes over this TID`);
      case 'message':
        return c.dim(`strace: ${termSafe(event.text)}`);
      case 'personality':
        return c.dim(termSafe(`runs in ${event.mode} mode`));
      case 'output':
        return c.dim(`(program output) ${termSafe(event.text)}`);
      case 'unknown':
        return c.dim(termSafe(`? ${event.reason}: ${event.raw.slice(0, 200)}`));
      case 'stack':
        return this.options.continuations ? c.dim(termSafe(`    at ${event.symbol ?? '?'}${event.offset ? `+${event.offset}` : ''} (${event.module})`)) : undefined;
      case 'dump':
      case 'summary-row':
        return this.options.continuations ? c.dim(termSafe(event.raw)) : undefined;
    }
  }
}

function describeClone(e: SyscallEvent, graph: TaskGraph): string {
  const ret = e.ret?.value;
  if (ret === undefined) return `${e.name}(…) never returned`;
  if (e.ret?.errno) return `${e.name} failed: ${e.ret.errno}`;
  const child = Number(ret);
  if (!Number.isInteger(child) || child <= 0) return `${e.name} = ${ret}`;
  const kind = graph.taskByTid(child)?.birth.kind;
  const what = kind === 'thread' ? 'new thread' : kind === 'vfork' ? 'new process (vfork: parent waits for exec/exit)' : kind === 'spawn' ? 'new process (posix_spawn style)' : kind === 'namespaces' ? 'new process in new namespaces' : 'new process';
  return `${e.name} → ${what} ${child}`;
}

function describeExec(e: SyscallEvent): string {
  const path = e.args[e.name === 'execveat' ? 1 : 0];
  const argv = e.args[e.name === 'execveat' ? 2 : 1];
  const shownPath = path && path.t === 'str' ? path.text : path ? valueText(path) : '?';
  const shownArgv = argv ? valueText(argv) : '';
  const result = e.ret === undefined ? '…' : e.ret.errno ? `failed: ${e.ret.errno}` : e.ret.value === '0' ? 'runs the new program' : `= ${e.ret.value}`;
  return `${e.name} ${shownPath} ${shownArgv} → ${result}`;
}

/** `execve ["true"]: found "/usr/bin/true" after 8 misses → runs the new program`. */
function describeFoundExec(e: SyscallEvent, misses: readonly SyscallEvent[]): string {
  const path = e.args[e.name === 'execveat' ? 1 : 0];
  const argv = e.args[e.name === 'execveat' ? 2 : 1];
  const found = path && path.t === 'str' ? path.text : path ? valueText(path) : '?';
  return `${e.name} ${argv ? valueText(argv) : ''}: found ${found} after ${misses.length} miss${misses.length === 1 ? '' : 'es'} → runs the new program`;
}

function describeWait(e: SyscallEvent): string {
  const ret = e.ret;
  if (!ret) return `${e.name}(${e.argsText}…`;
  if (ret.errno) return `${e.name}: ${ret.errno}${ret.errno === 'ECHILD' ? ' (no children left)' : ''}`;
  if (ret.value === '0') return `${e.name}: no child has changed state yet`;
  const status = e.args[1] ? valueText(e.args[1]) : '';
  return `${e.name} → reaped ${ret.value}${status && status !== 'NULL' ? ` ${status}` : ''}`;
}

function describeKill(e: SyscallEvent): string {
  const args = e.args.map(valueText);
  const result = e.ret?.errno ? ` failed: ${e.ret.errno}` : '';
  return `${e.name}(${args.join(', ')})${result}`;
}

function compactSyscall(e: SyscallEvent): string {
  const ret = e.ret;
  if (!ret) return `${e.name}(${e.argsText}`;
  const value = ret.errno ? `${ret.value} ${ret.errno}` : ret.decoration ? `${ret.value}<${ret.decoration}>` : ret.value;
  return `${e.name}(${e.argsText}) = ${value}`;
}

/** ` from 1234 (CLD_EXITED, status 0)` from a delivery's siginfo, as the facts decoded it. */
function signalOrigin(fact: SignalDeliveryFact): string {
  const { code, sender: pid, statusText: status, addrText: addr } = fact;
  const parts: string[] = [];
  if (code) parts.push(code);
  if (status !== undefined) parts.push(`status ${status}`);
  if (addr !== undefined) parts.push(`at ${addr}`);
  const from = pid !== undefined ? ` from ${pid}` : '';
  return `${from}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** Exit code a shell would report for a program that ended this way. */
export function shellExitCode(exitCode: number | null, signal: string | null, signalNumber: (name: string) => number | undefined): number {
  if (exitCode !== null) return exitCode;
  if (signal !== null) return 128 + (signalNumber(signal) ?? 0);
  return 1;
}
