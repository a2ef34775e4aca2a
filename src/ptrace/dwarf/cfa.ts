/**
 * Runs the call-frame instructions of a CIE and FDE up to a pc and returns the unwind row for it: how to
 * compute the CFA (canonical frame address) and where each register of the caller was saved
 * (DWARF 5 section 6.4.2; opcode numbers from section 7.24).
 */
import { Cursor } from './cursor.js';
import type { Cie, Fde } from './ehframe.js';

export type RegisterRule =
  | { kind: 'undefined' }
  | { kind: 'same' }
  | { kind: 'offset'; offset: bigint } // saved at CFA + offset
  | { kind: 'valOffset'; offset: bigint } // value is CFA + offset
  | { kind: 'register'; register: number } // value is in another register
  | { kind: 'expression'; expression: Buffer } // saved at the address the expression computes
  | { kind: 'valExpression'; expression: Buffer }; // value is what the expression computes

export type CfaRule = { kind: 'register'; register: number; offset: bigint } | { kind: 'expression'; expression: Buffer };

export interface Row {
  cfa: CfaRule;
  rules: Map<number, RegisterRule>;
}

interface Interpreter {
  code: Cursor;
  cie: Cie;
  fde?: Fde;
  row: Row;
  /** Row after the CIE's initial instructions, which DW_CFA_restore returns to. */
  initial?: Row;
  stack: Row[];
  location: bigint;
  target: bigint;
}

const cloneRow = (row: Row): Row => ({ cfa: { ...row.cfa }, rules: new Map(row.rules) });

/** Moves the location forward; returns true when it passes the target pc, which ends the program. */
function advance(it: Interpreter, delta: bigint): boolean {
  it.location += delta * it.cie.codeAlign;
  return it.location > it.target;
}

function block(c: Cursor): Buffer {
  const length = c.ulebNumber();
  const bytes = c.data.subarray(c.pos, c.pos + length);
  c.pos += length;
  return bytes;
}

function setCfaRegister(it: Interpreter, register: number): void {
  const offset = it.row.cfa.kind === 'register' ? it.row.cfa.offset : 0n;
  it.row.cfa = { kind: 'register', register, offset };
}

function setCfaOffset(it: Interpreter, offset: bigint): void {
  if (it.row.cfa.kind === 'register') it.row.cfa = { ...it.row.cfa, offset };
}

function restore(it: Interpreter, register: number): void {
  const rule = it.initial?.rules.get(register);
  if (rule) it.row.rules.set(register, rule);
  else it.row.rules.delete(register);
}

const set = (it: Interpreter, register: number, rule: RegisterRule) => void it.row.rules.set(register, rule);
const factored = (it: Interpreter, value: bigint) => value * it.cie.dataAlign;

/** Extended opcodes (high two bits zero). A handler returns true to stop. */
const EXTENDED: Record<number, (it: Interpreter) => boolean | void> = {
  0x00: () => undefined, // nop
  0x01: (it) => {
    // set_loc
    it.location = it.code.encoded(it.cie.fdeEncoding);
    return it.location > it.target;
  },
  0x02: (it) => advance(it, BigInt(it.code.u8())),
  0x03: (it) => advance(it, BigInt(it.code.u16())),
  0x04: (it) => advance(it, BigInt(it.code.u32())),
  0x05: (it) => set(it, it.code.ulebNumber(), { kind: 'offset', offset: factored(it, it.code.uleb()) }),
  0x06: (it) => restore(it, it.code.ulebNumber()),
  0x07: (it) => set(it, it.code.ulebNumber(), { kind: 'undefined' }),
  0x08: (it) => set(it, it.code.ulebNumber(), { kind: 'same' }),
  0x09: (it) => set(it, it.code.ulebNumber(), { kind: 'register', register: it.code.ulebNumber() }),
  0x0a: (it) => void it.stack.push(cloneRow(it.row)), // remember_state
  0x0b: (it) => {
    const saved = it.stack.pop();
    if (saved) it.row = saved;
  },
  0x0c: (it) => {
    const register = it.code.ulebNumber();
    it.row.cfa = { kind: 'register', register, offset: it.code.uleb() };
  },
  0x0d: (it) => setCfaRegister(it, it.code.ulebNumber()),
  0x0e: (it) => setCfaOffset(it, it.code.uleb()),
  0x0f: (it) => void (it.row.cfa = { kind: 'expression', expression: block(it.code) }),
  0x10: (it) => set(it, it.code.ulebNumber(), { kind: 'expression', expression: block(it.code) }),
  0x11: (it) => set(it, it.code.ulebNumber(), { kind: 'offset', offset: factored(it, it.code.sleb()) }),
  0x12: (it) => {
    const register = it.code.ulebNumber();
    it.row.cfa = { kind: 'register', register, offset: factored(it, it.code.sleb()) };
  },
  0x13: (it) => setCfaOffset(it, factored(it, it.code.sleb())),
  0x14: (it) => set(it, it.code.ulebNumber(), { kind: 'valOffset', offset: factored(it, it.code.uleb()) }),
  0x15: (it) => set(it, it.code.ulebNumber(), { kind: 'valOffset', offset: factored(it, it.code.sleb()) }),
  0x16: (it) => set(it, it.code.ulebNumber(), { kind: 'valExpression', expression: block(it.code) }),
  0x2e: (it) => void it.code.uleb(), // GNU_args_size: only matters for exception landing pads
  0x2f: (it) => set(it, it.code.ulebNumber(), { kind: 'offset', offset: -factored(it, it.code.uleb()) }),
};

/** Primary opcodes carry an operand in their low six bits. */
const PRIMARY: Record<number, (it: Interpreter, low: number) => boolean | void> = {
  0x40: (it, low) => advance(it, BigInt(low)), // advance_loc
  0x80: (it, low) => set(it, low, { kind: 'offset', offset: factored(it, it.code.uleb()) }), // offset
  0xc0: (it, low) => restore(it, low), // restore
};

function run(it: Interpreter): boolean {
  while (!it.code.done) {
    const op = it.code.u8();
    const high = op & 0xc0;
    const stop = high ? PRIMARY[high](it, op & 0x3f) : EXTENDED[op]?.(it);
    if (stop === undefined && !high && !(op in EXTENDED)) return false; // unknown opcode: the row is unreliable
    if (stop) break;
  }
  return true;
}

/** The unwind row in effect at `pc` inside `fde`, or undefined if the instructions use something unknown. */
export function rowAt(fde: Fde, pc: bigint): Row | undefined {
  const { cie } = fde;
  const it: Interpreter = {
    code: new Cursor(cie.initialInstructions),
    cie,
    row: { cfa: { kind: 'register', register: 0, offset: 0n }, rules: new Map() },
    stack: [],
    location: fde.pcBegin,
    target: pc,
  };
  try {
    if (!run(it)) return undefined;
    it.initial = cloneRow(it.row);
    it.code = new Cursor(fde.instructions, 0, fde.instructionsAddress);
    it.fde = fde;
    it.location = fde.pcBegin;
    if (!run(it)) return undefined;
  } catch (error) {
    if (error instanceof RangeError) return undefined; // truncated instructions
    throw error;
  }
  return it.row;
}
