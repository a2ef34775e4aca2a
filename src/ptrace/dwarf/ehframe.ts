/**
 * .eh_frame and .eh_frame_hdr: the call-frame information every x86-64 binary carries for exception
 * unwinding, even when built without frame pointers (Debian's libc is). Parses CIEs and FDEs (LSB
 * "Exception Frames" format, a variant of DWARF .debug_frame), and finds the FDE covering a pc with the
 * binary-search table of .eh_frame_hdr, or with an index built from one scan when there is no table.
 */
import { Cursor, DW_EH_PE } from './cursor.js';

export interface Cie {
  offset: number;
  augmentation: string;
  codeAlign: bigint;
  dataAlign: bigint;
  returnRegister: number;
  fdeEncoding: number;
  /** 'S' augmentation: the frame is a signal trampoline, so its return address is not after a call. */
  signalFrame: boolean;
  initialInstructions: Buffer;
}

export interface Fde {
  offset: number;
  cie: Cie;
  pcBegin: bigint;
  pcEnd: bigint;
  instructions: Buffer;
  /** Virtual address of instructions[0], for DW_CFA_set_loc with a pc-relative encoding. */
  instructionsAddress: bigint;
}

export interface Section {
  data: Buffer;
  /** Virtual address of data[0] in the file's address space. */
  address: bigint;
}

const TABLE_DATAREL_SDATA4 = DW_EH_PE.datarel | DW_EH_PE.sdata4;

export class EhFrame {
  private readonly cies = new Map<number, Cie>();
  private index?: { starts: BigUint64Array; offsets: number[] };
  private readonly table?: { cursorBase: number; count: number; hdr: Section };

  constructor(
    private readonly frame: Section,
    hdr?: Section,
  ) {
    this.table = hdr ? readHdrTable(hdr) : undefined;
  }

  /** The FDE whose range holds `pc` (a file virtual address), if any. */
  findFde(pc: bigint): Fde | undefined {
    const offset = this.table ? this.searchTable(pc) : this.searchIndex(pc);
    if (offset === undefined) return undefined;
    const fde = this.fdeAt(offset);
    return fde && pc >= fde.pcBegin && pc < fde.pcEnd ? fde : undefined;
  }

  /** Every FDE, in section order (for tests and for building the index). */
  *entries(): Generator<Fde> {
    let at = 0;
    while (at + 4 <= this.frame.data.length) {
      const head = entryHead(this.frame.data, at);
      if (!head) return;
      if (head.id !== 0) {
        const fde = this.fdeAt(at);
        if (fde) yield fde;
      }
      at = head.end;
    }
  }

  private searchTable(pc: bigint): number | undefined {
    const { cursorBase, count, hdr } = this.table!;
    const data = hdr.data;
    let lo = 0;
    let hi = count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const start = hdr.address + BigInt(data.readInt32LE(cursorBase + mid * 8));
      if (start <= pc) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const fdeAddress = hdr.address + BigInt(data.readInt32LE(cursorBase + found * 8 + 4));
    return Number(fdeAddress - this.frame.address);
  }

  private searchIndex(pc: bigint): number | undefined {
    if (!this.index) {
      const fdes = [...this.entries()].sort((a, b) => (a.pcBegin < b.pcBegin ? -1 : a.pcBegin > b.pcBegin ? 1 : 0));
      this.index = { starts: BigUint64Array.from(fdes.map((f) => f.pcBegin)), offsets: fdes.map((f) => f.offset) };
    }
    const { starts, offsets } = this.index;
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= pc) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? undefined : offsets[found];
  }

  private fdeAt(offset: number): Fde | undefined {
    const data = this.frame.data;
    if (offset < 0 || offset + 8 > data.length) return undefined;
    const head = entryHead(data, offset);
    if (!head || head.id === 0) return undefined;
    const cie = this.cieAt(head.idPos - head.id);
    if (!cie) return undefined;
    const c = new Cursor(data, head.bodyPos, this.frame.address);
    const pcBegin = c.encoded(cie.fdeEncoding);
    const pcRange = c.rawEncoded(cie.fdeEncoding & 0x0f);
    if (cie.augmentation.startsWith('z')) c.pos += c.ulebNumber();
    return {
      offset,
      cie,
      pcBegin,
      pcEnd: pcBegin + pcRange,
      instructions: data.subarray(c.pos, head.end),
      instructionsAddress: this.frame.address + BigInt(c.pos),
    };
  }

  private cieAt(offset: number): Cie | undefined {
    const cached = this.cies.get(offset);
    if (cached) return cached;
    const data = this.frame.data;
    const head = offset >= 0 && offset + 8 <= data.length ? entryHead(data, offset) : undefined;
    if (!head || head.id !== 0) return undefined;
    const c = new Cursor(data, head.bodyPos, this.frame.address);
    const version = c.u8();
    const augmentation = c.cString();
    if (augmentation.includes('eh')) c.u64();
    const codeAlign = c.uleb();
    const dataAlign = c.sleb();
    const returnRegister = version === 1 ? c.u8() : c.ulebNumber();
    let fdeEncoding = DW_EH_PE.absptr as number;
    let signalFrame = false;
    if (augmentation.startsWith('z')) {
      const length = c.ulebNumber();
      const end = c.pos + length;
      for (const ch of augmentation.slice(1)) {
        if (ch === 'R') fdeEncoding = c.u8();
        else if (ch === 'L') c.u8();
        else if (ch === 'P') c.encoded(c.u8() & ~DW_EH_PE.indirect);
        else if (ch === 'S') signalFrame = true;
        else if (ch !== 'B' && ch !== 'G') break;
      }
      c.pos = end;
    }
    const cie: Cie = {
      offset,
      augmentation,
      codeAlign,
      dataAlign,
      returnRegister,
      fdeEncoding,
      signalFrame,
      initialInstructions: data.subarray(c.pos, head.end),
    };
    this.cies.set(offset, cie);
    return cie;
  }
}

/** Length and id of the entry at `at`: id 0 is a CIE, otherwise the distance back to the FDE's CIE. */
function entryHead(data: Buffer, at: number): { id: number; idPos: number; bodyPos: number; end: number } | undefined {
  let length = data.readUInt32LE(at);
  let idPos = at + 4;
  if (length === 0) return undefined;
  if (length === 0xffffffff) {
    length = Number(data.readBigUInt64LE(at + 4));
    idPos = at + 12;
  }
  const end = idPos + length;
  if (end > data.length) return undefined;
  return { id: data.readUInt32LE(idPos), idPos, bodyPos: idPos + 4, end };
}

/** The sorted (initial pc, FDE address) table of .eh_frame_hdr, when it has the usual datarel|sdata4 layout. */
function readHdrTable(hdr: Section): { cursorBase: number; count: number; hdr: Section } | undefined {
  const c = new Cursor(hdr.data, 0, hdr.address);
  if (hdr.data.length < 4 || c.u8() !== 1) return undefined;
  const framePtrEnc = c.u8();
  const countEnc = c.u8();
  const tableEnc = c.u8();
  if (framePtrEnc === DW_EH_PE.omit || countEnc === DW_EH_PE.omit || tableEnc !== TABLE_DATAREL_SDATA4) return undefined;
  c.encoded(framePtrEnc, hdr.address);
  const count = Number(c.encoded(countEnc, hdr.address));
  if (c.pos + count * 8 > hdr.data.length) return undefined;
  return { cursorBase: c.pos, count, hdr };
}

/** Where .eh_frame starts according to .eh_frame_hdr (for binaries whose section headers were stripped). */
export function ehFramePointer(hdr: Section): bigint | undefined {
  const c = new Cursor(hdr.data, 0, hdr.address);
  if (hdr.data.length < 8 || c.u8() !== 1) return undefined;
  const framePtrEnc = c.u8();
  c.pos = 4;
  return framePtrEnc === DW_EH_PE.omit ? undefined : c.encoded(framePtrEnc, hdr.address);
}
