/**
 * wait4's status argument as strace prints it, taken apart into its clauses: strace writes the
 * status as the W* macro tests that hold (`[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]`,
 * `[{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}]`, `[{WIFCONTINUED(s)}]`,
 * `[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP && s >> 16 == PTRACE_EVENT_EXEC}]`), or with
 * `-X raw` as the number (`[768]`). What the macros mean is the facts layer's business.
 */
import type { Value } from './types.js';
import { toBigInt } from './values.js';

export interface PrintedWaitStatus {
  /** Each clause: macro (or `s >> 16`) -> the value it was compared with, or true for a bare test. */
  readonly tests: ReadonlyMap<string, string | true>;
  /** The status word, when strace printed a number instead of the macros. */
  readonly raw?: bigint;
}

/** The clauses of a printed wait status; undefined for NULL, an address, or another shape. */
export function printedWaitStatus(v: Value | undefined): PrintedWaitStatus | undefined {
  if (v?.t !== 'array' || v.items.length !== 1) return undefined;
  const item = v.items[0];
  if (item.t === 'int') {
    const raw = toBigInt(item);
    return raw === undefined ? undefined : { tests: new Map(), raw };
  }
  if (item.t !== 'struct' || item.fields.length !== 1) return undefined;
  const inner = item.fields[0].value;
  if (inner.t === 'call') return { tests: new Map([[inner.fn, true]]) };
  if (inner.t !== 'expr') return undefined;
  const tests = new Map<string, string | true>();
  for (const clause of inner.text.split(' && ')) {
    const eq = clause.indexOf(' == ');
    const test = eq < 0 ? clause : clause.slice(0, eq);
    const name = test.endsWith('(s)') ? test.slice(0, -3) : test;
    tests.set(name, eq < 0 ? true : clause.slice(eq + 4));
  }
  return { tests };
}
