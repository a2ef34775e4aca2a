/**
 * One error type for the whole tool, specialised per layer. Every error carries a hint that tells the
 * user what to do, and the exit code the CLI should use. The CLI prints `tasklens: message` and the hint,
 * never a stack trace.
 */
export type ErrorLayer = 'capture' | 'parse' | 'model' | 'procfs' | 'ptrace' | 'cli' | 'render' | 'lab' | 'sched' | 'run';

export class TasklensError extends Error {
  readonly layer: ErrorLayer;
  readonly hint?: string;
  readonly exitCode: number;
  /** Machine-readable reason, e.g. `strace-missing`, `ptrace-denied`, `no-such-pid`. */
  readonly code: string;

  constructor(layer: ErrorLayer, code: string, message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
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
