/**
 * Pointers to the user's own manual pages. Man-page text is never copied into tasklens (licences);
 * when the page is installed we only say where to read it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MAN_DIRS = ['/usr/share/man', '/usr/local/share/man'];
const cache = new Map<string, string | undefined>();

/** `man 2 openat` when a section-2 page for the name is installed here, else undefined. */
export function manPageFor(syscall: string, dirs: readonly string[] = MAN_DIRS): string | undefined {
  if (!/^[A-Za-z0-9_]+$/.test(syscall)) return undefined;
  const key = `${dirs.join(':')}\0${syscall}`;
  if (cache.has(key)) return cache.get(key);
  let found: string | undefined;
  for (const dir of dirs) {
    for (const suffix of ['.2.gz', '.2', '.2.xz', '.2.bz2']) {
      if (existsSync(join(dir, 'man2', `${syscall}${suffix}`))) {
        found = `man 2 ${syscall}`;
        break;
      }
    }
    if (found) break;
  }
  cache.set(key, found);
  return found;
}
