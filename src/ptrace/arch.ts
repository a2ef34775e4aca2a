/**
 * Everything x86-64-specific about a snapshot lives here: the kernel's user_regs_struct layout, the
 * DWARF register numbers the unwinder uses, the syscall calling convention and the restart codes the
 * kernel leaves in rax when it interrupts a blocking syscall. Another architecture would be another
 * module with the same shape.
 */

/** Field order of `struct user_regs_struct` (sys/user.h); each field is 8 bytes. */
const USER_REGS = [
  'r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi', 'rdi',
  'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs',
] as const;

export type RegisterName = (typeof USER_REGS)[number];
export type Registers = Record<RegisterName, bigint>;

/** DWARF register numbers for x86-64 (System V psABI, figure 3.36); 16 is the return address column. */
const DWARF_REGS: ReadonlyArray<RegisterName> = [
  'rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip',
];

/** The kernel's "restart me" codes plus EINTR: rax holds one of these when a blocking syscall was interrupted. */
const INTERRUPTED_SYSCALL_RESULTS = new Set([-512n, -513n, -514n, -516n, -4n]);

/** Argument registers of the syscall ABI, in order. */
const SYSCALL_ARGS: ReadonlyArray<RegisterName> = ['rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9'];

function interrupted(origRax: bigint, rax: bigint): boolean {
  return BigInt.asIntN(64, origRax) >= 0n && INTERRUPTED_SYSCALL_RESULTS.has(BigInt.asIntN(64, rax));
}

export const arch = {
  name: 'x86_64',
  regsSize: USER_REGS.length * 8,
  registerNames: USER_REGS,
  dwarf: { sp: 7, fp: 6, ra: 16, count: DWARF_REGS.length },

  decodeRegisters(buffer: Buffer): Registers {
    // A 64-bit view reads natively; Buffer#readBigUInt64LE is a JavaScript call per field (slow before JIT).
    const aligned = buffer.byteOffset % 8 === 0 ? buffer : Buffer.from(buffer);
    const words = new BigUint64Array(aligned.buffer, aligned.byteOffset, USER_REGS.length);
    const regs = {} as Registers;
    for (let i = 0; i < USER_REGS.length; i++) regs[USER_REGS[i]] = words[i];
    return regs;
  },

  /** The stack pointer straight from a raw user_regs_struct, without decoding the rest. */
  rawSp: (raw: Buffer) => raw.readBigUInt64LE(USER_REGS.indexOf('rsp') * 8),
  rawThreadPointer: (raw: Buffer) => raw.readBigUInt64LE(USER_REGS.indexOf('fs_base') * 8),
  pc: (regs: Registers) => regs.rip,
  sp: (regs: Registers) => regs.rsp,
  /** The thread pointer: on x86-64 glibc it is the address of the thread's struct pthread, i.e. pthread_self(). */
  threadPointer: (regs: Registers) => regs.fs_base,

  /** DWARF-numbered register file for the unwinder. */
  dwarfRegisters(regs: Registers): Array<bigint | undefined> {
    return DWARF_REGS.map((name) => regs[name]);
  },
  dwarfRegisterName: (n: number): string => DWARF_REGS[n] ?? `r${n}`,

  /**
   * The syscall the thread sits in, when the stop interrupted one: orig_rax holds its number (it is
   * negative outside syscalls) and rax the restart code the kernel will act on when the thread resumes.
   */
  syscall(regs: Registers): { nr: number; args: bigint[]; interrupted: boolean } | undefined {
    const nr = BigInt.asIntN(64, regs.orig_rax);
    if (nr < 0n || nr > 4096n) return undefined;
    return { nr: Number(nr), args: SYSCALL_ARGS.map((name) => regs[name]), interrupted: interrupted(regs.orig_rax, regs.rax) };
  },

  /** From raw registers: was the thread blocked in a syscall (rather than running) when it stopped? */
  rawBlockedInSyscall: (raw: Buffer) =>
    interrupted(raw.readBigUInt64LE(USER_REGS.indexOf('orig_rax') * 8), raw.readBigUInt64LE(USER_REGS.indexOf('rax') * 8)),
};
