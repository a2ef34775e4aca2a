/**
 * Function symbols of one ELF file, sorted for address lookup. Several names often share an address
 * (glibc's `nanosleep`, `__nanosleep`, `__GI___nanosleep`): we keep the one a person would call, i.e.
 * global over weak over local, then the fewest leading underscores.
 */
import { cString, sectionData, SHT, type ElfFile } from './elf.js';

const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2 } as const;
const BINDING_RANK: Record<number, number> = { [STB.GLOBAL]: 0, [STB.WEAK]: 1, [STB.LOCAL]: 2 };
const SYM_SIZE = 24;

export interface SymbolHit {
  name: string;
  /** Address minus the symbol's start. */
  offset: bigint;
}

interface Entry {
  value: bigint;
  size: bigint;
  name: string;
  rank: number;
}

export class SymbolTable {
  private readonly starts: BigUint64Array;
  private readonly entries: Entry[];

  constructor(entries: Entry[]) {
    entries.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.rank - b.rank));
    // Keep one name per address: the first after sorting by rank.
    this.entries = entries.filter((e, i) => i === 0 || entries[i - 1].value !== e.value);
    this.starts = BigUint64Array.from(this.entries.map((e) => e.value));
  }

  get size(): number {
    return this.entries.length;
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
      const e = this.entries[i];
      const covers = e.size > 0n ? address < e.value + e.size : i === found;
      if (covers) return { name: e.name, offset: address - e.value };
    }
    return undefined;
  }

  /** Merges the function symbols of .symtab and .dynsym of every file given (a binary and its debug file). */
  static fromElfs(elfs: ElfFile[]): SymbolTable {
    const entries: Entry[] = [];
    for (const elf of elfs) {
      for (const section of elf.sections) {
        if (section.type !== SHT.SYMTAB && section.type !== SHT.DYNSYM) continue;
        const strings = elf.sections[section.link];
        const data = sectionData(elf, section);
        const strtab = strings ? sectionData(elf, strings) : undefined;
        if (!data || !strtab) continue;
        readSymbols(data, strtab, entries);
      }
    }
    return new SymbolTable(entries);
  }
}

function readSymbols(data: Buffer, strtab: Buffer, out: Entry[]): void {
  for (let at = 0; at + SYM_SIZE <= data.length; at += SYM_SIZE) {
    const info = data[at + 4];
    const type = info & 0xf;
    const shndx = data.readUInt16LE(at + 6);
    if ((type !== STT_FUNC && type !== STT_GNU_IFUNC) || shndx === 0) continue;
    const value = data.readBigUInt64LE(at + 8);
    if (value === 0n) continue;
    const raw = cString(strtab, data.readUInt32LE(at));
    if (!raw) continue;
    // Versioned names (`read@@GLIBC_2.2.5`) only appear in some tools' output; the symbol name is before '@'.
    const name = raw.includes('@') ? raw.slice(0, raw.indexOf('@')) : raw;
    const binding = info >> 4;
    const underscores = /^_*/.exec(name)![0].length;
    out.push({ value, size: data.readBigUInt64LE(at + 16), name, rank: underscores * 10 + (BINDING_RANK[binding] ?? 3) });
  }
}
