/**
 * The stateful strace parser: lines in, typed events out. It
 * - classifies each line by position (prefix, then the body's first characters), never by substring;
 * - joins `<unfinished ...>` / `<... NAME resumed>` pairs per TID, including the execve that
 *   completes under the leader's pid after `<pid changed to N ...>` (the open calls: calls.ts);
 * - cuts `strace: ...` diagnostics out of the middle of a line and splices the two halves (the
 *   split-line records: fragments.ts);
 * - gives unprefixed stderr lines to the only live tracee (attribution.ts);
 * - reads syscall lines itself and the other kinds through readers.ts;
 * - turns everything it cannot read into an `unknown` event with the reason. It never throws on input.
 */
import type { Prefix, TraceEvent, SyscallEvent, UnknownEvent, MessageEvent } from './types.js';
import { parsePrefix } from './prefix.js';
import { PidAttribution } from './attribution.js';
import { OpenCalls, joinedBreaks, spanLines, type OpenCall } from './calls.js';
import { MAX_PENDING_OUTPUT_LINES, continuesFragment, fragmentCall, holdsLine, type Fragment, type HeldWrite } from './fragments.js';
import { isClosedSignalLine, readExitLine, readMessage, readPersonalityLine, readSignalLine, type LineOrigin } from './readers.js';
import { isDigit, isNameStart, isWordChar } from './chars.js';
import { ArgBoundaries, findArgsEnd, findArgsEndFromRight, returnStart, indexOutsideStrings, isReturnSeparator, splitTopLevel } from './scan.js';
import { parseReturn } from './retval.js';
import { parseArgs, unescapeString } from './values.js';
import { isStdWrite, isStraceValue, splitProgramOutput, splitOpenerOutput } from './splice.js';
import { SyscallRecord } from './records.js';
import { SummaryTable } from './summary.js';
import { stackFrameLine, dumpLine } from './continuation.js';
import type { Line } from './lines.js';

export interface ParseOptions {
  /** Name of the input (a file name), copied onto every event. */
  source?: string;
  /** The TID every line belongs to: a `-ff` file `LOG.<tid>` has no pid prefixes. */
  pid?: number;
  /** Lines that are not strace syntax are the traced program's output (`output` events), not `unknown`. */
  traceeOutput?: boolean;
  /** Number of the first line (default 1). */
  firstLine?: number;
}

const UNFINISHED = ' <unfinished ...>';
/** Calls that make a task strace -f follows (announced by `Process N attached`). */
const CREATING = new Set(['clone', 'clone3', 'fork', 'vfork']);
const DETACHED = ' <detached ...>';
const RESUMED_OPEN = '<... ';

export class StraceParser {
  private readonly options: ParseOptions;
  private lineNo: number;
  /** Calls waiting for their resumed half. */
  private readonly open = new OpenCalls();
  /** The pid of lines that do not print one. */
  private readonly pids: PidAttribution;
  private fragment: Fragment | null = null;
  /** A line cut by a message, while a line of another task that came before its rest is handled. */
  private waitingCut: Fragment | null = null;
  private readonly summary = new SummaryTable();
  private lastPrefix: Prefix = {};
  /** A write to stdout/stderr held back one line, in case the program's output was spliced into it. */
  private held: HeldWrite | null = null;
  /** Argument boundaries of the line being read, filled by its scan (see scan.ArgBoundaries). */
  private readonly bounds = new ArgBoundaries();

  constructor(options: ParseOptions = {}) {
    this.options = options;
    this.lineNo = (options.firstLine ?? 1) - 1;
    this.pids = new PidAttribution(options.pid);
  }

  /** Parses one line; appends the events it completes to `out` (and returns `out`). */
  push(rawLine: Line, out: TraceEvent[] = []): TraceEvent[] {
    const lineNo = ++this.lineNo;
    if (typeof rawLine !== 'string') {
      // Over the splitter's cap: reported with its length, parsing goes on with the next line.
      const reason = `line too long to parse (${rawLine.bytes} bytes, over the line-length cap; raise it with maxLineBytes or TASKLENS_MAX_LINE)`;
      out.push({ ...this.unknown(lineNo, rawLine.head, {}, reason), length: rawLine.bytes });
      return out;
    }
    const fragment = this.fragment;
    if (fragment !== null) {
      if (fragment.cause === 'message' && this.besideMessageCut(fragment, rawLine, lineNo, out)) return out;
      if (continuesFragment(rawLine, fragment)) {
        this.fragment = null;
        this.joinFragment(fragment, rawLine, lineNo, out);
        return out;
      }
      // Not a continuation: maybe program output landing inside the line; look at what it is.
      this.fragment = null;
      const probe: TraceEvent[] = [];
      this.handle(rawLine, lineNo, rawLine, probe);
      if (probe.length === 1 && (probe[0].kind === 'unknown' || probe[0].kind === 'output') && this.fragment === null) {
        // `wait4(12730, <output>` ... `[{WIFEXITED(s) ...}], 0, NULL) = 12730`: the rest of the call.
        if (probe[0].kind === 'unknown' && fragment.cause === 'open' && this.gluedOpenerRest(fragment, rawLine, lineNo, out)) return out;
        if (fragment.between.length < MAX_PENDING_OUTPUT_LINES) {
          fragment.between.push({ line: lineNo, raw: rawLine });
          this.fragment = fragment;
          return out;
        }
      }
      this.flushFragment(out, fragment);
      for (const e of probe) out.push(e);
      return out;
    }
    const held = this.held;
    if (held !== null) {
      this.held = null;
      if (this.repairHeldWrite(held, rawLine, lineNo, out)) return out;
      if (held.output !== undefined) out.push(held.output);
      out.push(held.event);
    }
    this.handle(rawLine, lineNo, rawLine, out);
    return out;
  }

  /**
   * A line cut by a `strace:` message usually goes on right after it, but other tasks' lines can come
   * first: `sigaltstack(NULL, strace: Process 513337 attached` + `[pid 513337] gettid() = 513337`. A line
   * with its own pid prefix, or a signal, exit, resumed or `strace:` line, parses on its own and is never
   * the rest: it is handled as usual and the cut line keeps waiting. When the cut task itself resumes
   * (`<... sigaltstack resumed>`), the cut line was its opener.
   */
  private besideMessageCut(fragment: Fragment, rawLine: string, lineNo: number, out: TraceEvent[]): boolean {
    const c = rawLine.charCodeAt(0);
    if (c === 32 || c === 41 /* ) */ || c === 44 /* , */) return false;
    const { prefix, body } = parsePrefix(rawLine);
    const resumed = rawLine.startsWith(RESUMED_OPEN, body);
    if (prefix.pid === undefined && !resumed && !rawLine.startsWith('--- ', body) && !rawLine.startsWith('+++ ', body) && !rawLine.startsWith('strace: ', body)) return false;
    this.fragment = null;
    const cutPid = fragment.prefix.pid;
    const opener = fragmentCall(fragment);
    if (opener !== null && prefix.pid !== undefined && (prefix.pid === cutPid || cutPid === undefined)) {
      // The cut task prints again: its line was an opener whose ` <unfinished ...>` never came (the
      // rest is on this resumed line), or its rest is lost (it started a new call).
      if (resumed && rawLine.startsWith(`${RESUMED_OPEN}${opener.name} resumed>`, body)) {
        this.openCall(cutPid, opener, out);
        this.handle(rawLine, lineNo, rawLine, out);
        return true;
      }
      if (prefix.pid === cutPid) {
        this.flushFragment(out, fragment);
        this.handle(rawLine, lineNo, rawLine, out);
        return true;
      }
    }
    this.waitingCut = fragment;
    this.handle(rawLine, lineNo, rawLine, out);
    this.waitingCut = null;
    if (this.held !== null) this.releaseHeld(out); // no repair across a waiting cut line
    if (this.fragment === null && ++fragment.passed <= MAX_PENDING_OUTPUT_LINES) this.fragment = fragment;
    else this.flushFragment(out, fragment);
    return true;
  }

  /** Parses a fragment's text with the line that completes it. */
  private joinFragment(fragment: Fragment, rawLine: string, lineNo: number, out: TraceEvent[]): void {
    fragment.raws.push(rawLine);
    fragment.lines.push(lineNo);
    const first = out.length;
    this.handle(fragment.text + rawLine, fragment.line, fragment.raws.join('\n'), out, lineNo, fragment);
    for (let i = first; i < out.length; i++) {
      const e = out[i];
      if (e.line !== fragment.line || e.kind === 'output' || e.kind === 'message') continue;
      if (e.endLine === undefined) e.endLine = lineNo;
      if (e.lines === undefined && fragment.lines.length > 2) e.lines = fragment.lines;
    }
    // Lines that came between the halves and were not identified as the program's output.
    const current = this.fragment as Fragment | null;
    if (current === null || current.between !== fragment.between) {
      for (const b of fragment.between) out.push(this.unknownOrOutput(b.line, b.raw));
      fragment.between.length = 0;
    }
  }

  /**
   * Without -f strace leaves a blocking call's line open, and the program's output (or the terminal's
   * echo of typed input) lands after it: `read(0, file1.txt` + `"file1.txt\n", 1024) = 10`. A line that
   * is not strace syntax on its own but closes a call's arguments is the rest: cut the glued output
   * out of the opener and join.
   */
  private gluedOpenerRest(fragment: Fragment, rawLine: string, lineNo: number, out: TraceEvent[]): boolean {
    // The rest starts with an argument strace prints (`[{WIFEXITED(s)...}]`, `"file1.txt\n"`), not words.
    const close = findArgsEnd(rawLine, 0);
    if (close <= 0 || !isStraceValue(splitTopLevel(rawLine.slice(0, close))[0])) return false;
    const text = fragment.text;
    const body = parsePrefix(text).body;
    let i = body;
    while (isWordChar(text.charCodeAt(i))) i++;
    if (i === body || !isNameStart(text.charCodeAt(body)) || text.charCodeAt(i) !== 40) return false;
    const argsStart = i + 1;
    const split = splitOpenerOutput(text.slice(argsStart));
    if (split === null || findArgsEnd(text.slice(0, argsStart) + split.args + rawLine, argsStart) < 0) return false;
    if (split.output !== '') out.push(this.output(fragment.line, split.output, fragment.prefix));
    fragment.text = text.slice(0, argsStart) + split.args;
    for (const b of fragment.between) out.push(this.output(b.line, b.raw, fragment.prefix));
    fragment.between.length = 0;
    this.joinFragment(fragment, rawLine, lineNo, out);
    return true;
  }

  /**
   * `write(1, ") = 0\n", 6) = 0` + `)    = 6`: the program's output (here `) = 0`) landed at the end of
   * the line and looked like a return. The next line starting with `)` and a return proves it: cut the
   * output back out and take the real return.
   */
  private repairHeldWrite(held: HeldWrite, line: string, lineNo: number, out: TraceEvent[]): boolean {
    if (line.charCodeAt(0) !== 41 || !isReturnSeparator(line, 1)) return false;
    const split = splitProgramOutput(held.text.slice(held.argsStart));
    if (split === null) return false;
    const event = held.event;
    const repaired = new SyscallRecord(event.name, 'complete', split.args, event.line, `${event.raw}\n${line}`, event.prefix);
    repaired.endLine = lineNo;
    this.finishReturn(repaired, line.slice(returnStart(line, 1)));
    this.source(repaired);
    out.push(this.output(event.line, split.output, event.prefix));
    out.push(repaired);
    return true;
  }

  private releaseHeld(out: TraceEvent[]): void {
    const held = this.held!;
    this.held = null;
    if (held.output !== undefined) out.push(held.output);
    out.push(held.event);
  }

  private output(line: number, text: string, prefix: Prefix): TraceEvent {
    return { kind: 'output', line, raw: text, prefix, text, source: this.options.source };
  }

  /** Call at end of input: emits calls that never resumed and any half line. */
  end(out: TraceEvent[] = []): TraceEvent[] {
    if (this.held !== null) this.releaseHeld(out);
    this.flushFragment(out);
    const { calls, execs } = this.open.drain();
    for (const call of calls) out.push(this.unfinishedEvent(call, { kind: 'killed', text: 'log ended before the call returned' }));
    for (const call of execs) out.push(this.unfinishedEvent(call, call.interruption));
    return out;
  }

  /** Number of the last line read. */
  get linesRead(): number {
    return this.lineNo;
  }

  private flushFragment(out: TraceEvent[], fragment: Fragment | null = this.fragment): void {
    if (fragment === null) return;
    if (fragment === this.fragment) this.fragment = null;
    const event = this.unknown(fragment.line, fragment.raws.join('\n'), this.pids.prefixOf(fragment.text).prefix, 'line ends inside a syscall (truncated or cut by other output)');
    if (fragment.lines.length > 1) {
      event.endLine = fragment.lines[fragment.lines.length - 1];
      if (fragment.lines.length > 2) event.lines = fragment.lines;
    }
    out.push(event);
    for (const b of fragment.between) out.push(this.unknownOrOutput(b.line, b.raw));
  }

  private unknownOrOutput(line: number, raw: string): TraceEvent {
    if (this.options.traceeOutput) return { kind: 'output', line, raw, prefix: {}, text: raw, source: this.options.source };
    const writer = this.pendingWriter(raw);
    if (writer !== null) return this.output(line, raw, writer.prefix);
    return this.unknown(line, raw, {}, 'not strace output (program output sharing the stream?)');
  }

  /**
   * A line that is not strace syntax: the program's output when the options say so, or when a write to
   * stdout/stderr in progress holds it (`write(1, "Thread running\n", 15 <unfinished ...>` then
   * `Thread running`, given to the writer); otherwise unknown with the reason.
   */
  private unreadable(text: string, body: number, lineNo: number, raw: string, prefix: Prefix, fragment: Fragment | undefined, reason: string): TraceEvent {
    if (body === 0 && fragment === undefined) {
      if (this.options.traceeOutput) return { kind: 'output', line: lineNo, raw, prefix, text, source: this.options.source };
      const writer = this.pendingWriter(text);
      if (writer !== null) return this.output(lineNo, text, writer.prefix);
    }
    return this.unknown(lineNo, raw, prefix, reason);
  }

  /** The open write to stdout/stderr whose data holds `line` as one of its lines, or null. */
  private pendingWriter(line: string): OpenCall | null {
    if (this.open.size === 0) return null;
    for (const [, call] of this.open.entries()) {
      if (!isStdWrite(call.name, call.argsText)) continue;
      const data = parseArgs(call.argsText)[1];
      if (data !== undefined && data.t === 'str' && holdsLine(data.bytes, data.truncated, line)) return call;
    }
    return null;
  }

  /**
   * Parses one logical line (a physical line, or halves spliced back together). `endLine` and
   * `fragment` are set when the text spans several physical lines.
   */
  private handle(text: string, lineNo: number, raw: string, out: TraceEvent[], endLine?: number, fragment?: Fragment): void {
    const first = text.charCodeAt(0);
    // Continuation lines carry no prefix at all: -k frames, -e read/write dumps.
    if (first === 32 && text.charCodeAt(2) === 32) {
      const second = text.charCodeAt(1);
      if (second === 62 /* > */) return void out.push(stackFrameLine(text, lineNo, raw, { ...this.lastPrefix }, this.options.source));
      if (second === 124 /* | */) return void out.push(dumpLine(text, lineNo, raw, { ...this.lastPrefix }, this.options.source));
      if (second === 42 /* * */) return void out.push({ kind: 'dump', line: lineNo, raw, prefix: { ...this.lastPrefix }, source: this.options.source });
    }
    if (this.summary.active || first === 37 /* % */ || first === 83 /* S */ || (isNameStart(first) && !startsCall(text))) {
      const summary = this.summary.line(text, lineNo, raw, this.options.source);
      if (summary) return void out.push(summary);
    }
    const { prefix, body, badPid } = this.pids.prefixOf(text);
    if (badPid !== undefined) return void out.push(this.unknown(lineNo, raw, prefix, badPid));
    // A spliced line keeps the pid it had when its first half arrived (an attach in between changes the inference).
    if (fragment !== undefined && prefix.pid === undefined && fragment.prefix.pid !== undefined) {
      prefix.pid = fragment.prefix.pid;
      prefix.pidSource = fragment.prefix.pidSource;
    }
    const c = text.charCodeAt(body);
    let event: TraceEvent | undefined;
    if (c === 45 /* - */ && text.startsWith('--- ', body)) {
      if (isClosedSignalLine(text, body)) this.lastPrefix = prefix;
      event = readSignalLine(text, body, this.origin(lineNo, raw, prefix));
    } else if (c === 43 /* + */ && text.startsWith('+++ ', body)) {
      event = this.exitLine(text, body, lineNo, raw, prefix, out);
    } else if (c === 60 /* < */ && text.startsWith(RESUMED_OPEN, body)) {
      this.resumedLine(text, body, lineNo, raw, prefix, out, endLine, fragment);
      return;
    } else if (c === 115 /* s */ && text.startsWith('strace: ', body)) {
      event = this.messageLine(text.slice(body), lineNo, raw, prefix);
    } else if (c === 91 /* [ */ && text.startsWith('[ Process PID=', body)) {
      event = readPersonalityLine(text, body, this.origin(lineNo, raw, prefix));
    } else if (isNameStart(c)) {
      this.syscallLine(text, body, lineNo, raw, prefix, out, endLine, fragment);
      return;
    }
    if (event === undefined && body === 0 && this.stagedContinuation(text, lineNo, raw, out, endLine)) return;
    if (event === undefined) {
      event = this.unreadable(text, body, lineNo, raw, prefix, fragment, text.length === 0 ? 'empty line' : `not a strace line (starts with ${JSON.stringify(text.slice(body, body + 12))})`);
    }
    if (endLine !== undefined) event.endLine = endLine;
    out.push(event);
  }

  /**
   * -z/-Z/-e status=: strace stages a call and prints its rest on a line of its own, with no prefix
   * and no `<... resumed>` marker: `wait4(10002,  <unfinished ...>` + `[{WIFSIGNALED(s)...}], 0, NULL) = 10002`.
   */
  private stagedContinuation(text: string, lineNo: number, raw: string, out: TraceEvent[], endLine: number | undefined): boolean {
    const call = this.open.peekLast();
    if (call === undefined) return false;
    const close = findArgsEnd(text, 0);
    if (close < 0) return false;
    this.open.takeLast();
    let argsText = call.argsText + text.slice(0, close);
    if (isStdWrite(call.name, call.argsText)) {
      // The opener's ` <unfinished ...>` may itself be program output (`write(1, "read(3, <unfinished ...>\n"...`).
      const split = splitProgramOutput(call.argsText + UNFINISHED + text.slice(0, close));
      if (split !== null) {
        argsText = split.args;
        out.push(this.output(call.line, split.output, call.prefix));
      }
    }
    const joined = new SyscallRecord(call.name, 'joined', argsText, call.line, `${call.raw}\n${raw}`, call.prefix);
    spanLines(joined, call, [endLine ?? lineNo]);
    this.finishReturn(joined, text.slice(returnStart(text, close + 1)));
    this.source(joined);
    this.noteChildren(joined);
    out.push(joined);
    return true;
  }

  private syscallLine(text: string, body: number, lineNo: number, raw: string, prefix: Prefix, out: TraceEvent[], endLine: number | undefined, fragment: Fragment | undefined): void {
    let i = body + 1;
    const n = text.length;
    while (i < n && isWordChar(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 40 /* ( */) {
      if (body === 0 && this.stagedContinuation(text, lineNo, raw, out, endLine)) return;
      out.push(this.unreadable(text, body, lineNo, raw, prefix, fragment, `expected "(" after syscall name ${JSON.stringify(text.slice(body, i))}`));
      return;
    }
    const name = text.slice(body, i);
    const argsStart = i + 1;
    this.lastPrefix = prefix;

    let close = findArgsEnd(text, argsStart, this.bounds);
    const unfinished = close < 0 && text.endsWith(UNFINISHED);
    // Output holding `[` or `"` landed inside a write's line (`write(2, "[", 1[)    = 1`): the close is the last one.
    if (close < 0 && !unfinished && (fragment?.cause === 'open' || isStdWrite(name, text.slice(argsStart, argsStart + 3)))) close = findArgsEndFromRight(text, argsStart);
    if (unfinished) {
      let argsText = text.slice(argsStart, n - UNFINISHED.length);
      let breaks = fragment ? undefined : this.bounds.openerBreaks(argsText.length);
      let glued: OpenCall['glued'];
      if (fragment?.cause === 'open' && isStdWrite(name, argsText)) {
        // `write(1, "Thread running\n", 15Thread running` + ` <unfinished ...>`: the output came first
        // (on one line, ` <unfinished ...>` may itself be the output: see stagedContinuation).
        const split = splitProgramOutput(argsText);
        if (split !== null) {
          out.push(this.output(lineNo, split.output, prefix));
          argsText = split.args;
          breaks = undefined;
        }
      } else if (fragment?.cause === 'open') {
        glued = splitOpenerOutput(argsText) ?? undefined;
        if (glued?.output === '') glued = undefined;
      }
      this.openCall(prefix.pid, { name, argsText, prefix, line: lineNo, raw, ...(fragment ? { lines: fragment.lines } : {}), ...(breaks ? { breaks } : {}), ...(glued ? { glued } : {}) }, out);
      return;
    }
    if (close >= 0) {
      let argsText = text.slice(argsStart, close);
      const event = new SyscallRecord(name, 'complete', argsText, lineNo, raw, prefix);
      event.setArgBreaks(this.bounds.argBreaks());
      if (argsText.endsWith(UNFINISHED)) {
        // `-ff`/`-z` form of a call the task died in: `read(3,  <unfinished ...>) = ?`
        argsText = argsText.slice(0, -UNFINISHED.length);
        event.setArgsText(argsText);
        event.state = 'unfinished';
        event.interruption = { kind: 'killed', text: 'the task died inside the call' };
      }
      this.finishReturn(event, text.slice(returnStart(text, close + 1)));
      if (name === 'restart_syscall') {
        const m = /^<\.\.\. resuming interrupted (\S+) \.\.\.>$/.exec(argsText);
        if (m) event.restarting = m[1];
      }
      if (endLine !== undefined) event.endLine = endLine;
      if (fragment && fragment.cause === 'open') this.extractProgramOutput(event, fragment, out);
      this.source(event);
      this.noteChildren(event);
      if (this.options.pid === undefined && fragment === undefined && isStdWrite(name, argsText)) {
        // Output without a newline closes the line itself: `write(1, "ab", 2ab) = 2`.
        const split = splitProgramOutput(argsText);
        this.held = { event, text, argsStart };
        if (split !== null) {
          event.setArgsText(split.args);
          this.held.output = this.output(lineNo, split.output, prefix);
        }
        return;
      }
      out.push(event);
      return;
    }
    this.incompleteLine(text, argsStart, name, lineNo, raw, prefix, out, fragment, undefined);
  }

  /** A line whose arguments never close: interrupted by detach/exec/ptrace, or split by a diagnostic. */
  private incompleteLine(text: string, argsStart: number, name: string, lineNo: number, raw: string, prefix: Prefix, out: TraceEvent[], fragment: Fragment | undefined, opener: OpenCall | undefined): void {
    const n = text.length;
    if (text.endsWith(DETACHED)) {
      const call: OpenCall = opener ?? { name, argsText: '', prefix, line: lineNo, raw };
      const event = this.unfinishedEvent({ ...call, argsText: call.argsText + text.slice(argsStart, n - DETACHED.length), raw: opener ? `${opener.raw}\n${raw}` : raw }, { kind: 'detached', text: 'strace detached while the call was in progress' });
      if (opener) event.endLine = lineNo;
      out.push(event);
      return;
    }
    const pidChanged = /\s?<pid changed to (\d+) \.\.\.>$/.exec(text.slice(Math.max(argsStart, n - 48)));
    if (pidChanged) {
      const newPid = Number(pidChanged[1]);
      const argsText = text.slice(argsStart, n - pidChanged[0].length);
      this.open.startExec(newPid, { name, argsText, prefix, line: lineNo, raw, interruption: { kind: 'pid-changed', text: pidChanged[0].trim(), pid: newPid } });
      return;
    }
    const cannot = /\s?<Cannot restart pid \d+ with ptrace\([^)]*\): [^>]*>$/.exec(text);
    if (cannot) {
      out.push(this.unfinishedEvent({ name, argsText: text.slice(argsStart, n - cannot[0].length), prefix, line: lineNo, raw }, { kind: 'ptrace-failed', text: cannot[0].trim() }));
      return;
    }
    const diag = indexOutsideStrings(text, 'strace: ', argsStart);
    if (diag > 0 && !this.isOwnOutput(name, text.slice(argsStart))) {
      // `clone3({...}strace: Process 5720 attached` + ` => {parent_tid=[5720]}, 88) = 5720`
      out.push(this.messageLine(text.slice(diag), lineNo, raw.slice(raw.length - (n - diag)), {}, { name, pid: prefix.pid }));
      this.fragment = { text: text.slice(0, diag), line: fragment?.line ?? lineNo, lines: fragment ? fragment.lines : [lineNo], raws: fragment ? fragment.raws : [raw], between: fragment?.between ?? [], cause: 'message', prefix, passed: 0 };
      return;
    }
    this.fragment = { text, line: fragment?.line ?? lineNo, lines: fragment ? fragment.lines : [lineNo], raws: fragment ? fragment.raws : [raw], between: fragment?.between ?? [], cause: 'open', prefix, passed: fragment?.passed ?? 0 };
  }

  /** Whether `strace: ...` at the end of a write's line is just the data the program wrote. */
  private isOwnOutput(name: string, argsRegion: string): boolean {
    if (!isStdWrite(name, argsRegion)) return false;
    const split = splitProgramOutput(argsRegion);
    if (split === null) return false;
    const data = parseArgs(split.args)[1];
    return data !== undefined && data.t === 'str' && data.bytes.startsWith(split.output);
  }

  private openCall(pid: number | undefined, call: OpenCall, out: TraceEvent[]): void {
    const previous = this.open.start(pid, call);
    if (previous) out.push(this.unfinishedEvent(previous, { kind: 'killed', text: 'a new call started before this one resumed' }));
  }

  private resumedLine(text: string, body: number, lineNo: number, raw: string, prefix: Prefix, out: TraceEvent[], endLine: number | undefined, fragment: Fragment | undefined): void {
    const close = text.indexOf(' resumed>', body);
    if (close < 0) {
      out.push(this.unknown(lineNo, raw, prefix, 'malformed "<... NAME resumed>" marker'));
      return;
    }
    const name = text.slice(body + RESUMED_OPEN.length, close);
    const restStart = close + ' resumed>'.length;
    const pid = prefix.pid;
    const resumes = this.open.resume(pid, name);
    let opener = resumes?.call;
    if (resumes?.unnamed) this.pids.rootNamed();
    this.lastPrefix = prefix;

    // `<... read resumed> <unfinished ...>) = ?`: the task died inside the call.
    const rest = text.slice(restStart);
    if (rest.startsWith(UNFINISHED + ')')) {
      const call: OpenCall = opener ?? { name, argsText: '', prefix, line: lineNo, raw: '' };
      const event = this.unfinishedEvent({ ...call, raw: opener ? `${opener.raw}\n${raw}` : raw }, { kind: 'killed', text: 'the task died inside the call' });
      if (opener) {
        event.endPrefix = prefix;
        spanLines(event, opener, fragment ? fragment.lines : [lineNo]);
      }
      event.ret = parseReturn(text.slice(returnStart(text, restStart + UNFINISHED.length + 1))).ret;
      out.push(event);
      return;
    }
    const argsEnd = findArgsEnd(text, restStart, this.bounds);
    if (argsEnd < 0) {
      if (text.endsWith(DETACHED)) {
        this.incompleteLine(text, restStart, name, lineNo, raw, prefix, out, fragment, opener);
        return;
      }
      // Split again (a diagnostic cut the resumed half): the opener waits for the spliced line.
      if (opener) this.open.restore(pid, opener);
      this.incompleteLine(text, restStart, name, lineNo, raw, prefix, out, fragment, undefined);
      return;
    }
    const restArgs = text.slice(restStart, argsEnd);
    const restBreaks = fragment ? undefined : this.bounds.argBreaks();
    if (opener?.glued !== undefined && restArgs.charCodeAt(0) !== 41 && restArgs !== '') {
      // The rest carries arguments, so the opener stopped at a `, `: what followed it was glued output.
      out.push(this.output(opener.line, opener.glued.output, opener.prefix));
      opener = { ...opener, argsText: opener.glued.args, breaks: undefined };
    }
    const event = opener
      ? new SyscallRecord(name, 'joined', opener.argsText + restArgs, opener.line, `${opener.raw}\n${raw}`, opener.prefix)
      : new SyscallRecord(name, 'resumed', restArgs, lineNo, raw, prefix);
    event.setArgBreaks(opener ? joinedBreaks(opener, restArgs, restBreaks) : restBreaks);
    if (opener) {
      event.endPrefix = prefix;
      if (opener.interruption) event.interruption = opener.interruption;
      spanLines(event, opener, fragment ? fragment.lines : [lineNo]);
    } else {
      event.orphanResume = true;
      if (endLine !== undefined) event.endLine = endLine;
    }
    this.finishReturn(event, text.slice(returnStart(text, argsEnd + 1)));
    this.source(event);
    this.noteChildren(event);
    out.push(event);
  }

  private finishReturn(event: SyscallRecord, retText: string): void {
    const parsed = parseReturn(retText);
    event.ret = parsed.ret;
    if (parsed.durationSec !== undefined) event.durationSec = parsed.durationSec;
  }

  /** New tasks announce themselves as the return value of clone/fork: count them as live. */
  private noteChildren(event: SyscallRecord): void {
    const name = event.name;
    if (name === 'clone' || name === 'clone3' || name === 'fork' || name === 'vfork') {
      const v = event.ret?.value;
      if (v !== undefined && v !== '' && isDigit(v.charCodeAt(0)) && v !== '0') {
        this.pids.created(Number(v), event.prefix.pid);
      }
    }
  }

  /**
   * Whether `Process N attached` is strace -f following a new task (not an attach to a running one),
   * and who created it: the message came inside a clone/fork/vfork line, or while such a call was in
   * progress, or after one returned N. null: no creating call in sight (a -p attach).
   */
  private creatorOf(pid: number, cutFrom: { name: string; pid: number | undefined } | undefined): number | undefined | null {
    if (cutFrom !== undefined && CREATING.has(cutFrom.name)) return cutFrom.pid;
    const recorded = this.pids.takeCreator(pid);
    if (recorded.found) return recorded.creator;
    // Creating calls in progress: a cut line waiting for its rest, or openers.
    let creator: number | undefined | null = null;
    const fragment = this.fragment ?? this.waitingCut;
    if (fragment !== null && fragment.cause === 'message' && CREATING.has(fragmentCall(fragment)?.name ?? '')) creator = fragment.prefix.pid;
    for (const [opener, call] of this.open.entries()) {
      if (!CREATING.has(call.name) || opener === creator) continue;
      if (creator !== null) return undefined; // several in progress: one of them
      creator = opener;
    }
    return creator;
  }

  private unfinishedEvent(call: OpenCall, interruption: SyscallEvent['interruption']): SyscallRecord {
    const event = new SyscallRecord(call.name, 'unfinished', call.argsText, call.line, call.raw, call.prefix);
    if (interruption) event.interruption = interruption;
    if (call.lines !== undefined && call.lines.length > 1) {
      event.endLine = call.lines[call.lines.length - 1];
      if (call.lines.length > 2) event.lines = call.lines;
    }
    this.source(event);
    return event;
  }

  /** Program output spliced into a call's line (see splice.ts): cut it out as `output` events. */
  private extractProgramOutput(event: SyscallRecord, fragment: Fragment, out: TraceEvent[]): void {
    const split = isStdWrite(event.name, event.argsText) ? splitProgramOutput(event.argsText) : null;
    if (split !== null) {
      event.setArgsText(split.args);
      out.push(this.output(fragment.line, split.output, event.prefix));
    }
    for (const b of fragment.between) out.push(this.output(b.line, b.raw, event.prefix));
    fragment.between.length = 0;
  }

  private origin(line: number, raw: string, prefix: Prefix): LineOrigin {
    return { line, raw, prefix, source: this.options.source };
  }

  /** An exit line: the call the task was in ends with it (pushed before the exit), and so does the task. */
  private exitLine(text: string, body: number, lineNo: number, raw: string, prefix: Prefix, out: TraceEvent[]): TraceEvent {
    const event = readExitLine(text, body, this.origin(lineNo, raw, prefix));
    if (event.kind === 'exit') this.taskEnded(prefix.pid, out, 'the task exited inside the call');
    else if (event.kind === 'killed') this.taskEnded(prefix.pid, out, `the task was killed by ${event.signal} inside the call`);
    else if (event.kind === 'superseded') {
      this.taskEnded(prefix.pid, out, 'another thread called execve');
      this.pids.superseded(event.byPid, prefix.pid);
    }
    return event;
  }

  private taskEnded(pid: number | undefined, out: TraceEvent[], why: string): void {
    const call = this.open.take(pid);
    if (call) out.push(this.unfinishedEvent(call, { kind: 'killed', text: why }));
    this.pids.ended(pid);
  }

  /** A `strace: ...` line; `cutFrom`: the call whose line the message was cut out of. */
  private messageLine(message: string, lineNo: number, raw: string, prefix: Prefix, cutFrom?: { name: string; pid: number | undefined }): MessageEvent {
    const event = readMessage(message, this.origin(lineNo, raw, prefix));
    if (event.attached !== undefined) {
      const pid = event.attached.pid;
      const creator = this.creatorOf(pid, cutFrom);
      if (creator !== null) {
        event.attached.how = 'follow';
        if (creator !== undefined) event.attached.parent = creator;
      }
      this.pids.announce(pid);
    }
    return event;
  }

  private unknown(line: number, raw: string, prefix: Prefix, reason: string): UnknownEvent {
    return { kind: 'unknown', line, raw, prefix, reason, source: this.options.source };
  }

  private source<T extends TraceEvent>(event: T): T {
    if (this.options.source !== undefined) event.source = this.options.source;
    return event;
  }
}


/** Whether the text begins with `name(`: a syscall line, never a summary header. */
function startsCall(text: string): boolean {
  let i = 1;
  while (isWordChar(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 40;
}

/** Decodes a string literal as printed by strace (`"a\nb"...`) to its bytes; helper for callers. */
export function decodeStraceString(literal: string): string {
  const body = literal.startsWith('"') ? literal.slice(1, literal.lastIndexOf('"')) : literal;
  return unescapeString(body);
}
