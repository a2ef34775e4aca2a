/**
 * strace's probe results kept on disk between runs. Every `tasklens trace` waited for two strace runs
 * (`-V`, and tracing `true` with `--seccomp-bpf`) before starting the real one: 40-50 ms of wall time
 * on a loaded 2-core machine, paid again by every CLI invocation since the in-memory cache dies with
 * the process. The answers depend only on the strace binary and the kernel, so they are stored under a
 * key made of both: the binary's device, inode, size and change time, and the kernel's release and
 * build. Another binary, an upgrade or a reboot into another kernel is a miss and probes again.
 *
 * The file lives in $XDG_CACHE_HOME/tasklens (else ~/.cache/tasklens). It only chooses a flag: a wrong
 * entry makes strace slower (no seccomp filter) or print a warning and trace without the filter, never
 * changes what is traced. Still, a file is used only when it and its directory belong to us and no one
 * else can write them; any failure to read or write it is silent (the probes simply run).
 */
import { lstatSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir, release, version } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { StraceInfo } from './locate.js';

const FILE = 'strace-probe.json';
const GROUP_OR_OTHER_WRITE = 0o022;

/** The cache directory, or undefined without a usable HOME / XDG_CACHE_HOME. */
export function probeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'tasklens');
  let home = env.HOME;
  if (!home) {
    try {
      home = homedir();
    } catch {
      return undefined;
    }
  }
  return home && isAbsolute(home) ? join(home, '.cache', 'tasklens') : undefined;
}

/** What the answers depend on: the strace binary (by identity, not name) and the running kernel. */
export function probeKey(stracePath: string): string | undefined {
  try {
    const st = statSync(stracePath);
    return [stracePath, st.dev, st.ino, st.size, st.ctimeMs, release(), version()].join('\u0000');
  } catch {
    return undefined;
  }
}

/** Whether `path` is ours alone: a real file or directory owned by our uid, writable by no one else. */
function ours(path: string, kind: 'file' | 'dir'): boolean {
  const st = lstatSync(path);
  const uid = typeof process.geteuid === 'function' ? process.geteuid() : st.uid;
  return (kind === 'file' ? st.isFile() : st.isDirectory()) && st.uid === uid && (st.mode & GROUP_OR_OTHER_WRITE) === 0;
}

type Entries = Record<string, Omit<StraceInfo, 'path'>>;

function readEntries(dir: string): Entries {
  try {
    const path = join(dir, FILE);
    if (!ours(dir, 'dir') || !ours(path, 'file')) return {};
    const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Entries) : {};
  } catch {
    return {};
  }
}

/** The stored answers for this strace on this kernel, or undefined. */
export function cachedProbe(stracePath: string, dir = probeCacheDir()): StraceInfo | undefined {
  const key = probeKey(stracePath);
  if (dir === undefined || key === undefined) return undefined;
  const entry = readEntries(dir)[key];
  if (entry === undefined || typeof entry.seccompBpf !== 'boolean' || typeof entry.version?.text !== 'string') return undefined;
  const { major, minor, text } = entry.version;
  if (!Number.isInteger(major) || !Number.isInteger(minor)) return undefined;
  return { path: stracePath, version: { major, minor, text }, seccompBpf: entry.seccompBpf };
}

/** Stores the answers (replacing the file atomically; old keys of other binaries are kept, up to a few). */
export function storeProbe(info: StraceInfo, dir = probeCacheDir()): void {
  const key = probeKey(info.path);
  if (dir === undefined || key === undefined) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ours(dir, 'dir')) return;
    const entries = readEntries(dir);
    const kept = Object.entries(entries).filter(([k]) => k !== key).slice(-7);
    const next: Entries = Object.fromEntries([...kept, [key, { version: info.version, seccompBpf: info.seccompBpf }]]);
    const tmp = join(dir, `${FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
    renameSync(tmp, join(dir, FILE));
  } catch {
    // A read-only home or a full disk: the probes run next time too.
  }
}
