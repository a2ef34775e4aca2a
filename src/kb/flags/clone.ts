/**
 * clone(), clone3() and unshare() flags (<linux/sched.h>), and the exit signal.
 *
 * In clone() the low byte of the flags word is not flags at all: it is the signal the parent gets
 * when the child ends (CSIGNAL, usually SIGCHLD; 0 for threads). strace prints it as if it were a
 * flag: `flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD`. clone3() moved it to its own
 * `exit_signal` field, which freed bit 0x80 for CLONE_NEWTIME; that bit is therefore only a flag in
 * clone3() and unshare().
 */
import { SIGNALS } from '../signals.js';
import { defineTable, type FlagValue } from './table.js';

type Row = [string, bigint, string];

const CLONE_BITS: readonly Row[] = [
  ['CLONE_NEWTIME', 0x80n, 'new time namespace: the child can get its own offsets for the monotonic and boot clocks'],
  ['CLONE_VM', 0x100n, 'share the address space: writes by one task are seen by the other (threads, vfork)'],
  ['CLONE_FS', 0x200n, 'share the root directory, working directory and umask'],
  ['CLONE_FILES', 0x400n, 'share the descriptor table: an open or close in one task affects the other'],
  ['CLONE_SIGHAND', 0x800n, 'share the table of signal handlers (each task keeps its own mask)'],
  ['CLONE_PIDFD', 0x1000n, 'return a pidfd for the child to the parent'],
  ['CLONE_PTRACE', 0x2000n, 'if the parent is traced, trace the child too'],
  ['CLONE_VFORK', 0x4000n, 'suspend the parent until the child calls execve or exits'],
  ['CLONE_PARENT', 0x8000n, 'make the child a sibling: its parent is the caller\'s parent'],
  ['CLONE_THREAD', 0x10000n, 'put the child in the caller\'s thread group: same PID (TGID), a new TID; this is what makes it a thread'],
  ['CLONE_NEWNS', 0x20000n, 'new mount namespace: the child gets its own copy of the mount table'],
  ['CLONE_SYSVSEM', 0x40000n, 'share System V semaphore undo lists'],
  ['CLONE_SETTLS', 0x80000n, 'set the child\'s thread pointer (FS base) to the tls argument'],
  ['CLONE_PARENT_SETTID', 0x100000n, 'store the child\'s TID at parent_tid, in the parent\'s memory, before clone returns'],
  ['CLONE_CHILD_CLEARTID', 0x200000n, 'when the child exits, zero the word at child_tid and futex-wake it (how pthread_join learns a thread ended)'],
  ['CLONE_DETACHED', 0x400000n, 'historical and ignored; in clone3 the bit is rejected'],
  ['CLONE_UNTRACED', 0x800000n, 'a tracer cannot force CLONE_PTRACE onto this child'],
  ['CLONE_CHILD_SETTID', 0x1000000n, 'store the child\'s TID at child_tid in the child\'s memory (glibc fork uses it for its TID cache)'],
  ['CLONE_NEWCGROUP', 0x2000000n, 'new cgroup namespace: the child sees its current cgroup as the root'],
  ['CLONE_NEWUTS', 0x4000000n, 'new UTS namespace: its own host name and domain name'],
  ['CLONE_NEWIPC', 0x8000000n, 'new IPC namespace: its own System V objects and POSIX message queues'],
  ['CLONE_NEWUSER', 0x10000000n, 'new user namespace: its own UID/GID mapping and capabilities'],
  ['CLONE_NEWPID', 0x20000000n, 'new PID namespace: the child is PID 1 there'],
  ['CLONE_NEWNET', 0x40000000n, 'new network namespace: its own interfaces, routes and ports'],
  ['CLONE_IO', 0x80000000n, 'share the I/O context, so the I/O scheduler treats both as one'],
  ['CLONE_CLEAR_SIGHAND', 0x100000000n, 'reset every caught signal to its default action in the child (clone3 only)'],
  ['CLONE_INTO_CGROUP', 0x200000000n, 'start the child in the cgroup given by the cgroup fd (clone3 only)'],
];

/** The CSIGNAL mask: the exit signal's byte in clone()'s flags. */
export const CSIGNAL = 0xffn;

function exitSignalMeaning(name: string, number: number): string {
  return number === 17
    ? 'exit signal SIGCHLD: the parent is told with SIGCHLD when this child ends (a normal child process)'
    : `exit signal ${name}: the parent is sent ${name} instead of SIGCHLD when this child ends`;
}

const exitSignalValues = (field?: string): FlagValue[] =>
  SIGNALS.map((s) => ({ name: s.name, value: BigInt(s.number), meaning: exitSignalMeaning(s.name, s.number), ...(field ? { field } : {}) }));

const bits = (nameOnly: (name: string) => boolean): FlagValue[] =>
  CLONE_BITS.map(([name, value, meaning]) => ({ name, value, meaning, ...(nameOnly(name) ? { nameOnly: true } : {}) }));

/** clone() flags: low byte = exit signal, the rest = CLONE_* bits (CLONE_NEWTIME is not usable here). */
export const CLONE_FLAGS = defineTable({
  id: 'clone',
  title: 'clone() flags',
  kind: 'bits',
  fields: { exit_signal: { mask: CSIGNAL } },
  values: [...bits((n) => n === 'CLONE_NEWTIME'), ...exitSignalValues('exit_signal')],
});

/** clone3() `flags` and unshare() flags: all CLONE_* bits, no signal byte. */
export const CLONE3_FLAGS = defineTable({
  id: 'clone3',
  title: 'clone3()/unshare() flags',
  kind: 'bits',
  values: bits(() => false),
});

/** clone3()'s exit_signal field (and the low byte of clone()): 0 means nobody is signalled. */
export const EXIT_SIGNAL = defineTable({
  id: 'exit_signal',
  title: 'exit signal of a new task',
  kind: 'enum',
  values: [
    { name: '0', value: 0n, meaning: 'no exit signal: nobody is signalled when this task ends (threads; a parent must use __WALL or __WCLONE to wait for such a child)' },
    ...exitSignalValues(),
  ],
});
