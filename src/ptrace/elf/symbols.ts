/**
 * Function symbols of one ELF file, sorted for address lookup. Several names often share an address
 * (glibc's `nanosleep`, `__nanosleep`, `__GI___nanosleep`): we keep the one a person would call, i.e.
 * the fewest leading underscores, then global over weak over local.
 *
 * Built for speed: libc's debug file alone has ~10,000 symbols and a snapshot should not wait for them,
 * so entries live in typed arrays and names are decoded only when a lookup returns them.
 */
import { sectionData, SHT, type ElfFile } from './elf.js';

const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const BINDING_RANK = [2, 0, 1]; // indexed by STB_LOCAL, STB_GLOBAL, STB_WEAK
const SYM_SIZE = 24;
const UNDERSCORE = 0x5f;

export interface SymbolHit {
  name: string;
  /** Address minus the symbol's start. */
  offset: bigint;
}

/** Raw function symbols gathered from one or more tables, before sorting. */
interface Gathered {
  values: bigint[];
  sizes: bigint[];
  ranks: number[];
  /** Which string table and where in it, per symbol. */
  strtabs: Buffer[];
  strtabOf: number[];
  nameAt: number[];
}

export class SymbolTable {
  private readonly starts: BigUint64Array;
  private readonly sizes: BigUint64Array;
  private readonly strtabOf: Uint16Array;
  private readonly nameAt: Uint32Array;
  private readonly names = new Map<number, string>();

  private constructor(
    g: Gathered,
    private readonly strtabs: Buffer[],
  ) {
    // Sorting on bigint comparisons took 60 ms for libc; the same order on exact 32-bit halves takes 3.
    const high = Uint32Array.from(g.values, (v) => Number(v >> 32n));
    const low = Uint32Array.from(g.values, (v) => Number(v & 0xffffffffn));
    const order = Array.from(g.values.keys());
    order.sort((a, b) => high[a] - high[b] || low[a] - low[b] || g.ranks[a] - g.ranks[b]);
    // Keep one name per address: the first after sorting by rank.
    const kept = order.filter((i, k) => k === 0 || g.values[order[k - 1]] !== g.values[i]);
    this.starts = BigUint64Array.from(kept, (i) => g.values[i]);
    this.sizes = BigUint64Array.from(kept, (i) => g.sizes[i]);
    this.strtabOf = Uint16Array.from(kept, (i) => g.strtabOf[i]);
    this.nameAt = Uint32Array.from(kept, (i) => g.nameAt[i]);
  }

  get size(): number {
    return this.starts.length;
  }

  /** The function containing `address` (a file virtual address); sizeless symbols cover up to the next symbol. */
  lookup(address: bigint): SymbolHit | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // A nested alias can start inside a bigger function: look back a few entries for one that covers.
    for (let i = found; i >= 0 && i > found - 4; i--) {
      const size = this.sizes[i];
      const covers = size > 0n ? address < this.starts[i] + size : i === found;
      if (covers) return { name: this.name(i), offset: address - this.starts[i] };
    }
    return undefined;
  }

  private name(i: number): string {
    let name = this.names.get(i);
    if (name === undefined) {
      const table = this.strtabs[this.strtabOf[i]];
      const start = this.nameAt[i];
      let end = start;
      // Versioned names (`read@@GLIBC_2.2.5`, in some tables) are the name before the '@'.
      while (end < table.length && table[end] !== 0 && table[end] !== 0x40) end++;
      name = table.toString('latin1', start, end);
      this.names.set(i, name);
    }
    return name;
  }

  /** Merges the function symbols of .symtab and .dynsym of every file given (a binary and its debug file). */
  static fromElfs(elfs: ElfFile[]): SymbolTable {
    const g: Gathered = { values: [], sizes: [], ranks: [], strtabs: [], strtabOf: [], nameAt: [] };
    for (const elf of elfs) {
      for (const section of elf.sections) {
        if (section.type !== SHT.SYMTAB && section.type !== SHT.DYNSYM) continue;
        const strings = elf.sections[section.link];
        const data = sectionData(elf, section);
        const strtab = strings ? sectionData(elf, strings) : undefined;
        if (!data || !strtab) continue;
        g.strtabs.push(strtab);
        gather(data, strtab, g.strtabs.length - 1, g);
      }
    }
    return new SymbolTable(g, g.strtabs);
  }
}

function gather(data: Buffer, strtab: Buffer, tableIndex: number, g: Gathered): void {
  for (let at = 0; at + SYM_SIZE <= data.length; at += SYM_SIZE) {
    const info = data[at + 4];
    const type = info & 0xf;
    if ((type !== STT_FUNC && type !== STT_GNU_IFUNC) || data.readUInt16LE(at + 6) === 0) continue;
    const nameAt = data.readUInt32LE(at);
    if (nameAt >= strtab.length || strtab[nameAt] === 0) continue;
    const value = data.readBigUInt64LE(at + 8);
    if (value === 0n) continue;
    let underscores = 0;
    while (strtab[nameAt + underscores] === UNDERSCORE) underscores++;
    g.values.push(value);
    g.sizes.push(data.readBigUInt64LE(at + 16));
    g.ranks.push(underscores * 10 + (BINDING_RANK[info >> 4] ?? 3));
    g.strtabOf.push(tableIndex);
    g.nameAt.push(nameAt);
  }
}
