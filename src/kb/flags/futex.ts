/**
 * futex() operations (<linux/futex.h>) and the futex2 flags of futex_waitv/futex_wake/futex_wait/
 * futex_requeue.
 *
 * futex()'s op word is a command in the low bits plus two modifier bits. strace prints the command
 * and FUTEX_PRIVATE_FLAG together as one name (`FUTEX_WAIT_PRIVATE`) and FUTEX_CLOCK_REALTIME as a
 * separate flag, so the table carries both the plain and the `_PRIVATE` spelling of each command
 * as members of one `op` field.
 */
import { defineTable, type FlagValue } from './table.js';

export const FUTEX_PRIVATE_FLAG = 128n;
export const FUTEX_CLOCK_REALTIME = 256n;

type Cmd = [string, number, string];
const COMMANDS: readonly Cmd[] = [
  ['FUTEX_WAIT', 0, 'sleep while the word still holds the expected value (relative timeout)'],
  ['FUTEX_WAKE', 1, 'wake up to val waiters sleeping on the word'],
  ['FUTEX_FD', 2, 'get a descriptor for the futex (removed in Linux 2.6.26)'],
  ['FUTEX_REQUEUE', 3, 'wake some waiters and move the rest to a second word'],
  ['FUTEX_CMP_REQUEUE', 4, 'requeue only if the word still holds an expected value (condition-variable broadcast)'],
  ['FUTEX_WAKE_OP', 5, 'modify a second word atomically and wake waiters on one or both words'],
  ['FUTEX_LOCK_PI', 6, 'take a priority-inheritance lock, sleeping and boosting the owner if it is held'],
  ['FUTEX_UNLOCK_PI', 7, 'release a priority-inheritance lock and hand it to the top waiter'],
  ['FUTEX_TRYLOCK_PI', 8, 'try to take a priority-inheritance lock without sleeping'],
  ['FUTEX_WAIT_BITSET', 9, 'sleep while the word holds the expected value, absolute timeout, woken only by matching bitset (glibc\'s join and condvar wait)'],
  ['FUTEX_WAKE_BITSET', 10, 'wake waiters whose bitset matches'],
  ['FUTEX_WAIT_REQUEUE_PI', 11, 'wait on a condition word, to be requeued onto a priority-inheritance lock'],
  ['FUTEX_CMP_REQUEUE_PI', 12, 'requeue waiters from a condition word onto a priority-inheritance lock'],
  ['FUTEX_LOCK_PI2', 13, 'like FUTEX_LOCK_PI but the timeout uses the monotonic clock by default'],
];

const PRIVATE_NOTE = '; private: the word is used only by threads of this process, so the kernel skips the shared-memory lookup';

export const FUTEX_OPS = defineTable({
  id: 'futex',
  title: 'futex operations',
  kind: 'bits',
  fields: { op: { mask: 0x7fn | FUTEX_PRIVATE_FLAG, showZero: true } },
  values: [
    // FUTEX_FD was removed before private futexes existed, so it has no _PRIVATE spelling.
    ...COMMANDS.flatMap(([name, cmd, meaning]): FlagValue[] => [
      { name, value: BigInt(cmd), field: 'op', meaning },
      ...(name === 'FUTEX_FD' ? [] : [{ name: `${name}_PRIVATE`, value: BigInt(cmd) | FUTEX_PRIVATE_FLAG, field: 'op', meaning: meaning + PRIVATE_NOTE }]),
    ]),
    { name: 'FUTEX_PRIVATE_FLAG', value: FUTEX_PRIVATE_FLAG, nameOnly: true, meaning: 'the word is private to this process (strace folds it into the command name as _PRIVATE)' },
    { name: 'FUTEX_CLOCK_REALTIME', value: FUTEX_CLOCK_REALTIME, meaning: 'the timeout is measured on the wall clock (CLOCK_REALTIME) instead of the monotonic clock' },
  ],
});

/** Flags of the futex2 calls (futex_waitv per waiter, futex_wake, futex_wait, futex_requeue). */
export const FUTEX2_FLAGS = defineTable({
  id: 'futex2',
  title: 'futex2 flags',
  kind: 'bits',
  fields: { size: { mask: 0x3n, showZero: true } },
  values: [
    { name: 'FUTEX2_SIZE_U8', value: 0n, field: 'size', meaning: 'the futex word is 8 bits wide', since: '6.7' },
    { name: 'FUTEX2_SIZE_U16', value: 1n, field: 'size', meaning: 'the futex word is 16 bits wide', since: '6.7' },
    { name: 'FUTEX2_SIZE_U32', value: 2n, field: 'size', meaning: 'the futex word is 32 bits wide (the classic size)', since: '6.7' },
    { name: 'FUTEX_32', value: 2n, field: 'size', nameOnly: true, meaning: '32-bit futex word (name used by futex_waitv in the 6.1 headers)' },
    { name: 'FUTEX2_SIZE_U64', value: 3n, field: 'size', meaning: 'the futex word is 64 bits wide', since: '6.7' },
    { name: 'FUTEX2_NUMA', value: 4n, meaning: 'the word is followed by a NUMA node number choosing the hash bucket', since: '6.7' },
    { name: 'FUTEX2_MPOL', value: 8n, meaning: 'choose the NUMA node from the memory policy of the address', since: '6.16' },
    { name: 'FUTEX2_PRIVATE', value: 128n, meaning: 'the word is private to this process', since: '6.7' },
  ],
});

/** Bits of a priority-inheritance or robust futex word, for explaining values seen in memory. */
export const FUTEX_WORD_BITS = defineTable({
  id: 'futex_word',
  title: 'futex word bits (PI and robust mutexes)',
  kind: 'bits',
  values: [
    { name: 'FUTEX_WAITERS', value: 0x80000000n, meaning: 'other threads are sleeping on this lock' },
    { name: 'FUTEX_OWNER_DIED', value: 0x40000000n, meaning: 'the owning thread died while holding the lock' },
    { name: 'FUTEX_TID_MASK', value: 0x3fffffffn, nameOnly: true, meaning: 'the remaining bits hold the owner\'s TID' },
  ],
});

/** The val3 of FUTEX_WAIT_BITSET/FUTEX_WAKE_BITSET that matches every waiter. */
export const FUTEX_BITSET = defineTable({
  id: 'futex_bitset',
  title: 'futex bitset values',
  kind: 'enum',
  values: [{ name: 'FUTEX_BITSET_MATCH_ANY', value: 0xffffffffn, meaning: 'match every waiter: the bitset calls then behave like plain wait/wake' }],
});

/**
 * FUTEX_WAKE_OP encodes an operation and a comparison in val3; strace prints them as
 * `FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1`.
 */
export const FUTEX_WAKE_OP_OPS = defineTable({
  id: 'futex_op',
  title: 'FUTEX_WAKE_OP operations on the second word',
  kind: 'enum',
  values: [
    { name: 'FUTEX_OP_SET', value: 0n, meaning: 'store oparg into the second word' },
    { name: 'FUTEX_OP_ADD', value: 1n, meaning: 'add oparg to the second word' },
    { name: 'FUTEX_OP_OR', value: 2n, meaning: 'OR oparg into the second word' },
    { name: 'FUTEX_OP_ANDN', value: 3n, meaning: 'clear the bits of oparg in the second word' },
    { name: 'FUTEX_OP_XOR', value: 4n, meaning: 'XOR oparg into the second word' },
    { name: 'FUTEX_OP_OPARG_SHIFT', value: 8n, nameOnly: true, meaning: 'modifier: use 1<<oparg instead of oparg' },
  ],
});

export const FUTEX_WAKE_OP_CMPS = defineTable({
  id: 'futex_op_cmp',
  title: 'FUTEX_WAKE_OP comparisons of the old second-word value',
  kind: 'enum',
  values: [
    { name: 'FUTEX_OP_CMP_EQ', value: 0n, meaning: 'wake waiters on the second word if its old value equals cmparg' },
    { name: 'FUTEX_OP_CMP_NE', value: 1n, meaning: 'wake if the old value differs from cmparg' },
    { name: 'FUTEX_OP_CMP_LT', value: 2n, meaning: 'wake if the old value is less than cmparg' },
    { name: 'FUTEX_OP_CMP_LE', value: 3n, meaning: 'wake if the old value is at most cmparg' },
    { name: 'FUTEX_OP_CMP_GT', value: 4n, meaning: 'wake if the old value is greater than cmparg' },
    { name: 'FUTEX_OP_CMP_GE', value: 5n, meaning: 'wake if the old value is at least cmparg' },
  ],
});
