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
