/**
 * Source file and line of a code address, from the DWARF line-number programs of .debug_line
 * (DWARF 2 to 5, section 6.2 of each spec): every unit's program is run once through the state
 * machine, the rows of every sequence go into one set of growable typed arrays, and a lookup is two
 * binary searches (the sequence, then the last row at or below the address). A sequence's base
 * address is a bigint; its rows hold 32-bit offsets from it, so running the programs does no bigint
 * arithmetic and allocates nothing per row (libc's 1.3 MB table took 290 ms with a bigint and four
 * array entries per row).
 *
 * File names: DWARF 5 tables hold the compilation directory as directory 0, so paths are whole;
 * DWARF 2-4 tables leave it in .debug_info, so a file in the compilation directory shows as its
 * bare name (`threads.c`), others as directory/name.
 */
import { Cursor } from './cursor.js';

export interface SourceLocation {
  file: string;
  line: number;
  /** 0 when the table does not say. */
  column: number;
}

/** The string sections DWARF 5 line tables point into (DW_FORM_line_strp, DW_FORM_strp). */
export interface LineSections {
  debugLine: Buffer;
  debugLineStr?: Buffer;
  debugStr?: Buffer;
}

/** Standard opcodes (DWARF 5 table 7.25). */
const LNS = { copy: 1, advancePc: 2, advanceLine: 3, setFile: 4, setColumn: 5, negateStmt: 6, setBasicBlock: 7, constAddPc: 8, fixedAdvancePc: 9, setPrologueEnd: 10, setEpilogueBegin: 11, setIsa: 12 } as const;
/** Extended opcodes (table 7.26). */
const LNE = { endSequence: 1, setAddress: 2, defineFile: 3, setDiscriminator: 4 } as const;
/** Entry content types of DWARF 5 directory and file tables (table 7.27). */
const LNCT = { path: 1, directoryIndex: 2 } as const;
/** The forms those entries use (table 7.6). */
const FORM = {
  block: 0x09, block1: 0x0a, block2: 0x03, block4: 0x04, data1: 0x0b, data2: 0x05, data4: 0x06, data8: 0x07, data16: 0x1e,
  string: 0x08, strp: 0x0e, lineStrp: 0x1f, udata: 0x0f, sdata: 0x0d, strx: 0x1a, strx1: 0x25, strx2: 0x26, strx3: 0x27, strx4: 0x28,
} as const;

interface Sequence {
  /** Address of its first row, and the first address past it. */
  start: bigint;
  end: bigint;
  /** Row offsets are relative to this address. */
  base: bigint;
  /** Its rows: [from, to) in the row arrays. */
  from: number;
  to: number;
}

/** Rows of all sequences: offset from the sequence base, line, column, file id. */
class Rows {
  count = 0;
  offsets: Uint32Array = new Uint32Array(1024);
  lines: Uint32Array = new Uint32Array(1024);
  columns: Uint32Array = new Uint32Array(1024);
  files: Uint32Array = new Uint32Array(1024);

  push(offset: number, line: number, column: number, file: number): void {
    if (this.count === this.offsets.length) this.grow();
    const i = this.count++;
    this.offsets[i] = offset;
    this.lines[i] = line;
    this.columns[i] = column;
    this.files[i] = file;
  }

  private grow(): void {
    const size = this.offsets.length * 2;
    const bigger = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(size);
      b.set(a);
      return b;
    };
    this.offsets = bigger(this.offsets);
    this.lines = bigger(this.lines);
    this.columns = bigger(this.columns);
    this.files = bigger(this.files);
  }
}

export class LineTable {
  private readonly sequences: Sequence[] = [];
  private readonly rows = new Rows();
  private readonly files: string[] = [];
  /** Units that could not be read (bad header, unknown form, truncated program), skipped. */
  readonly skippedUnits: number = 0;

  constructor(sections: LineSections) {
    const data = sections.debugLine;
    let offset = 0;
    let skipped = 0;
    while (offset + 4 <= data.length) {
      const next = unitEnd(data, offset);
      if (next === undefined || next > data.length) {
        skipped++;
        break;
      }
      try {
        this.readUnit(new Cursor(data.subarray(0, next), offset), sections);
      } catch {
        skipped++; // one malformed unit must not hide the others
      }
      offset = next;
    }
    this.skippedUnits = skipped;
    this.sequences.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  get size(): number {
    return this.sequences.length;
  }

  /** The row covering `address` (a file virtual address), or undefined outside every sequence. */
  lookup(address: bigint): SourceLocation | undefined {
    const seqs = this.sequences;
    let lo = 0;
    let hi = seqs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (seqs[mid].start <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Sequences may overlap (a discarded COMDAT copy left at address 0): look back for one that covers.
    for (let i = found; i >= 0 && i > found - 8; i--) {
      const seq = seqs[i];
      if (address >= seq.end || address < seq.start) continue;
      const rows = this.rows;
      const row = lastAtOrBelow(rows.offsets, seq.from, seq.to, Number(address - seq.base));
      if (row < 0 || rows.lines[row] === 0) return undefined;
      return { file: this.files[rows.files[row]], line: rows.lines[row], column: rows.columns[row] };
    }
    return undefined;
  }

  private readUnit(c: Cursor, sections: LineSections): void {
    let length = c.u32();
    let offsetSize = 4;
    if (length === 0xffffffff) {
      length = Number(c.u64());
      offsetSize = 8;
    }
    const version = c.u16();
    if (version < 2 || version > 5) throw new RangeError(`line table version ${version}`);
    let addressSize = 8;
    if (version >= 5) {
      addressSize = c.u8();
      c.u8(); // segment selector size
    }
    const headerLength = offsetSize === 8 ? Number(c.u64()) : c.u32();
    const programStart = c.pos + headerLength;
    const minInstLength = c.u8();
    const maxOps = version >= 4 ? c.u8() || 1 : 1;
    const defaultIsStmt = c.u8() !== 0;
    const lineBase = c.i8();
    const lineRange = c.u8();
    const opcodeBase = c.u8();
    if (lineRange === 0) throw new RangeError('line_range 0');
    const opcodeLengths = [0];
    for (let i = 1; i < opcodeBase; i++) opcodeLengths.push(c.u8());

    const strings = { c, offsetSize, sections };
    let fileIds: number[];
    if (version >= 5) {
      const dirs = entryTable(strings).map((e) => e.path ?? '');
      fileIds = entryTable(strings).map((e) => this.fileId(joinPath(dirs[e.dir ?? 0] ?? '', e.path ?? '?')));
    } else {
      const dirs = [''];
      for (let dir = c.cString(); dir !== ''; dir = c.cString()) dirs.push(dir);
      // Index 0 is unused before DWARF 5: files count from 1.
      fileIds = [this.fileId('?')];
      for (let name = c.cString(); name !== ''; name = c.cString()) {
        const dir = uleb(c);
        uleb(c); // modification time
        uleb(c); // length
        fileIds.push(this.fileId(joinPath(dirs[dir] ?? '', name)));
      }
    }
    c.pos = programStart;
    this.runProgram(c, { version, addressSize, minInstLength, maxOps, defaultIsStmt, lineBase, lineRange, opcodeBase, opcodeLengths, fileIds });
  }

  private runProgram(c: Cursor, h: ProgramHeader): void {
    const end = c.data.length;
    const rows = this.rows;
    // The address register is base + delta: set_address sets the base, every advance moves the delta.
    // A sequence's rows are relative to the base its first row had.
    let sequenceFrom = rows.count;
    let sequenceBase = 0n;
    let base = 0n;
    let delta = 0;
    let opIndex = 0;
    let file = 1;
    let line = 1;
    let column = 0;
    const minInst = h.minInstLength;
    const reset = (): void => {
      base = 0n;
      delta = 0;
      opIndex = 0;
      file = 1;
      line = 1;
      column = 0;
    };
    const advance = (operations: number): void => {
      if (h.maxOps === 1) delta += minInst * operations;
      else {
        delta += minInst * Math.floor((opIndex + operations) / h.maxOps);
        opIndex = (opIndex + operations) % h.maxOps;
      }
    };
    const fileIndex = (n: number): number => h.fileIds[n] ?? this.fileId(`file ${n}`);
    const emit = (): void => {
      if (rows.count === sequenceFrom) sequenceBase = base;
      const offset = base === sequenceBase ? delta : Number(base - sequenceBase) + delta;
      // A set_address that moves backwards or 4 GiB away inside a sequence: not a table we can trust.
      if (offset < 0 || offset > 0xffffffff) throw new RangeError('line table sequence out of order');
      rows.push(offset, line, column, fileIndex(file));
    };
    while (c.pos < end) {
      const op = c.u8();
      if (op >= h.opcodeBase) {
        const adjusted = op - h.opcodeBase;
        advance(Math.floor(adjusted / h.lineRange));
        line += h.lineBase + (adjusted % h.lineRange);
        emit();
        continue;
      }
      switch (op) {
        case 0: {
          const length = uleb(c);
          const after = c.pos + length;
          const sub = length > 0 ? c.u8() : 0;
          if (sub === LNE.endSequence) {
            this.addSequence(sequenceFrom, sequenceBase, base + BigInt(delta));
            sequenceFrom = rows.count;
            reset();
          } else if (sub === LNE.setAddress) {
            const size = length - 1;
            if (size === 8 || size === 4) {
              base = size === 8 ? c.u64() : BigInt(c.u32());
              delta = 0;
            }
            opIndex = 0;
          }
          // define_file (DWARF 2-4, never emitted by today's compilers), discriminators, vendor ops: skipped.
          c.pos = after;
          break;
        }
        case LNS.copy:
          emit();
          break;
        case LNS.advancePc:
          advance(uleb(c));
          break;
        case LNS.advanceLine:
          line += sleb(c);
          break;
        case LNS.setFile:
          file = uleb(c);
          break;
        case LNS.setColumn:
          column = uleb(c);
          break;
        case LNS.constAddPc:
          advance(Math.floor((255 - h.opcodeBase) / h.lineRange));
          break;
        case LNS.fixedAdvancePc:
          delta += c.u16();
          opIndex = 0;
          break;
        case LNS.negateStmt:
        case LNS.setBasicBlock:
        case LNS.setPrologueEnd:
        case LNS.setEpilogueBegin:
          break;
        default:
          // set_isa and opcodes of later versions: skip their ULEB operands as the header says.
          for (let i = 0; i < (h.opcodeLengths[op] ?? 0); i++) uleb(c);
      }
    }
  }

  private addSequence(from: number, base: bigint, end: bigint): void {
    const rows = this.rows;
    const start = base + BigInt(rows.offsets[from]);
    // A sequence at address 0 in a linked file is a function the linker discarded (COMDAT, --gc-sections).
    if (rows.count === from || start === 0n || end <= start) {
      rows.count = from; // drop its rows
      return;
    }
    this.sequences.push({ start, end, base, from, to: rows.count });
  }

  private readonly fileIndexOf = new Map<string, number>();
  private fileId(path: string): number {
    let id = this.fileIndexOf.get(path);
    if (id === undefined) {
      id = this.files.length;
      this.files.push(path);
      this.fileIndexOf.set(path, id);
    }
    return id;
  }
}

interface ProgramHeader {
  version: number;
  addressSize: number;
  minInstLength: number;
  maxOps: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  opcodeLengths: number[];
  fileIds: number[];
}

/** Offset just past the unit that starts at `offset`. */
function unitEnd(data: Buffer, offset: number): number | undefined {
  const length = data.readUInt32LE(offset);
  if (length < 0xfffffff0) return offset + 4 + length;
  if (length !== 0xffffffff || offset + 12 > data.length) return undefined;
  const long = data.readBigUInt64LE(offset + 4);
  return long > BigInt(data.length) ? undefined : offset + 12 + Number(long);
}

/**
 * LEB128 as numbers, without the bigints of Cursor.uleb (they made the garbage collector the largest
 * cost): line-program operands are small. A value past 2^53 cannot be a line, column or advance.
 */
function uleb(c: Cursor): number {
  let result = 0;
  let scale = 1;
  for (;;) {
    const byte = c.data[c.pos++];
    if (byte === undefined) throw new RangeError('LEB128 runs past the end of the data');
    result += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) break;
    scale *= 128;
  }
  if (result > Number.MAX_SAFE_INTEGER) throw new RangeError('LEB128 value too large for a line table');
  return result;
}

function sleb(c: Cursor): number {
  let result = 0;
  let scale = 1;
  let byte: number;
  do {
    byte = c.data[c.pos++];
    if (byte === undefined) throw new RangeError('LEB128 runs past the end of the data');
    result += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte & 0x80);
  if (byte & 0x40) result -= scale;
  if (!Number.isSafeInteger(result)) throw new RangeError('LEB128 value too large for a line table');
  return result;
}

/** The last index in [from, to) whose offset is <= `offset`, or -1. */
function lastAtOrBelow(offsets: Uint32Array, from: number, to: number, offset: number): number {
  let lo = from;
  let hi = to - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid] <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function joinPath(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '') return name;
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

interface StringContext {
  c: Cursor;
  offsetSize: number;
  sections: LineSections;
}

/** A DWARF 5 directory or file table: a format (content type, form pairs), then the entries. */
function entryTable(s: StringContext): Array<{ path?: string; dir?: number }> {
  const { c } = s;
  const format: Array<[number, number]> = [];
  const formatCount = c.u8();
  for (let i = 0; i < formatCount; i++) format.push([uleb(c), uleb(c)]);
  const count = uleb(c);
  const entries: Array<{ path?: string; dir?: number }> = [];
  for (let i = 0; i < count; i++) {
    const entry: { path?: string; dir?: number } = {};
    for (const [type, form] of format) {
      const value = readForm(s, form);
      if (type === LNCT.path && typeof value === 'string') entry.path = value;
      else if (type === LNCT.directoryIndex && typeof value === 'number') entry.dir = value;
    }
    entries.push(entry);
  }
  return entries;
}

/** One attribute value of the forms line tables use: strings, numbers, or skipped bytes (MD5, blocks). */
function readForm(s: StringContext, form: number): string | number | undefined {
  const { c, offsetSize, sections } = s;
  const offset = (): number => (offsetSize === 8 ? Number(c.u64()) : c.u32());
  switch (form) {
    case FORM.string:
      return c.cString();
    case FORM.lineStrp:
      return stringAt(sections.debugLineStr, offset());
    case FORM.strp:
      return stringAt(sections.debugStr, offset());
    case FORM.udata:
      return uleb(c);
    case FORM.sdata:
      return sleb(c);
    case FORM.data1:
      return c.u8();
    case FORM.data2:
      return c.u16();
    case FORM.data4:
      return c.u32();
    case FORM.data8:
      c.pos += 8;
      return undefined;
    case FORM.data16:
      c.pos += 16;
      return undefined;
    case FORM.block:
      c.pos += uleb(c);
      return undefined;
    case FORM.block1:
      c.pos += c.u8();
      return undefined;
    case FORM.block2:
      c.pos += c.u16();
      return undefined;
    case FORM.block4:
      c.pos += c.u32();
      return undefined;
    case FORM.strx:
      uleb(c);
      return undefined; // needs .debug_str_offsets and the unit's base: not used in line tables in practice
    case FORM.strx1:
    case FORM.strx2:
    case FORM.strx3:
    case FORM.strx4:
      c.pos += form - FORM.strx1 + 1;
      return undefined;
    default:
      throw new RangeError(`form 0x${form.toString(16)} in a line table header`);
  }
}

/** Strings of .debug_line_str/.debug_str by offset: every unit names the same directories and headers. */
const decoded = new WeakMap<Buffer, Map<number, string>>();

function stringAt(section: Buffer | undefined, offset: number): string | undefined {
  if (!section || offset >= section.length) return undefined;
  let strings = decoded.get(section);
  if (!strings) decoded.set(section, (strings = new Map()));
  let text = strings.get(offset);
  if (text === undefined) {
    const end = section.indexOf(0, offset);
    text = section.toString('utf8', offset, end < 0 ? section.length : end);
    strings.set(offset, text);
  }
  return text;
}
