/**
 * Finding the program to run before spawning it, so a missing or non-executable program gets the
 * shell's exit codes (127, 126) and a clear message whether or not a wrapper (prlimit) sits between.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Resolution = { ok: true; path: string } | { ok: false; exitCode: 126 | 127; reason: string };

/** Exit codes of a launcher that could not start its program (as in sh, tini, prlimit). */
export const EXEC_EXIT = { notExecutable: 126, notFound: 127 } as const;

function executable(path: string): Resolution | undefined {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return { ok: false, exitCode: 126, reason: 'is a directory' };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { ok: false, exitCode: 126, reason: 'permission denied (not executable)' };
  }
  return { ok: true, path };
}

/** execvp(3)'s search: a name with a slash is a path; otherwise each PATH directory in turn. */
export function resolveCommand(command: string, env: NodeJS.ProcessEnv = process.env): Resolution {
  if (command === '') return { ok: false, exitCode: 127, reason: 'empty command' };
  if (command.includes('/')) return executable(command) ?? { ok: false, exitCode: 127, reason: 'no such file' };
  let denied: Resolution | undefined;
  for (const dir of (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    const found = executable(join(dir || '.', command));
    if (found?.ok) return found;
    denied ??= found; // execvp reports EACCES when it found one it could not run and nothing better
  }
  return denied ?? { ok: false, exitCode: 127, reason: 'command not found' };
}
