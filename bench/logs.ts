/**
 * Real strace logs for benchmarks, made once and cached under build/bench/: a >= 100 MB log from
 * tracing a real workload, and a >= 1 GB log made by concatenating copies with pid offsets (so the
 * process model stays valid: every copy's tasks are distinct).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, openSync, writeSync, closeSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { readLinesSync, lineBytes, lineText } from '../src/parse/lines.js';
import { packageRoot as repoRoot } from '../src/paths.js';

export const benchDir = join(repoRoot, 'build', 'bench');

/** `strace -f -tt -T -yy -s 256` over hashing big files in /usr: mixed syscalls, long lines, many processes. */
export function bigLog(progress: (message: string) => void, minBytes = 100e6): string {
  mkdirSync(benchDir, { recursive: true });
  const path = join(benchDir, 'find-md5sum.strace');
  if (existsSync(path) && statSync(path).size >= minBytes) return path;
  progress(`generating a >= ${Math.round(minBytes / 1e6)} MB strace log (once; cached in ${path})`);
  const tmp = `${path}.tmp`;
  // Each round hashes the files again; stop once the log is large enough.
  for (let round = 0; round < 20; round++) {
    const result = spawnSync('strace', ['-f', '-tt', '-T', '-yy', '-s', '256', '-A', '-o', tmp, 'find', '/usr', '-xdev', '-type', 'f', '-size', '+256k', '-exec', 'md5sum', '{}', '+'], { stdio: 'ignore' });
    if (result.error) throw result.error;
    if (statSync(tmp).size >= minBytes) break;
  }
  renameSync(tmp, path);
  return path;
}

/**
 * A process-heavy log: a shell loop of short pipelines under `strace -f`, so most calls are split into
 * `<unfinished ...>` / `<... resumed>` pairs and every process goes through the dynamic loader.
 */
export function processHeavyLog(progress: (message: string) => void, minBytes = 50e6): string {
  mkdirSync(benchDir, { recursive: true });
  const path = join(benchDir, 'shell-pipelines.strace');
  if (existsSync(path) && statSync(path).size >= minBytes) return path;
  progress(`generating a >= ${Math.round(minBytes / 1e6)} MB process-heavy strace log (once; cached in ${path})`);
  const tmp = `${path}.tmp`;
  for (let rounds = 200; rounds <= 3200; rounds *= 2) {
    const loop = `for i in $(seq ${rounds}); do ls -la /usr/lib >/dev/null; cat /etc/passwd | sort | head -3 >/dev/null; done`;
    const result = spawnSync('strace', ['-f', '-tt', '-T', '-yy', '-s', '256', '-o', tmp, 'bash', '-c', loop], { stdio: 'ignore' });
    if (result.error) throw result.error;
    if (statSync(tmp).size >= minBytes) break;
  }
  renameSync(tmp, path);
  return path;
}

/** The big log copied `copies` times with pids shifted by a multiple of 10,000,000 per copy. */
export function hugeLog(source: string, minBytes: number, progress: (message: string) => void): string {
  const path = join(benchDir, `huge-${Math.round(minBytes / 1e6)}MB.strace`);
  if (existsSync(path) && statSync(path).size >= minBytes) return path;
  const size = statSync(source).size;
  const copies = Math.ceil(minBytes / size);
  progress(`writing a ${Math.round((copies * size) / 1e6)} MB log from ${copies} copies (once; cached)`);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (let copy = 0; copy < copies; copy++) {
      const offset = copy * 10_000_000;
      let batch: string[] = [];
      const flush = (): void => {
        writeSync(fd, lineBytes(batch.join('')));
        batch = [];
      };
      for (const line of readLinesSync(source)) {
        batch.push(shiftPids(lineText(line), offset), '\n');
        if (batch.length > 20000) flush();
      }
      flush();
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}

/** Adds `offset` to the leading pid of a `-o` line and to `= N` returns of clone/fork calls. */
function shiftPids(line: string, offset: number): string {
  if (offset === 0) return line;
  const m = /^(\d+)( .*)$/.exec(line);
  if (!m) return line;
  let rest = m[2];
  if (/^ +(?:\S+ )?(?:clone3?|v?fork)\(/.test(rest) || /<\.\.\. (?:clone3?|v?fork) resumed>/.test(rest)) {
    rest = rest.replace(/= (\d+)( <[\d.]+>)?$/, (_all, pid: string, dur: string | undefined) => `= ${Number(pid) + offset}${dur ?? ''}`);
  }
  return `${Number(m[1]) + offset}${rest}`;
}
