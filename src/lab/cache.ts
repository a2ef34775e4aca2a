/**
 * Where labs keep their binaries and logs: a per-user cache directory, so a second run of a lab
 * starts at once. $XDG_CACHE_HOME/tasklens/labs, else ~/.cache/tasklens/labs, else
 * $TMPDIR/tasklens-labs-<uid>.
 *
 * Labs execute what they find in the cache, often as root, so every directory must be private (see
 * private-dir.ts). An explicit directory (`--cache-dir`) that is not is refused: the user named it
 * and should hear why. An implicit candidate that is not is skipped with a note (its path is
 * predictable, so another user may have planted it); when none is usable, a fresh private directory
 * made by mkdtemp is used for this run.
 */
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { TasklensError } from '../errors.js';
import { effectiveUid, ensurePrivateDir } from './private-dir.js';

/** The candidate directories, best first. */
export function cacheCandidates(env: NodeJS.ProcessEnv = process.env, tmp: string = tmpdir()): string[] {
  const out: string[] = [];
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says relative paths are invalid and must be ignored.
  if (xdg && isAbsolute(xdg)) out.push(join(xdg, 'tasklens', 'labs'));
  const home = env.HOME || safeHomedir();
  if (home && isAbsolute(home)) out.push(join(home, '.cache', 'tasklens', 'labs'));
  out.push(join(tmp, `tasklens-labs-${effectiveUid()}`));
  return out;
}

function safeHomedir(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}

export interface CacheChoice {
  /** The resolved, checked directory. */
  dir: string;
  /** Why candidates were passed over (an unsafe directory, the fallback taken), for stderr. */
  notes: string[];
  /** True when no candidate was usable and `dir` is a fresh directory for this run only. */
  fresh: boolean;
}

/** Chooses the cache directory: the first private candidate, else a fresh private directory under `tmp`. */
export function chooseLabCacheDir(env: NodeJS.ProcessEnv = process.env, tmp: string = tmpdir()): CacheChoice {
  const notes: string[] = [];
  for (const dir of cacheCandidates(env, tmp)) {
    try {
      return { dir: ensurePrivateDir(dir), notes, fresh: false };
    } catch (error) {
      // An unsafe directory is worth a word (someone may have planted it); an unusable one
      // (read-only home, no HOME, /proc) is the normal reason to try the next candidate.
      if (error instanceof TasklensError && error.code === 'unsafe-dir') notes.push(`not using the lab cache ${error.message.replace(/^refusing to use /, '')}`);
      else if (!(error instanceof TasklensError)) throw error;
    }
  }
  const dir = ensurePrivateDir(mkdtempSync(join(tmp, 'tasklens-labs-')));
  notes.push(`using a fresh private directory for this run: ${dir}`);
  return { dir, notes, fresh: true };
}

/** The lab cache directory (see chooseLabCacheDir; its notes are dropped). */
export function labCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return chooseLabCacheDir(env).dir;
}

/** An explicitly chosen cache directory: created if missing, refused (TasklensError) unless private. */
export function explicitCacheDir(dir: string): string {
  return ensurePrivateDir(dir);
}
