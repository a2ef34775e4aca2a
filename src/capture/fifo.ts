/**
 * The log FIFO: created with mkfifo(3) and its kernel buffer enlarged with fcntl(F_SETPIPE_SZ). Node
 * has neither call, so both go through koffi (already a dependency, for ptrace); creating the FIFO in
 * process avoids spawning mkfifo(1) on every trace. With the default 64 KiB buffer strace stalls and
 * the reader wakes up every few hundred lines; 1 MiB lets strace run ahead while we parse.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import koffi from 'koffi';

const F_SETPIPE_SZ = 1031; // F_LINUX_SPECIFIC_BASE (1024) + 7, linux/fcntl.h
const F_GETPIPE_SZ = 1032;

interface LibcCalls {
  mkfifo(path: string, mode: number): number;
  fcntl(fd: number, cmd: number, ...rest: unknown[]): number;
}

let calls: LibcCalls | null | undefined;

function libc(): LibcCalls | null {
  if (calls === undefined) {
    try {
      const lib = koffi.load('libc.so.6');
      calls = {
        mkfifo: lib.func('int mkfifo(const char *path, uint32_t mode)') as LibcCalls['mkfifo'],
        fcntl: lib.func('int fcntl(int fd, int cmd, ...)') as LibcCalls['fcntl'],
      };
    } catch {
      calls = null;
    }
  }
  return calls;
}

/** Creates a FIFO readable and writable by its owner only. */
export async function makeFifo(path: string): Promise<void> {
  const c = libc();
  if (c && c.mkfifo(path, 0o600) === 0) return;
  await promisify(execFile)('mkfifo', ['-m', '0600', path]);
}

/**
 * Sets the pipe buffer of `fd` to `bytes` (an unprivileged user is capped by
 * /proc/sys/fs/pipe-max-size); returns the size in effect, or undefined. Best effort: on failure the
 * default size stays.
 */
export function enlargePipe(fd: number, bytes = 1 << 20): number | undefined {
  const c = libc();
  if (!c) return undefined;
  if (c.fcntl(fd, F_SETPIPE_SZ, 'int', bytes) < 0) c.fcntl(fd, F_SETPIPE_SZ, 'int', pipeMaxSize());
  const size = c.fcntl(fd, F_GETPIPE_SZ);
  return size > 0 ? size : undefined;
}

function pipeMaxSize(): number {
  try {
    return Number(readFileSync('/proc/sys/fs/pipe-max-size', 'utf8').trim()) || 65536;
  } catch {
    return 65536;
  }
}
