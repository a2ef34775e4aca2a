/**
 * Directories only the invoking user can change. tasklens often runs as root and executes the
 * binaries it caches, so a cache directory another user can write (or swap through a symlink or a
 * writable parent) would let that user run code as root. The rules, checked with lstat:
 * - the directory itself is a real directory (not a symlink), owned by our effective uid, and not
 *   writable by group or others;
 * - every directory above it is owned by us or by root and is not writable by group or others,
 *   unless it is sticky (like /tmp: nobody can rename or remove what we own there);
 * - missing components are created one at a time with mode 0700 (never `mkdir -p`, which follows
 *   symlinks and, on /proc, loops for ever), each checked right after.
 */
import { lstatSync, mkdirSync, realpathSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ExitCode, TasklensError } from '../errors.js';
import { isSystemError, systemErrorText } from '../system-errors.js';

const GROUP_OR_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

export function effectiveUid(): number {
  return typeof process.geteuid === 'function' ? process.geteuid() : -1;
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}

function writableBy(mode: number): string {
  const group = (mode & 0o020) !== 0;
  const other = (mode & 0o002) !== 0;
  return group && other ? 'group and others' : group ? 'its group' : 'others';
}

/** Why `st` (from lstat) may not serve as our private directory, or undefined when it may. */
export function ownDirectoryProblem(st: Stats, uid = effectiveUid()): string | undefined {
  if (st.isSymbolicLink()) return 'is a symbolic link';
  if (!st.isDirectory()) return 'is not a directory';
  if (st.uid !== uid) return `is owned by uid ${st.uid}, not by the user running tasklens (uid ${uid})`;
  if (st.mode & GROUP_OR_OTHER_WRITE) return `is writable by ${writableBy(st.mode)} (mode ${octal(st.mode)})`;
  return undefined;
}

/** Why `st` may not sit above a private directory, or undefined when it may. */
export function ancestorProblem(st: Stats, uid = effectiveUid()): string | undefined {
  if (!st.isDirectory()) return 'is not a directory';
  if (st.uid !== uid && st.uid !== 0) return `is owned by uid ${st.uid} (neither you nor root)`;
  if (st.mode & GROUP_OR_OTHER_WRITE && !(st.mode & STICKY)) return `is writable by ${writableBy(st.mode)} and not sticky (mode ${octal(st.mode)})`;
  return undefined;
}

/** The error for a directory that exists but may not be trusted (code `unsafe-dir`). */
function unsafe(path: string, reason: string): TasklensError {
  return new TasklensError('lab', 'unsafe-dir', `refusing to use ${path}: it ${reason}`, {
    hint: 'another user could plant programs or logs there; choose a directory only you can write (e.g. mkdir -m 700 DIR), or remove this one',
    exitCode: ExitCode.usage,
  });
}

/** The error for a directory that cannot be created or reached (code `dir-unusable`). */
function unusable(path: string, error: unknown): TasklensError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new TasklensError('lab', 'dir-unusable', `cannot use ${path}: ${isSystemError(error) ? systemErrorText(error) : code}`, { cause: error, exitCode: ExitCode.failure });
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unusable(path, error);
  }
}

/** Checks every directory from / down to `real` (a resolved path) against the ancestor rule. */
function checkAncestors(real: string, uid: number): void {
  const parts = real.split(sep).filter(Boolean);
  let path: string = sep;
  for (let i = 0; i <= parts.length; i++) {
    if (i > 0) path = join(path, parts[i - 1]);
    const problem = ancestorProblem(lstatSync(path), uid);
    if (problem) throw unsafe(path, problem);
  }
}

/**
 * Makes sure `target` is a private directory (creating what is missing) and returns its resolved
 * path. Throws TasklensError `unsafe-dir` when something on the way may be changed by another
 * user, `dir-unusable` when the path cannot be created or read (read-only, /proc, no permission).
 */
export function ensurePrivateDir(target: string): string {
  const uid = effectiveUid();
  const wanted = resolve(target);
  // Find the deepest part of the path that exists; everything below it is ours to create.
  const missing: string[] = [];
  let existing = wanted;
  let st = lstatOrUndefined(existing);
  while (st === undefined) {
    const parent = dirname(existing);
    if (parent === existing) throw unusable(wanted, Object.assign(new Error('no existing parent'), { code: 'ENOENT' }));
    missing.unshift(basename(existing));
    existing = parent;
    st = lstatOrUndefined(existing);
  }
  let path: string;
  try {
    if (missing.length === 0) {
      // The directory itself exists: it must be ours, and nobody else may change what leads to it.
      const problem = ownDirectoryProblem(st, uid);
      if (problem) throw unsafe(wanted, problem);
      path = join(realpathSync(dirname(wanted)), basename(wanted));
      checkAncestors(dirname(path), uid);
      return path;
    }
    // The existing part may be reached through symlinks the user chose (a home on another disk):
    // resolve it once, check it, and work below the resolved path only.
    path = realpathSync(existing);
    checkAncestors(path, uid);
  } catch (error) {
    if (error instanceof TasklensError) throw error;
    throw unusable(existing, error);
  }
  for (const name of missing) {
    path = join(path, name);
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(path, error);
      // Someone made it first (another tasklens, or a planted one): the checks below decide.
    }
    const created = lstatOrUndefined(path);
    if (created === undefined) throw unusable(path, Object.assign(new Error('vanished'), { code: 'ENOENT' }));
    const problem = ownDirectoryProblem(created, uid);
    if (problem) throw unsafe(path, problem);
  }
  return path;
}
