/**
 * Where labs keep their binaries and logs: a per-user cache directory, so a second run of a lab
 * starts at once. $XDG_CACHE_HOME/tasklens/labs, else ~/.cache/tasklens/labs; when neither can be
 * created (read-only home, no HOME), a private directory under the system temp dir.
 */
import { mkdirSync, accessSync, constants } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The candidate directories, best first. */
export function cacheCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says relative paths are invalid and must be ignored.
  if (xdg && isAbsolute(xdg)) out.push(join(xdg, 'tasklens', 'labs'));
  const home = env.HOME || safeHomedir();
  if (home && isAbsolute(home)) out.push(join(home, '.cache', 'tasklens', 'labs'));
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  out.push(join(tmpdir(), `tasklens-labs-${uid}`));
  return out;
}

function safeHomedir(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}

/** The first candidate that exists (or can be created) and is writable. */
export function labCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = cacheCandidates(env);
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      accessSync(dir, constants.W_OK | constants.X_OK);
      return dir;
    } catch {
      // Try the next one.
    }
  }
  return candidates[candidates.length - 1];
}
