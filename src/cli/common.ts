/** Helpers every verb shares: error reporting with hints and exit codes, help examples, output streams. */
import type { Command } from 'commander';
import { TasklensError, ExitCode } from '../errors.js';
import { jsonSafe, termSafeLines } from '../render/escape.js';
import { isSystemError, systemErrorExitCode, systemErrorMessage } from '../system-errors.js';
import type { CliOutput, CliRun } from './io.js';

/** Prints an error on the run's stderr as `tasklens: message` plus its hint, never a stack trace; returns the exit code. */
export function reportError(error: unknown, run: CliRun): number {
  const { stderr } = run;
  if (error instanceof TasklensError) {
    // Messages quote paths, PIDs' names and log lines: escaped like every other terminal text.
    stderr.write(`tasklens: ${termSafeLines(error.message)}\n`);
    if (error.hint) stderr.write(`hint: ${termSafeLines(error.hint)}\n`);
    return error.exitCode;
  }
  if (isSystemError(error)) {
    // A missing or unreadable file, a full disk, the descriptor limit: the user's to fix, not a bug.
    stderr.write(`tasklens: ${termSafeLines(systemErrorMessage(error))}\n`);
    if (error.code === 'EMFILE') stderr.write('hint: raise the limit (ulimit -n) or give fewer files\n');
    return systemErrorExitCode(error);
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`tasklens: internal error: ${termSafeLines(message)}\n`);
  if (run.env.TASKLENS_DEBUG && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  return ExitCode.failure;
}

/** Appends an "Examples:" block to a verb's --help. */
export function withExamples(command: Command, examples: Array<[string, string]>): Command {
  const width = Math.max(...examples.map(([cmd]) => cmd.length));
  const lines = examples.map(([cmd, what]) => `  $ ${cmd.padEnd(width)}  # ${what}`);
  return command.addHelpText('after', `\nExamples:\n${lines.join('\n')}\n`);
}

/** Writes a line of JSON (JSON Lines). bigint values become decimal strings. */
export function writeJsonLine(value: unknown, out: NodeJS.WritableStream): boolean {
  return out.write(`${jsonLine(value)}\n`);
}

/** One line of JSON (no newline): bigint as decimal strings, C1 and format characters as \uXXXX (see jsonSafe). */
export function jsonLine(value: unknown): string {
  return jsonSafe(JSON.stringify(value, jsonReplacer));
}

export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

const guarded = new WeakSet<NodeJS.WritableStream>();
const handledByVerb = new WeakSet<NodeJS.WritableStream>();

/** The verb handles write errors on `stream` itself (trace keeps tracing when its timeline's reader goes away). */
export function verbHandlesWriteErrors(stream: NodeJS.WritableStream): void {
  handledByVerb.add(stream);
}

/**
 * Stops at once and quietly when the reader of `stream` goes away (`tasklens ... | head -1`): exit
 * with the code so far, no stack trace. Any other write error (ENOBUFS, EIO, ENOSPC) is reported
 * in one line and ends with exit code 1. Installed by main for stdout and stderr before any verb
 * runs (so --help is covered); calling it again is harmless.
 */
export function exitOnEpipe(stream: CliOutput, run: CliRun): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (handledByVerb.has(stream)) return;
    if (error.code === 'EPIPE') run.exit(run.exitCode ?? 0);
    if (stream !== run.stderr) run.stderr.write(`tasklens: cannot write the output: ${error.code ?? error.message}\n`);
    run.exit(ExitCode.failure);
  });
}
