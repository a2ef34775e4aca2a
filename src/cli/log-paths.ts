/**
 * The log files a verb reads (`tree`, `explain`): each argument is a file, or the `-o NAME` of
 * `strace -ff -o NAME` (which writes only NAME.<tid> files). Every file is checked before any is
 * parsed, so a missing, unreadable or wrong file is one clear message and exit code (EACCES was an
 * "internal error" after half the output) instead of a failure midway.
 */
import { accessSync, constants, readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ExitCode, TasklensError } from '../errors.js';
import { pidFromText } from '../pid.js';
import { isSystemError, systemErrorExitCode, systemErrorText } from '../system-errors.js';

function unreadable(path: string, error: unknown): TasklensError {
  return new TasklensError('cli', 'unreadable', `cannot read ${path}: ${systemErrorText(error)}`, {
    exitCode: isSystemError(error) ? systemErrorExitCode(error) : ExitCode.failure,
    ...((error as NodeJS.ErrnoException).code === 'EACCES' ? { hint: 'check its permissions (and those of the directories above it), or run as its owner' } : {}),
  });
}

function statOrMissing(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(path, error);
  }
}

function checkReadable(path: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw unreadable(path, error);
  }
}

/** The files to read for each argument, in order; throws a TasklensError for the first one that cannot be read. */
export function resolveLogPaths(args: string[]): string[] {
  const paths: string[] = [];
  for (const arg of args) {
    const st = statOrMissing(arg);
    if (st?.isDirectory()) throw new TasklensError('cli', 'is-a-directory', `${arg} is a directory, not a strace log`, { hint: 'give the log file(s), e.g. tasklens tree trace.log', exitCode: ExitCode.failure });
    if (st) {
      checkReadable(arg);
      paths.push(arg);
      continue;
    }
    const dir = dirname(arg);
    const prefix = `${basename(arg)}.`;
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw unreadable(dir, error);
    }
    const perThread = names.filter((f) => f.startsWith(prefix) && pidFromText(f.slice(prefix.length)) !== undefined);
    if (perThread.length === 0) {
      throw new TasklensError('cli', 'no-such-file', `cannot read ${arg}: no such file`, { hint: 'check the path; for strace -ff -o NAME give NAME or the NAME.<tid> files', exitCode: ExitCode.failure });
    }
    perThread.sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
    for (const name of perThread) {
      checkReadable(join(dir, name));
      paths.push(join(dir, name));
    }
  }
  return paths;
}
