/**
 * The typed events the parser produces from strace text. Every event keeps its raw text and the
 * 1-based line number it came from, so nothing a log contains is ever silently lost.
 */

/** Fields strace prints before the body of a line, in strace's fixed order. */
export interface Prefix {
  /** Thread id the line belongs to: from the prefix, a `-ff` file name, or inferred (see pidSource). */
  pid?: number;
  /** Where `pid` came from. `inferred`: an unprefixed stderr line given to the only live tracee. */
  pidSource?: 'prefix' | 'file' | 'inferred';
  /** `-Y` / `--decode-pids=comm`: the command name printed beside the pid. */
  comm?: string;
  /** `--secontext`: the SELinux context. */
  secontext?: string;
  /** Absolute time as printed (`-t`, `-tt`, `-ttt`, `--absolute-timestamps`). */
  time?: string;
  /**
   * Absolute time in seconds: since the epoch for `-ttt`/unix formats, since local midnight for
   * `-t`/`-tt` (a stateful stage may add days on midnight rollover). A float: times are not 64-bit ids.
   */
  timeSec?: number;
  /** True when timeSec counts from the epoch, false when it counts from local midnight. */
  timeIsEpoch?: boolean;
  /** `-r`: seconds since the previous line (global across tracees, as strace measures it). */
  relativeSec?: number;
  /** `-n`: syscall number; null when strace printed `[???]`. */
  scno?: number | null;
  /** `-i`: instruction pointer as hex text; null when strace printed `[????????????????]`. */
  ip?: string | null;
}

/** A parsed argument or field value. Integers stay text (see `toBigInt`): 64-bit values never become JS numbers. */
export type Value =
  | { t: 'int'; text: string }
  | { t: 'str'; bytes: string; truncated: boolean; text: string }
  | { t: 'null' }
  | { t: 'ident'; text: string }
  | { t: 'flags'; parts: Value[]; text: string }
  | { t: 'struct'; fields: Field[]; truncated: boolean }
  | { t: 'array'; items: Value[]; truncated: boolean }
  | { t: 'set'; negated: boolean; items: string[] }
  | { t: 'call'; fn: string; args: Value[] }
  | { t: 'changed'; before: Value; after: Value }
  | { t: 'fd'; value: Value; decoration: string; deleted: boolean }
  | { t: 'comment'; value: Value | null; comment: string }
  | { t: 'indexed'; index: string; value: Value }
  | { t: 'named'; name: string; value: Value }
  | { t: 'expr'; text: string };

export interface Field {
  name: string;
  value: Value;
}

/** The part after ` = ` on a syscall line. */
export interface ReturnValue {
  /** Text of the return section as printed (without the `-T` duration). */
  raw: string;
  /** The value token: a number in decimal, hex or octal, or `?`. */
  value: string;
  /** Errno symbol for failures and restarts: `ENOENT`, `ERESTARTSYS`, or `errno 123` for unknown numbers. */
  errno?: string;
  /** The (possibly translated) strerror text strace printed in parentheses. */
  errnoText?: string;
  /** fd/pid decoration after the value with `-y`, `-yy`, `-Y`: the text inside the angle brackets. */
  decoration?: string;
  /** Decoder annotations in parentheses, e.g. `flags O_RDWR|O_LARGEFILE`, `Timeout`, `SIGUSR1`. */
  aux: string[];
  injected?: boolean;
  delayed?: boolean;
  /** `? <unavailable>`: ptrace could not fetch the result. */
  unavailable?: boolean;
}

interface EventBase {
  /** 1-based line number of the first line of this event. */
  line: number;
  /** Last line of this event when it spans several (joined unfinished/resumed pairs, spliced lines). */
  endLine?: number;
  /** Every physical line this event was built from, when there are more than `line` and `endLine`. */
  lines?: number[];
  /** The exact text of the line(s), without line terminators; several lines are joined with `\n`. */
  raw: string;
  prefix: Prefix;
  /** Name of the source (file name), when parsing several files. */
  source?: string;
}

/**
 * One syscall. `state`:
 * - `complete`: printed on one line;
 * - `joined`: an `<unfinished ...>` opener and its `<... resumed>` line, reassembled (per TID);
 * - `unfinished`: an opener that never resumed (task died, tracer detached, log ended);
 * - `resumed`: a resumed line whose opener is not in the log (attach, filters).
 */
export interface SyscallEvent extends EventBase {
  kind: 'syscall';
  name: string;
  state: 'complete' | 'joined' | 'unfinished' | 'resumed';
  /** Argument text between the parentheses, exactly as printed (for `resumed` only the resumed part). */
  argsText: string;
  /** Parsed arguments; computed on first access and cached. */
  readonly args: Value[];
  /** The arguments split at the top level and trimmed, not parsed; made once (parser events have it). */
  argParts?(): string[];
  /** Argument i parsed on first use, without parsing the others (parser events have it). */
  argAt?(i: number): Value | undefined;
  /**
   * A resumed half whose opener is not in the log (state `resumed`, e.g. after an attach): argsText holds
   * only the call's last arguments and where they start is unknown, so `args`, `argParts()` and
   * `argAt()` give nothing rather than values at the wrong positions; `tailArgs()` gives them in order.
   */
  orphanResume?: true;
  /** The trailing arguments of an orphan resumed half (the last is the call's last argument). */
  tailArgs?(): Value[];
  /** undefined when the call never returned in the log (state `unfinished`). */
  ret?: ReturnValue;
  /** `-T`: seconds spent in the call. */
  durationSec?: number;
  /** Set when the call was cut short: `<detached ...>`, `<pid changed to N ...>`, a ptrace failure. */
  interruption?: { kind: 'detached' | 'pid-changed' | 'ptrace-failed' | 'killed'; text: string; pid?: number };
  /** Time of the resumed half of a joined call. */
  endPrefix?: Prefix;
  /** `restart_syscall(<... resuming interrupted NAME ...>)`: the call being restarted. */
  restarting?: string;
}

export interface SignalEvent extends EventBase {
  kind: 'signal';
  /** Signal name as printed, e.g. `SIGCHLD`, `SIGRT_1`, or a number. */
  signal: string;
  /** `--- stopped by SIGSTOP ---` (group stop) rather than a delivery. */
  stopped: boolean;
  /** The siginfo struct text, `{si_signo=...}`, empty when absent. */
  siginfoText: string;
  readonly siginfo: Value | null;
}

export interface ExitEvent extends EventBase {
  kind: 'exit';
  code: number;
}

export interface KilledEvent extends EventBase {
  kind: 'killed';
  signal: string;
  coreDumped: boolean;
}

/** `+++ superseded by execve in pid N +++`: the line's tid was replaced by thread N's execve. */
export interface SupersededEvent extends EventBase {
  kind: 'superseded';
  byPid: number;
}

/** A `strace: ...` diagnostic (attach, detach, warnings), possibly cut out of the middle of a line. */
export interface MessageEvent extends EventBase {
  kind: 'message';
  text: string;
  /** Decoded well-known messages. */
  attached?: {
    pid: number;
    threads?: number;
    /**
     * `follow`: strace -f started tracing a task that a traced task created (the message comes inside
     * or during the clone/fork/vfork, or after it returned the pid). `attach`: strace attached to a
     * running task (-p), so calls already in progress show up as resumed. Absent when not known.
     */
    how?: 'follow' | 'attach';
    /** For `follow`: the creating task, when the log shows it. */
    parent?: number;
  };
  detached?: { pid: number };
}

/** `[ Process PID=N runs in 32 bit mode. ]` */
export interface PersonalityEvent extends EventBase {
  kind: 'personality';
  pid: number;
  mode: string;
}

/** A `-k` stack frame line that follows a syscall or signal. */
export interface StackFrameEvent extends EventBase {
  kind: 'stack';
  /** Binary path, or empty when unknown. */
  module: string;
  symbol?: string;
  offset?: string;
  address?: string;
  /** Error frames such as `too many stack frames` or `unexpected_backtracing_error`. */
  error?: string;
}

/** A `-e read=`/`-e write=` hex dump line (` | 00000  7f 45 ... |`) or iovec header. */
export interface DumpEvent extends EventBase {
  kind: 'dump';
  offset?: number;
  hex?: string;
}

/**
 * One row of the `-c`/`-C` summary table strace prints at exit, one event per printed line (header and
 * separator rows have no counts; `row: 'total'` is the table's total).
 */
export interface SummaryRowEvent extends EventBase {
  kind: 'summary-row';
  row: 'header' | 'separator' | 'data' | 'total' | 'title';
  syscall?: string;
  calls?: number;
  errors?: number;
  seconds?: number;
  percent?: number;
  columns?: Record<string, string>;
}

/** Output of the traced program that landed in the log (shared terminal or file). */
export interface OutputEvent extends EventBase {
  kind: 'output';
  text: string;
}

/** A line the parser does not understand. Never dropped: it carries the reason. */
export interface UnknownEvent extends EventBase {
  kind: 'unknown';
  reason: string;
  /** Bytes of a line too long to keep (then `raw` holds only its first ~200 bytes). */
  length?: number;
}

export type TraceEvent =
  | SyscallEvent
  | SignalEvent
  | ExitEvent
  | KilledEvent
  | SupersededEvent
  | MessageEvent
  | PersonalityEvent
  | StackFrameEvent
  | DumpEvent
  | SummaryRowEvent
  | OutputEvent
  | UnknownEvent;

export type TraceEventKind = TraceEvent['kind'];
