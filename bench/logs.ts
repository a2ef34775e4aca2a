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

/** The big log copied `copies` times with pids shifted by 100,000 per copy. */
export function hugeLog(source: string, minBytes: number, progress: (message: string) => void): string {
  // v2: pids shifted by 100,000 per copy (10,000,000 went past the largest PID, 4194304, and the
  // parser now reads such lines as unknown).
  const path = join(benchDir, `huge-${Math.round(minBytes / 1e6)}MB.v2.strace`);
  if (existsSync(path) && statSync(path).size >= minBytes) return path;
  const size = statSync(source).size;
  const copies = Math.ceil(minBytes / size);
  progress(`writing a ${Math.round((copies * size) / 1e6)} MB log from ${copies} copies (once; cached)`);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (let copy = 0; copy < copies; copy++) {
      const offset = copy * PID_SHIFT;
      if (offset + PID_SHIFT > MAX_PID) throw new Error(`too many copies (${copies}) to keep pids below ${MAX_PID}`);
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
/** Pid offset between copies: above any pid of one traced run, and 40 copies stay below MAX_PID. */
const PID_SHIFT = 100_000;
const MAX_PID = 4_194_304;

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

/**
 * A synthetic -f log of many short-lived tasks: one shell forks `processes` children, each execs,
 * maps, opens and closes a file, and every other one creates a thread that writes and exits before
 * being joined. Issue 9 item 10's log had 13,712 processes and 6,856 threads.
 */
export function manyTasksLog(progress: (message: string) => void, processes = 13_000): string {
  mkdirSync(benchDir, { recursive: true });
  const path = join(benchDir, `many-tasks-${processes}.strace`);
  if (existsSync(path)) return path;
  progress(`writing a log of ${processes} processes and ${processes / 2} threads (once; cached)`);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const shell = 100;
    let lines = [`${shell} execve("/bin/sh", ["sh", "-c", "loop"], 0x7ffd /* 3 vars */) = 0`];
    for (let i = 0, pid = 1000; i < processes; i++) {
      const child = pid++;
      const thread = pid++;
      lines.push(
        `${shell} clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = ${child}`,
        `${child} execve("/usr/bin/worker", ["worker", "${i}"], 0x7ffd /* 3 vars */) = 0`,
        `${child} brk(NULL) = 0x55000000`,
        `${child} mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f00000${((i % 9000) + 1000).toString(16)}000`,
        `${child} openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3`,
        `${child} close(3) = 0`,
        `${child} rt_sigaction(SIGTERM, {sa_handler=0x5500, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f00}, NULL, 8) = 0`,
      );
      if (i % 2 === 0) {
        lines.push(
          `${child} mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f1000000000`,
          `${child} mprotect(0x7f1000001000, 8388608, PROT_READ|PROT_WRITE) = 0`,
          `${child} clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f1000800990, parent_tid=0x7f1000800990, exit_signal=0, stack=0x7f1000000000, stack_size=0x7fff80, tls=0x7f10008006c0} => {parent_tid=[${thread}]}, 88) = ${thread}`,
          `${thread} set_robust_list(0x7f10008009a0, 24) = 0`,
          `${thread} write(1, "hello\\n", 6) = 6`,
          `${thread} exit(0) = ?`,
          `${thread} +++ exited with 0 +++`,
          `${child} futex(0x7f1000800990, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, ${thread}, NULL, FUTEX_BITSET_MATCH_ANY) = 0`,
        );
      }
      lines.push(
        `${child} exit_group(0) = ?`,
        `${child} +++ exited with 0 +++`,
        `${shell} --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=${child}, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---`,
        `${shell} wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WNOHANG, NULL) = ${child}`,
      );
      if (lines.length > 10_000) {
        writeSync(fd, `${lines.join('\n')}\n`);
        lines = [];
      }
    }
    lines.push(`${shell} exit_group(0) = ?`, `${shell} +++ exited with 0 +++`);
    writeSync(fd, `${lines.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}
