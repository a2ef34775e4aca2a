/**
 * The doctor's view of a syscall: the few typed facts its rules read. Descriptors, signals sent,
 * limits, waits and signal deliveries come from the facts stage (src/facts, decoded once per event);
 * what that stage does not decode yet (signal dispositions and masks, signal waits and signalfd masks,
 * thread stack mappings, ioctl FIOCLEX, prctl options) is decoded here from the parser's values. This
 * is the one place the doctor looks at arguments, so the rules never see strace syntax.
 */
import type { SignalEvent, SyscallEvent, Value } from '../parse/types.js';
import { factOf } from '../facts/index.js';
import type { FdFact, LimitFact, LimitValue, SignalSentFact, WaitFact } from '../facts/index.js';
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

/** Where open calls keep their access mode (O_RDONLY...), for telling read-only files apart. */
const ACCESS_ARG: Record<string, number> = { open: 1, openat: 2 };
/** Descriptors that are neither files, pipes nor sockets. */
const OTHER_FDS = new Set(['eventfd', 'eventfd2', 'epoll_create', 'epoll_create1', 'signalfd4', 'timerfd_create', 'inotify_init1', 'pidfd_open']);
/** How `-yy` names sockets: `socket:[ino]`, or the protocol with its addresses. */
const SOCKET_DECORATIONS = ['socket:', 'TCP', 'UDP', 'UNIX', 'NETLINK', 'RAW', 'SCTP', 'PACKET'];

/** The kind a `-yy` decoration names (`pipe:[123]`, `TCP:[...]`, `socket:[...]`, a path). */
export function decoratedKind(decoration: string | undefined, fallback: FdKind): FdKind {
  if (decoration === undefined) return fallback;
  if (decoration.startsWith('pipe:')) return 'pipe';
  if (SOCKET_DECORATIONS.some((prefix) => decoration.startsWith(prefix))) return 'socket';
  if (decoration.startsWith('/')) return 'file';
  return fallback;
}

/** The facts stage's descriptor record, in the doctor's terms (kind and read-only from the call). */
function fromFdFact(e: SyscallEvent, f: FdFact): SyscallFact | undefined {
  if (!f.ok) return undefined;
  switch (f.op) {
    case 'open':
    case 'socket':
    case 'pipe': {
      if (f.fds.length === 0) return undefined;
      const base: FdKind = f.op === 'pipe' ? 'pipe' : f.op === 'socket' ? 'socket' : OTHER_FDS.has(f.syscall) ? 'other' : 'file';
      const pairFirst = f.op === 'pipe' ? argOf(e, 0) : undefined;
      const decoration = e.ret?.decoration ?? (pairFirst?.t === 'array' && pairFirst.items[0]?.t === 'fd' ? pairFirst.items[0].decoration : undefined);
      const accessAt = ACCESS_ARG[f.syscall];
      const access = accessAt === undefined ? undefined : flagsOf(argOf(e, accessAt));
      const readOnly = access !== undefined && !access.some((a) => a === 'O_WRONLY' || a === 'O_RDWR');
      return { kind: 'fd-open', fds: [...f.fds], cloexec: f.cloexec === true, readOnly, fdKind: decoratedKind(decoration, base) };
    }
    case 'dup':
      return f.from === undefined || f.fds.length === 0 ? undefined : { kind: 'fd-dup', from: f.from, to: f.fds[0], cloexec: f.cloexec === true };
    case 'close':
      return f.fds.length === 0 ? undefined : { kind: 'fd-close', first: f.fds[0], last: f.fds[0], cloexecOnly: false };
    case 'close-range': {
      if (!f.range) return undefined;
      const last = f.range.last > 0x7fffffffn ? 0x7fffffff : Number(f.range.last);
      return { kind: 'fd-close', first: f.range.first, last, cloexecOnly: f.range.cloexecOnly };
    }
    case 'set-cloexec':
      return f.fds.length === 0 ? undefined : { kind: 'fd-cloexec', fd: f.fds[0], on: f.cloexec === true };
  }
}

function fromSentFact(f: SignalSentFact): SyscallFact | undefined {
  if (f.signo === undefined || f.probe) return undefined;
  let target: SendTarget = { kind: 'unknown' };
  if (f.tid !== undefined) target = { kind: 'thread', tid: f.tid };
  else if (f.targetPid !== undefined) target = { kind: 'pid', pid: f.targetPid };
  else if (f.target === '0') target = { kind: 'own-group' };
  else if (f.target === '-1') target = { kind: 'everyone' };
  else if (f.target.startsWith('-')) target = { kind: 'group', pgid: Number(f.target.slice(1)) };
  return { kind: 'send', signal: f.signo, target, ok: f.ok };
}

function limitText(v: LimitValue | undefined): string | undefined {
  return v === undefined ? undefined : v === 'infinity' ? 'unlimited' : v.toString();
}

function fromLimitFact(f: LimitFact): SyscallFact | undefined {
  if (!f.ok) return undefined;
  const soft = limitText(f.set?.soft ?? f.read?.soft);
  return { kind: 'limit', resource: f.resource, set: f.set !== undefined, ...(soft !== undefined ? { soft } : {}) };
}

function fromWaitFact(f: WaitFact): SyscallFact {
  return { kind: 'wait', nohang: f.options.includes('WNOHANG'), nowait: f.options.includes('WNOWAIT'), ...(f.errno ? { errno: f.errno } : {}) };
}

/** ioctl(fd, FIOCLEX/FIONCLEX): the facts stage does not read ioctl. */
function ioctl(e: SyscallEvent): SyscallFact | undefined {
  const request = flagsOf(argOf(e, 1))[0];
  const fd = intOf(argOf(e, 0));
  if (!succeeded(e) || fd === undefined || (request !== 'FIOCLEX' && request !== 'FIONCLEX')) return undefined;
  return { kind: 'fd-cloexec', fd, on: request === 'FIOCLEX' };
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

function prctl(e: SyscallEvent): SyscallFact | undefined {
  const option = flagsOf(argOf(e, 0))[0];
  return option === undefined || !succeeded(e) ? undefined : { kind: 'prctl', option };
}

/** Facts the facts stage does not decode (signal setup, stacks, ioctl close-on-exec, prctl). */
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
  ['ioctl', ioctl],
  ['mmap', mmap],
  ['mmap2', mmap],
  ['mprotect', mprotect],
  ['prctl', prctl],
]);

/** The fact a syscall event states for the doctor, or undefined when it states none the rules read. */
export function decodeSyscall(e: SyscallEvent): SyscallFact | undefined {
  const decoder = DECODERS.get(e.name);
  if (decoder) return decoder(e);
  const f = factOf(e);
  switch (f?.fact) {
    case 'fd':
      return fromFdFact(e, f);
    case 'send':
      return fromSentFact(f);
    case 'limit':
      return fromLimitFact(f);
    case 'wait':
      return fromWaitFact(f);
    default:
      return undefined;
  }
}

/** Signal delivery fields from a `--- SIGx {...} ---` line, through the facts stage. */
export function siginfoOf(event: SignalEvent): { code?: string; pid?: number; addr?: bigint } {
  const f = factOf(event);
  if (f?.fact !== 'signal') return {};
  return { ...(f.code !== undefined ? { code: f.code } : {}), ...(f.sender !== undefined ? { pid: f.sender } : {}), ...(f.addr !== undefined ? { addr: f.addr } : {}) };
}
