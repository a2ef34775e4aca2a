/** Ends of tasks: the exit/exit_group calls and strace's `+++ exited/killed +++` reports. */
import type { ExitEvent, KilledEvent, SyscallEvent } from '../parse/types.js';
import { toBigInt } from '../parse/values.js';
import type { ExitFact } from './types.js';
import { argOf } from './event.js';

/** exit(code) / exit_group(code): the parent sees the low 8 bits. */
export function exitCallFact(event: SyscallEvent): ExitFact {
  const argument = toBigInt(argOf(event, 0));
  return {
    fact: 'exit',
    how: event.name === 'exit_group' ? 'exit_group' : 'exit',
    ...(argument !== undefined ? { code: Number(BigInt.asUintN(8, argument)), argument } : {}),
  };
}

/** The `+++ exited with N +++` / `+++ killed by SIG +++` line of a task. */
export function endFact(event: ExitEvent | KilledEvent): ExitFact {
  if (event.kind === 'exit') return { fact: 'exit', how: 'exited', code: event.code };
  return { fact: 'exit', how: 'killed', signal: event.signal, coreDumped: event.coreDumped };
}

/**
 * Calls that legitimately end without a return value (`= ?`) while the task lives on or ends by
 * them: exit and exit_group, and execve/execveat (a thread's successful exec returns in the
 * leader's pid). rt_sigreturn is not one: it always returns, to the interrupted context, and strace
 * prints the value restored there (`= 0`, `= 61`, `= -1 EINTR`); `= ?` on it means the task died
 * inside the call like any other.
 */
export const NO_RETURN: ReadonlySet<string> = new Set(['exit', 'exit_group', 'execve', 'execveat']);
