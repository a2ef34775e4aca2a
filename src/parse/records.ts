/**
 * The event classes behind SyscallEvent and SignalEvent: plain fields plus lazily parsed values
 * (most consumers never look at every argument, and parsing them is most of the cost).
 */
import type { Prefix, ReturnValue, SignalEvent, SyscallEvent, Value } from './types.js';
import { parseArgs, parseValue } from './values.js';

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
  private parsedArgs?: Value[];

  constructor(name: string, state: SyscallEvent['state'], argsText: string, line: number, raw: string, prefix: Prefix) {
    this.name = name;
    this.state = state;
    this.argsText = argsText;
    this.line = line;
    this.raw = raw;
    this.prefix = prefix;
  }

  get args(): Value[] {
    if (this.parsedArgs === undefined) this.parsedArgs = parseArgs(this.argsText);
    return this.parsedArgs;
  }

  /** Replaces the argument text (program output cut out of it) and forgets parsed arguments. */
  setArgsText(text: string): void {
    this.argsText = text;
    this.parsedArgs = undefined;
  }

  toJSON(): Record<string, unknown> {
    const { parsedArgs: _ignored, ...rest } = this;
    return { ...rest, args: this.args };
  }
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
