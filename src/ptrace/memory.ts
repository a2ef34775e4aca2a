/**
 * Reading the target's memory in as few system calls as possible: process_vm_readv takes up to
 * IOV_MAX ranges per call, so the stack windows of 1,000 threads cost one or two calls. Falls back to
 * /proc/PID/mem (one pread per range) where process_vm_readv is refused, e.g. by a seccomp profile.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ERRNO, libc } from './libc.js';

export interface Range {
  address: bigint;
  length: number;
}

const IOV_MAX = 1024;
const IOVEC_SIZE = 16;

export class RemoteMemory {
  /** Number of read system calls made, for the pause breakdown. */
  calls = 0;

  constructor(readonly pid: number) {}

  /**
   * Reads each range; a range that is only partly readable comes back shorter (possibly empty). The
   * copies land in `store` when it is big enough: pass one whose pages were touched beforehand (see
   * `prefaultedBuffer`), since first-touch page faults cost more than the copy itself.
   */
  readRanges(ranges: Range[], store?: Buffer): Buffer[] {
    const total = ranges.reduce((sum, r) => sum + r.length, 0);
    if (!store || store.length < total) store = Buffer.allocUnsafeSlow(Math.max(total, 1));
    const offsets: number[] = [];
    let at = 0;
    for (const r of ranges) {
      offsets.push(at);
      at += r.length;
    }
    const got = new Array<number>(ranges.length).fill(0);
    if (!this.readVectored(ranges, store, offsets, got)) this.readProcMem(ranges, store, offsets, got);
    return ranges.map((_, i) => store.subarray(offsets[i], offsets[i] + got[i]));
  }

  /** One range, or undefined when nothing of it is readable. */
  read(address: bigint, length: number): Buffer | undefined {
    const [bytes] = this.readRanges([{ address, length }]);
    return bytes.length ? bytes : undefined;
  }

  private readVectored(ranges: Range[], store: Buffer, offsets: number[], got: number[]): boolean {
    const c = libc();
    const base = c.addressOf(store);
    const slots = Math.min(IOV_MAX, ranges.length) * IOVEC_SIZE;
    const local = Buffer.alloc(slots);
    const remote = Buffer.alloc(slots);
    let next = 0;
    while (next < ranges.length) {
      const count = Math.min(IOV_MAX, ranges.length - next);
      for (let k = 0; k < count; k++) {
        const r = ranges[next + k];
        local.writeBigUInt64LE(base + BigInt(offsets[next + k]), k * IOVEC_SIZE);
        local.writeBigUInt64LE(BigInt(r.length), k * IOVEC_SIZE + 8);
        remote.writeBigUInt64LE(r.address, k * IOVEC_SIZE);
        remote.writeBigUInt64LE(BigInt(r.length), k * IOVEC_SIZE + 8);
      }
      this.calls++;
      let done = c.processVmReadv(this.pid, local, count, remote, count, 0);
      if (done < 0) {
        const errno = c.errno();
        if (errno === ERRNO.ESRCH) return true; // the process is gone (or has no memory left): nothing is readable
        // Nothing read: if this is the first call, the syscall itself may be refused; let /proc/PID/mem try.
        if (next === 0 && errno !== ERRNO.EFAULT) return false;
        next++; // the first range is unreadable (EFAULT): skip it
        continue;
      }
      // The kernel stops at the first range it cannot read completely; resume after it.
      let k = 0;
      while (k < count && done >= ranges[next + k].length) {
        got[next + k] = ranges[next + k].length;
        done -= ranges[next + k].length;
        k++;
      }
      if (k < count) {
        got[next + k] = done;
        k++;
      }
      next += k;
    }
    return true;
  }

  private readProcMem(ranges: Range[], store: Buffer, offsets: number[], got: number[]): void {
    let fd: number;
    try {
      fd = openSync(`/proc/${this.pid}/mem`, 'r');
    } catch {
      return; // gone, or refused as process_vm_readv was: nothing readable
    }
    try {
      ranges.forEach((r, i) => {
        this.calls++;
        try {
          got[i] = readSync(fd, store, offsets[i], r.length, r.address);
        } catch {
          got[i] = 0;
        }
      });
    } finally {
      closeSync(fd);
    }
  }
}

let spare: Buffer | undefined;

/**
 * A buffer of at least `size` bytes whose pages are already faulted in. Reused across snapshots. On a
 * VM a first-touch page fault cost about 15 us per page here: 4.5 MB of fresh buffer added 17 ms to the
 * copy, so this is done before the threads are stopped.
 */
export function prefaultedBuffer(size: number): Buffer {
  if (!spare || spare.length < size) {
    spare = Buffer.allocUnsafeSlow(Math.max(size, 4096));
    spare.fill(0);
  }
  return spare;
}
