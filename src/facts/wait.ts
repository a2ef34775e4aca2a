/** wait4/waitpid/waitid: which children, what the call reported, and whether it reaped one. */
import type { SyscallEvent } from '../parse/types.js';
import { flagNames, toBigInt, valueText } from '../parse/values.js';
import { printedWaitStatus } from '../parse/wait-status.js';
import { WAITID_IDTYPE, WAIT_OPTIONS, decodeFlags, decodeWaitStatus } from '../kb/flags/index.js';
import type { ChildStatus, WaitFact, WaitTarget } from './types.js';
import { argOf, asPid, outcome, pidResult, smallInt } from './event.js';
import { childStatusOf, isFinal, siginfoFields } from './siginfo.js';
import type { Value } from '../parse/types.js';

/** The status a wait4 status argument shows; undefined for NULL or an unreadable status. */
export function waitStatusOf(v: Value | undefined): ChildStatus | undefined {
  const printed = printedWaitStatus(v);
  if (printed === undefined) return undefined;
  if (printed.raw !== undefined) return rawStatus(printed.raw);
  const t = printed.tests;
  const code = t.get('WEXITSTATUS');
  if (typeof code === 'string') {
    const n = toBigInt(code);
    return n !== undefined && n >= 0n && n <= 255n ? { kind: 'exited', code: Number(n) } : { kind: 'exited' };
  }
  const term = t.get('WTERMSIG');
  if (typeof term === 'string') return { kind: 'killed', signal: term, coreDumped: t.has('WCOREDUMP') };
  const stop = t.get('WSTOPSIG');
  if (typeof stop === 'string') return { kind: 'stopped', signal: stop };
  if (t.has('WIFCONTINUED')) return { kind: 'continued' };
  if (t.has('WIFEXITED')) return { kind: 'exited' };
  if (t.has('WIFSIGNALED')) return { kind: 'killed' };
  if (t.has('WIFSTOPPED')) return { kind: 'stopped' };
  return undefined;
}

function rawStatus(raw: bigint): ChildStatus | undefined {
  if (raw < 0n || raw > 0xffffffffn) return undefined;
  const s = decodeWaitStatus(Number(raw));
  switch (s.kind) {
    case 'exited':
      return { kind: 'exited', code: s.code };
    case 'signaled':
      return { kind: 'killed', signal: s.signalName, coreDumped: s.coreDumped };
    case 'stopped':
      return { kind: 'stopped', signal: s.signalName };
    case 'continued':
      return { kind: 'continued' };
    default:
      return undefined;
  }
}

/** wait4/waitpid's pid argument: -1 any child, 0 the caller's group, -N group N, N that child. */
function pidTarget(v: Value | undefined): WaitTarget {
  const n = toBigInt(v);
  if (n === undefined) return { kind: 'unknown' };
  if (n === -1n) return { kind: 'any' };
  if (n === 0n) return { kind: 'group' };
  if (n < 0n) {
    const pgid = asPid(-n);
    return pgid === undefined ? { kind: 'unknown' } : { kind: 'group', pgid };
  }
  const pid = asPid(n);
  return pid === undefined ? { kind: 'unknown' } : { kind: 'pid', pid };
}

function idTarget(idtype: Value | undefined, id: Value | undefined): WaitTarget {
  const type = idtype === undefined ? undefined : decodeFlags(WAITID_IDTYPE, valueText(idtype)).known[0]?.name;
  const n = toBigInt(id);
  switch (type) {
    case 'P_ALL':
      return { kind: 'any' };
    case 'P_PID': {
      const pid = asPid(n);
      return pid === undefined ? { kind: 'unknown' } : { kind: 'pid', pid };
    }
    case 'P_PGID': {
      if (n === 0n) return { kind: 'group' };
      const pgid = asPid(n);
      return pgid === undefined ? { kind: 'unknown' } : { kind: 'group', pgid };
    }
    case 'P_PIDFD': {
      const fd = smallInt(id);
      return fd === undefined ? { kind: 'unknown' } : { kind: 'pidfd', fd };
    }
    default:
      return { kind: 'unknown' };
  }
}

function optionNames(v: Value | undefined): string[] {
  if (v === undefined) return [];
  const names = flagNames(v);
  // Names as printed are the table's; a number (-X raw) is decoded bit by bit.
  if (names.every((n) => n.startsWith('W') || n.startsWith('__W'))) return names;
  return decodeFlags(WAIT_OPTIONS, valueText(v)).known.map((k) => k.name);
}

export function waitFact(event: SyscallEvent): WaitFact {
  const syscall = event.name as WaitFact['syscall'];
  const { ok, errno } = outcome(event);
  const pending = event.ret === undefined;
  if (syscall === 'waitid') {
    const options = optionNames(argOf(event, 3));
    const info = argOf(event, 2);
    const fields = ok ? siginfoFields(info) : {};
    const child = fields.pid !== undefined && fields.pid > 0 ? fields.pid : undefined;
    const status = child === undefined ? undefined : childStatusOf(fields.code, fields.status);
    const nowait = options.includes('WNOWAIT');
    return {
      fact: 'wait',
      syscall,
      target: idTarget(argOf(event, 0), argOf(event, 1)),
      options,
      ...(child !== undefined ? { child } : {}),
      ...(status !== undefined ? { status } : {}),
      statusNull: false,
      reaped: child !== undefined && !nowait && info !== undefined && (status === undefined || isFinal(status)),
      noneReady: ok && child === undefined && options.includes('WNOHANG'),
      ok,
      pending,
      ...(errno !== undefined ? { errno } : {}),
    };
  }
  const options = optionNames(argOf(event, 2));
  const statusArg = argOf(event, 1);
  const child = pidResult(event);
  const status = child === undefined ? undefined : waitStatusOf(statusArg);
  return {
    fact: 'wait',
    syscall,
    target: pidTarget(argOf(event, 0)),
    options,
    ...(child !== undefined ? { child } : {}),
    ...(status !== undefined ? { status } : {}),
    statusNull: statusArg?.t === 'null',
    reaped: child !== undefined && (status === undefined || isFinal(status)),
    noneReady: ok && event.ret?.value === '0',
    ok,
    pending,
    ...(errno !== undefined ? { errno } : {}),
  };
}

