/**
 * /proc/PID/fd: open descriptors and what they point at (needs ptrace-read access, so another user's
 * process gives "not permitted").
 */
import { isUnavailable, numericEntries, tryListDir, tryReadLink, type Maybe } from './files.js';

export type FdKind = 'file' | 'device' | 'pipe' | 'socket' | 'anon_inode' | 'memfd' | 'other';

export interface OpenFd {
  fd: number;
  /** Link target: a path, `pipe:[123]`, `socket:[456]`, `anon_inode:[eventfd]`, `/memfd:name (deleted)` ... */
  target: string;
  kind: FdKind;
}

/** Link-target prefixes and the kind they mean; the first match wins. */
const KINDS: ReadonlyArray<[RegExp, FdKind]> = [
  [/^pipe:/, 'pipe'],
  [/^socket:/, 'socket'],
  [/^anon_inode:/, 'anon_inode'],
  [/^\/memfd:/, 'memfd'],
  [/^\/dev\//, 'device'],
  [/^\//, 'file'],
];

export function fdKind(target: string): FdKind {
  for (const [pattern, kind] of KINDS) if (pattern.test(target)) return kind;
  return 'other';
}

export function readFds(pid: number, root = '/proc'): Maybe<OpenFd[]> {
  return readFdsIn(`${root}/${pid}`);
}

/** The descriptors listed under `procDir`/fd: /proc/PID, or /proc/PID/task/TID of a live thread when the leader has exited. */
export function readFdsIn(procDir: string): Maybe<OpenFd[]> {
  const dir = `${procDir}/fd`;
  const names = tryListDir(dir);
  if (isUnavailable(names)) return names;
  const out: OpenFd[] = [];
  for (const fd of numericEntries(names)) {
    const target = tryReadLink(`${dir}/${fd}`);
    if (isUnavailable(target)) continue; // closed between readdir and readlink
    out.push({ fd, target, kind: fdKind(target) });
  }
  return out;
}
