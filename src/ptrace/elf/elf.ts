/**
 * A small ELF64 little-endian reader: file header, program headers, section headers and section
 * contents (zlib-compressed sections included), and the GNU build-id note. Just what symbolizing and
 * unwinding need; see elf(5) for the layouts.
 */
import { createRequire } from 'node:module';
import { TasklensError } from '../../errors.js';
import type { ByteSource } from './source.js';

export const SHT = { NOBITS: 8, SYMTAB: 2, DYNSYM: 11, NOTE: 7 } as const;
export const PT = { LOAD: 1, NOTE: 4, GNU_EH_FRAME: 0x6474e550 } as const;
const SHF_COMPRESSED = 0x800;
const ELFCOMPRESS_ZLIB = 1;
const NT_GNU_BUILD_ID = 3;

export interface SectionHeader {
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: bigint;
  filesz: number;
  memsz: number;
}

export interface ElfFile {
  /** ET_EXEC (2) or ET_DYN (3). */
  type: number;
  machine: number;
  sections: SectionHeader[];
  segments: ProgramHeader[];
  source: ByteSource;
}

/** File offsets and sizes are 64-bit fields, but a real file is far below 2^53 bytes: refuse otherwise. */
function offsetOf(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw badElf(`${what} out of range`);
  return Number(value);
}

function badElf(why: string): TasklensError {
  return new TasklensError('ptrace', 'bad-elf', `not a usable ELF64 file: ${why}`);
}

export function parseElf(source: ByteSource): ElfFile {
  const header = source.read(0, 64);
  if (header.length < 64 || header.readUInt32BE(0) !== 0x7f454c46) throw badElf('no ELF magic');
  if (header[4] !== 2) throw badElf('not 64-bit');
  if (header[5] !== 1) throw badElf('not little-endian');
  const type = header.readUInt16LE(0x10);
  const machine = header.readUInt16LE(0x12);
  const phoff = offsetOf(header.readBigUInt64LE(0x20), 'e_phoff');
  const shoff = offsetOf(header.readBigUInt64LE(0x28), 'e_shoff');
  const phentsize = header.readUInt16LE(0x36);
  const phnum = header.readUInt16LE(0x38);
  const shentsize = header.readUInt16LE(0x3a);
  let shnum = header.readUInt16LE(0x3c);
  let shstrndx = header.readUInt16LE(0x3e);

  const segments: ProgramHeader[] = [];
  if (phoff && phnum) {
    const table = source.read(phoff, phnum * phentsize);
    for (let i = 0; i + 1 <= phnum && (i + 1) * phentsize <= table.length; i++) {
      const p = table.subarray(i * phentsize);
      segments.push({
        type: p.readUInt32LE(0),
        flags: p.readUInt32LE(4),
        offset: offsetOf(p.readBigUInt64LE(8), 'p_offset'),
        vaddr: p.readBigUInt64LE(16),
        filesz: offsetOf(p.readBigUInt64LE(32), 'p_filesz'),
        memsz: offsetOf(p.readBigUInt64LE(40), 'p_memsz'),
      });
    }
  }

  const raw: Buffer[] = [];
  if (shoff) {
    // More than 0xff00 sections: the real count and string-table index live in section 0.
    const first = source.read(shoff, shentsize);
    if (shnum === 0 && first.length >= 64) shnum = offsetOf(first.readBigUInt64LE(32), 'sh_size');
    if (shstrndx === 0xffff && first.length >= 64) shstrndx = first.readUInt32LE(40);
    const table = source.read(shoff, shnum * shentsize);
    for (let i = 0; (i + 1) * shentsize <= table.length; i++) raw.push(table.subarray(i * shentsize, (i + 1) * shentsize));
  }
  const sections = raw.map((s) => ({
    nameOffset: s.readUInt32LE(0),
    header: {
      name: '',
      type: s.readUInt32LE(4),
      flags: s.readBigUInt64LE(8),
      addr: s.readBigUInt64LE(16),
      offset: offsetOf(s.readBigUInt64LE(24), 'sh_offset'),
      size: offsetOf(s.readBigUInt64LE(32), 'sh_size'),
      link: s.readUInt32LE(40),
      info: s.readUInt32LE(44),
      entsize: offsetOf(s.readBigUInt64LE(56), 'sh_entsize'),
    } satisfies SectionHeader,
  }));
  const names = sections[shstrndx];
  if (names) {
    const strtab = source.read(names.header.offset, names.header.size);
    for (const s of sections) s.header.name = cString(strtab, s.nameOffset);
  }
  return { type, machine, sections: sections.map((s) => s.header), segments, source };
}

export function cString(table: Buffer, offset: number): string {
  if (offset >= table.length) return '';
  const end = table.indexOf(0, offset);
  return table.toString('latin1', offset, end < 0 ? table.length : end);
}

export function findSection(elf: ElfFile, name: string): SectionHeader | undefined {
  return elf.sections.find((s) => s.name === name);
}

/** A section's bytes (decompressed if SHF_COMPRESSED); undefined for NOBITS (e.g. in debug files) and unknown compression. */
export function sectionData(elf: ElfFile, section: SectionHeader): Buffer | undefined {
  if (section.type === SHT.NOBITS) return undefined;
  const data = elf.source.read(section.offset, section.size);
  if ((section.flags & BigInt(SHF_COMPRESSED)) === 0n) return data;
  if (data.length < 24 || data.readUInt32LE(0) !== ELFCOMPRESS_ZLIB) return undefined;
  return zlib().inflateSync(data.subarray(24));
}

/** node:zlib, loaded on first use: compressed sections are rare and the module costs start-up time. */
let zlibModule: typeof import('node:zlib') | undefined;
function zlib(): typeof import('node:zlib') {
  zlibModule ??= createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  return zlibModule;
}

/** The GNU build-id as lowercase hex, from a note section or PT_NOTE segment. */
export function buildId(elf: ElfFile): string | undefined {
  const areas = elf.sections.length
    ? elf.sections.filter((s) => s.type === SHT.NOTE).map((s) => ({ offset: s.offset, size: s.size }))
    : elf.segments.filter((p) => p.type === PT.NOTE).map((p) => ({ offset: p.offset, size: p.filesz }));
  for (const area of areas) {
    const notes = elf.source.read(area.offset, area.size);
    let at = 0;
    while (at + 12 <= notes.length) {
      const namesz = notes.readUInt32LE(at);
      const descsz = notes.readUInt32LE(at + 4);
      const type = notes.readUInt32LE(at + 8);
      const nameStart = at + 12;
      const descStart = nameStart + align4(namesz);
      if (type === NT_GNU_BUILD_ID && notes.toString('latin1', nameStart, nameStart + namesz) === 'GNU\0') {
        return notes.toString('hex', descStart, descStart + descsz);
      }
      at = descStart + align4(descsz);
    }
  }
  return undefined;
}

const align4 = (n: number) => (n + 3) & ~3;

/**
 * The difference between run-time addresses and the file's virtual addresses for a mapping of
 * `fileOffset` at `mapStart`: find the PT_LOAD segment holding that offset. Two segments can share a
 * page (lld and rustc pack the read-only segment's tail and the code's start into one: code at file
 * offset 0x173a0 is mapped from 0x17000, which the read-only segment [0, 0x17398) also covers); the
 * segment that starts in the mapping's first page is the one mapped there, as the kernel's ELF
 * loader maps each segment from its own page-aligned offset.
 */
export function loadBias(elf: ElfFile, mapStart: bigint, fileOffset: bigint): bigint | undefined {
  const pageMask = 0xfffn;
  const loads = elf.segments.filter((p) => p.type === PT.LOAD);
  const startsHere = loads.find((p) => (BigInt(p.offset) & ~pageMask) === fileOffset);
  const holding =
    startsHere ??
    loads.find((p) => {
      const segStart = BigInt(p.offset) & ~pageMask;
      const segEnd = BigInt(p.offset + p.filesz);
      return fileOffset >= segStart && fileOffset < (segEnd > segStart ? segEnd : segStart + 1n);
    });
  return holding ? mapStart - (holding.vaddr - BigInt(holding.offset) + fileOffset) : undefined;
}
