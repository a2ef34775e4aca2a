/**
 * What each lifecycle syscall tells the model, as a table: syscall name -> rule. Every other syscall
 * only counts as activity of its task. Rules read arguments lazily and never throw on odd shapes.
 */
import type { SyscallEvent, Value } from '../parse/types.js';
import { toBigInt, valueText } from '../parse/values.js';
import { birthKind, cloneFlags, namespaceFlags, CREATING_SYSCALLS } from './birth.js';
import { SIGNAL_SENDING_SYSCALLS } from './signal-calls.js';
import { statusFromSiginfoText, statusFromWaitText } from './wait-status.js';
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
  if ((options && /\bWNOWAIT\b/.test(valueText(options))) || info === undefined) return;
  const { pid, status } = statusFromSiginfoText(valueText(info));
  if (pid === undefined || pid <= 0) return;
  if (status !== undefined && status.kind !== 'exited' && status.kind !== 'killed') return;
  ops.recordReap(task, pid, event.name, status, end);
};

function intArg(v: Value | undefined): number | undefined {
  const n = v === undefined ? undefined : toBigInt(v);
  return n === undefined ? undefined : Number(n);
}

const sendSignal: SyscallRule = (_ops, task, event, at) => {
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
  task.signalsSent.push({
    syscall: event.name,
    target,
    ...(targetPid !== undefined && targetPid > 0 ? { targetPid } : {}),
    signal: arg(shape.signal) ? valueText(arg(shape.signal)!) : '?',
    ok: succeeded(event),
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
  const action = valueText(act);
  ops.recordChildAutoReap(task, /sa_handler=SIG_IGN\b/.test(action) || /\bSA_NOCLDWAIT\b/.test(action), at);
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
  set_tid_address: learn('tid'),
  gettid: learn('tid'),
  getpid: learn('tgid'),
}));

/** Calls that legitimately never return (`= ?`) without the task dying inside something. */
export const NO_RETURN = new Set(['exit', 'exit_group', 'execve', 'execveat']);
