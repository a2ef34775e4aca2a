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

/**
 * Raw function symbols gathered from one or more tables, before sorting. 64-bit values are kept as exact
 * 32-bit halves in typed arrays: creating a bigint per symbol made the garbage collector the biggest cost.
 */
class Gathered {
  count = 0;
  valueHigh: Uint32Array;
  valueLow: Uint32Array;
  sizeHigh: Uint32Array;
  sizeLow: Uint32Array;
  ranks: Uint16Array;
  strtabOf: Uint16Array;
  nameAt: Uint32Array;
  readonly strtabs: Buffer[] = [];

  constructor(capacity: number) {
    this.valueHigh = new Uint32Array(capacity);
    this.valueLow = new Uint32Array(capacity);
    this.sizeHigh = new Uint32Array(capacity);
    this.sizeLow = new Uint32Array(capacity);
    this.ranks = new Uint16Array(capacity);
    this.strtabOf = new Uint16Array(capacity);
    this.nameAt = new Uint32Array(capacity);
  }
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
    const { valueHigh: high, valueLow: low, ranks } = g;
    const order = Array.from({ length: g.count }, (_, i) => i);
    order.sort((a, b) => high[a] - high[b] || low[a] - low[b] || ranks[a] - ranks[b]);
    // Keep one name per address: the first after sorting by rank.
    const kept = order.filter((i, k) => k === 0 || high[order[k - 1]] !== high[i] || low[order[k - 1]] !== low[i]);
    this.starts = new BigUint64Array(kept.length);
    this.sizes = new BigUint64Array(kept.length);
    // Fill the 64-bit arrays through 32-bit views of their memory (little-endian): no bigint per symbol.
    const starts32 = new Uint32Array(this.starts.buffer);
    const sizes32 = new Uint32Array(this.sizes.buffer);
    kept.forEach((i, k) => {
      starts32[2 * k] = low[i];
      starts32[2 * k + 1] = high[i];
      sizes32[2 * k] = g.sizeLow[i];
      sizes32[2 * k + 1] = g.sizeHigh[i];
    });
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
    const tables: Array<{ data: Buffer; strtab: Buffer }> = [];
    for (const elf of elfs) {
      for (const section of elf.sections) {
        if (section.type !== SHT.SYMTAB && section.type !== SHT.DYNSYM) continue;
        const strings = elf.sections[section.link];
        const data = sectionData(elf, section);
        const strtab = strings ? sectionData(elf, strings) : undefined;
        if (data && strtab) tables.push({ data, strtab });
      }
    }
    const g = new Gathered(tables.reduce((n, t) => n + Math.floor(t.data.length / SYM_SIZE), 0));
    for (const { data, strtab } of tables) {
      g.strtabs.push(strtab);
      gather(data, strtab, g.strtabs.length - 1, g);
    }
    return new SymbolTable(g, g.strtabs);
  }
}

/** Words of a section as a Uint32Array, copying only when the bytes are not 4-byte aligned. */
function words(data: Buffer): Uint32Array {
  const aligned = data.byteOffset % 4 === 0 ? data : Buffer.from(data);
  return new Uint32Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.length / 4));
}

/**
 * Reads Elf64_Sym entries (st_name, st_info, st_other, st_shndx, st_value, st_size: six 32-bit words,
 * little-endian) through a word view: Buffer's read methods are JavaScript functions, and before the JIT
 * warms up calling them 100,000 times cost tens of milliseconds.
 */
function gather(data: Buffer, strtab: Buffer, tableIndex: number, g: Gathered): void {
  const w = words(data);
  const entries = Math.floor(data.length / SYM_SIZE);
  for (let k = 0; k < entries; k++) {
    const base = k * 6;
    const infoWord = w[base + 1];
    const type = infoWord & 0xf;
    if ((type !== STT_FUNC && type !== STT_GNU_IFUNC) || infoWord >>> 16 === 0) continue;
    const nameAt = w[base];
    if (nameAt >= strtab.length || strtab[nameAt] === 0) continue;
    const low = w[base + 2];
    const high = w[base + 3];
    if (low === 0 && high === 0) continue;
    let underscores = 0;
    while (strtab[nameAt + underscores] === UNDERSCORE) underscores++;
    const i = g.count++;
    g.valueLow[i] = low;
    g.valueHigh[i] = high;
    g.sizeLow[i] = w[base + 4];
    g.sizeHigh[i] = w[base + 5];
    g.ranks[i] = Math.min(underscores, 100) * 10 + (BINDING_RANK[(infoWord & 0xff) >> 4] ?? 3);
    g.strtabOf[i] = tableIndex;
    g.nameAt[i] = nameAt;
  }
}
