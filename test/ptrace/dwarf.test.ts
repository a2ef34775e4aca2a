/**
 * The DWARF pieces on hand-made input: LEB128 (the spec's own examples), .eh_frame pointer encodings,
 * the expression evaluator (a real PLT CFA expression), and call-frame programs including
 * remember/restore state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cursor, DW_EH_PE } from '../../src/ptrace/dwarf/cursor.js';
import { evaluate, type ExprContext } from '../../src/ptrace/dwarf/expr.js';
import { rowAt } from '../../src/ptrace/dwarf/cfa.js';
import type { Cie, Fde } from '../../src/ptrace/dwarf/ehframe.js';

test('unsigned and signed LEB128 (DWARF 5, figures 7.19 and 7.20)', () => {
  const unsigned: Array<[number[], bigint]> = [[[2], 2n], [[127], 127n], [[0x80, 1], 128n], [[0x81, 1], 129n], [[0x82, 1], 130n], [[0xb9, 0x64], 12857n]];
  for (const [bytes, value] of unsigned) assert.equal(new Cursor(Buffer.from(bytes)).uleb(), value, bytes.join(','));
  const signed: Array<[number[], bigint]> = [[[2], 2n], [[0x7e], -2n], [[0xff, 0], 127n], [[0x81, 0x7f], -127n], [[0x80, 1], 128n], [[0x80, 0x7f], -128n], [[0x81, 1], 129n], [[0xff, 0x7e], -129n]];
  for (const [bytes, value] of signed) assert.equal(new Cursor(Buffer.from(bytes)).sleb(), value, bytes.join(','));
  assert.throws(() => new Cursor(Buffer.from([0x80])).uleb(), RangeError);
});

test('pointer encodings: absolute, pc-relative, data-relative, signed widths', () => {
  const data = Buffer.alloc(16);
  data.writeInt32LE(-16, 4);
  const c = new Cursor(data, 4, 0x1000n);
  assert.equal(c.encoded(DW_EH_PE.pcrel | DW_EH_PE.sdata4), 0x1004n - 16n);
  data.writeUInt16LE(0x20, 8);
  assert.equal(new Cursor(data, 8, 0x1000n).encoded(DW_EH_PE.datarel | DW_EH_PE.udata2, 0x5000n), 0x5020n);
  data.writeBigUInt64LE(0xdeadbeefn, 8);
  assert.equal(new Cursor(data, 8).encoded(DW_EH_PE.absptr), 0xdeadbeefn);
  assert.equal(new Cursor(data).encoded(DW_EH_PE.omit), 0n);
  assert.throws(() => new Cursor(data).encoded(0x07), RangeError);
});

const regs = (values: Record<number, bigint>, memory: Record<string, bigint> = {}): ExprContext => ({
  register: (n) => values[n],
  readMemory: (address) => memory[address.toString(16)],
});

test("a PLT entry's CFA expression (rsp+8, plus 8 once past the push)", () => {
  // DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and; DW_OP_lit11; DW_OP_ge; DW_OP_lit3; DW_OP_shl; DW_OP_plus
  const expr = Buffer.from([0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22]);
  assert.equal(evaluate(expr, regs({ 7: 0x7000n, 16: 0x401025n })), 0x7008n);
  assert.equal(evaluate(expr, regs({ 7: 0x7000n, 16: 0x40102bn })), 0x7010n);
  assert.equal(evaluate(expr, regs({ 7: 0x7000n })), undefined, 'unknown rip');
});

test('expression ops: deref, signed comparison, branches, stack ops, initial value', () => {
  // DW_OP_breg7 0x10; DW_OP_deref  (the signal trampoline's CFA)
  assert.equal(evaluate(Buffer.from([0x77, 0x10, 0x06]), regs({ 7: 0x100n }, { '110': 0x9000n })), 0x9000n);
  assert.equal(evaluate(Buffer.from([0x77, 0x18, 0x06]), regs({ 7: 0x100n })), undefined, 'unreadable memory');
  // -1 < 1 signed: DW_OP_const1s -1; DW_OP_lit1; DW_OP_lt
  assert.equal(evaluate(Buffer.from([0x09, 0xff, 0x31, 0x2d]), regs({})), 1n);
  // DW_OP_lit0; DW_OP_bra +1; DW_OP_lit5 (taken when not branching); => 5, and lit1 branch skips it
  assert.equal(evaluate(Buffer.from([0x30, 0x28, 0x01, 0x00, 0x35]), regs({})), 5n);
  assert.equal(evaluate(Buffer.from([0x31, 0x28, 0x01, 0x00, 0x35, 0x37]), regs({})), 7n);
  // DW_OP_lit1 DW_OP_lit2 DW_OP_swap DW_OP_minus => 2 - 1
  assert.equal(evaluate(Buffer.from([0x31, 0x32, 0x16, 0x1c]), regs({})), 1n);
  // DW_OP_lit0 DW_OP_lit1 DW_OP_minus wraps to 2^64 - 1
  assert.equal(evaluate(Buffer.from([0x30, 0x31, 0x1c]), regs({})), (1n << 64n) - 1n);
  // DW_CFA_expression pushes the CFA first: DW_OP_plus_uconst 8
  assert.equal(evaluate(Buffer.from([0x23, 0x08]), regs({}), 0x2000n), 0x2008n);
  assert.equal(evaluate(Buffer.from([0x1c]), regs({})), undefined, 'stack underflow');
  assert.equal(evaluate(Buffer.from([0xe0]), regs({})), undefined, 'unknown opcode');
});

function fde(initial: number[], instructions: number[], pcBegin = 0x1000n, length = 0x100n): Fde {
  const cie: Cie = {
    offset: 0,
    augmentation: 'zR',
    codeAlign: 1n,
    dataAlign: -8n,
    returnRegister: 16,
    fdeEncoding: DW_EH_PE.pcrel | DW_EH_PE.sdata4,
    signalFrame: false,
    initialInstructions: Buffer.from(initial),
  };
  return { offset: 0, cie, pcBegin, pcEnd: pcBegin + length, instructions: Buffer.from(instructions), instructionsAddress: 0n };
}

// The x86-64 CIE gcc emits: DW_CFA_def_cfa rsp+8; DW_CFA_offset ra at cfa-8
const CIE = [0x0c, 0x07, 0x08, 0x90, 0x01];

test('call-frame program of a function with a frame pointer', () => {
  // push rbp (1 byte): def_cfa_offset 16, rbp at cfa-16; mov rbp,rsp (3 bytes): def_cfa_register rbp;
  // ... leave at +0x40: def_cfa rsp+8
  const f = fde(CIE, [0x41, 0x0e, 0x10, 0x86, 0x02, 0x43, 0x0d, 0x06, 0x7c, 0x0c, 0x07, 0x08]);
  const at = (pc: bigint) => rowAt(f, pc)!;
  assert.deepEqual(at(0x1000n).cfa, { kind: 'register', register: 7, offset: 8n });
  assert.deepEqual(at(0x1000n).rules.get(16), { kind: 'offset', offset: -8n });
  assert.equal(at(0x1000n).rules.get(6), undefined);
  assert.deepEqual(at(0x1001n).cfa, { kind: 'register', register: 7, offset: 16n });
  assert.deepEqual(at(0x1001n).rules.get(6), { kind: 'offset', offset: -16n });
  assert.deepEqual(at(0x1004n).cfa, { kind: 'register', register: 6, offset: 16n });
  assert.deepEqual(at(0x103fn).cfa, { kind: 'register', register: 6, offset: 16n });
  assert.deepEqual(at(0x1040n).cfa, { kind: 'register', register: 7, offset: 8n });
});

test('remember_state / restore_state around an early return, and restore to the CIE rule', () => {
  // +1: cfa rsp+16, rbx at cfa-16; remember; +4: cfa rsp+8, restore rbx (back to CIE: no rule); +1: restore_state
  const f = fde(CIE, [0x41, 0x0e, 0x10, 0x83, 0x02, 0x0a, 0x44, 0x0e, 0x08, 0xc3, 0x41, 0x0b]);
  assert.deepEqual(rowAt(f, 0x1002n)!.rules.get(3), { kind: 'offset', offset: -16n });
  assert.equal(rowAt(f, 0x1005n)!.rules.get(3), undefined);
  assert.deepEqual(rowAt(f, 0x1005n)!.cfa, { kind: 'register', register: 7, offset: 8n });
  assert.deepEqual(rowAt(f, 0x1006n)!.rules.get(3), { kind: 'offset', offset: -16n });
  assert.deepEqual(rowAt(f, 0x1006n)!.cfa, { kind: 'register', register: 7, offset: 16n });
});

test('register, same-value, undefined, val_offset, expression rules and large advances', () => {
  const f = fde(CIE, [
    0x09, 0x03, 0x0c, // rbx is in r12
    0x08, 0x06, // rbp same value
    0x07, 0x10, // ra undefined (outermost frame)
    0x14, 0x0d, 0x02, // r13 = cfa - 16 (val_offset, factored)
    0x10, 0x0e, 0x02, 0x77, 0x08, // r14 at [rsp+8] (expression)
    0x03, 0x00, 0x01, // advance_loc2 0x100
    0x0f, 0x02, 0x77, 0x10, // def_cfa_expression rsp+16
  ], 0x1000n, 0x200n);
  const row = rowAt(f, 0x1000n)!;
  assert.deepEqual(row.rules.get(3), { kind: 'register', register: 12 });
  assert.deepEqual(row.rules.get(6), { kind: 'same' });
  assert.deepEqual(row.rules.get(16), { kind: 'undefined' });
  assert.deepEqual(row.rules.get(13), { kind: 'valOffset', offset: -16n });
  assert.deepEqual(row.rules.get(14), { kind: 'expression', expression: Buffer.from([0x77, 0x08]) });
  assert.equal(row.cfa.kind, 'register');
  assert.deepEqual(rowAt(f, 0x1100n)!.cfa, { kind: 'expression', expression: Buffer.from([0x77, 0x10]) });
  assert.equal(rowAt(fde(CIE, [0x17]), 0x1000n), undefined, 'unknown opcode');
});
