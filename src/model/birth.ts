/**
 * How a new task was created, from the creating syscall and its clone flags. The flags come from the
 * printed names (`CLONE_VM|CLONE_THREAD|...`) or, with `-X raw`/`-e raw=`, from a number decoded with
 * the bit values of <linux/sched.h> (a test checks them against the header).
 */
import type { Value } from '../parse/types.js';
import { flagNames, structField, toBigInt } from '../parse/values.js';
import type { BirthKind } from './types.js';

/** The clone flag bits the model needs (and the namespace ones it reports), from <linux/sched.h>. */
export const CLONE_FLAG_BITS: Record<string, bigint> = {
  CLONE_NEWTIME: 0x80n,
  CLONE_VM: 0x100n,
  CLONE_FS: 0x200n,
  CLONE_FILES: 0x400n,
  CLONE_SIGHAND: 0x800n,
  CLONE_PIDFD: 0x1000n,
  CLONE_PTRACE: 0x2000n,
  CLONE_VFORK: 0x4000n,
  CLONE_PARENT: 0x8000n,
  CLONE_THREAD: 0x10000n,
  CLONE_NEWNS: 0x20000n,
  CLONE_SYSVSEM: 0x40000n,
  CLONE_SETTLS: 0x80000n,
  CLONE_PARENT_SETTID: 0x100000n,
  CLONE_CHILD_CLEARTID: 0x200000n,
  CLONE_DETACHED: 0x400000n,
  CLONE_UNTRACED: 0x800000n,
  CLONE_CHILD_SETTID: 0x1000000n,
  CLONE_NEWCGROUP: 0x2000000n,
  CLONE_NEWUTS: 0x4000000n,
  CLONE_NEWIPC: 0x8000000n,
  CLONE_NEWUSER: 0x10000000n,
  CLONE_NEWPID: 0x20000000n,
  CLONE_NEWNET: 0x40000000n,
  CLONE_IO: 0x80000000n,
  CLONE_CLEAR_SIGHAND: 0x100000000n,
  CLONE_INTO_CGROUP: 0x200000000n,
};

/** Syscalls that create a task, and where their flags are. */
export const CREATING_SYSCALLS: Record<string, (args: Value[]) => Value | undefined> = {
  clone: (args) => args.find((a) => a.t === 'named' && a.name === 'flags') ?? args[1],
  clone2: (args) => args.find((a) => a.t === 'named' && a.name === 'flags') ?? args[0],
  clone3: (args) => structField(args[0], 'flags'),
  fork: () => undefined,
  vfork: () => undefined,
};

/** The flags a syscall was called with, by name; numbers are decoded bit by bit. */
export function cloneFlags(syscall: string, args: Value[]): string[] {
  const locate = CREATING_SYSCALLS[syscall];
  const value = locate ? locate(args) : undefined;
  if (syscall === 'vfork') return ['CLONE_VM', 'CLONE_VFORK'];
  if (value === undefined) return [];
  const names: string[] = [];
  for (const name of flagNames(value)) {
    if (name.startsWith('CLONE_') || name.startsWith('SIG')) names.push(KNOWN_NAMES.get(name) ?? detached(name));
    else names.push(...decodeFlagNumber(name));
  }
  return names;
}

/**
 * The table's own copy of a flag name. A name parsed from a line is a slice of that line, and a
 * task's birth record lives as long as the model: 19,500 tasks kept 13 MB of log lines alive this way.
 */
const KNOWN_NAMES = new Map(Object.keys(CLONE_FLAG_BITS).map((name) => [name, name]));

/** A copy of `text` that shares no memory with the line it was cut from. */
export function detached(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string); // V8 copies slices under 13 chars itself
}

function decodeFlagNumber(text: string): string[] {
  const n = toBigInt(text);
  if (n === undefined) return [text];
  const names = Object.entries(CLONE_FLAG_BITS)
    .filter(([, bit]) => (n & bit) !== 0n)
    .map(([name]) => name);
  const known = Object.values(CLONE_FLAG_BITS).reduce((a, b) => a | b, 0n);
  const rest = n & ~known & ~0xffn; // the low byte is the exit signal
  return rest === 0n ? names : [...names, `0x${rest.toString(16)}`];
}

/** First matching rule wins: the order encodes which property matters most to a reader. */
const BIRTH_RULES: Array<{ kind: BirthKind; applies: (flags: Set<string>, syscall: string) => boolean }> = [
  { kind: 'thread', applies: (f) => f.has('CLONE_THREAD') },
  { kind: 'namespaces', applies: (f) => [...f].some((n) => n.startsWith('CLONE_NEW')) },
  { kind: 'vfork', applies: (_f, syscall) => syscall === 'vfork' },
  { kind: 'spawn', applies: (f) => f.has('CLONE_VM') && f.has('CLONE_VFORK') },
  { kind: 'vfork', applies: (f) => f.has('CLONE_VFORK') },
  { kind: 'clone', applies: (f) => f.has('CLONE_VM') },
  { kind: 'fork', applies: () => true },
];

/** Birth kind of a task created by `syscall` with `flags`. */
export function birthKind(syscall: string, flags: string[]): BirthKind {
  const set = new Set(flags);
  return BIRTH_RULES.find((rule) => rule.applies(set, syscall))!.kind;
}

/** The namespace flags among `flags`. */
export function namespaceFlags(flags: string[]): string[] {
  return flags.filter((f) => f.startsWith('CLONE_NEW'));
}
