/**
 * The log FIFO: created with mkfifo(1), its kernel buffer enlarged with fcntl(F_SETPIPE_SZ) through
 * koffi (already a dependency, for ptrace; Node has no fcntl). With the default 64 KiB buffer a busy
 * log (full mode) stalls strace and wakes the reader every few hundred lines; 1 MiB lets strace run
 * ahead while we parse. Loading koffi costs 15-20 ms of CPU, more than forking mkfifo(1), and a
 * lifecycle log (a few thousand lines a second at most) never needs the larger buffer: koffi is loaded
 * only when a read finds the pipe nearly full. The reader polls the non-blocking fd (see fifoChunks).
 */
import { execFile } from 'node:child_process';
import { readFileSync, readSync } from 'node:fs';
import { promisify } from 'node:util';

const F_SETPIPE_SZ = 1031; // F_LINUX_SPECIFIC_BASE (1024) + 7, linux/fcntl.h
const F_GETPIPE_SZ = 1032;

interface LibcCalls {
  mkfifo(path: string, mode: number): number;
  fcntl(fd: number, cmd: number, ...rest: unknown[]): number;
}

let calls: Promise<LibcCalls | null> | undefined;

function libc(): Promise<LibcCalls | null> {
  calls ??= import('koffi').then(
    ({ default: koffi }) => {
      const lib = koffi.load('libc.so.6');
      return {
        mkfifo: lib.func('int mkfifo(const char *path, uint32_t mode)') as LibcCalls['mkfifo'],
        fcntl: lib.func('int fcntl(int fd, int cmd, ...)') as LibcCalls['fcntl'],
      };
    },
    () => null,
  ).catch(() => null);
  return calls;
}

/** Creates a FIFO readable and writable by its owner only (mkfifo(3) through koffi if mkfifo(1) fails). */
export async function makeFifo(path: string): Promise<void> {
  try {
    await promisify(execFile)('mkfifo', ['-m', '0600', path]);
  } catch (error) {
    const c = await libc();
    if (!c || c.mkfifo(path, 0o600) !== 0) throw error;
  }
}

/**
 * Sets the pipe buffer of `fd` to `bytes` (an unprivileged user is capped by
 * /proc/sys/fs/pipe-max-size); returns the size in effect, or undefined. Best effort: on failure the
 * default size stays.
 */
export async function enlargePipe(fd: number, bytes = 1 << 20, stillOpen: () => boolean = () => true): Promise<number | undefined> {
  const c = await libc();
  // koffi loads asynchronously: the caller may have closed (and the number been reused) meanwhile.
  if (!c || !stillOpen()) return undefined;
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

/** Bytes taken per read: as much as the enlarged pipe holds. */
const READ_SIZE = 1 << 20;
/**
 * Wait after a read that emptied the pipe, by how much it took: a busy log (full mode) is read again
 * soon so strace never waits for room, a trickle (lifecycle mode) is left to gather for longer, so the
 * reader wakes up, parses and prints a few times a second instead of once per handful of lines:
 * every wake-up takes CPU from the traced program on a busy machine.
 */
function batchWaitMs(bytes: number): number {
  return bytes >= READ_SIZE / 2 ? 1 : bytes >= 64 << 10 ? 10 : 40;
}
/** A read this large found the default 64 KiB pipe (nearly) full: the log is a busy one. */
const NEARLY_FULL = 60 << 10;
/** First wait when the pipe was empty, and the longest one (this is also the latency added to live output). */
const IDLE_STEP_MS = 10;
const IDLE_MAX_MS = 100;

/**
 * The chunks of a FIFO opened O_RDONLY|O_NONBLOCK, read by polling. Each read takes everything strace
 * wrote since the last one, up to 1 MiB, instead of being woken for each of strace's one-line writes.
 * Reading only when the consumer asks gives backpressure: a slow consumer fills the pipe and strace
 * waits. A non-blocking read returns 0 both before the writer has opened its end and after it closed
 * it, so 0 is the end only once data has come or the writer process (`writerGone`) has exited.
 * `onNearlyFull` is called once, the first time a read finds the default-sized pipe nearly full.
 */
export async function* fifoChunks(fd: number, writerGone: () => boolean, writerExit?: Promise<unknown>, onNearlyFull?: () => void): AsyncGenerator<Buffer> {
  // Waits end early when the writer exits, so its last lines are read at once, not after a poll delay.
  // The pending timer is cleared then too: left running it would keep node alive up to IDLE_MAX_MS
  // after the trace, delaying tasklens's exit.
  let writerExited = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  void writerExit?.then(() => {
    writerExited = true;
    clearTimeout(timer);
    wake?.();
  });
  const pause = (ms: number): Promise<void> => writerExited ? Promise.resolve() : new Promise<void>((done) => {
    wake = done;
    timer = setTimeout(done, ms);
  });
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  let seenData = false;
  let idlePolls = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      n = -1; // writer connected, pipe empty
    }
    if (n > 0) {
      seenData = true;
      idlePolls = 0;
      if (n >= NEARLY_FULL && onNearlyFull) {
        onNearlyFull();
        onNearlyFull = undefined;
      }
      yield Buffer.from(buffer.subarray(0, n));
      if (n < buffer.length) await pause(batchWaitMs(n));
      continue;
    }
    if (n === 0 && (seenData || writerGone())) return;
    idlePolls++;
    await pause(Math.min(IDLE_STEP_MS * idlePolls, IDLE_MAX_MS));
  }
}
