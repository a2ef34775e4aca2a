/** execve/execveat: the program, its arguments and whether the image was replaced. */
import type { SyscallEvent, Value } from '../parse/types.js';
import type { ExecFact } from './types.js';
import { argOf, bytesToText, outcome } from './event.js';

/** `/* 23 vars *\/` (strace's default), or the list itself with -v. */
function envCountOf(v: Value | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (v.t === 'array') return v.truncated ? undefined : v.items.length;
  if (v.t === 'null') return 0;
  if (v.t === 'comment') {
    const n = Number.parseInt(v.comment, 10);
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  }
  return undefined;
}

export function execFact(event: SyscallEvent): ExecFact {
  const syscall = event.name as ExecFact['syscall'];
  const at = syscall === 'execveat' ? 1 : 0;
  const pathArg = argOf(event, at);
  const argvArg = argOf(event, at + 1);
  let truncated = false;
  let path: string | undefined;
  if (pathArg?.t === 'str') {
    path = bytesToText(pathArg.bytes);
    truncated = pathArg.truncated;
  }
  let argv: string[] | undefined;
  if (argvArg?.t === 'array') {
    argv = argvArg.items.map((item) => (item.t === 'str' ? bytesToText(item.bytes) : item.t === 'null' ? 'NULL' : '?'));
    if (argvArg.truncated || argvArg.items.some((i) => i.t === 'str' && i.truncated)) truncated = true;
  }
  const envCount = envCountOf(argOf(event, at + 2));
  const { ok, errno } = outcome(event);
  return {
    fact: 'exec',
    syscall,
    ...(path !== undefined ? { path } : {}),
    ...(argv !== undefined ? { argv } : {}),
    truncated,
    ...(envCount !== undefined ? { envCount } : {}),
    ok,
    pending: event.ret === undefined || (event.ret.value === '?' && errno === undefined),
    ...(errno !== undefined ? { errno } : {}),
  };
}
