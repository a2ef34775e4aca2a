/**
 * Enlarging the log FIFO's kernel buffer (fcntl F_SETPIPE_SZ; Node has no fcntl, so through koffi).
 * With the default 64 KiB, strace stalls and the reader wakes up every few hundred lines; 1 MiB lets
 * strace run ahead while we parse. Best effort: an unprivileged user is capped by
 * /proc/sys/fs/pipe-max-size, and any failure just keeps the default size.
 */
import { readFileSync } from 'node:fs';
import koffi from 'koffi';

const F_SETPIPE_SZ = 1031; // F_LINUX_SPECIFIC_BASE (1024) + 7, linux/fcntl.h
const F_GETPIPE_SZ = 1032;

type Fcntl = (fd: number, cmd: number, ...rest: unknown[]) => number;
let fcntl: Fcntl | null | undefined;

function bind(): Fcntl | null {
  if (fcntl === undefined) {
    try {
      fcntl = koffi.load('libc.so.6').func('int fcntl(int fd, int cmd, ...)') as Fcntl;
    } catch {
      fcntl = null;
    }
  }
  return fcntl;
}

/** Sets the pipe buffer of `fd` to `bytes` (rounded up by the kernel); returns the size in effect, or undefined. */
export function enlargePipe(fd: number, bytes = 1 << 20): number | undefined {
  const call = bind();
  if (!call) return undefined;
  if (call(fd, F_SETPIPE_SZ, 'int', bytes) < 0) call(fd, F_SETPIPE_SZ, 'int', readPipeMax());
  const size = call(fd, F_GETPIPE_SZ);
  return size > 0 ? size : undefined;
}

function readPipeMax(): number {
  try {
    return Number(readFileSync('/proc/sys/fs/pipe-max-size', 'utf8').trim()) || 65536;
  } catch {
    return 65536;
  }
}
