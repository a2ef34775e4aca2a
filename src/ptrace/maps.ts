/**
 * The address space of a target as a sorted index over /proc/PID/maps (parsed by procfs): which file
 * (and offset) backs a code address, which mapping holds a thread's stack pointer, and the guard page
 * just below a pthread stack. Look-ups are binary searches: an unwinder asks for every frame.
 */
import { readFileSync } from 'node:fs';
import { parseMaps, type Mapping } from '../procfs/maps.js';

export type { Mapping };

/** `procDir` is /proc/PID, or /proc/PID/task/TID: a leader that has exited shows no maps, its live threads do. */
export function readMaps(procDir: string): Mapping[] {
  return parseMaps(readFileSync(`${procDir}/maps`, 'latin1'));
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
