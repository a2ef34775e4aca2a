/**
 * Readers of the lines that are not syscalls, one per kind, each from the line's body: `--- SIG... ---`
 * signals, `+++ ... +++` exits, `strace: ...` messages and `[ Process PID=N runs in ... mode. ]`.
 * Pure: what a line means for the parser's state (a task ended, a task announced) the parser decides.
 */
import type { ExitEvent, KilledEvent, MessageEvent, PersonalityEvent, Prefix, SupersededEvent, TraceEvent, UnknownEvent } from './types.js';
import { SignalRecord } from './records.js';

/** Where a line came from: what every event read from it carries. */
export interface LineOrigin {
  line: number;
  raw: string;
  prefix: Prefix;
  source: string | undefined;
}

export function unknownEvent(at: LineOrigin, reason: string): UnknownEvent {
  return { kind: 'unknown', line: at.line, raw: at.raw, prefix: at.prefix, reason, source: at.source };
}

/** Whether the signal line starting at `body` is closed by ` ---` (its name may still be unknown). */
export function isClosedSignalLine(text: string, body: number): boolean {
  return text.endsWith(' ---') && text.length >= body + 8;
}

/** `--- SIGCHLD {si_signo=...} ---`, `--- stopped by SIGSTOP ---`. */
export function readSignalLine(text: string, body: number, at: LineOrigin): TraceEvent {
  if (!isClosedSignalLine(text, body)) return unknownEvent(at, 'signal line without closing " ---"');
  const inner = text.slice(body + 4, text.length - 4);
  if (inner.startsWith('stopped by ')) return withSource(new SignalRecord(inner.slice('stopped by '.length), true, '', at.line, at.raw, at.prefix), at);
  const space = inner.indexOf(' ');
  const signal = space < 0 ? inner : inner.slice(0, space);
  const info = space < 0 ? '' : inner.slice(space + 1);
  if (!/^(SIG[A-Z0-9_+-]+|\d+)$/.test(signal)) return unknownEvent(at, `unrecognised signal name ${JSON.stringify(signal)}`);
  return withSource(new SignalRecord(signal, false, info, at.line, at.raw, at.prefix), at);
}

/** `+++ exited with 0 +++`, `+++ killed by SIGKILL (core dumped) +++`, `+++ superseded by execve in pid N +++`. */
export function readExitLine(text: string, body: number, at: LineOrigin): ExitEvent | KilledEvent | SupersededEvent | UnknownEvent {
  if (!text.endsWith(' +++')) return unknownEvent(at, 'exit line without closing " +++"');
  const inner = text.slice(body + 4, text.length - 4);
  const { line, raw, prefix, source } = at;
  let m: RegExpExecArray | null;
  if ((m = /^exited with (-?\d+)$/.exec(inner))) return { kind: 'exit', line, raw, prefix, code: Number(m[1]), source };
  if ((m = /^killed by (\S+)( \(core dumped\))?$/.exec(inner))) return { kind: 'killed', line, raw, prefix, signal: m[1], coreDumped: m[2] !== undefined, source };
  if ((m = /^superseded by execve in pid (\d+)$/.exec(inner))) return { kind: 'superseded', line, raw, prefix, byPid: Number(m[1]), source };
  return unknownEvent(at, `unrecognised "+++" line`);
}

/**
 * A `strace: ...` message (given from `strace: `). `Process N attached` comes out as an attach; the
 * parser decides whether it was strace -f following a new task.
 */
export function readMessage(message: string, at: LineOrigin): MessageEvent {
  const text = message.slice('strace: '.length);
  const event: MessageEvent = { kind: 'message', line: at.line, raw: at.raw, prefix: at.prefix, text, source: at.source };
  let m: RegExpExecArray | null;
  if ((m = /^Process (\d+) attached(?: with (\d+) threads)?/.exec(text))) {
    const pid = Number(m[1]);
    event.attached = m[2] ? { pid, threads: Number(m[2]), how: 'attach' } : { pid, how: 'attach' };
  } else if ((m = /^Process (\d+) detached/.exec(text))) {
    event.detached = { pid: Number(m[1]) };
  }
  return event;
}

/** `[ Process PID=N runs in 32 bit mode. ]` */
export function readPersonalityLine(text: string, body: number, at: LineOrigin): PersonalityEvent | UnknownEvent {
  const m = /^\[ Process PID=(\d+) runs in (.+) mode\. \]$/.exec(text.slice(body));
  if (!m) return unknownEvent(at, 'malformed personality line');
  return { kind: 'personality', line: at.line, raw: at.raw, prefix: at.prefix, pid: Number(m[1]), mode: m[2], source: at.source };
}

function withSource<T extends TraceEvent>(event: T, at: LineOrigin): T {
  if (at.source !== undefined) event.source = at.source;
  return event;
}
