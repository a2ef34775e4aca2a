/**
 * The doctor's view of a syscall: the few typed facts its rules read (signal dispositions and masks,
 * descriptors and their close-on-exec bit, stack mappings, limits, restarts), decoded once per event
 * from the parser's values with the kb tables. This is the doctor's adapter onto the facts stage:
 * everything that looks at arguments is here, so the rules never see strace syntax.
 */
import type { SyscallEvent, Value } from '../parse/types.js';
import { flagNames, structField, toBigInt, valueText } from '../parse/values.js';
import { maskOfSignals, signalByName } from '../kb/signals.js';

/** What a signal's disposition became. */
export type Disposition = 'default' | 'ignore' | 'handler';

/** Every signal but SIGKILL and SIGSTOP, which can be neither blocked nor caught. */
export const BLOCKABLE = maskOfSignals(Array.from({ length: 64 }, (_, i) => i + 1).filter((n) => n !== 9 && n !== 19));

export type SyscallFact =
  | { kind: 'sigaction'; signal: number; disposition: Disposition; flags: string[] }
  | { kind: 'sigmask'; how: 'block' | 'unblock' | 'set'; mask: bigint }
  /** A call that takes blocked signals synchronously (sigtimedwait) or waits with a temporary mask (sigsuspend, pselect6...): the signals in `mask` are being waited for. */
  | { kind: 'sigwait'; mask: bigint; taken?: number }
  /** signalfd/signalfd4: these signals are read from a descriptor. */
  | { kind: 'signalfd'; mask: bigint; fd?: number; cloexec: boolean }
  | { kind: 'send'; signal: number; target: SendTarget; ok: boolean }
  | { kind: 'fd-open'; fds: number[]; cloexec: boolean; readOnly: boolean; fdKind: FdKind }
  | { kind: 'fd-dup'; from: number; to: number; cloexec: boolean }
  | { kind: 'fd-close'; first: number; last: number; cloexecOnly: boolean }
  | { kind: 'fd-cloexec'; fd: number; on: boolean }
  | { kind: 'stack-map'; start: bigint; length: bigint; guardOnly: boolean }
  | { kind: 'protect'; start: bigint; length: bigint; none: boolean }
  | { kind: 'limit'; resource: string; soft?: string; set: boolean }
  /** wait4/waitid: WNOHANG polls, WNOWAIT peeks. */
  | { kind: 'wait'; nohang: boolean; nowait: boolean; errno?: string }
  /** prctl(OPTION, ...): the option's name (PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER...). */
  | { kind: 'prctl'; option: string };

/** Who a signal was sent to. */
export type SendTarget = { kind: 'pid'; pid: number } | { kind: 'thread'; tid: number } | { kind: 'group'; pgid: number } | { kind: 'own-group' } | { kind: 'everyone' } | { kind: 'unknown' };

/** What a descriptor is, from the creating call (and `-yy` decorations when present). */
export type FdKind = 'file' | 'pipe' | 'socket' | 'other';

const succeeded = (e: SyscallEvent): boolean => e.ret !== undefined && e.ret.errno === undefined && e.ret.value !== '?' && !e.ret.value.startsWith('-');

function argOf(e: SyscallEvent, i: number): Value | undefined {
  return e.argAt ? e.argAt(i) : e.args[i];
}

/** The integer a call returned, or undefined. */
export function returned(e: SyscallEvent): bigint | undefined {
  if (!succeeded(e)) return undefined;
  return toBigInt(e.ret!.value);
}

function intOf(v: Value | undefined): number | undefined {
  const n = toBigInt(v);
  return n === undefined || n > 0x7fffffffn || n < -0x80000000n ? undefined : Number(n);
}

/** Argument i as a (32-bit) integer, when it is one. */
export function intArgument(e: SyscallEvent, i: number): number | undefined {
  return intOf(argOf(e, i));
}

/** The descriptor a call works on (its first argument), when it is a number. */
export function fdArgument(e: SyscallEvent): number | undefined {
  return intOf(argOf(e, 0));
}

/** A signal argument: `SIGTERM`, `15`, or a `SIGRTMIN+3` expression. */
export function signalNumber(v: Value | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (v.t === 'int') return intOf(v);
  if (v.t === 'ident' || v.t === 'expr') return signalByName(v.text)?.number;
  if (v.t === 'comment') return signalNumber(v.value ?? undefined);
  return undefined;
}

/** A sigset (`[TERM USR1]`, `~[]`, `~[KILL STOP RTMIN RT_1]`) as a mask. */
export function sigset(v: Value | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  if (v.t === 'changed') return sigset(v.after);
  // A one-signal set prints like an array of one name: `[USR1]`.
  if (v.t === 'array') return v.items.every((i) => i.t === 'ident') ? maskOfSignals(v.items.map((i) => signalByName(valueText(i))?.number ?? 0)) : undefined;
  if (v.t !== 'set') return undefined;
  const mask = maskOfSignals(v.items.map((name) => signalByName(name)?.number ?? 0));
  return v.negated ? BLOCKABLE & ~mask : mask;
}

const flagsOf = (v: Value | undefined): string[] => flagNames(v);

function sigaction(e: SyscallEvent): SyscallFact | undefined {
  if (!succeeded(e)) return undefined;
  const signal = signalNumber(argOf(e, 0));
  const act = argOf(e, 1);
  if (signal === undefined || act === undefined || act.t !== 'struct') return undefined;
  // Named fields, or the positional form of old strace (`{SIG_IGN, [], SA_RESTORER, 0x...}`).
  const positional = act.fields.length > 0 && act.fields[0].name === '' ? act.fields : undefined;
  const handler = structField(act, 'sa_handler') ?? positional?.[0]?.value;
  if (handler === undefined) return undefined;
  const text = valueText(handler);
  const disposition: Disposition = text === 'SIG_IGN' ? 'ignore' : text === 'SIG_DFL' ? 'default' : 'handler';
  return { kind: 'sigaction', signal, disposition, flags: flagsOf(structField(act, 'sa_flags') ?? positional?.[2]?.value) };
}

function sigprocmask(e: SyscallEvent): SyscallFact | undefined {
  if (!succeeded(e)) return undefined;
  const how = flagsOf(argOf(e, 0))[0];
  const mask = sigset(argOf(e, 1));
  if (mask === undefined) return undefined;
  const kind = how === 'SIG_BLOCK' ? 'block' : how === 'SIG_UNBLOCK' ? 'unblock' : how === 'SIG_SETMASK' ? 'set' : undefined;
  return kind ? { kind: 'sigmask', how: kind, mask } : undefined;
}

/** sigtimedwait takes one of the set; the return is the signal number. */
function sigtimedwait(e: SyscallEvent): SyscallFact | undefined {
  const mask = sigset(argOf(e, 0));
  if (mask === undefined) return undefined;
  const n = returned(e);
  return { kind: 'sigwait', mask, ...(n !== undefined && n > 0n && n <= 64n ? { taken: Number(n) } : {}) };
}

/** A temporary mask while waiting: the signals it leaves unblocked are the ones waited for. */
const temporaryMask = (index: number) => (e: SyscallEvent): SyscallFact | undefined => {
  const v = argOf(e, index);
  // pselect6 prints its sigmask as `{sigmask=[...], sigsetsize=8}`.
  const mask = sigset(v?.t === 'struct' ? structField(v, 'sigmask') ?? v.fields[0]?.value : v);
  return mask === undefined ? undefined : { kind: 'sigwait', mask: BLOCKABLE & ~mask };
};

function signalfd(e: SyscallEvent): SyscallFact | undefined {
  const mask = sigset(argOf(e, 1));
  if (mask === undefined || !succeeded(e)) return undefined;
  const fd = returned(e);
  return { kind: 'signalfd', mask, cloexec: flagsOf(argOf(e, 3)).includes('SFD_CLOEXEC'), ...(fd !== undefined ? { fd: Number(fd) } : {}) };
}

/** kill(pid, sig) and friends: where the target and signal arguments are (tgkill names a thread). */
const SENDERS: Record<string, { target: number; thread?: number; signal: number }> = {
  kill: { target: 0, signal: 1 },
  tkill: { target: 0, thread: 0, signal: 1 },
  tgkill: { target: 0, thread: 1, signal: 2 },
  rt_sigqueueinfo: { target: 0, signal: 1 },
  rt_tgsigqueueinfo: { target: 0, thread: 1, signal: 2 },
};

function send(e: SyscallEvent): SyscallFact | undefined {
  const shape = SENDERS[e.name];
  const signal = signalNumber(argOf(e, shape.signal));
  if (signal === undefined) return undefined;
  let target: SendTarget = { kind: 'unknown' };
  if (shape.thread !== undefined) {
    const tid = intOf(argOf(e, shape.thread));
    if (tid !== undefined && tid > 0) target = { kind: 'thread', tid };
  } else {
    const pid = intOf(argOf(e, shape.target));
    if (pid !== undefined) target = pid > 0 ? { kind: 'pid', pid } : pid === 0 ? { kind: 'own-group' } : pid === -1 ? { kind: 'everyone' } : { kind: 'group', pgid: -pid };
  }
  return { kind: 'send', signal, target, ok: succeeded(e) };
}

/** Descriptor-creating calls: where the flags are, which flag sets close-on-exec, where the fds come from. */
interface FdMaker {
  flags?: number;
  cloexec?: string;
  /** The new fds are in this array argument (pipe, socketpair), not the return value. */
  array?: number;
  kind: FdKind;
  /** Always close-on-exec (pidfd_open). */
  always?: boolean;
  /** The open flags are here (for read-only files). */
  access?: number;
}

const FD_MAKERS: Record<string, FdMaker> = {
  open: { flags: 1, cloexec: 'O_CLOEXEC', kind: 'file', access: 1 },
  openat: { flags: 2, cloexec: 'O_CLOEXEC', kind: 'file', access: 2 },
  creat: { kind: 'file' },
  openat2: { kind: 'file' },
  pipe: { array: 0, kind: 'pipe' },
  pipe2: { array: 0, flags: 1, cloexec: 'O_CLOEXEC', kind: 'pipe' },
  socket: { flags: 1, cloexec: 'SOCK_CLOEXEC', kind: 'socket' },
  socketpair: { flags: 1, cloexec: 'SOCK_CLOEXEC', array: 3, kind: 'socket' },
  accept: { kind: 'socket' },
  accept4: { flags: 3, cloexec: 'SOCK_CLOEXEC', kind: 'socket' },
  epoll_create: { kind: 'other' },
  epoll_create1: { flags: 0, cloexec: 'EPOLL_CLOEXEC', kind: 'other' },
  eventfd: { kind: 'other' },
  eventfd2: { flags: 1, cloexec: 'EFD_CLOEXEC', kind: 'other' },
  timerfd_create: { flags: 1, cloexec: 'TFD_CLOEXEC', kind: 'other' },
  memfd_create: { flags: 1, cloexec: 'MFD_CLOEXEC', kind: 'file' },
  inotify_init: { kind: 'other' },
  inotify_init1: { flags: 0, cloexec: 'IN_CLOEXEC', kind: 'other' },
  fanotify_init: { flags: 0, cloexec: 'FAN_CLOEXEC', kind: 'other' },
  pidfd_open: { kind: 'other', always: true },
  userfaultfd: { flags: 0, cloexec: 'O_CLOEXEC', kind: 'other' },
};

/** How `-yy` names sockets: `socket:[ino]`, or the protocol with its addresses. */
const SOCKET_DECORATIONS = ['socket:', 'TCP', 'UDP', 'UNIX', 'NETLINK', 'RAW', 'SCTP', 'PACKET'];

/** The kind a `-yy` decoration names (`pipe:[123]`, `TCP:[...]`, `socket:[...]`, a path). */
function decoratedKind(decoration: string | undefined, fallback: FdKind): FdKind {
  if (decoration === undefined) return fallback;
  if (decoration.startsWith('pipe:')) return 'pipe';
  if (SOCKET_DECORATIONS.some((prefix) => decoration.startsWith(prefix))) return 'socket';
  if (decoration.startsWith('/')) return 'file';
  return fallback;
}

function fdOpen(e: SyscallEvent): SyscallFact | undefined {
  const maker = FD_MAKERS[e.name];
  if (!succeeded(e)) return undefined;
  const flags = maker.flags === undefined ? [] : flagsOf(argOf(e, maker.flags));
  const cloexec = maker.always === true || (maker.cloexec !== undefined && flags.includes(maker.cloexec));
  let fds: number[] = [];
  let decoration = e.ret?.decoration;
  if (maker.array !== undefined) {
    const arr = argOf(e, maker.array);
    if (arr?.t === 'array') {
      fds = arr.items.map(intOf).filter((n): n is number => n !== undefined);
      const first = arr.items[0];
      if (first?.t === 'fd') decoration = first.decoration;
    }
  } else {
    const fd = returned(e);
    if (fd !== undefined) fds = [Number(fd)];
  }
  if (fds.length === 0) return undefined;
  const access = maker.access === undefined ? [] : flagsOf(argOf(e, maker.access));
  const readOnly = maker.access !== undefined && !access.some((f) => f === 'O_WRONLY' || f === 'O_RDWR');
  return { kind: 'fd-open', fds, cloexec, readOnly, fdKind: decoratedKind(decoration, maker.kind) };
}

function dup(e: SyscallEvent): SyscallFact | undefined {
  const to = returned(e);
  const from = intOf(argOf(e, 0));
  if (to === undefined || from === undefined) return undefined;
  const cloexec = e.name === 'dup3' && flagsOf(argOf(e, 2)).includes('O_CLOEXEC');
  return { kind: 'fd-dup', from, to: Number(to), cloexec };
}

function fcntl(e: SyscallEvent): SyscallFact | undefined {
  if (!succeeded(e)) return undefined;
  const fd = intOf(argOf(e, 0));
  const cmd = flagsOf(argOf(e, 1))[0];
  if (fd === undefined) return undefined;
  if (cmd === 'F_DUPFD' || cmd === 'F_DUPFD_CLOEXEC') {
    const to = returned(e);
    return to === undefined ? undefined : { kind: 'fd-dup', from: fd, to: Number(to), cloexec: cmd === 'F_DUPFD_CLOEXEC' };
  }
  if (cmd === 'F_SETFD') return { kind: 'fd-cloexec', fd, on: flagsOf(argOf(e, 2)).includes('FD_CLOEXEC') || toBigInt(argOf(e, 2)) === 1n };
  return undefined;
}

function ioctl(e: SyscallEvent): SyscallFact | undefined {
  const request = flagsOf(argOf(e, 1))[0];
  const fd = intOf(argOf(e, 0));
  if (!succeeded(e) || fd === undefined || (request !== 'FIOCLEX' && request !== 'FIONCLEX')) return undefined;
  return { kind: 'fd-cloexec', fd, on: request === 'FIOCLEX' };
}

function close(e: SyscallEvent): SyscallFact | undefined {
  const fd = intOf(argOf(e, 0));
  // A close that failed with EINTR still closed the descriptor on Linux; EBADF closed nothing.
  if (fd === undefined || e.ret?.errno === 'EBADF') return undefined;
  return { kind: 'fd-close', first: fd, last: fd, cloexecOnly: false };
}

function closeRange(e: SyscallEvent): SyscallFact | undefined {
  if (!succeeded(e)) return undefined;
  const first = toBigInt(argOf(e, 0));
  const last = toBigInt(argOf(e, 1));
  if (first === undefined || last === undefined) return undefined;
  const cap = (n: bigint): number => (n > 0x7fffffffn ? 0x7fffffff : Number(n));
  return { kind: 'fd-close', first: cap(first), last: cap(last), cloexecOnly: flagsOf(argOf(e, 2)).includes('CLOSE_RANGE_CLOEXEC') };
}

/** Thread stacks: glibc maps them PROT_NONE with MAP_STACK and opens all but the guard with mprotect. */
function mmap(e: SyscallEvent): SyscallFact | undefined {
  const start = returned(e);
  const length = toBigInt(argOf(e, 1));
  if (start === undefined || length === undefined) return undefined;
  const flags = flagsOf(argOf(e, 3));
  if (!flags.includes('MAP_STACK') && !flags.includes('MAP_GROWSDOWN')) return undefined;
  return { kind: 'stack-map', start, length, guardOnly: flagsOf(argOf(e, 2)).includes('PROT_NONE') };
}

function mprotect(e: SyscallEvent): SyscallFact | undefined {
  const start = toBigInt(argOf(e, 0));
  const length = toBigInt(argOf(e, 1));
  if (!succeeded(e) || start === undefined || length === undefined) return undefined;
  return { kind: 'protect', start, length, none: flagsOf(argOf(e, 2)).includes('PROT_NONE') };
}

/** prlimit64(pid, RESOURCE, new, old), setrlimit(RESOURCE, new), getrlimit(RESOURCE, old). */
function limit(e: SyscallEvent): SyscallFact | undefined {
  if (!succeeded(e)) return undefined;
  const at = e.name === 'prlimit64' ? 1 : 0;
  const resource = flagsOf(argOf(e, at))[0];
  if (resource === undefined) return undefined;
  const next = e.name === 'getrlimit' ? undefined : argOf(e, at + 1);
  const shown = next !== undefined && next.t !== 'null' ? next : argOf(e, e.name === 'prlimit64' ? 3 : 1);
  const soft = structField(shown, 'rlim_cur');
  return { kind: 'limit', resource, set: next !== undefined && next.t !== 'null', ...(soft ? { soft: valueText(soft) } : {}) };
}

function wait(e: SyscallEvent): SyscallFact {
  const options = flagsOf(argOf(e, e.name === 'waitid' ? 3 : 2));
  return { kind: 'wait', nohang: options.includes('WNOHANG'), nowait: options.includes('WNOWAIT'), ...(e.ret?.errno ? { errno: e.ret.errno } : {}) };
}

function prctl(e: SyscallEvent): SyscallFact | undefined {
  const option = flagsOf(argOf(e, 0))[0];
  return option === undefined || !succeeded(e) ? undefined : { kind: 'prctl', option };
}

const DECODERS: ReadonlyMap<string, (e: SyscallEvent) => SyscallFact | undefined> = new Map<string, (e: SyscallEvent) => SyscallFact | undefined>([
  ['rt_sigaction', sigaction],
  ['sigaction', sigaction],
  ['rt_sigprocmask', sigprocmask],
  ['sigprocmask', sigprocmask],
  ['rt_sigtimedwait', sigtimedwait],
  ['rt_sigsuspend', temporaryMask(0)],
  ['sigsuspend', temporaryMask(0)],
  ['pselect6', temporaryMask(5)],
  ['ppoll', temporaryMask(3)],
  ['epoll_pwait', temporaryMask(4)],
  ['epoll_pwait2', temporaryMask(4)],
  ['signalfd', signalfd],
  ['signalfd4', signalfd],
  ...Object.keys(SENDERS).map((name) => [name, send] as const),
  ...Object.keys(FD_MAKERS).map((name) => [name, fdOpen] as const),
  ['dup', dup],
  ['dup2', dup],
  ['dup3', dup],
  ['fcntl', fcntl],
  ['fcntl64', fcntl],
  ['ioctl', ioctl],
  ['close', close],
  ['close_range', closeRange],
  ['mmap', mmap],
  ['mmap2', mmap],
  ['mprotect', mprotect],
  ['prctl', prctl],
  ['wait4', wait],
  ['waitid', wait],
  ['prlimit64', limit],
  ['setrlimit', limit],
  ['getrlimit', limit],
]);

/** The fact a syscall event states for the doctor, or undefined when it states none the rules read. */
export function decodeSyscall(e: SyscallEvent): SyscallFact | undefined {
  const decoder = DECODERS.get(e.name);
  return decoder ? decoder(e) : undefined;
}

/** Signal delivery fields from a `--- SIGx {...} ---` line's parsed siginfo. */
export function siginfoOf(info: Value | null): { code?: string; pid?: number; addr?: bigint } {
  if (!info) return {};
  const code = structField(info, 'si_code');
  const pid = intOf(structField(info, 'si_pid'));
  const addr = structField(info, 'si_addr');
  return {
    ...(code ? { code: valueText(code) } : {}),
    ...(pid !== undefined ? { pid } : {}),
    ...(addr ? { addr: toBigInt(addr) ?? 0n } : {}),
  };
}
