/**
 * Walks a thread's stack from its registers: with the DWARF call-frame information of the module that
 * holds each pc, and by following the frame-pointer chain where a module has none (JIT code, binaries
 * built without unwind tables). Each frame is symbolized from the module's symbol tables.
 */
import { arch } from './arch.js';
import type { RegisterRule, Row } from './dwarf/cfa.js';
import { evaluate, type ExprContext } from './dwarf/expr.js';
import type { LoadedModule, ModuleResolver } from './modules.js';
import { demangle } from './demangle.js';
import { sourceAt } from './elf/lines.js';
import type { SourceLocation } from './dwarf/line.js';

export type UnwindMethod = 'registers' | 'cfi' | 'frame-pointer';

export interface Frame {
  pc: bigint;
  /** Stack pointer of this frame (the caller's CFA for frames past the first). */
  sp: bigint;
  /** How this frame was found: from the stopped registers, DWARF CFI, or the frame-pointer chain. */
  method: UnwindMethod;
  /** Basename of the module (libc.so.6, [vdso]) and its full path, when the pc is in a mapped ELF file. */
  module?: string;
  modulePath?: string;
  /** pc as an offset into the module's own address space (what addr2line wants). */
  moduleOffset?: bigint;
  symbol?: string;
  symbolOffset?: bigint;
  /** The symbol demangled (C++, Rust), present only when it was mangled. */
  demangled?: string;
  /** Source file and line of the pc (of the call, for return addresses), from DWARF line tables. */
  source?: SourceLocation;
  /** The frame is a signal trampoline (__restore_rt). */
  signalFrame?: boolean;
}

export interface UnwindResult {
  frames: Frame[];
  /** Why the walk stopped: `end` (the outermost frame says so), `limit`, or what failed. */
  end: string;
}

export type ReadMemory = (address: bigint, size: number) => bigint | undefined;

type Regs = Array<bigint | undefined>;

const { sp: SP, fp: FP, ra: RA } = arch.dwarf;

export function unwind(
  start: Regs,
  modules: ModuleResolver,
  readMemory: ReadMemory,
  maxFrames = 128,
): UnwindResult {
  const frames: Frame[] = [];
  let regs = start;
  let method: UnwindMethod = 'registers';
  // Return addresses point after the call: look them up at pc - 1 so a call at a function's end stays in it.
  let isReturnAddress = false;
  while (frames.length < maxFrames) {
    const pc = regs[RA];
    const sp = regs[SP];
    if (pc === undefined || pc === 0n || sp === undefined) return { frames, end: 'end' };
    const lookup: bigint = isReturnAddress ? pc - 1n : pc;
    const module = modules.moduleAt(lookup);
    const frame = describe(pc, sp, method, lookup, module);
    frames.push(frame);

    const viaCfi: CfiStep | undefined = module && stepWithCfi(regs, lookup - module.bias, module, readMemory);
    let next: Regs;
    if (viaCfi) {
      if (viaCfi.end) return { frames, end: 'end' };
      next = viaCfi.regs;
      frame.signalFrame = viaCfi.signalFrame || undefined;
      method = 'cfi';
      isReturnAddress = !viaCfi.signalFrame;
    } else {
      const viaFp = stepWithFramePointer(regs, readMemory);
      if (!viaFp) return { frames, end: module ? 'no unwind info and no frame pointer' : 'pc outside any module' };
      next = viaFp;
      method = 'frame-pointer';
      isReturnAddress = true;
    }
    // Stacks grow down: a caller's frame is above its callee's. Anything else is a loop or garbage
    // (signal frames may switch to an alternate stack, so they are exempt).
    const nextSp = next[SP];
    if (nextSp === undefined || (!frame.signalFrame && nextSp <= sp)) return { frames, end: 'stack pointer did not advance' };
    regs = next;
  }
  return { frames, end: 'limit' };
}

function describe(pc: bigint, sp: bigint, method: UnwindMethod, lookup: bigint, module: LoadedModule | undefined): Frame {
  const frame: Frame = { pc, sp, method };
  if (!module) return frame;
  frame.module = module.name;
  frame.modulePath = module.path;
  frame.moduleOffset = pc - module.bias;
  const hit = module.image.symbolAt(lookup - module.bias);
  if (hit) {
    frame.symbol = hit.name;
    frame.symbolOffset = hit.offset + (pc - lookup);
    const readable = demangle(hit.name);
    if (readable !== undefined) frame.demangled = readable;
  }
  const source = sourceAt(module.image, lookup - module.bias);
  if (source) frame.source = source;
  return frame;
}

interface CfiStep {
  regs: Regs;
  end: boolean;
  signalFrame: boolean;
}

function stepWithCfi(regs: Regs, filePc: bigint, module: LoadedModule, readMemory: ReadMemory): CfiStep | undefined {
  const found = module.image.unwindRowAt(filePc);
  if (!found) return undefined;
  const { fde, row } = found;
  const ctx: ExprContext = { register: (n) => regs[n], readMemory };
  const cfa = computeCfa(row, ctx);
  if (cfa === undefined) return undefined;
  const next: Regs = regs.slice();
  for (const [register, rule] of row.rules) next[register] = applyRule(rule, { register, cfa, regs, ctx, read: readMemory });
  next[SP] = cfa;
  const raRule = row.rules.get(fde.cie.returnRegister);
  // An explicitly undefined return address marks the outermost frame (_start, clone3's child).
  if (!raRule || raRule.kind === 'undefined') return { regs: next, end: true, signalFrame: fde.cie.signalFrame };
  next[RA] = next[fde.cie.returnRegister];
  if (next[RA] === undefined) return undefined;
  return { regs: next, end: false, signalFrame: fde.cie.signalFrame };
}

function computeCfa(row: Row, ctx: ExprContext): bigint | undefined {
  if (row.cfa.kind === 'expression') return evaluate(row.cfa.expression, ctx);
  const base = ctx.register(row.cfa.register);
  return base === undefined ? undefined : BigInt.asUintN(64, base + row.cfa.offset);
}

interface RuleInput {
  register: number;
  cfa: bigint;
  regs: Regs;
  ctx: ExprContext;
  read: ReadMemory;
}

/** Rule -> the caller's value of a register (DWARF 5 section 6.4.1). */
const RULES: { [K in RegisterRule['kind']]: (rule: Extract<RegisterRule, { kind: K }>, input: RuleInput) => bigint | undefined } = {
  undefined: () => undefined,
  same: (_rule, { register, regs }) => regs[register],
  offset: (rule, { cfa, read }) => read(BigInt.asUintN(64, cfa + rule.offset), 8),
  valOffset: (rule, { cfa }) => BigInt.asUintN(64, cfa + rule.offset),
  register: (rule, { regs }) => regs[rule.register],
  expression: (rule, { cfa, ctx, read }) => {
    const address = evaluate(rule.expression, ctx, cfa);
    return address === undefined ? undefined : read(address, 8);
  },
  valExpression: (rule, { cfa, ctx }) => evaluate(rule.expression, ctx, cfa),
};

function applyRule(rule: RegisterRule, input: RuleInput): bigint | undefined {
  const apply = RULES[rule.kind] as (r: RegisterRule, input: RuleInput) => bigint | undefined;
  return apply(rule, input);
}

/** The classic rbp chain: [rbp] is the caller's rbp, [rbp+8] the return address, the caller's sp is rbp+16. */
function stepWithFramePointer(regs: Regs, read: ReadMemory): Regs | undefined {
  const fp = regs[FP];
  const sp = regs[SP];
  if (fp === undefined || fp === 0n || sp === undefined || fp < sp || (fp & 7n) !== 0n) return undefined;
  const savedFp = read(fp, 8);
  const ra = read(fp + 8n, 8);
  if (savedFp === undefined || ra === undefined) return undefined;
  const next: Regs = regs.slice();
  next[FP] = savedFp;
  next[SP] = fp + 16n;
  next[RA] = ra;
  return next;
}
