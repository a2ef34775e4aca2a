/**
 * The task model's data: plain, JSON-serialisable records (no bigint, no class instances), so a
 * snapshot can be printed, diffed and sent over the wire as is. Tasks and processes refer to each
 * other by key, never by object reference.
 */

/** A point in the log: where (event order, line, file) and, when the log has timestamps, when. */
export interface Moment {
  /** Position in the order events were applied (0-based); comparable across files of one graph. */
  seq: number;
  /** 1-based line number in its source. */
  line: number;
  /** Index of the line's file in `GraphStats.sources`, when events name their source. */
  file?: number;
  /**
   * Seconds: since the epoch (`-ttt`), since local midnight of the log's first day (`-t`/`-tt`,
   * with midnight rollover applied), or since the first line (`-r` only). See `GraphSnapshot.timeBase`.
   */
  time?: number;
}

/**
 * How a task came to exist.
 * - `root`: the first task of the log (the command strace started, or the process it attached to);
 * - `thread`: clone with CLONE_THREAD (same thread group as its creator);
 * - `fork`: a new process with a copy of its parent's memory (fork(), clone without CLONE_VM);
 * - `vfork`: the vfork() syscall: the parent sleeps until the child execs or exits;
 * - `spawn`: clone/clone3 with CLONE_VM|CLONE_VFORK, the posix_spawn way;
 * - `clone`: a process sharing its parent's memory without being a thread (CLONE_VM, no CLONE_VFORK);
 * - `namespaces`: a process created in new namespaces (CLONE_NEW*);
 * - `exec-takeover`: the leader TID continuing after another thread of its group called execve;
 * - `attached`: already there when strace attached (`-p`): an attach log, or its first line resumed a call;
 * - `unknown`: seen without a creation line (filtered trace, log without -f).
 */
export type BirthKind = 'root' | 'thread' | 'fork' | 'vfork' | 'spawn' | 'clone' | 'namespaces' | 'exec-takeover' | 'attached' | 'unknown';

export interface Birth {
  kind: BirthKind;
  /** The creating syscall: clone, clone3, fork, vfork. */
  syscall?: string;
  /** Clone flag names as printed (or decoded from a raw number). */
  flags?: string[];
  /** The CLONE_NEW* flags among `flags`. */
  namespaces?: string[];
  /** Key of the task that created this one (for `exec-takeover`: the thread whose execve it continues). */
  creator?: string;
  /** The creating call's return (or, for `exec-takeover`, the superseded line). */
  at?: Moment;
}

/** One execve/execveat call. */
export interface ExecRecord {
  /** Key and TID of the task that made the call. */
  task: string;
  tid: number;
  syscall: string;
  /** Program path as the caller gave it; undefined when not printed as a string (raw mode, filtered). */
  path?: string;
  argv?: string[];
  /** strace cut the argument list or a string in it (`-s`). */
  argvTruncated?: boolean;
  /** `ok`: the new program runs; `failed`: returned an error; `unknown`: the result never appeared. */
  result: 'ok' | 'failed' | 'unknown';
  errno?: string;
  /** Entry of the call. */
  at: Moment;
  /** Set when the call came from a non-leader thread: it took over this (the leader's) TID. */
  tookOverTid?: number;
}

/**
 * How a task ended.
 * - `exited` (code), `killed` (signal, coreDumped): the task is gone;
 * - `superseded`: a leader whose thread group was taken over by another thread's execve;
 * - `became-leader`: a thread whose execve succeeded; it lives on under the leader's TID (`asTid`);
 * - `detached`: strace stopped tracing it (Ctrl-C, end of `-p`);
 * - `ended`: gone, but how is not in the log (reaped with a NULL status pointer, or its leader's end
 *   was reported, which the kernel does only after every other thread is gone);
 * - `running`: still alive when the log ends;
 * - `unknown`: never traced (a child of a log without -f) and no news of its end.
 */
export type EndKind = 'exited' | 'killed' | 'ended' | 'superseded' | 'became-leader' | 'detached' | 'running' | 'unknown';

export interface TaskEnd {
  kind: EndKind;
  code?: number;
  signal?: string;
  coreDumped?: boolean;
  /** `superseded`: the TID whose execve replaced the thread group's program. */
  byTid?: number;
  /** `became-leader`: the TID the task continues under. */
  asTid?: number;
  at?: Moment;
  /**
   * Where the facts come from: `trace` (a `+++` line or strace message), `wait` (the parent's wait
   * status), `exit-call` (its own exit/exit_group call), `group-exit` (another thread's exit_group),
   * `group-signal` (a fatal signal that killed another thread of the group kills them all), `exec`
   * (another thread's successful execve ends every other thread), `join` (another thread waited on
   * its clear-TID word and the kernel woke it, or found it already cleared), `leader-end` (the
   * leader's end is reported only once every other thread is gone), `sigchld` (the parent's SIGCHLD
   * siginfo), `end-of-log`.
   */
  source: 'trace' | 'wait' | 'exit-call' | 'group-exit' | 'group-signal' | 'exec' | 'join' | 'leader-end' | 'sigchld' | 'end-of-log';
}

/** A signal delivered to a task (`--- SIGx {...} ---`), or a group stop (`--- stopped by SIGSTOP ---`). */
export interface SignalReceived {
  signal: string;
  /** A group stop report rather than a delivery. */
  stopped: boolean;
  /** `si_code`, e.g. SI_USER, SI_TKILL, CLD_EXITED, SI_KERNEL. */
  code?: string;
  /** `si_pid`: who sent it (for SIGCHLD: the child the news is about). */
  senderPid?: number;
  at: Moment;
}

/** A signal sent with kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo or pidfd_send_signal. */
export interface SignalSent {
  syscall: string;
  /** Target as printed: a pid, `0` (own process group), `-1` (everyone), `-PGID`, or a pidfd. */
  target: string;
  /** Target thread id for tkill/tgkill/rt_tgsigqueueinfo, target pid for kill with a positive pid. */
  targetPid?: number;
  /** tgkill/rt_tgsigqueueinfo: the thread (second argument) within the thread group `target`. */
  thread?: number;
  signal: string;
  ok: boolean;
  errno?: string;
  at: Moment;
}

/** A syscall the task was inside when it died, was detached, or when the log ended. */
export interface OpenCall {
  name: string;
  argsText: string;
  at: Moment;
  /** What cut it short. `pending` only while the task is still alive and the graph is not finished. */
  closedBy: 'death' | 'exec' | 'detach' | 'end-of-log' | 'pending';
}

/** A wait status: how a child ended, as its parent learned it (the facts layer decodes it). */
export type { ChildStatus } from '../facts/types.js';
import type { ChildStatus } from '../facts/types.js';

/** A process collected by its parent (wait4/waitid) or by the kernel (SIGCHLD ignored). */
export interface Reap {
  /** Key of the reaping task; undefined for automatic reaping. */
  by?: string;
  byTid?: number;
  syscall: string;
  status?: ChildStatus;
  at: Moment;
}

/** A process that ended and was never collected in the trace. */
export interface Unreaped {
  /** Still a zombie when the log ends: its parent is alive and never waited for it. */
  zombieAtEnd: boolean;
  /** It was a zombie while its parent lived on (from its death to the parent's exit). */
  zombieWhileParentLived: boolean;
  /** Its parent exited first (or without waiting), so the kernel handed it to init or a subreaper. */
  reparented: boolean;
  /** What became of the parent: `alive`, `ended`, `unknown` (parent not traced or order unknown). */
  parentState: 'alive' | 'ended' | 'unknown';
  /** When the child ended (it became a zombie). */
  since?: Moment;
}

export interface Task {
  /** Unique key: the TID, with `#N` for the Nth task that used the same TID (PID reuse, exec takeover). */
  key: string;
  /** Thread id; 0 for the pid-less task of a log without pid prefixes until its pid is learned. */
  tid: number;
  /** 1 for the first task with this TID, 2 for the next... */
  generation: number;
  /** Key of the process (thread group) the task belongs to. */
  process: string;
  /** Key of the task that created it (threads: the creating thread; processes: the forking task). */
  parent?: string;
  /** Keys of the tasks it created (threads and processes). */
  children: string[];
  birth: Birth;
  /** Whether any line of the log belongs to this task (a forked child can be untraced: no -f). */
  traced: boolean;
  /** `-Y` command name, when the log shows it. */
  comm?: string;
  firstSeen: Moment;
  lastSeen: Moment;
  execs: ExecRecord[];
  end?: TaskEnd;
  /**
   * Its clear-TID word (CLONE_CHILD_CLEARTID's child_tid, or set_tid_address), as `0x` hex: the
   * kernel zeroes it and wakes its waiters when the task ends, which is how pthread_join waits.
   */
  clearTid?: string;
  /**
   * Another thread of its process waited on its TID word: `woken` (FUTEX_WAIT returned 0: it ended by
   * then) or `gone` (EAGAIN: the word no longer held its TID, it had already ended).
   */
  joined?: { by: string; how: 'woken' | 'gone'; at: Moment };
  /** Its own exit()/exit_group() call, when seen. */
  exitCall?: { syscall: string; code: number; at: Moment };
  signalsReceived: SignalReceived[];
  signalsSent: SignalSent[];
  openCalls: OpenCall[];
  /** Number of syscall events of this task. */
  syscalls: number;
}

export interface Process {
  /** Key: the key of the process's first leader task. */
  key: string;
  /** Thread group id (the leader's TID). */
  tgid: number;
  /** Key of the current leader task; undefined while the leader itself has not been seen. */
  leader?: string;
  /** Keys of every task that belonged to the group, in order of appearance. */
  tasks: string[];
  /** Key of the parent process (undefined for the root and for processes seen without a creator). */
  parent?: string;
  /** Keys of child processes, in order of creation. */
  children: string[];
  /** Every execve/execveat made by a task of this group, in order. */
  execs: ExecRecord[];
  reaped?: Reap;
  /** Set by `finish()` for a process that ended and was never reaped in the trace. */
  unreaped?: Unreaped;
  /**
   * Set by `finish()` when nothing in the log says which thread group its tasks belong to (seen
   * without a creation line, no tgkill/getpid/exec/reap/SIGCHLD evidence): it may be a thread of
   * another process. Such a "process" is counted apart.
   */
  membershipUnknown?: true;
  /** Set by `finish()`: the parent ended while this process was still alive, so it was reparented. */
  orphaned?: boolean;
}

/** Counts of what the graph was built from. */
export interface GraphStats {
  events: number;
  syscalls: number;
  /** Lines the parser did not understand (never fatal). */
  unknownLines: number;
  /** The first few unknown lines with their reasons. */
  unknownSamples: Array<{ line: number; source?: string; reason: string }>;
  sources: string[];
}

/** What `Moment.time` counts from. */
export type TimeBase = 'epoch' | 'midnight' | 'relative' | 'none';

/** A JSON-serialisable copy of the whole graph. */
export interface GraphSnapshot {
  timeBase: TimeBase;
  /** False when several files without timestamps were read one after another: then the order of events across files is unknown. */
  orderKnown: boolean;
  /** False for filtered logs that may hide wait calls: then no process is reported as unreaped. */
  waitsVisible: boolean;
  finished: boolean;
  stats: GraphStats;
  /** Keys of processes without a parent, in order of appearance. */
  roots: string[];
  processes: Process[];
  tasks: Task[];
}
