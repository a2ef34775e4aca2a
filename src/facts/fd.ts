/**
 * Descriptors made, copied, closed or marked close-on-exec, with their close-on-exec bit: what the
 * doctor needs to see a descriptor leak into an exec'd program.
 */
import type { SyscallEvent, Value } from '../parse/types.js';
import { flagNames, structField, toBigInt, valueText } from '../parse/values.js';
import { FCNTL_CMDS, decodeFlags } from '../kb/flags/index.js';
import type { FdFact, FdOp } from './types.js';
import { argOf, outcome, returnedInt, smallInt, utf8Text } from './event.js';

/** O_CLOEXEC: SOCK_CLOEXEC, EFD_CLOEXEC, EPOLL_CLOEXEC, TFD_CLOEXEC, SFD_CLOEXEC and IN_CLOEXEC share its bit. */
const O_CLOEXEC = 0o2000000n;

/**
 * Calls that make descriptors: where their close-on-exec flag is (`flags`: argument index, or the
 * field of clone3-style structs; `always`: the descriptor always has it), the bit a raw number uses,
 * the path argument, and the argument holding the pair for pipe/socketpair.
 */
interface Maker {
  op: FdOp;
  flags?: number;
  field?: string;
  bit?: bigint;
  always?: boolean;
  path?: number;
  pair?: number;
}

const MAKERS: Readonly<Record<string, Maker>> = {
  open: { op: 'open', flags: 1, path: 0 },
  openat: { op: 'open', flags: 2, path: 1 },
  openat2: { op: 'open', flags: 2, field: 'flags', path: 1 },
  creat: { op: 'open', path: 0 },
  socket: { op: 'socket', flags: 1 },
  socketpair: { op: 'socket', flags: 1, pair: 3 },
  accept: { op: 'socket' },
  accept4: { op: 'socket', flags: 3 },
  pipe: { op: 'pipe', pair: 0 },
  pipe2: { op: 'pipe', flags: 1, pair: 0 },
  eventfd: { op: 'open' },
  eventfd2: { op: 'open', flags: 1 },
  epoll_create: { op: 'open' },
  epoll_create1: { op: 'open', flags: 0 },
  signalfd4: { op: 'open', flags: 3 },
  timerfd_create: { op: 'open', flags: 1 },
  inotify_init1: { op: 'open', flags: 0 },
  memfd_create: { op: 'open', flags: 1, bit: 1n, path: 0 },
  pidfd_open: { op: 'open', always: true },
};

/** The syscalls this module decodes. */
export const FD_SYSCALLS: ReadonlySet<string> = new Set([...Object.keys(MAKERS), 'dup', 'dup2', 'dup3', 'fcntl', 'fcntl64', 'close', 'close_range']);

function hasCloexec(v: Value | undefined, bit: bigint): boolean {
  if (v === undefined) return false;
  for (const name of flagNames(v)) {
    if (name.endsWith('CLOEXEC')) return true;
    const n = toBigInt(name);
    if (n !== undefined && (n & bit) !== 0n) return true;
  }
  return false;
}

function fdOf(v: Value | undefined): number | undefined {
  const n = smallInt(v);
  return n !== undefined && n >= 0 ? n : undefined;
}

const result = (event: SyscallEvent): number[] => {
  const n = returnedInt(event);
  return n !== undefined && n >= 0n && n <= 0x7fffffffn ? [Number(n)] : [];
};

type Building = { -readonly [K in keyof FdFact]: FdFact[K] };

/** The record's common fields; callers add theirs by assignment (no spread: fcntl and dup are frequent). */
function base(event: SyscallEvent, op: FdOp, fds: number[]): Building {
  const { ok, errno } = outcome(event);
  const fact: Building = { fact: 'fd', syscall: event.name, op, fds: ok || op === 'close' ? fds : [], ok };
  if (errno !== undefined) fact.errno = errno;
  return fact;
}

/** The descriptor fact of a call in FD_SYSCALLS; undefined for fcntl commands that make or mark nothing. */
export function fdFact(event: SyscallEvent): FdFact | undefined {
  const name = event.name;
  const maker = Object.hasOwn(MAKERS, name) ? MAKERS[name] : undefined;
  if (maker) {
    let fds = result(event);
    if (maker.pair !== undefined) {
      const pair = argOf(event, maker.pair);
      fds = pair?.t === 'array' ? pair.items.map(fdOf).filter((fd): fd is number => fd !== undefined) : [];
    }
    const flagsArg = maker.flags === undefined ? undefined : argOf(event, maker.flags);
    const cloexec = maker.always === true || hasCloexec(maker.field ? structField(flagsArg, maker.field) : flagsArg, maker.bit ?? O_CLOEXEC);
    const pathArg = maker.path === undefined ? undefined : argOf(event, maker.path);
    const fact = base(event, maker.op, fds);
    fact.cloexec = cloexec;
    if (pathArg?.t === 'str') fact.path = utf8Text(pathArg.bytes);
    return fact;
  }
  switch (name) {
    case 'dup':
    case 'dup2':
    case 'dup3': {
      const from = fdOf(argOf(event, 0));
      const fact = base(event, 'dup', result(event));
      fact.cloexec = name === 'dup3' && hasCloexec(argOf(event, 2), O_CLOEXEC);
      if (from !== undefined) fact.from = from;
      return fact;
    }
    case 'close': {
      const fd = fdOf(argOf(event, 0));
      return base(event, 'close', fd === undefined ? [] : [fd]);
    }
    case 'close_range': {
      const first = fdOf(argOf(event, 0));
      const last = toBigInt(argOf(event, 1));
      const cloexecOnly = hasCloexec(argOf(event, 2), 4n);
      return {
        ...base(event, 'close-range', []),
        ...(cloexecOnly ? { cloexec: true } : {}),
        ...(first !== undefined && last !== undefined ? { range: { first, last: BigInt.asUintN(32, last), cloexecOnly } } : {}),
      };
    }
    default: {
      // fcntl / fcntl64
      const fd = fdOf(argOf(event, 0));
      const cmdArg = argOf(event, 1);
      const cmd = cmdArg === undefined ? undefined : decodeFlags(FCNTL_CMDS, valueText(cmdArg)).known[0]?.name;
      if (cmd === 'F_DUPFD' || cmd === 'F_DUPFD_CLOEXEC') {
        const fact = base(event, 'dup', result(event));
        fact.cloexec = cmd === 'F_DUPFD_CLOEXEC';
        if (fd !== undefined) fact.from = fd;
        return fact;
      }
      if (cmd === 'F_SETFD') {
        const fact = base(event, 'set-cloexec', fd === undefined ? [] : [fd]);
        fact.cloexec = hasCloexec(argOf(event, 2), 1n);
        return fact;
      }
      return undefined;
    }
  }
}
