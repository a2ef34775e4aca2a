/**
 * What each lifecycle syscall tells the model, as a table: syscall name -> rule. Every other syscall
 * only counts as activity of its task. Rules read arguments lazily and never throw on odd shapes.
 */
import type { SyscallEvent, Value } from '../parse/types.js';
import { flagNames, structField, toBigInt, valueText } from '../parse/values.js';
import { birthKind, cloneFlags, namespaceFlags, CREATING_SYSCALLS } from './birth.js';
import { SIGNAL_SENDING_SYSCALLS } from './signal-calls.js';
import { statusFromSiginfo, statusFromWaitText, MAX_PID } from './wait-status.js';
import type { Birth, Moment, Task, ChildStatus } from './types.js';

/** The graph operations rules may use. */
export interface ModelOps {
  /** `creator` made a task with TID `childTid` (the call's entry was on `entryLine`). */
  recordBirth(creator: Task, childTid: number, birth: Birth, entry: { line: number; source?: string }): void;
  recordExec(task: Task, event: SyscallEvent, at: Moment): void;
  recordReap(reaper: Task, childPid: number, syscall: string, status: ChildStatus | undefined, at: Moment): void;
  /** SIGCHLD set to SIG_IGN or SA_NOCLDWAIT (on) or back to a handler/SIG_DFL (off). */
  recordChildAutoReap(task: Task, on: boolean, at: Moment): void;
  /** The task learned its own TID (`tid`) or its thread group id (`tgid`). */
  learnId(task: Task, id: number, what: 'tid' | 'tgid'): void;
  /** Thread `tid` belongs to thread group `tgid` (tgkill's arguments). */
  learnGroup(tid: number, tgid: number): void;
  /** `joiner` waited on the TID word `word` holding `tid`: woke up (`woken`) or found it changed (`gone`). */
  recordJoin(joiner: Task, tid: number, word: string, how: 'woken' | 'gone', at: Moment): void;
  /** The clear-TID word of the task with this TID (undefined: the caller's own, learned from its TID). */
  setClearTid(tid: number | undefined, word: string): void;
}

export type SyscallRule = (ops: ModelOps, task: Task, event: SyscallEvent, at: Moment, end: Moment) => void;

/** The integer a call returned, when it returned one. */
export function returnedInt(event: SyscallEvent): bigint | undefined {
  if (event.ret === undefined || event.ret.errno !== undefined) return undefined;
  return toBigInt(event.ret.value);
}

/** Argument i, parsing only that one when the event can (most rules read one or two arguments). */
export function argOf(event: SyscallEvent, i: number): Value | undefined {
  return event.argAt ? event.argAt(i) : event.args[i];
}

const succeeded = (event: SyscallEvent): boolean => event.ret !== undefined && event.ret.errno === undefined && event.ret.value !== '-1' && event.ret.value !== '?';

const creation: SyscallRule = (ops, task, event, _at, end) => {
  const child = returnedInt(event);
  if (child === undefined || child <= 0n) return;
  const flags = cloneFlags(event.name, event.args);
  const kind = birthKind(event.name, flags);
  const namespaces = namespaceFlags(flags);
  const birth: Birth = { kind, syscall: event.name, flags, creator: task.key, at: end };
  if (namespaces.length > 0) birth.namespaces = namespaces;
  ops.recordBirth(task, Number(child), birth, { line: event.line, source: event.source });
  if (flags.includes('CLONE_CHILD_CLEARTID')) {
    const word = event.name === 'clone3' ? structField(argOf(event, 0), 'child_tid') : namedArg(event, 'child_tidptr');
    const address = wordAddress(word);
    if (address !== undefined) ops.setClearTid(Number(child), address);
  }
};

function namedArg(event: SyscallEvent, name: string): Value | undefined {
  const arg = event.args.find((a) => a.t === 'named' && a.name === name);
  return arg?.t === 'named' ? arg.value : undefined;
}

/** A user-space address as normalised hex text (`0x7f...`), or undefined for NULL or a non-number. */
function wordAddress(v: Value | undefined): string | undefined {
  const n = toBigInt(v);
  return n === undefined || n <= 0n ? undefined : `0x${n.toString(16)}`;
}

/**
 * The futex operations a join waits with: the kernel wakes a clear-TID word as a shared futex, so a
 * `_PRIVATE` wait is never a join (which also skips the mutex and condvar waits that fill real logs).
 */
const JOIN_WAITS = new Set(['FUTEX_WAIT', 'FUTEX_WAIT_BITSET', 'FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME']);

/** Argument i as printed (no value parsing: futex is among the most frequent calls). */
function argText(event: SyscallEvent, i: number): string | undefined {
  if (event.argParts) return event.argParts()[i];
  const v = argOf(event, i);
  return v === undefined ? undefined : valueText(v);
}

/** `futex(ADDR, FUTEX_WAIT, TID, ...)`: a wait on a thread's TID word, the way pthread_join waits. */
const futex: SyscallRule = (ops, task, event, at, end) => {
  const ret = event.ret;
  if (ret === undefined) return;
  const woken = ret.value === '0' && ret.errno === undefined;
  if (!woken && ret.errno !== 'EAGAIN') return;
  const op = argText(event, 1);
  if (op === undefined || !JOIN_WAITS.has(op)) return;
  const tid = toBigInt(argText(event, 2));
  const word = toBigInt(argText(event, 0));
  if (tid === undefined || tid <= 0n || tid > MAX_PID || word === undefined || word <= 0n) return;
  ops.recordJoin(task, Number(tid), `0x${word.toString(16)}`, woken ? 'woken' : 'gone', woken ? end : at);
};

const setTidAddress: SyscallRule = (ops, task, event, at, end) => {
  learn('tid')(ops, task, event, at, end);
  const word = wordAddress(argOf(event, 0));
  const tid = returnedInt(event);
  if (word !== undefined && tid !== undefined && tid > 0n) ops.setClearTid(Number(tid), word);
};

const exec: SyscallRule = (ops, task, event, at) => ops.recordExec(task, event, at);

const wait4: SyscallRule = (ops, task, event, _at, end) => {
  const child = returnedInt(event);
  if (child === undefined || child <= 0n) return;
  const statusArg = argOf(event, 1);
  const status = statusArg === undefined || statusArg.t === 'null' ? undefined : statusFromWaitText(valueText(statusArg));
  if (status !== undefined && status.kind !== 'exited' && status.kind !== 'killed') return;
  ops.recordReap(task, Number(child), event.name, status, end);
};

const waitid: SyscallRule = (ops, task, event, _at, end) => {
  if (!succeeded(event)) return;
  const options = argOf(event, 3);
  const info = argOf(event, 2);
  if (flagNames(options).includes('WNOWAIT') || info === undefined) return;
  const { pid, status } = statusFromSiginfo(info);
  if (pid === undefined || pid <= 0) return;
  if (status !== undefined && status.kind !== 'exited' && status.kind !== 'killed') return;
  ops.recordReap(task, pid, event.name, status, end);
};

function intArg(v: Value | undefined): number | undefined {
  const n = v === undefined ? undefined : toBigInt(v);
  return n === undefined ? undefined : Number(n);
}

const sendSignal: SyscallRule = (ops, task, event, at) => {
  const shape = SIGNAL_SENDING_SYSCALLS[event.name];
  const arg = (i: number): Value | undefined => argOf(event, i);
  const targetArg = arg(shape.target);
  if (targetArg === undefined) return;
  const target = valueText(targetArg);
  let targetPid = shape.thread !== undefined ? intArg(arg(shape.thread)) : intArg(targetArg);
  if (event.name === 'pidfd_send_signal') {
    const m = targetArg.t === 'fd' ? /^pid:(\d+)$/.exec(targetArg.decoration) : null;
    targetPid = m ? Number(m[1]) : undefined;
  }
  // tgkill(TGID, TID, sig) names the thread and its group: evidence of membership once it worked.
  const tgid = shape.thread !== undefined && shape.thread !== shape.target ? intArg(targetArg) : undefined;
  const ok = succeeded(event);
  if (ok && tgid !== undefined && tgid > 0 && targetPid !== undefined && targetPid > 0) ops.learnGroup(targetPid, tgid);
  task.signalsSent.push({
    syscall: event.name,
    target,
    ...(targetPid !== undefined && targetPid > 0 ? { targetPid } : {}),
    ...(tgid !== undefined && targetPid !== undefined && targetPid > 0 ? { thread: targetPid } : {}),
    signal: arg(shape.signal) ? valueText(arg(shape.signal)!) : '?',
    ok,
    ...(event.ret?.errno ? { errno: event.ret.errno } : {}),
    at,
  });
};

const exitCall: SyscallRule = (_ops, task, event, at) => {
  const code = intArg(argOf(event, 0));
  if (code !== undefined) task.exitCall = { syscall: event.name, code: code & 0xff, at };
};

const sigaction: SyscallRule = (ops, task, event, at) => {
  if (!succeeded(event)) return;
  // Only SIGCHLD's disposition matters here: the action struct is parsed for it alone.
  const signal = argOf(event, 0);
  const sig = signal === undefined ? undefined : valueText(signal);
  if (sig !== 'SIGCHLD' && sig !== '17') return;
  const act = argOf(event, 1);
  if (act === undefined || act.t === 'null') return;
  // Named fields (`{sa_handler=SIG_IGN, ...}`), or the positional form of strace before 4.13 (`{SIG_IGN, [], SA_RESTORER, 0x...}`).
  const positional = act.t === 'struct' && act.fields.length > 0 && act.fields[0].name === '' ? act.fields : undefined;
  const handler = structField(act, 'sa_handler') ?? positional?.[0]?.value;
  const flags = structField(act, 'sa_flags') ?? positional?.[2]?.value;
  const ignored = handler !== undefined && valueText(handler) === 'SIG_IGN';
  ops.recordChildAutoReap(task, ignored || flagNames(flags).includes('SA_NOCLDWAIT'), at);
};

const learn = (what: 'tid' | 'tgid'): SyscallRule => (ops, task, event) => {
  const id = returnedInt(event);
  if (id !== undefined && id > 0n) ops.learnId(task, Number(id), what);
};

/** Syscall name -> rule. A Map: names come from the log (and must not reach Object.prototype). */
export const SYSCALL_RULES: ReadonlyMap<string, SyscallRule> = new Map(Object.entries({
  ...Object.fromEntries(Object.keys(CREATING_SYSCALLS).map((name) => [name, creation])),
  execve: exec,
  execveat: exec,
  wait4,
  waitid,
  ...Object.fromEntries(Object.keys(SIGNAL_SENDING_SYSCALLS).map((name) => [name, sendSignal])),
  exit: exitCall,
  exit_group: exitCall,
  rt_sigaction: sigaction,
  set_tid_address: setTidAddress,
  futex,
  gettid: learn('tid'),
  getpid: learn('tgid'),
}));

/** Calls that legitimately never return (`= ?`) without the task dying inside something. */
export const NO_RETURN = new Set(['exit', 'exit_group', 'execve', 'execveat']);
