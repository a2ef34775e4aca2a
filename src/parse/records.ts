/**
 * The event classes behind SyscallEvent and SignalEvent: plain fields plus lazily parsed values
 * (most consumers never look at every argument, and parsing them is most of the cost).
 */
import type { Prefix, ReturnValue, SignalEvent, SyscallEvent, Value } from './types.js';
import { isTrimmedSpace, parseValue, splitArgs } from './values.js';

/** A syscall event; its arguments are parsed on first access. */
export class SyscallRecord implements SyscallEvent {
  readonly kind = 'syscall' as const;
  line: number;
  endLine?: number;
  lines?: number[];
  raw: string;
  prefix: Prefix;
  source?: string;
  name: string;
  state: SyscallEvent['state'];
  argsText: string;
  ret?: ReturnValue;
  durationSec?: number;
  interruption?: SyscallEvent['interruption'];
  endPrefix?: Prefix;
  restarting?: string;
  /** Set only on orphan resumed halves (`declare`: no own property on the other records). */
  declare orphanResume?: true;
  private parsedArgs?: Value[];
  private splitParts?: string[];
  private someArgs?: Array<Value | undefined>;
  /** Top-level `, ` offsets in argsText, noted by the parser's scan (see ArgBoundaries.argBreaks). */
  private breaks: readonly number[] | undefined;

  constructor(name: string, state: SyscallEvent['state'], argsText: string, line: number, raw: string, prefix: Prefix) {
    this.name = name;
    this.state = state;
    this.argsText = argsText;
    this.line = line;
    this.raw = raw;
    this.prefix = prefix;
  }

  get args(): Value[] {
    if (this.parsedArgs === undefined) {
      const parts = this.argParts();
      const values = (this.parsedArgs = new Array<Value>(parts.length));
      for (let i = 0; i < parts.length; i++) values[i] = this.argAt(i)!;
    }
    return this.parsedArgs;
  }

  /** Argument i, parsed on first use (explanations read one or two arguments of most calls). */
  argAt(i: number): Value | undefined {
    const parts = this.argParts();
    if (i >= parts.length) return undefined;
    const values = (this.someArgs ??= new Array<Value | undefined>(parts.length));
    return (values[i] ??= parseValue(parts[i]));
  }

  /**
   * The arguments as printed, split at the top level and trimmed (splitArgs of argsText), made once.
   * Uses the boundaries the parser noted while scanning the line when it has them.
   */
  argParts(): string[] {
    if (this.orphanResume) return [];
    return (this.splitParts ??= this.breaks === undefined ? splitArgs(this.argsText) : partsAt(this.argsText, this.breaks));
  }

  /** The trailing arguments an orphan resumed half printed, in order (the last is the call's last). */
  tailArgs(): Value[] {
    return this.orphanResume ? splitArgs(this.argsText).map((part) => parseValue(part)) : this.args;
  }

  /** Called by the parser right after the scan that found argsText: see ArgBoundaries.argBreaks. */
  setArgBreaks(breaks: readonly number[] | undefined): void {
    const text = this.argsText;
    const last = text.charCodeAt(text.length - 1);
    // splitArgs drops a trailing `,` and treats empty text as no arguments: leave those to it.
    this.breaks = text.length === 0 || last === 44 || isTrimmedSpace(last) ? undefined : breaks;
    this.splitParts = undefined;
    this.someArgs = undefined;
  }

  /** Replaces the argument text (program output cut out of it) and forgets parsed arguments. */
  setArgsText(text: string): void {
    this.argsText = text;
    this.parsedArgs = undefined;
    this.splitParts = undefined;
    this.someArgs = undefined;
    this.breaks = undefined;
  }

  toJSON(): Record<string, unknown> {
    const { parsedArgs: _parsed, splitParts: _parts, someArgs: _some, breaks: _breaks, ...rest } = this;
    return this.orphanResume ? { ...rest, args: this.args, tailArgs: this.tailArgs() } : { ...rest, args: this.args };
  }
}

/** argsText cut at known `, ` offsets, each part trimmed: what splitArgs would return. */
function partsAt(text: string, breaks: readonly number[]): string[] {
  const parts = new Array<string>(breaks.length + 1);
  let from = 0;
  for (let k = 0; k < breaks.length; k++) {
    parts[k] = trimmed(text, from, breaks[k]);
    from = breaks[k] + 2;
  }
  parts[breaks.length] = trimmed(text, from, text.length);
  return parts;
}

function trimmed(text: string, from: number, to: number): string {
  const part = text.slice(from, to);
  const first = part.charCodeAt(0);
  const last = part.charCodeAt(part.length - 1);
  return isTrimmedSpace(first) || isTrimmedSpace(last) ? part.trim() : part;
}


/** A signal event; its siginfo is parsed on first access. */
export class SignalRecord implements SignalEvent {
  readonly kind = 'signal' as const;
  line: number;
  raw: string;
  prefix: Prefix;
  source?: string;
  signal: string;
  stopped: boolean;
  siginfoText: string;
  private parsedInfo?: Value | null;

  constructor(signal: string, stopped: boolean, siginfoText: string, line: number, raw: string, prefix: Prefix) {
    this.signal = signal;
    this.stopped = stopped;
    this.siginfoText = siginfoText;
    this.line = line;
    this.raw = raw;
    this.prefix = prefix;
  }

  get siginfo(): Value | null {
    if (this.parsedInfo === undefined) this.parsedInfo = this.siginfoText === '' ? null : parseValue(this.siginfoText);
    return this.parsedInfo;
  }

  toJSON(): Record<string, unknown> {
    const { parsedInfo: _ignored, ...rest } = this;
    return { ...rest, siginfo: this.siginfo };
  }
}
