/** Resource limits read or set: prlimit64, setrlimit, getrlimit (ugetrlimit on 32-bit ABIs). */
import type { SyscallEvent, Value } from '../parse/types.js';
import { structField, toBigInt, valueText } from '../parse/values.js';
import { RLIMIT_RESOURCES, RLIM_INFINITY, decodeFlags } from '../kb/flags/index.js';
import type { LimitFact, LimitValue } from './types.js';
import { argOf, asPid, detached, outcome } from './event.js';

/**
 * A limit value as strace prints it: a number, `RLIM64_INFINITY` / `RLIM_INFINITY`, a multiple of
 * 1024 for sizes (`8192*1024`), possibly inside a comment.
 */
export function limitValue(v: Value | undefined): LimitValue | undefined {
  if (v === undefined) return undefined;
  if (v.t === 'comment') return v.value ? limitValue(v.value) : undefined;
  if (v.t === 'ident') return v.text.endsWith('INFINITY') ? 'infinity' : undefined;
  if (v.t === 'expr') {
    let product = 1n;
    for (const factor of v.text.split('*')) {
      const n = toBigInt(factor.trim());
      if (n === undefined) return undefined;
      product *= n;
    }
    return product === RLIM_INFINITY ? 'infinity' : product;
  }
  const n = toBigInt(v);
  if (n === undefined) return undefined;
  const u = BigInt.asUintN(64, n);
  return u === RLIM_INFINITY ? 'infinity' : u;
}

function pair(v: Value | undefined): { soft?: LimitValue; hard?: LimitValue } | undefined {
  if (v === undefined || v.t !== 'struct') return undefined;
  const soft = limitValue(structField(v, 'rlim_cur'));
  const hard = limitValue(structField(v, 'rlim_max'));
  return { ...(soft !== undefined ? { soft } : {}), ...(hard !== undefined ? { hard } : {}) };
}

export function limitFact(event: SyscallEvent): LimitFact {
  const syscall = event.name as LimitFact['syscall'];
  const p = syscall === 'prlimit64';
  const resourceArg = argOf(event, p ? 1 : 0);
  const resourceText = resourceArg === undefined ? '?' : valueText(resourceArg);
  const resource = decodeFlags(RLIMIT_RESOURCES, resourceText).known[0]?.name ?? detached(resourceText);
  const { ok, errno } = outcome(event);
  let set: LimitFact['set'];
  let read: LimitFact['read'];
  if (p) {
    set = pair(argOf(event, 2));
    read = ok ? pair(argOf(event, 3)) : undefined;
  } else if (syscall === 'setrlimit') {
    set = pair(argOf(event, 1));
  } else {
    read = ok ? pair(argOf(event, 1)) : undefined;
  }
  const pidArg = p ? toBigInt(argOf(event, 0)) : undefined;
  return {
    fact: 'limit',
    syscall,
    ...(p && pidArg !== undefined ? { pid: pidArg === 0n ? 0 : asPid(pidArg) ?? 0 } : {}),
    resource,
    ...(set !== undefined ? { set } : {}),
    ...(read !== undefined ? { read } : {}),
    ok,
    ...(errno !== undefined ? { errno } : {}),
  };
}
