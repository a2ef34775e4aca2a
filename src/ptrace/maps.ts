/**
 * /proc/PID/maps, parsed into address ranges: which file (and offset) backs a code address, which
 * mapping holds a thread's stack pointer, and the guard page just below a pthread stack.
 */
import { readFileSync } from 'node:fs';

export interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  offset: bigint;
  dev: string;
  inode: number;
  /** File path, `[stack]`, `[vdso]`, `[heap]`, or '' for anonymous memory. */
  path: string;
}

const LINE = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) (\S+) (\d+)\s*(.*)$/;

export function parseMaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    out.push({
      start: BigInt(`0x${m[1]}`),
      end: BigInt(`0x${m[2]}`),
      perms: m[3],
      offset: BigInt(`0x${m[4]}`),
      dev: m[5],
      inode: Number(m[6]),
      path: m[7],
    });
  }
  return out;
}

export function readMaps(pid: number): Mapping[] {
  return parseMaps(readFileSync(`/proc/${pid}/maps`, 'latin1'));
}

export class AddressSpace {
  private readonly starts: BigUint64Array;

  constructor(readonly mappings: Mapping[]) {
    this.mappings = [...mappings].sort((a, b) => (a.start < b.start ? -1 : 1));
    this.starts = BigUint64Array.from(this.mappings.map((m) => m.start));
  }

  /** Index of the mapping holding `address`, or -1. */
  indexOf(address: bigint): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= address) lo = mid + 1;
      else hi = mid - 1;
    }
    const m = this.mappings[hi];
    return m && address < m.end ? hi : -1;
  }

  find(address: bigint): Mapping | undefined {
    const i = this.indexOf(address);
    return i < 0 ? undefined : this.mappings[i];
  }

  /**
   * The stack mapping holding `sp` and, for a pthread stack, the inaccessible guard mapping glibc puts
   * right below it. The main thread's [stack] has no guard mapping: the kernel keeps a gap instead.
   */
  stackOf(sp: bigint): { stack: Mapping; guard?: Mapping } | undefined {
    const i = this.indexOf(sp);
    if (i < 0) return undefined;
    const stack = this.mappings[i];
    const below = this.mappings[i - 1];
    const guard = below && below.end === stack.start && below.perms.startsWith('---') ? below : undefined;
    return { stack, guard };
  }
}
