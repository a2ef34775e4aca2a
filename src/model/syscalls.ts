/**
 * What each lifecycle syscall tells the model, as a table: syscall name -> rule. Every other syscall
 * only counts as activity of its task. Rules read the facts layer's records (each event decoded
 * once) and never throw on odd shapes.
 */
import type { SyscallEvent, Value } from '../parse/types.js';
import { flagNames, structField, toBigInt, valueText } from '../parse/values.js';
import { CREATING_SYSCALLS, SIGNAL_SENDING_SYSCALLS, MAX_PID, NO_RETURN, argOf, factOf, returnedInt } from '../facts/index.js';
import type { CloneKind, ExitFact, SignalSentFact, TaskCreationFact, WaitFact } from '../facts/index.js';
import type { Birth, BirthKind, Moment, Task, ChildStatus } from './types.js';

export { argOf, returnedInt, NO_RETURN };

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

const succeeded = (event: SyscallEvent): boolean => event.ret !== undefined && event.ret.errno === undefined && event.ret.value !== '-1' && event.ret.value !== '?';

/** The tree's name for each clone kind (`clone`: shared memory without being a thread). */
const BIRTH_KINDS: Readonly<Record<CloneKind, BirthKind>> = {
  thread: 'thread',
  namespaces: 'namespaces',
  spawn: 'spawn',
  vfork: 'vfork',
  'shared-vm': 'clone',
  fork: 'fork',
  invalid: 'unknown',
};

const creation: SyscallRule = (ops, task, event, _at, end) => {
  const fact = factOf(event) as TaskCreationFact | undefined;
  if (fact?.child === undefined) return;
  // The flags as printed: the exit signal strace printed among them stays in the list.
  const flags = fact.printedSignal === undefined ? [...fact.flags] : [...fact.flags, fact.printedSignal];
  const birth: Birth = { kind: BIRTH_KINDS[fact.kind], syscall: event.name, flags, creator: task.key, at: end };
  if (fact.namespaces.length > 0) birth.namespaces = [...fact.namespaces];
  ops.recordBirth(task, fact.child, birth, { line: event.line, source: event.source });
  if (fact.childTid !== undefined && fact.flags.includes('CLONE_CHILD_CLEARTID')) ops.setClearTid(fact.child, `0x${fact.childTid.toString(16)}`);
};

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

/** wait4/waitpid/waitid: a child collected (a stop or continue report, or WNOWAIT, collects nothing). */
const wait: SyscallRule = (ops, task, event, _at, end) => {
  const fact = factOf(event) as WaitFact | undefined;
  if (fact === undefined || !fact.reaped || fact.child === undefined) return;
  ops.recordReap(task, fact.child, event.name, fact.status, end);
};

const sendSignal: SyscallRule = (ops, task, event, at) => {
  const fact = factOf(event) as SignalSentFact | undefined;
  if (fact === undefined || fact.target === '?') return;
  const { targetPid, tgid } = fact;
  // tgkill(TGID, TID, sig) names the thread and its group: evidence of membership once it worked.
  if (fact.ok && tgid !== undefined && targetPid !== undefined) ops.learnGroup(targetPid, tgid);
  task.signalsSent.push({
    syscall: event.name,
    target: fact.target,
    ...(targetPid !== undefined ? { targetPid } : {}),
    ...(tgid !== undefined && targetPid !== undefined ? { thread: targetPid } : {}),
    signal: fact.signal,
    ok: fact.ok,
    ...(fact.errno !== undefined ? { errno: fact.errno } : {}),
    at,
  });
};

const exitCall: SyscallRule = (_ops, task, event, at) => {
  const fact = factOf(event) as ExitFact | undefined;
  if (fact?.code !== undefined) task.exitCall = { syscall: event.name, code: fact.code, at };
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
  ...Object.fromEntries([...CREATING_SYSCALLS].map((name) => [name, creation])),
  execve: exec,
  execveat: exec,
  wait4: wait,
  waitid: wait,
  ...Object.fromEntries([...SIGNAL_SENDING_SYSCALLS].map((name) => [name, sendSignal])),
  exit: exitCall,
  exit_group: exitCall,
  rt_sigaction: sigaction,
  set_tid_address: setTidAddress,
  futex,
  gettid: learn('tid'),
  getpid: learn('tgid'),
}));
