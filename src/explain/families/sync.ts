/**
 * Futexes: the kernel half of mutexes, condition variables, semaphores and pthread_join. A wait on
 * a thread's clear-TID word is a join; the word and the thread come from the clone (CLONE_CHILD_CLEARTID)
 * or set_tid_address that registered it.
 */
import { FUTEX_OPS } from '../../kb/flags/index.js';
import type { Call } from '../call.js';
import { dec, hex } from '../format.js';
import type { FamilyTable, Said, Scope } from './types.js';

const INT_MAX = 2147483647n;

function futex(c: Call, s: Scope): Said {
  const addr = c.int(0);
  const ops = c.flags(1, FUTEX_OPS, 'op', false);
  const op = (ops[0] ?? c.text(1) ?? '?').replace(/_PRIVATE$/, '');
  const val = c.int(2);
  const at = addr === undefined ? 'a futex word' : `the futex word at ${hex(addr)}`;
  const owner = addr === undefined ? undefined : s.proc.clearTids.get(addr.toString(16));
  if (op === 'FUTEX_WAIT' || op === 'FUTEX_WAIT_BITSET') {
    const timeout = c.arg(3);
    const timed = timeout !== undefined && timeout.t !== 'null' ? ', with a timeout' : '';
    if (owner && owner.tid !== c.tid && (val === undefined || owner.tid === undefined || Number(val) === owner.tid)) {
      const who = owner.tid !== undefined ? `thread ${owner.tid}` : `the thread created on line ${owner.line}`;
      const said: Said = { text: `waits for ${who} to exit (pthread_join): sleeps while ${at} still holds its TID; the kernel zeroes it and wakes this thread when ${who} exits (CLONE_CHILD_CLEARTID)${c.ok ? ' → it has exited' : ''}`, coversResult: true };
      if (c.errno === 'EAGAIN') said.benign = `the thread had already exited (the word no longer held its TID), so there was nothing to wait for`;
      return said;
    }
    const said: Said = { text: `sleeps until another thread wakes ${at} (it must still hold ${val ?? '?'}${timed}): a contended lock, condition variable or semaphore` };
    if (c.errno === 'EAGAIN') said.benign = 'the word changed before the thread could sleep (the lock was released or the condition signalled in between): no wait was needed';
    if (c.errno === 'ETIMEDOUT') said.benign = 'the timeout expired: a timed wait ending normally';
    return said;
  }
  if (op === 'FUTEX_WAKE' || op === 'FUTEX_WAKE_BITSET') {
    const n = val === INT_MAX ? 'every waiter' : val === 1n ? 'one waiter' : `up to ${val ?? '?'} waiters`;
    const woke = c.ret === undefined ? '' : ` → ${c.ret === 0n ? 'nobody was waiting' : `${dec(c.ret)} woken`}`;
    return { text: `wakes ${n} sleeping on ${at} (an unlock, signal or broadcast)${woke}`, coversResult: true };
  }
  if (op === 'FUTEX_REQUEUE' || op === 'FUTEX_CMP_REQUEUE') return { text: `wakes ${val ?? '?'} waiter(s) on ${at} and moves the others to wait on ${c.text(4) ?? '?'} (condition-variable broadcast without a thundering herd)` };
  if (op === 'FUTEX_WAKE_OP') return { text: `atomically updates ${c.text(4) ?? '?'} and wakes waiters on ${at} and, depending on the old value, on the second word too` };
  if (op === 'FUTEX_LOCK_PI' || op === 'FUTEX_LOCK_PI2') return { text: `takes the priority-inheritance lock at ${at}, sleeping and boosting the owner while it is held` };
  if (op === 'FUTEX_UNLOCK_PI') return { text: `releases the priority-inheritance lock at ${at} and hands it to the top waiter` };
  if (op === 'FUTEX_TRYLOCK_PI') return { text: `tries to take the priority-inheritance lock at ${at} without sleeping` };
  const meaning = (c.decoded?.op as Array<{ meaning: string }> | undefined)?.[0]?.meaning;
  return { text: `${op} on ${at}${meaning ? `: ${meaning}` : ''}` };
}

export const SYNC: FamilyTable = {
  futex,
  futex_waitv: (c) => ({ text: `waits on ${c.text(1) ?? 'several'} futex words at once until one is woken${c.ret !== undefined ? ` → word ${dec(c.ret)} woke` : ''}`, coversResult: true }),
  futex_wake: (c) => ({ text: `wakes up to ${c.text(2) ?? '?'} waiters on the futex word at ${c.text(0) ?? '?'}` }),
  futex_wait: (c) => ({ text: `sleeps while the futex word at ${c.text(0) ?? '?'} holds ${c.text(1) ?? '?'}` }),
  futex_requeue: () => ({ text: 'wakes waiters on one futex word and moves the rest to another' }),
  membarrier: (c) => ({ text: `issues or registers for a process-wide memory barrier (${c.text(0) ?? '?'}): every thread's CPU orders its memory accesses, used by RCU-style code and runtimes` }),
};
