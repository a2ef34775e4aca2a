/**
 * A read cursor over a section's bytes that knows DWARF's variable-length integers (LEB128) and the
 * pointer encodings of .eh_frame (DW_EH_PE_*, from the LSB "Exception Frames" spec). Positions are
 * byte offsets in the buffer; `base` is the virtual address of byte 0, needed for pc-relative values.
 */
export const DW_EH_PE = {
  omit: 0xff,
  absptr: 0x00,
  uleb128: 0x01,
  udata2: 0x02,
  udata4: 0x03,
  udata8: 0x04,
  sleb128: 0x09,
  sdata2: 0x0a,
  sdata4: 0x0b,
  sdata8: 0x0c,
  pcrel: 0x10,
  textrel: 0x20,
  datarel: 0x30,
  funcrel: 0x40,
  aligned: 0x50,
  indirect: 0x80,
} as const;

export class Cursor {
  constructor(
    readonly data: Buffer,
    public pos = 0,
    /** Virtual address of data[0]. */
    readonly base = 0n,
  ) {}

  get done(): boolean {
    return this.pos >= this.data.length;
  }

  u8(): number {
    return this.data[this.pos++];
  }
  u16(): number {
    const v = this.data.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.data.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i8(): number {
    const v = this.data.readInt8(this.pos);
    this.pos += 1;
    return v;
  }
  i16(): number {
    const v = this.data.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  i32(): number {
    const v = this.data.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): bigint {
    const v = this.data.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }
  i64(): bigint {
    const v = this.data.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  uleb(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.data[this.pos++];
      if (byte === undefined) throw new RangeError('LEB128 runs past the end of the data');
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) return result;
    }
  }

  sleb(): bigint {
    let result = 0n;
    let shift = 0n;
    let byte: number;
    do {
      byte = this.data[this.pos++];
      if (byte === undefined) throw new RangeError('LEB128 runs past the end of the data');
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    if (byte & 0x40) result -= 1n << shift;
    return result;
  }

  /** Small LEB128 values (register numbers, lengths) as numbers. */
  ulebNumber(): number {
    return Number(this.uleb());
  }

  cString(): string {
    const end = this.data.indexOf(0, this.pos);
    const stop = end < 0 ? this.data.length : end;
    const s = this.data.toString('latin1', this.pos, stop);
    this.pos = stop + 1;
    return s;
  }

  /**
   * Reads a value in DW_EH_PE encoding `enc`. Only pc-relative and absolute applications occur in
   * .eh_frame on Linux; datarel is relative to `dataBase` (the .eh_frame_hdr start in its table).
   */
  encoded(enc: number, dataBase = 0n): bigint {
    if (enc === DW_EH_PE.omit) return 0n;
    const fieldAddress = this.base + BigInt(this.pos);
    const value = this.rawEncoded(enc & 0x0f);
    const application = enc & 0x70;
    const applied =
      application === DW_EH_PE.pcrel ? fieldAddress + value : application === DW_EH_PE.datarel ? dataBase + value : value;
    return BigInt.asUintN(64, applied);
  }

  /** The value part of an encoding, without applying pc- or data-relative bases. */
  rawEncoded(format: number): bigint {
    const read = FORMATS[format];
    if (!read) throw new RangeError(`unsupported pointer encoding 0x${format.toString(16)}`);
    return read(this);
  }
}

const FORMATS: Record<number, (c: Cursor) => bigint> = {
  [DW_EH_PE.absptr]: (c) => c.u64(),
  [DW_EH_PE.uleb128]: (c) => c.uleb(),
  [DW_EH_PE.udata2]: (c) => BigInt(c.u16()),
  [DW_EH_PE.udata4]: (c) => BigInt(c.u32()),
  [DW_EH_PE.udata8]: (c) => c.u64(),
  [DW_EH_PE.sleb128]: (c) => c.sleb(),
  [DW_EH_PE.sdata2]: (c) => BigInt(c.i16()),
  [DW_EH_PE.sdata4]: (c) => BigInt(c.i32()),
  [DW_EH_PE.sdata8]: (c) => c.i64(),
};
