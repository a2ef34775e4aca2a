/**
 * Signals 1..64 on x86-64 Linux: numbers, names in every spelling we meet, default action, and meaning.
 *
 * Naming convention (decided once, used everywhere):
 * - The canonical `name` is strace's spelling, because that is what the logs we read contain:
 *   1..31 are the classic names (SIGHUP ... SIGSYS), 32 is `SIGRTMIN` (the kernel's SIGRTMIN) and
 *   33..64 are `SIGRT_1` ... `SIGRT_32` (kernel-relative offsets). In signal sets strace drops the
 *   `SIG` prefix: `[RTMIN RT_1]`.
 * - glibc reserves kernel signals 32 and 33 for NPTL (internally SIGCANCEL and SIGSETXID), so the
 *   SIGRTMIN an application sees through glibc is 34. bash's `kill -l` and programs using
 *   `SIGRTMIN+n` / `SIGRTMAX-n` speak that glibc convention: `RTMIN+3` is 37 there. Each row also
 *   carries that `glibcName`.
 * - The bare word `SIGRTMIN` is therefore ambiguous (32 for the kernel and strace, 34 for glibc).
 *   `signalByName` resolves it, and `SIGRTMIN+n`, with strace/kernel meaning by default; callers
 *   that parse what a user typed (CLI flags) pass `{ convention: 'glibc' }`.
 */

export type SignalAction = 'term' | 'core' | 'ignore' | 'stop' | 'continue';

export interface SignalInfo {
  readonly number: number;
  /** strace's spelling: SIGUSR1, SIGRTMIN (32), SIGRT_1 (33) ... SIGRT_32 (64). */
  readonly name: string;
  /** glibc/bash spelling: same as `name` for 1..31; SIGCANCEL/SIGSETXID for 32/33; SIGRTMIN, SIGRTMIN+1 ... SIGRTMAX-1, SIGRTMAX for 34..64. */
  readonly glibcName: string;
  /** Other names that mean the same number on x86-64 (SIGIOT for SIGABRT, SIGPOLL for SIGIO...). */
  readonly aliases: readonly string[];
  /** What the kernel does when the signal arrives and no handler is installed. */
  readonly defaultAction: SignalAction;
  /** Standard signals (1..31) coalesce while pending; real-time ones (32..64) queue and carry data. */
  readonly kind: 'standard' | 'realtime';
  /**
   * Synchronous signals are raised by the faulting instruction itself (SEGV, BUS, FPE, ILL, TRAP,
   * SYS from seccomp) and go to the thread that caused them; asynchronous ones are sent from outside.
   */
  readonly synchronous: boolean;
  /** Set for 32 and 33: NPTL uses them internally; applications must not. */
  readonly reservedByGlibc: boolean;
  /** One line, our own words. */
  readonly meaning: string;
}

/** Kernel constants for x86-64 (<asm/signal.h>): real-time range 32..64. */
export const KERNEL_SIGRTMIN = 32;
export const KERNEL_SIGRTMAX = 64;
/** glibc's SIGRTMIN after reserving 32 (SIGCANCEL) and 33 (SIGSETXID). */
export const GLIBC_SIGRTMIN = 34;

type StandardRow = [number, string, SignalAction, boolean, string, string[]];

// Standard signals: [number, name, default action, synchronous, meaning, aliases]
const STANDARD: readonly StandardRow[] = [
  [1, 'SIGHUP', 'term', false, 'the controlling terminal hung up or its session leader died; daemons reuse it as "reload your configuration"', []],
  [2, 'SIGINT', 'term', false, 'interrupt from the keyboard (Ctrl-C), sent to the whole foreground process group', []],
  [3, 'SIGQUIT', 'core', false, 'quit from the keyboard (Ctrl-\\): like SIGINT but also dumps core', []],
  [4, 'SIGILL', 'core', true, 'the thread executed an illegal or privileged instruction', []],
  [5, 'SIGTRAP', 'core', true, 'a breakpoint or single-step trap fired; debuggers consume it', []],
  [6, 'SIGABRT', 'core', false, 'abort() was called, usually after a failed assertion or detected heap corruption', ['SIGIOT']],
  [7, 'SIGBUS', 'core', true, 'a memory access hit a bad physical address, e.g. a mapped file page beyond the end of the file', []],
  [8, 'SIGFPE', 'core', true, 'an arithmetic fault such as integer division by zero or overflow of idiv', []],
  [9, 'SIGKILL', 'term', false, 'unconditional kill: cannot be caught, blocked or ignored', []],
  [10, 'SIGUSR1', 'term', false, 'free for the application to define; no kernel meaning', []],
  [11, 'SIGSEGV', 'core', true, 'an invalid memory access: unmapped address, or a write/exec the mapping does not allow (guard pages too)', []],
  [12, 'SIGUSR2', 'term', false, 'second application-defined signal; no kernel meaning', []],
  [13, 'SIGPIPE', 'term', false, 'a write to a pipe or socket whose reading end is closed', []],
  [14, 'SIGALRM', 'term', false, 'a real-time timer set by alarm() or setitimer(ITIMER_REAL) expired', []],
  [15, 'SIGTERM', 'term', false, 'polite request to terminate; the default signal of kill(1) and of service managers', []],
  [16, 'SIGSTKFLT', 'term', false, 'stack fault on a coprocessor; unused by modern kernels on x86-64', []],
  [17, 'SIGCHLD', 'ignore', false, 'a child process exited, was stopped or continued; the cue to call wait', ['SIGCLD']],
  [18, 'SIGCONT', 'continue', false, 'resume a stopped process (delivered even if blocked, for the resume part)', []],
  [19, 'SIGSTOP', 'stop', false, 'unconditional stop: cannot be caught, blocked or ignored', []],
  [20, 'SIGTSTP', 'stop', false, 'stop request from the terminal (Ctrl-Z); can be caught', []],
  [21, 'SIGTTIN', 'stop', false, 'a background process tried to read from its controlling terminal', []],
  [22, 'SIGTTOU', 'stop', false, 'a background process tried to write to (or configure) its terminal with TOSTOP set', []],
  [23, 'SIGURG', 'ignore', false, 'urgent (out-of-band) data arrived on a socket', []],
  [24, 'SIGXCPU', 'core', false, 'the process used more CPU time than its RLIMIT_CPU soft limit', []],
  [25, 'SIGXFSZ', 'core', false, 'a write would grow a file beyond RLIMIT_FSIZE', []],
  [26, 'SIGVTALRM', 'term', false, 'a virtual (user CPU time) timer from setitimer(ITIMER_VIRTUAL) expired', []],
  [27, 'SIGPROF', 'term', false, 'a profiling timer from setitimer(ITIMER_PROF) expired', []],
  [28, 'SIGWINCH', 'ignore', false, 'the terminal window changed size', []],
  [29, 'SIGIO', 'term', false, 'I/O is possible on a descriptor set up with O_ASYNC / F_SETOWN', ['SIGPOLL']],
  [30, 'SIGPWR', 'term', false, 'power failure reported by a UPS daemon', ['SIGINFO']],
  [31, 'SIGSYS', 'core', true, 'bad system call: usually a seccomp filter returned SECCOMP_RET_TRAP or killed the call', ['SIGUNUSED']],
];

function realtimeRow(n: number): SignalInfo {
  const offset = n - KERNEL_SIGRTMIN;
  const name = offset === 0 ? 'SIGRTMIN' : `SIGRT_${offset}`;
  let glibcName: string;
  let meaning: string;
  const aliases: string[] = [`SIGRT_${offset}`];
  if (n === 32) {
    glibcName = 'SIGCANCEL';
    meaning = 'real-time signal reserved by glibc (SIGRT_0): NPTL uses it to deliver pthread_cancel to a thread';
  } else if (n === 33) {
    glibcName = 'SIGSETXID';
    meaning = 'real-time signal reserved by glibc (SIGRT_1): NPTL uses it to make every thread apply setuid/setgid changes; glibc installs its handler before the first thread';
  } else {
    const fromMin = n - GLIBC_SIGRTMIN;
    const toMax = KERNEL_SIGRTMAX - n;
    // bash's kill -l switches from RTMIN+n to RTMAX-n half way (RTMIN+15 then RTMAX-14).
    glibcName = fromMin === 0 ? 'SIGRTMIN' : toMax === 0 ? 'SIGRTMAX' : fromMin <= 15 ? `SIGRTMIN+${fromMin}` : `SIGRTMAX-${toMax}`;
    if (fromMin !== 0 && toMax !== 0) aliases.push(fromMin <= 15 ? `SIGRTMAX-${toMax}` : `SIGRTMIN+${fromMin}`);
    meaning = n === 64
      ? 'highest real-time signal: application-defined, queued, delivered after lower-numbered pending real-time signals'
      : `application real-time signal ${fromMin} above glibc's SIGRTMIN: queued (not merged) and can carry a value`;
  }
  if (n === KERNEL_SIGRTMAX) aliases.push('SIGRTMAX');
  return {
    number: n,
    name,
    glibcName,
    aliases: aliases.filter((a) => a !== name && a !== glibcName),
    defaultAction: 'term',
    kind: 'realtime',
    synchronous: false,
    reservedByGlibc: n === 32 || n === 33,
    meaning,
  };
}

/** Index = signal number; index 0 is absent (signal 0 only tests that a target exists). */
export const SIGNALS: readonly SignalInfo[] = (() => {
  const rows: SignalInfo[] = STANDARD.map(([number, name, defaultAction, synchronous, meaning, aliases]) => ({
    number, name, glibcName: name, aliases, defaultAction, kind: 'standard' as const, synchronous, reservedByGlibc: false, meaning,
  }));
  for (let n = KERNEL_SIGRTMIN; n <= KERNEL_SIGRTMAX; n++) rows.push(realtimeRow(n));
  return rows;
})();

const BY_NUMBER = new Map<number, SignalInfo>(SIGNALS.map((s) => [s.number, s]));
const BY_NAME = new Map<string, SignalInfo>();
for (const s of SIGNALS) {
  for (const n of [s.name, ...s.aliases]) BY_NAME.set(n, s);
}

/** The row for a signal number, or undefined outside 1..64. */
export function signalInfo(signo: number): SignalInfo | undefined {
  return BY_NUMBER.get(signo);
}

/**
 * Name of a signal number in strace's spelling (default) or glibc/bash's. 0 is `0` (the "does it exist"
 * probe of kill); numbers outside 1..64 come back as the number in decimal so nothing is lost.
 */
export function signalName(signo: number, convention: 'strace' | 'glibc' = 'strace'): string {
  const row = BY_NUMBER.get(signo);
  if (!row) return String(signo);
  return convention === 'glibc' ? row.glibcName : row.name;
}

export interface SignalNameOptions {
  /** Meaning of bare SIGRTMIN and SIGRTMIN+n: 'strace' (kernel, 32) or 'glibc' (34). Default 'strace'. */
  readonly convention?: 'strace' | 'glibc';
}

/**
 * Resolves any spelling to a signal number: `SIGUSR1`, `usr1`, `SIGRT_1`, `RT_1`, `RTMIN`, `SIGRTMIN+3`,
 * `RTMAX-2`, `SIGCANCEL`, `SIGIOT`, or a number as text. Returns undefined for unknown names.
 */
export function signalByName(name: string, options: SignalNameOptions = {}): SignalInfo | undefined {
  const text = name.trim();
  if (/^\d+$/.test(text)) return BY_NUMBER.get(Number(text));
  let upper = text.toUpperCase();
  if (!upper.startsWith('SIG')) upper = `SIG${upper}`;
  const rtMin = options.convention === 'glibc' ? GLIBC_SIGRTMIN : KERNEL_SIGRTMIN;
  const arith = /^SIGRT(MIN|MAX)(?:([+-])(\d+))?$/.exec(upper);
  if (arith) {
    const base = arith[1] === 'MIN' ? rtMin : KERNEL_SIGRTMAX;
    const delta = arith[3] === undefined ? 0 : Number(arith[3]) * (arith[2] === '-' ? -1 : 1);
    const n = base + delta;
    return n >= KERNEL_SIGRTMIN && n <= KERNEL_SIGRTMAX ? BY_NUMBER.get(n) : undefined;
  }
  if (upper === 'SIGCANCEL') return BY_NUMBER.get(32);
  if (upper === 'SIGSETXID') return BY_NUMBER.get(33);
  return BY_NAME.get(upper);
}

/** Signal numbers whose bits are set in a mask (bit n-1 = signal n), as in /proc SigBlk and strace sigsets. */
export function signalsInMask(mask: bigint): number[] {
  const out: number[] = [];
  let m = BigInt.asUintN(64, mask);
  for (let n = 1; m !== 0n; n++, m >>= 1n) if (m & 1n) out.push(n);
  return out;
}

/** The inverse of signalsInMask: a 64-bit mask with bit n-1 set for each signal n. */
export function maskOfSignals(signals: Iterable<number>): bigint {
  let mask = 0n;
  for (const n of signals) if (n >= 1 && n <= 64) mask |= 1n << BigInt(n - 1);
  return mask;
}
