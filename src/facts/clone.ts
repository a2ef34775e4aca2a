/**
 * Task creation: the one place that decides what a clone/clone3/fork/vfork made. The flags are read
 * with the kb's clone tables whether strace printed names (`CLONE_VM|CLONE_THREAD|...`) or numbers
 * (`-X raw`, `-e raw=clone`, unknown bits), and classified by the ordered rules below.
 */
import type { SyscallEvent, Value } from '../parse/types.js';
import { structField, toBigInt, valueText } from '../parse/values.js';
import { CLONE3_FLAGS, CLONE_FLAGS, decodeFlags } from '../kb/flags/index.js';
import type { CloneKind, CreatingSyscall, TaskCreationFact } from './types.js';
import { argOf, detached, namedArg, outcome, pidResult } from './event.js';

/**
 * Flag combinations the kernel refuses with EINVAL (copy_process and copy_namespaces), checked
 * first: such a call makes nothing, whatever its other flags say.
 */
const INVALID: ReadonlyArray<{ all: readonly string[]; without?: string; why: string }> = [
  { all: ['CLONE_THREAD'], without: 'CLONE_SIGHAND', why: 'CLONE_THREAD needs CLONE_SIGHAND (and so CLONE_VM): threads share their signal handlers' },
  { all: ['CLONE_SIGHAND'], without: 'CLONE_VM', why: 'CLONE_SIGHAND needs CLONE_VM: shared handlers only make sense in a shared address space' },
  { all: ['CLONE_THREAD', 'CLONE_NEWUSER'], why: 'a thread cannot enter a new user namespace (CLONE_THREAD with CLONE_NEWUSER)' },
  { all: ['CLONE_THREAD', 'CLONE_NEWPID'], why: 'a thread cannot enter a new PID namespace (CLONE_THREAD with CLONE_NEWPID)' },
  { all: ['CLONE_NEWNS', 'CLONE_FS'], why: 'a new mount namespace cannot share the filesystem context (CLONE_NEWNS with CLONE_FS)' },
  { all: ['CLONE_NEWUSER', 'CLONE_FS'], why: 'a new user namespace cannot share the filesystem context (CLONE_NEWUSER with CLONE_FS)' },
  { all: ['CLONE_NEWIPC', 'CLONE_SYSVSEM'], why: 'a new IPC namespace cannot share System V semaphore undo lists (CLONE_NEWIPC with CLONE_SYSVSEM)' },
  { all: ['CLONE_PIDFD', 'CLONE_DETACHED'], why: 'CLONE_PIDFD cannot be combined with CLONE_DETACHED' },
];

/**
 * First matching rule wins; the order encodes what matters most to a reader. A thread is a thread;
 * a new namespace is the point of a call even when it also borrows the memory posix_spawn-style
 * (`CLONE_VM|CLONE_VFORK|CLONE_NEWPID|SIGCHLD` starts a new PID namespace).
 */
const KIND_RULES: ReadonlyArray<{ kind: CloneKind; applies: (flags: ReadonlySet<string>, syscall: string) => boolean }> = [
  { kind: 'thread', applies: (f) => f.has('CLONE_THREAD') },
  { kind: 'namespaces', applies: (f) => hasNamespace(f) },
  { kind: 'vfork', applies: (_f, syscall) => syscall === 'vfork' },
  { kind: 'spawn', applies: (f) => f.has('CLONE_VM') && f.has('CLONE_VFORK') },
  { kind: 'vfork', applies: (f) => f.has('CLONE_VFORK') },
  { kind: 'shared-vm', applies: (f) => f.has('CLONE_VM') },
  { kind: 'fork', applies: () => true },
];

function hasNamespace(flags: Iterable<string>): boolean {
  for (const f of flags) if (f.startsWith('CLONE_NEW')) return true;
  return false;
}

/**
 * What a creating syscall with these CLONE_* flags makes (the one clone classifier; see CloneKind).
 * `invalid` says why the kernel would refuse the combination.
 */
export function classifyClone(syscall: string, flags: Iterable<string>): { kind: CloneKind; invalid?: string } {
  const set = new Set(flags);
  if (syscall === 'vfork') set.add('CLONE_VM').add('CLONE_VFORK');
  for (const rule of INVALID) {
    if (rule.all.every((f) => set.has(f)) && (rule.without === undefined || !set.has(rule.without))) return { kind: 'invalid', invalid: rule.why };
  }
  return { kind: KIND_RULES.find((rule) => rule.applies(set, syscall))!.kind };
}

/** The syscalls that create a task. */
export const CREATING_SYSCALLS: ReadonlySet<string> = new Set<CreatingSyscall>(['clone', 'clone2', 'clone3', 'fork', 'vfork']);

/**
 * clone()'s flags word: the named `flags=` argument (strace names clone's arguments, stack first),
 * else the kernel's x86-64 register order of raw mode: flags, stack, parent_tid, child_tid, tls.
 */
interface CloneArgs {
  flags?: Value;
  stack?: Value;
  parentTid?: Value;
  childTid?: Value;
  tls?: Value;
  stackSize?: Value;
  exitSignal?: Value;
}

function cloneArgs(event: SyscallEvent): CloneArgs {
  if (event.name === 'clone3') {
    const args = argOf(event, 0);
    return {
      flags: structField(args, 'flags'),
      stack: structField(args, 'stack'),
      stackSize: structField(args, 'stack_size'),
      parentTid: structField(args, 'parent_tid'),
      childTid: structField(args, 'child_tid'),
      tls: structField(args, 'tls'),
      exitSignal: structField(args, 'exit_signal'),
    };
  }
  if (event.name === 'fork' || event.name === 'vfork') return {};
  const first = argOf(event, 0);
  if (first?.t === 'named') {
    return {
      flags: namedArg(event, 'flags'),
      stack: namedArg(event, 'child_stack') ?? namedArg(event, 'stack'),
      parentTid: namedArg(event, 'parent_tid') ?? namedArg(event, 'parent_tidptr'),
      childTid: namedArg(event, 'child_tidptr') ?? namedArg(event, 'child_tid'),
      tls: namedArg(event, 'tls'),
      stackSize: namedArg(event, 'stack_size'),
    };
  }
  if (event.name === 'clone2') return { flags: first };
  return { flags: first, stack: argOf(event, 1), parentTid: argOf(event, 2), childTid: argOf(event, 3), tls: argOf(event, 4) };
}

/** CLONE_* names and the exit signal of a flags value, decoded with the kb table (numbers bit by bit). */
export function decodeCloneFlags(syscall: string, value: Value | undefined): { flags: string[]; signal?: string; printedSignal?: string } {
  if (syscall === 'vfork') return { flags: ['CLONE_VM', 'CLONE_VFORK'] };
  if (value === undefined || value.t === 'null') return { flags: [] };
  const text = valueText(value.t === 'named' ? value.value : value);
  const decoded = decodeFlags(syscall === 'clone3' ? CLONE3_FLAGS : CLONE_FLAGS, text);
  const flags: string[] = [];
  let signal: string | undefined;
  for (const k of decoded.known) {
    if (k.name.startsWith('CLONE_')) flags.push(k.name);
    else signal = k.name;
  }
  for (const name of decoded.unknownNames) {
    if (signal === undefined && (name.startsWith('SIG') || name.startsWith('SIGRT'))) signal = detached(name);
    else flags.push(detached(name));
  }
  if (decoded.unknownBits !== 0n) flags.push(`0x${decoded.unknownBits.toString(16)}`);
  const printedSignal = signal !== undefined && text.includes(signal) ? signal : undefined;
  return { flags, ...(signal !== undefined ? { signal } : {}), ...(printedSignal !== undefined ? { printedSignal } : {}) };
}

const address = (v: Value | undefined): bigint | undefined => {
  const n = toBigInt(v);
  return n === undefined || n === 0n ? undefined : BigInt.asUintN(64, n);
};

/** The creation fact of a clone/clone3/clone2/fork/vfork event. */
export function creationFact(event: SyscallEvent): TaskCreationFact {
  const syscall = event.name as CreatingSyscall;
  const a = cloneArgs(event);
  const { flags, signal, printedSignal } = decodeCloneFlags(syscall, a.flags);
  const { kind, invalid } = classifyClone(syscall, flags);
  const namespaces = flags.filter((f) => f.startsWith('CLONE_NEW'));
  let exitSignal: string;
  if (syscall === 'fork' || syscall === 'vfork') exitSignal = 'SIGCHLD';
  else if (syscall === 'clone3') exitSignal = a.exitSignal === undefined ? '0' : detached(valueText(a.exitSignal));
  else exitSignal = signal ?? '0';
  const { ok, errno } = outcome(event);
  const child = pidResult(event);
  const stack = toBigInt(a.stack);
  const stackSize = toBigInt(a.stackSize);
  const tls = address(a.tls);
  const childTid = address(a.childTid);
  const parentTid = address(a.parentTid);
  return {
    fact: 'create',
    syscall,
    kind,
    ...(invalid !== undefined ? { invalid } : {}),
    flags,
    ...(printedSignal !== undefined ? { printedSignal } : {}),
    namespaces,
    exitSignal,
    sibling: flags.includes('CLONE_PARENT') || flags.includes('CLONE_THREAD'),
    ...(child !== undefined ? { child } : {}),
    ok,
    ...(errno !== undefined ? { errno } : {}),
    ...(stack !== undefined ? { stack: BigInt.asUintN(64, stack) } : {}),
    ...(stackSize !== undefined ? { stackSize } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(childTid !== undefined ? { childTid } : {}),
    ...(parentTid !== undefined ? { parentTid } : {}),
  };
}
