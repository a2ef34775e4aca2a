/**
 * Finding strace and learning what it can do: its path, version (`strace -V`) and whether
 * `--seccomp-bpf` works here (it needs kernel seccomp filters and strace >= 5.3). Results are cached
 * per strace path in memory and per binary and kernel on disk: each probe runs strace once.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ExitCode, TasklensError } from '../errors.js';
import { cachedProbe, storeProbe } from './probe-cache.js';

const run = promisify(execFile);

export interface StraceVersion {
  major: number;
  minor: number;
  /** First line of `strace -V`, e.g. `strace -- version 6.1`. */
  text: string;
}

export interface StraceInfo {
  path: string;
  version: StraceVersion;
  /** True when `--seccomp-bpf` is accepted and actually installs a filter on this kernel. */
  seccompBpf: boolean;
}

export interface LocateOptions {
  /** Use this strace binary (a path, or a name looked up in PATH) instead of `strace` from PATH. */
  strace?: string;
  /** PATH to search; defaults to process.env.PATH. */
  path?: string;
}

/** Finds an executable in PATH the way a shell does; returns its absolute path or undefined. */
export function findExecutable(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/') ? [resolve(name)] : searchPath.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  return candidates.find(isExecutableFile);
}

/**
 * Why `name` cannot be run although something by that name exists (a file without execute
 * permission, a directory): the first such candidate, the way a shell reports 126. Undefined when
 * nothing by that name exists (127, not found).
 */
export function unrunnableCandidate(name: string, searchPath = process.env.PATH ?? ''): { path: string; reason: 'not-executable' | 'directory' } | undefined {
  const candidates = name.includes('/') ? [resolve(name)] : searchPath.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const path of candidates) {
    try {
      return { path, reason: statSync(path).isDirectory() ? 'directory' : 'not-executable' };
    } catch {
      // Not there: try the next directory.
    }
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The error every verb reports when strace is absent: one line, with the install command. */
export function straceMissing(detail?: string): TasklensError {
  return new TasklensError('capture', 'strace-missing', `strace not found${detail ? ` (${detail})` : ''}: install it with \`apt-get install strace\``, {
    hint: 'tasklens runs strace to trace programs. On Debian/Ubuntu: sudo apt-get install strace (or run scripts/install-system-deps.sh as root).',
    exitCode: ExitCode.missingTool,
  });
}

/** Returns the absolute path of strace, or throws TasklensError `strace-missing` (exit 127). */
export function locateStrace(options: LocateOptions = {}): string {
  const name = options.strace ?? 'strace';
  const found = findExecutable(name, options.path ?? process.env.PATH ?? '');
  if (!found) throw straceMissing(options.strace !== undefined && (isAbsolute(name) || name.includes('/')) ? `no executable at ${name}` : undefined);
  return found;
}

/** Parses the first line of `strace -V` (`strace -- version 6.1`). */
export function parseStraceVersion(output: string): StraceVersion {
  const text = output.split('\n')[0]?.trim() ?? '';
  const m = /version (\d+)\.(\d+)/.exec(text);
  return { major: m ? Number(m[1]) : 0, minor: m ? Number(m[2]) : 0, text };
}

const infoCache = new Map<string, Promise<StraceInfo>>();

/**
 * Locates strace, reads its version and probes `--seccomp-bpf`: cached per path in memory, and on
 * disk per binary and kernel (see probe-cache.ts) so that a CLI run does not probe every time.
 */
export function straceInfo(options: LocateOptions = {}): Promise<StraceInfo> {
  const path = locateStrace(options);
  let info = infoCache.get(path);
  if (!info) {
    const stored = cachedProbe(path);
    info = stored ? Promise.resolve(stored) : probe(path).then((probed) => {
      storeProbe(probed);
      return probed;
    });
    infoCache.set(path, info);
    info.catch(() => infoCache.delete(path));
  }
  return info;
}

/** Both probes run at once: each costs a strace start-up, and every trace waits for them. */
async function probe(path: string): Promise<StraceInfo> {
  const seccompBpf = probeSeccompBpf(path);
  const { stdout } = await run(path, ['-V']).catch((error: unknown) => {
    throw new TasklensError('capture', 'strace-broken', `${path} -V failed: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'reinstall strace: apt-get install --reinstall strace',
      exitCode: ExitCode.missingTool,
    });
  });
  return { path, version: parseStraceVersion(stdout), seccompBpf: await seccompBpf };
}

/**
 * strace accepts --seccomp-bpf and silently falls back to tracing everything when the kernel refuses
 * the filter ("seccomp filter is requested but unavailable"), so the probe checks its stderr too.
 */
async function probeSeccompBpf(path: string): Promise<boolean> {
  try {
    const { stderr } = await run(path, ['-f', '--seccomp-bpf', '-e', 'trace=exit_group', '-o', '/dev/null', 'true']);
    return !/seccomp/i.test(stderr);
  } catch {
    return false;
  }
}
