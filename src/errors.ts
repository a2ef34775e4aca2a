/**
 * One error type for the whole tool, specialised per layer. Every error carries a hint that tells the
 * user what to do, and the exit code the CLI should use. The CLI prints `tasklens: message` and the hint,
 * never a stack trace.
 */
export type ErrorLayer = 'capture' | 'parse' | 'model' | 'procfs' | 'ptrace' | 'cli' | 'render' | 'lab' | 'sched' | 'run';

/**
 * Every machine-readable reason a TasklensError can carry (`error.code`), so a library user can
 * switch over them. Adding a new error means adding its code here (the compiler checks each use).
 */
export const ERROR_CODES = [
  'bad-command',
  'bad-elf',
  'bad-engine',
  'bad-limit',
  'bad-max-line',
  'bad-mode',
  'bad-number',
  'bad-only',
  'bad-option',
  'bad-output',
  'bad-pid',
  'bad-rule',
  'bad-target',
  'bpf-not-permitted',
  'bpftrace-failed',
  'bpftrace-missing',
  'cli-missing',
  'command-not-executable',
  'command-not-found',
  'compile-failed',
  'dir-unusable',
  'empty-input',
  'env-missing',
  'exited',
  'fifo-failed',
  'gcc-missing',
  'graph-finished',
  'is-a-device',
  'is-a-directory',
  'kernel-thread',
  'lab-timeout',
  'limit-denied',
  'log-without-command',
  'logs-and-command',
  'malformed-stat',
  'no-btf',
  'no-cgroup',
  'no-command',
  'no-input',
  'no-output',
  'no-sched-events',
  'no-such-file',
  'no-such-lab',
  'no-such-pid',
  'no-such-process',
  'no-such-user',
  'no-tracefs',
  'no-tracepoint',
  'no-workload',
  'not-strace',
  'perf-failed',
  'perf-lab',
  'perf-missing',
  'prlimit-missing',
  'proc-unreadable',
  'ptrace-denied',
  'report-ended',
  'self-snapshot',
  'signals-unknown',
  'source-missing',
  'spawn-failed',
  'stdin-with-files',
  'strace-broken',
  'strace-failed',
  'strace-missing',
  'tee-failed',
  'tools-missing',
  'tracepoint-layout',
  'tracing-denied',
  'unknown-user',
  'unreadable',
  'unsafe-dir',
  'workload-not-seen',
  'write-failed',
  'zombie',
] as const;

/** One of ERROR_CODES: `strace-missing`, `ptrace-denied`, `no-such-pid`... */
export type ErrorCode = (typeof ERROR_CODES)[number];

export class TasklensError extends Error {
  readonly layer: ErrorLayer;
  readonly hint?: string;
  readonly exitCode: number;
  /** Machine-readable reason, e.g. `strace-missing`, `ptrace-denied`, `no-such-pid` (see ERROR_CODES). */
  readonly code: ErrorCode;

  constructor(layer: ErrorLayer, code: ErrorCode, message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TasklensError';
    this.layer = layer;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Exit codes shared by every verb. */
export const ExitCode = {
  ok: 0,
  /** Generic failure, or findings reported by a diagnostic verb. */
  failure: 1,
  /** Bad command-line usage. */
  usage: 2,
  /** Permission denied (ptrace not permitted, /proc files unreadable). */
  permission: 77,
  /** A program exists but cannot be executed (no execute permission, a directory), as a shell reports it. */
  notExecutable: 126,
  /** A required program is missing (strace, gcc), as a shell reports a missing command. */
  missingTool: 127,
  /** Target process does not exist. */
  noSuchProcess: 3,
} as const;

/**
 * The one wording for a PID that names no process, in every verb and layer: `no such process: N`
 * (exit 3). `hint` says what to do in that verb's context.
 */
export function noSuchProcess(layer: ErrorLayer, pid: number | string, hint = 'it may have exited; list processes with: tasklens ps'): TasklensError {
  return new TasklensError(layer, 'no-such-pid', `no such process: ${pid}`, { hint, exitCode: ExitCode.noSuchProcess });
}
