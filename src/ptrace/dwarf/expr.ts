/**
 * A DWARF expression evaluator for the expressions call-frame information uses: glibc's signal
 * trampoline (__restore_rt) describes every register with DW_OP_breg7 expressions, and PLT entries
 * compute their CFA with DW_OP_breg7/breg16, lit, and, ge, shl, plus. Values are 64-bit, wrapping;
 * comparisons are signed, as DWARF 5 section 2.5.1 says.
 */
import { Cursor } from './cursor.js';

export interface ExprContext {
  /** Register value by DWARF number, or undefined if unknown. */
  register(n: number): bigint | undefined;
  /** Reads `size` bytes of target memory as an unsigned little-endian value. */
  readMemory(address: bigint, size: number): bigint | undefined;
}

class ExprError extends Error {}

interface Machine {
  stack: bigint[];
  code: Cursor;
  ctx: ExprContext;
}

const wrap = (v: bigint) => BigInt.asUintN(64, v);
const signed = (v: bigint) => BigInt.asIntN(64, v);

function pop(m: Machine): bigint {
  const v = m.stack.pop();
  if (v === undefined) throw new ExprError('stack underflow');
  return v;
}
const push = (m: Machine, v: bigint) => void m.stack.push(wrap(v));

function binary(fn: (a: bigint, b: bigint) => bigint) {
  return (m: Machine) => {
    const b = pop(m);
    const a = pop(m);
    push(m, fn(a, b));
  };
}
const compare = (fn: (a: bigint, b: bigint) => boolean) => binary((a, b) => (fn(signed(a), signed(b)) ? 1n : 0n));

function deref(m: Machine, size: number): void {
  const value = m.ctx.readMemory(pop(m), size);
  if (value === undefined) throw new ExprError('unreadable memory');
  push(m, value);
}

function register(m: Machine, n: number, offset: bigint): void {
  const value = m.ctx.register(n);
  if (value === undefined) throw new ExprError(`register ${n} unknown`);
  push(m, value + offset);
}

/** Opcode -> action (DWARF 5 section 7.7.1). */
const OPS: Record<number, (m: Machine) => void> = {
  0x03: (m) => push(m, m.code.u64()), // addr
  0x06: (m) => deref(m, 8),
  0x08: (m) => push(m, BigInt(m.code.u8())),
  0x09: (m) => push(m, BigInt(m.code.i8())),
  0x0a: (m) => push(m, BigInt(m.code.u16())),
  0x0b: (m) => push(m, BigInt(m.code.i16())),
  0x0c: (m) => push(m, BigInt(m.code.u32())),
  0x0d: (m) => push(m, BigInt(m.code.i32())),
  0x0e: (m) => push(m, m.code.u64()),
  0x0f: (m) => push(m, m.code.i64()),
  0x10: (m) => push(m, m.code.uleb()),
  0x11: (m) => push(m, m.code.sleb()),
  0x12: (m) => {
    const v = pop(m);
    m.stack.push(v, v);
  },
  0x13: (m) => void pop(m),
  0x14: (m) => {
    const v = m.stack[m.stack.length - 2];
    if (v === undefined) throw new ExprError('stack underflow');
    m.stack.push(v);
  },
  0x15: (m) => {
    const v = m.stack[m.stack.length - 1 - m.code.u8()];
    if (v === undefined) throw new ExprError('stack underflow');
    m.stack.push(v);
  },
  0x16: (m) => {
    const b = pop(m);
    const a = pop(m);
    m.stack.push(b, a);
  },
  0x17: (m) => {
    const c = pop(m);
    const b = pop(m);
    const a = pop(m);
    m.stack.push(c, a, b);
  },
  0x19: (m) => {
    const v = signed(pop(m));
    push(m, v < 0n ? -v : v);
  },
  0x1a: binary((a, b) => a & b),
  0x1b: binary((a, b) => {
    if (b === 0n) throw new ExprError('division by zero');
    return signed(a) / signed(b);
  }),
  0x1c: binary((a, b) => a - b),
  0x1d: binary((a, b) => {
    if (b === 0n) throw new ExprError('division by zero');
    return a % b;
  }),
  0x1e: binary((a, b) => a * b),
  0x1f: (m) => push(m, -signed(pop(m))),
  0x20: (m) => push(m, ~pop(m)),
  0x21: binary((a, b) => a | b),
  0x22: binary((a, b) => a + b),
  0x23: (m) => push(m, pop(m) + m.code.uleb()),
  0x24: binary((a, b) => (b >= 64n ? 0n : a << b)),
  0x25: binary((a, b) => (b >= 64n ? 0n : a >> b)),
  0x26: binary((a, b) => signed(a) >> (b >= 64n ? 63n : b)),
  0x27: binary((a, b) => a ^ b),
  0x28: (m) => {
    const delta = m.code.i16();
    if (pop(m) !== 0n) m.code.pos += delta;
  },
  0x29: compare((a, b) => a === b),
  0x2a: compare((a, b) => a >= b),
  0x2b: compare((a, b) => a > b),
  0x2c: compare((a, b) => a <= b),
  0x2d: compare((a, b) => a < b),
  0x2e: compare((a, b) => a !== b),
  0x2f: (m) => {
    const delta = m.code.i16();
    m.code.pos += delta;
  },
  0x92: (m) => {
    const n = m.code.ulebNumber();
    register(m, n, m.code.sleb());
  },
  0x94: (m) => deref(m, m.code.u8()),
  0x96: () => undefined,
};
for (let i = 0; i < 32; i++) {
  OPS[0x30 + i] = (m) => push(m, BigInt(i)); // lit0..lit31
  OPS[0x70 + i] = (m) => register(m, i, m.code.sleb()); // breg0..breg31
}

/**
 * Evaluates `expression`, optionally with an initial stack value (DW_CFA_expression pushes the CFA),
 * and returns the top of the stack, or undefined when the expression needs something we cannot know
 * (an unknown register, unreadable memory, an opcode CFI never uses).
 */
export function evaluate(expression: Buffer, ctx: ExprContext, initial?: bigint): bigint | undefined {
  const m: Machine = { stack: initial === undefined ? [] : [initial], code: new Cursor(expression), ctx };
  let steps = 0;
  try {
    while (!m.code.done) {
      if (++steps > 10_000) return undefined; // a branch loop in corrupt data
      const op = OPS[m.code.u8()];
      if (!op) return undefined;
      op(m);
    }
  } catch (error) {
    if (error instanceof ExprError || error instanceof RangeError) return undefined;
    throw error;
  }
  return m.stack.at(-1);
}
