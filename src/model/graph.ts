/**
 * TaskGraph: the processes and threads of a trace, built incrementally from parser events.
 *
 *   const graph = new TaskGraph();
 *   for (const event of parseFileSync(log)) graph.apply(event);
 *   graph.finish();
 *
 * Identity: a task is one TID for one lifetime. When a TID shows up again after its task ended (PID
 * reuse), or when a thread's execve takes over the leader's TID, a new task with the same TID and the
 * next generation is created (key `TID#N`).
 *
 * The log can hide things (filters, `-qq`, `-e signal=none`, no `-f`, attach, stderr captures without
 * prefixes); every rule below tolerates a missing line and `finish()` fills gaps from other evidence
 * (the parent's wait status, SIGCHLD, exit_group calls), saying where each fact came from.
 */
import type { TraceEvent, SyscallEvent, SignalEvent, Prefix, MessageEvent } from '../parse/types.js';
import { TasklensError } from '../errors.js';
import { LogClock, compareMoments } from './clock.js';
import { SYSCALL_RULES, NO_RETURN, returnedInt, type ModelOps } from './syscalls.js';
import { factOf, isFinal, MAX_PID, type ExecFact, type SignalDeliveryFact } from '../facts/index.js';
import type { Birth, ExecRecord, GraphStats, Moment, OpenCall, Process, GraphSnapshot, Task, TaskEnd, ChildStatus } from './types.js';

const MAX_UNKNOWN_SAMPLES = 5;
/** A log with this many distinct syscalls is taken as unfiltered enough to show wait calls. */
const FULL_TRACE_NAMES = 8;
/** Key of the task of a log without pid prefixes, until its pid is learned. */
const PIDLESS_KEY = '?';
const MAX_PID_NUMBER = Number(MAX_PID);

/** Ends after which a TID seen again belongs to a new task. */
const FINAL_ENDS = new Set<TaskEnd['kind']>(['exited', 'killed', 'ended', 'superseded', 'detached']);

/** Which open-call closure each way of ending implies. */
const CLOSED_BY: Record<TaskEnd['kind'], OpenCall['closedBy']> = {
  exited: 'death',
  killed: 'death',
  ended: 'death',
  superseded: 'exec',
  'became-leader': 'exec',
  detached: 'detach',
  running: 'end-of-log',
  unknown: 'end-of-log',
};

export class TaskGraph {
  private readonly taskMap = new Map<string, Task>();
  private readonly processMap = new Map<string, Process>();
  /** TID -> key of its latest task. */
  private readonly currentTask = new Map<number, string>();
  /** TGID -> key of its latest process. */
  private readonly currentProcess = new Map<number, string>();
  private readonly generations = new Map<number, number>();
  private readonly clock = new LogClock();
  private seq = 0;
  /** The task of unprefixed lines while its pid is unknown. */
  private pidless: string | undefined;
  /** Pids strace announced with `Process N attached` (new tracees, not the pid-less one). */
  private readonly announced = new Set<number>();
  /** First attached pid, when the attach message comes before any line. */
  private rootHint: number | undefined;
  /** The task given the root label for being seen first (no attach message named the root). */
  private firstRoot: Task | undefined;
  /** Tasks whose first line resumed a call begun before strace saw them: they were there at attach. */
  private readonly metMidCall = new Set<Task>();
  /**
   * Processes whose grouping the log proves (created by fork/clone, exec'd, reaped, named by tgkill,
   * getpid, SIGCHLD or strace's attach message). A process founded by a task seen without a creation
   * line and missing here may really be a thread of another process: see `membershipKnown`.
   */
  private readonly grouped = new WeakSet<Process>();
  /** finish(): the group-ending events of each process, in log order. */
  private readonly groupEvents = new Map<Process, Array<{ end: TaskEnd; by: Task }>>();
  /** When each task's latest call returned (calls it died in excluded). */
  private readonly lastReturn = new Map<Task, Moment>();
  /** Tasks taken for threads of an attached group by strace's "attached with N threads" count. */
  private readonly attachGuess = new Map<Task, { tgid: number; remaining: number }>();
  /** Thread groups seeded from /proc (seedAttached). */
  private readonly seeded = new Set<number>();
  /** tgkill(TGID, TID) named the group of a TID not seen yet: applied when it appears. */
  private readonly pendingGroup = new Map<number, number>();
  /** `Process N detached` for a pid with no task yet: when its first line (begun earlier) comes. */
  private readonly detachedUnseen = new Map<number, Moment>();
  private readonly takeovers = new Set<string>();
  /** Thread groups strace attached to whose other threads have not all been seen yet. */
  private readonly attachedThreads: Array<{ tgid: number; remaining: number }> = [];
  /** What the parents' SIGCHLD siginfo said about each child pid. */
  private readonly childNews = new Map<number, { status: ChildStatus; at: Moment }>();
  /** Per process: SIGCHLD ignored / SA_NOCLDWAIT switched on or off, in order. */
  private readonly autoReap = new Map<string, Array<{ seq: number; on: boolean }>>();
  private readonly sourceSet = new Set<string>();
  /** Distinct syscall names seen, up to FULL_TRACE_NAMES, and whether any wait call was seen. */
  private readonly syscallNames = new Set<string>();
  private sawWait = false;
  private finished = false;
  private readonly counters: GraphStats = { events: 0, syscalls: 0, unknownLines: 0, unknownSamples: [], sources: [] };
  private readonly ops: ModelOps;

  constructor() {
    this.ops = {
      recordBirth: (creator, childTid, birth, entry) => this.recordBirth(creator, childTid, birth, entry),
      recordExec: (task, event, at) => this.recordExec(task, event, at),
      recordReap: (reaper, pid, syscall, status, at) => this.recordReap(reaper, pid, syscall, status, at),
      recordChildAutoReap: (task, on, at) => {
        const list = this.autoReap.get(task.process) ?? [];
        list.push({ seq: at.seq, on });
        this.autoReap.set(task.process, list);
      },
      learnId: (task, id, what) => this.learnId(task, id, what),
      recordJoin: (joiner, tid, word, how, at) => this.recordJoin(joiner, tid, word, how, at),
      learnGroup: (tid, tgid) => this.learnGroup(tid, tgid),
      setClearTid: (tid, word) => {
        const task = tid === undefined ? undefined : this.taskByTid(tid);
        if (task) task.clearTid = word;
      },
    };
  }

  /** Builds a finished graph from a whole event stream. */
  static fromEvents(events: Iterable<TraceEvent>): TaskGraph {
    const graph = new TaskGraph();
    for (const event of events) graph.apply(event);
    graph.finish();
    return graph;
  }

  // ---------------------------------------------------------------- input

  /** Feeds one event, in log order. */
  apply(event: TraceEvent): void {
    if (this.finished) throw new TasklensError('model', 'graph-finished', 'TaskGraph.apply() called after finish()', { hint: 'build a new TaskGraph for a new log' });
    this.counters.events++;
    const pid = event.prefix.pid;
    if (pid !== undefined && (pid <= 0 || pid > MAX_PID_NUMBER)) return; // not a task: never a bogus root
    if (event.source !== undefined && !this.sourceSet.has(event.source)) {
      this.sourceSet.add(event.source);
      this.counters.sources.push(event.source);
    }
    switch (event.kind) {
      case 'syscall':
        return this.applySyscall(event);
      case 'signal':
        return this.applySignal(event);
      case 'exit':
      case 'killed': {
        const at = this.moment(event.prefix, event.line, event.source);
        const task = this.resolve(event.prefix, true, at);
        this.touch(task, at);
        const end: TaskEnd = event.kind === 'exit' ? { kind: 'exited', code: event.code, at, source: 'trace' } : { kind: 'killed', signal: event.signal, coreDumped: event.coreDumped, at, source: 'trace' };
        return this.endTask(task, end);
      }
      case 'superseded': {
        const at = this.moment(event.prefix, event.line, event.source);
        const leader = this.resolve(event.prefix, true, at);
        return this.takeover(leader.tid, event.byPid, at);
      }
      case 'message':
        return this.applyMessage(event);
      case 'unknown':
        this.counters.unknownLines++;
        if (this.counters.unknownSamples.length < MAX_UNKNOWN_SAMPLES) {
          this.counters.unknownSamples.push({ line: event.line, ...(event.source ? { source: event.source } : {}), reason: event.reason });
        }
        return;
      default:
        // personality, stack frames, dumps, summaries, program output: nothing about task lifecycles.
        return;
    }
  }

  private applySyscall(event: SyscallEvent): void {
    this.counters.syscalls++;
    if (this.syscallNames.size < FULL_TRACE_NAMES) this.syscallNames.add(event.name);
    if (event.name === 'wait4' || event.name === 'waitid') this.sawWait = true;
    const at = this.moment(event.prefix, event.line, event.source);
    const end = event.endPrefix ? this.moment(event.endPrefix, event.endLine ?? event.line, event.source, at.seq) : at;
    const isExec = event.name === 'execve' || event.name === 'execveat';

    // execve from a non-leader thread that completes under the leader's pid.
    if (isExec && event.prefix.pid !== undefined) {
      const leaderTid = event.interruption?.kind === 'pid-changed' ? event.interruption.pid : event.endPrefix?.pid;
      if (leaderTid !== undefined && leaderTid !== event.prefix.pid) {
        this.takeover(leaderTid, event.prefix.pid, end);
        const execer = this.taskMap.get(this.currentTask.get(event.prefix.pid)!)!;
        this.touch(execer, at);
        execer.syscalls++;
        this.recordExec(execer, event, at);
        return;
      }
    }

    const diedInside = event.state === 'unfinished' || (event.ret?.value === '?' && event.ret.errno === undefined && !NO_RETURN.has(event.name));
    let task = this.resolve(event.prefix, diedInside || isExec, at);
    // A stderr capture can give the rest of a split clone line to the child announced in between
    // (`clone(...strace: Process N attached` / `) = N`): a task never creates itself.
    if (event.prefix.pidSource === 'inferred' && this.pidless !== undefined && SYSCALL_RULES.has(event.name) && returnedInt(event) === BigInt(task.tid)) {
      task = this.taskMap.get(this.pidless)!;
    }
    if (task.syscalls === 0 && (event.state === 'resumed' || event.name === 'restart_syscall')) this.metMidCall.add(task);
    if (!diedInside) this.lastReturn.set(task, end);
    this.touch(task, end);
    task.syscalls++;
    if (event.prefix.comm !== undefined) task.comm = event.prefix.comm;
    if (diedInside && !(isExec && task.end?.kind === 'became-leader')) {
      const closedBy = event.interruption?.kind === 'detached' ? 'detach' : task.end ? CLOSED_BY[task.end.kind] : 'pending';
      task.openCalls.push({ name: event.name, argsText: event.argsText, at, closedBy });
    }
    SYSCALL_RULES.get(event.name)?.(this.ops, task, event, at, end);
    if (event.interruption?.kind === 'detached') this.endTask(task, { kind: 'detached', at: end, source: 'trace' });
  }

  private applySignal(event: SignalEvent): void {
    const at = this.moment(event.prefix, event.line, event.source);
    const task = this.resolve(event.prefix, false, at);
    this.touch(task, at);
    const fact = factOf(event) as SignalDeliveryFact;
    const { code, sender } = fact;
    task.signalsReceived.push({
      signal: event.signal,
      stopped: event.stopped,
      ...(code !== undefined ? { code } : {}),
      ...(sender !== undefined ? { senderPid: sender } : {}),
      at,
    });
    if (event.signal === 'SIGCHLD' && !event.stopped) {
      const news = { pid: sender, status: fact.status };
      if (news.pid !== undefined && news.status !== undefined) {
        if (isFinal(news.status)) this.childNews.set(news.pid, { status: news.status, at });
        // The kernel sends CLD_* SIGCHLDs to the parent: evidence for a child seen without a creator.
        const child = this.processByPid(news.pid);
        if (child) {
          this.grouped.add(child); // SIGCHLD news is about a process, never a thread
          this.inferParent(child, this.processMap.get(task.process)!);
        }
      }
    }
  }

  private applyMessage(event: MessageEvent): void {
    if (event.attached) {
      const pid = event.attached.pid;
      if (this.taskMap.size === 0 && this.rootHint === undefined) this.rootHint = pid;
      else this.announced.add(pid);
      // `Process N attached with K threads`: the next K-1 unknown tids are N's other threads.
      if (event.attached.threads !== undefined && event.attached.threads > 1 && !this.seeded.has(pid)) this.attachedThreads.push({ tgid: pid, remaining: event.attached.threads - 1 });
    } else if (event.detached) {
      const key = this.currentTask.get(event.detached.pid);
      const task = key === undefined ? undefined : this.taskMap.get(key);
      const at = this.moment(event.prefix, event.line, event.source);
      if (task && !task.end) this.endTask(task, { kind: 'detached', at, source: 'trace' });
      // Its first line may still be held by the joiner (an opener that never resumed): end it when it comes.
      else if (!task) this.detachedUnseen.set(event.detached.pid, at);
    }
  }

  /**
   * Seeds the threads of a process strace is attaching to (`trace -p`), as read from /proc/TGID/task
   * at attach time: each TID becomes a task of thread group `tgid` (the leader is the root when
   * nothing came before), so the tree shows the process and its threads even when they stay idle and
   * their membership is known. Call before applying the log's events; TIDs already known are kept.
   */
  seedAttached(tgid: number, tids: readonly number[]): void {
    if (this.finished) throw new TasklensError('model', 'graph-finished', 'TaskGraph.seedAttached() called after finish()', { hint: 'seed a new TaskGraph before applying events' });
    const valid = (id: number): boolean => Number.isInteger(id) && id > 0 && id <= MAX_PID_NUMBER;
    if (!valid(tgid)) return;
    if (this.taskMap.size === 0 && this.rootHint === undefined) this.rootHint = tgid;
    this.seeded.add(tgid); // strace's own "attached with N threads" then adds nothing
    const at: Moment = { seq: this.seq++, line: 0 };
    const leader = this.taskByTid(tgid) ?? this.createTask(tgid, at, { kind: this.rootHint === tgid ? 'root' : 'attached' });
    const group = this.processMap.get(leader.process)!;
    this.grouped.add(group);
    for (const tid of new Set(tids)) {
      if (!valid(tid) || tid === tgid || this.currentTask.has(tid)) continue;
      const task = this.createTask(tid, at, { kind: 'attached' });
      this.mergeProcess(this.processMap.get(task.process)!, group);
    }
  }

  // ---------------------------------------------------------------- tasks and processes

  /**
   * The task a line belongs to; creates it (or a new generation) when needed. A line of an ended TID
   * belongs to the ended task only when it began before that end (`postMortem`: a call the task died
   * in); any later line is a new task reusing the TID.
   */
  private resolve(prefix: Prefix, postMortem: boolean, at: Moment): Task {
    const pid = prefix.pid;
    if (pid === undefined) return this.pidlessTask(at);
    const key = this.currentTask.get(pid);
    if (key !== undefined) {
      const task = this.taskMap.get(key)!;
      if (!task.end || !FINAL_ENDS.has(task.end.kind)) return task;
      if (postMortem && startedBy(at, task.end.at)) return task;
      return this.createTask(pid, at, { kind: 'unknown' });
    }
    // The first prefixed line of a stderr capture whose first lines had no prefix: the pid-less task's pid.
    const pidless = this.pidless === undefined ? undefined : this.taskMap.get(this.pidless);
    if (pidless && pidless.tid === 0 && !pidless.end && !this.announced.has(pid)) {
      this.bindPidless(pidless, pid);
      return pidless;
    }
    const task = this.createTask(pid, at, { kind: this.isRoot(pid, at) ? 'root' : 'unknown' });
    this.joinAttachedGroup(task);
    const tgid = this.pendingGroup.get(pid);
    if (tgid !== undefined) {
      this.pendingGroup.delete(pid);
      this.learnGroup(pid, tgid);
    }
    const detached = this.detachedUnseen.get(pid);
    if (detached !== undefined) {
      this.detachedUnseen.delete(pid);
      if (startedBy(at, detached)) this.endTask(task, { kind: 'detached', at: detached, source: 'trace' });
    }
    return task;
  }

  /**
   * The root is the process strace said it attached to, else the task of the log's first line: a
   * task first met through a call that completed later (its entry line comes earlier, e.g. an attach
   * log opening with `restart_syscall(<... resuming ...> <unfinished ...>`) takes the label over.
   */
  private isRoot(tid: number, at: Moment): boolean {
    if (this.rootHint !== undefined) return tid === this.rootHint && !this.currentTask.has(tid);
    const first = this.firstRoot;
    if (first === undefined) return true;
    if (first.birth.kind !== 'root' || first.parent !== undefined || compareMoments(at, first.firstSeen) >= 0) return false;
    first.birth = { kind: 'unknown' };
    return true;
  }

  private joinAttachedGroup(task: Task): void {
    const pending = this.attachedThreads.find((a) => a.remaining > 0);
    if (!pending || task.tid === pending.tgid || this.announced.has(task.tid)) return;
    pending.remaining--;
    const groupKey = this.currentProcess.get(pending.tgid);
    const group = groupKey !== undefined ? this.processMap.get(groupKey)! : this.newProcess(pending.tgid, String(pending.tgid));
    this.mergeProcess(this.processMap.get(task.process)!, group);
    this.grouped.add(group);
    this.attachGuess.set(task, pending);
  }

  /**
   * A task taken for one of an attached group's threads turned out to be a new process (its fork
   * returned): it leaves the group, which waits for one more thread again.
   */
  private undoAttachGuess(task: Task): void {
    const pending = this.attachGuess.get(task);
    if (!pending) return;
    this.attachGuess.delete(task);
    pending.remaining++;
    const group = this.processMap.get(task.process)!;
    group.tasks = group.tasks.filter((k) => k !== task.key);
    const own = this.newProcess(task.tid, task.key);
    own.leader = task.key;
    own.tasks.push(task.key);
    task.process = own.key;
    for (const e of task.execs) {
      group.execs = group.execs.filter((x) => x !== e);
      own.execs.push(e);
    }
  }

  private pidlessTask(at: Moment): Task {
    if (this.pidless !== undefined) {
      const task = this.taskMap.get(this.pidless)!;
      // After its pid was learned, later generations of that TID get the unprefixed lines.
      return task.tid === 0 ? task : this.taskMap.get(this.currentTask.get(task.tid)!)!;
    }
    const live = [...this.currentTask.values()].map((k) => this.taskMap.get(k)!).filter((t) => !t.end);
    if (live.length === 1) return live[0];
    const hint = this.rootHint;
    const task = this.createTask(hint ?? 0, at, { kind: hint !== undefined || this.taskMap.size === 0 ? 'root' : 'unknown' });
    this.pidless = task.key;
    return task;
  }

  private createTask(tid: number, at: Moment, birth: Birth, traced = true): Task {
    const generation = (this.generations.get(tid) ?? 0) + 1;
    this.generations.set(tid, generation);
    const key = tid === 0 ? (generation === 1 ? PIDLESS_KEY : `${PIDLESS_KEY}#${generation}`) : generation === 1 ? String(tid) : `${tid}#${generation}`;
    const task: Task = {
      key,
      tid,
      generation,
      process: '',
      children: [],
      birth,
      traced,
      firstSeen: at,
      lastSeen: at,
      execs: [],
      signalsReceived: [],
      signalsSent: [],
      openCalls: [],
      syscalls: 0,
    };
    this.taskMap.set(key, task);
    if (tid !== 0) this.currentTask.set(tid, key);
    if (birth.kind === 'root' && this.rootHint === undefined) this.firstRoot = task;
    this.joinOwnGroup(task);
    return task;
  }

  /** A new task is its own process until evidence says it is a thread (CLONE_THREAD, getpid, takeover). */
  private joinOwnGroup(task: Task): void {
    const existingKey = this.currentProcess.get(task.tid);
    const existing = existingKey === undefined ? undefined : this.processMap.get(existingKey);
    if (existing && existing.leader === undefined && task.tid !== 0) {
      existing.leader = task.key;
      // In order of first appearance, like every task list (threads named by evidence may precede it).
      const at = existing.tasks.findIndex((k) => compareMoments(task.firstSeen, this.taskMap.get(k)!.firstSeen) < 0);
      existing.tasks.splice(at < 0 ? existing.tasks.length : at, 0, task.key);
      task.process = existing.key;
      return;
    }
    const process = this.newProcess(task.tid, task.key);
    process.leader = task.key;
    process.tasks.push(task.key);
    task.process = process.key;
  }

  private newProcess(tgid: number, preferredKey: string): Process {
    let key = preferredKey;
    for (let n = 2; this.processMap.has(key); n++) key = `${tgid}#${n}`;
    const process: Process = { key, tgid, tasks: [], children: [], execs: [] };
    this.processMap.set(key, process);
    if (tgid !== 0) this.currentProcess.set(tgid, key);
    return process;
  }

  private touch(task: Task, at: Moment): void {
    task.traced = true;
    if (at.seq >= task.lastSeen.seq) task.lastSeen = at;
  }

  private endTask(task: Task, end: TaskEnd): void {
    if (task.end && task.end.kind !== 'running') return;
    task.end = end;
    const closedBy = CLOSED_BY[end.kind];
    for (const call of task.openCalls) if (call.closedBy === 'pending') call.closedBy = closedBy;
  }

  /** A moment for a line; every call takes the next sequence number unless `seq` is given. */
  private moment(prefix: Prefix, line: number, source: string | undefined, seq?: number): Moment {
    const at: Moment = { seq: seq ?? this.seq++, line };
    if (source !== undefined) at.file = this.counters.sources.indexOf(source);
    const time = this.clock.timeOf(prefix);
    if (time !== undefined) at.time = time;
    return at;
  }

  // ---------------------------------------------------------------- lifecycle rules

  private recordBirth(creator: Task, childTid: number, birth: Birth, entry: { line: number; source?: string }): void {
    const existingKey = this.currentTask.get(childTid);
    const existing = existingKey === undefined ? undefined : this.taskMap.get(existingKey);
    let child: Task;
    const appearedDuringCall = existing !== undefined && existing.firstSeen.file === this.fileIndex(entry.source) && existing.firstSeen.line >= entry.line;
    const guessed = existing !== undefined && (existing.birth.kind === 'unknown' || existing.birth.kind === 'root');
    if (existing && existing !== creator && guessed && (appearedDuringCall || (existing.birth.kind === 'unknown' && !existing.end))) {
      // The child's own lines came before the parent's clone returned. If it was taken for the
      // root, its creator (first seen later, by the clone's return) is the real one.
      if (existing.birth.kind === 'root' && creator.birth.kind === 'unknown') creator.birth = { kind: 'root' };
      child = existing;
    } else if (existing && !existing.end && existing.birth.kind !== 'unknown') {
      return; // the same creation reported twice (e.g. several files)
    } else {
      child = this.createTask(childTid, birth.at!, birth, false);
    }
    child.birth = birth;
    child.parent = creator.key;
    // A new task's key is new: only an adopted one can be listed already (a scan per birth would be quadratic).
    if (child !== existing || !creator.children.includes(child.key)) creator.children.push(child.key);
    if (birth.kind !== 'thread') this.undoAttachGuess(child);
    const childProcess = this.processMap.get(child.process)!;
    const creatorProcess = this.processMap.get(creator.process)!;
    if (birth.kind === 'thread') {
      this.mergeProcess(childProcess, creatorProcess);
      return;
    }
    this.grouped.add(childProcess);
    // CLONE_PARENT: the new process is a sibling of its creator.
    const parentKey = birth.flags?.includes('CLONE_PARENT') ? creatorProcess.parent : creatorProcess.key;
    const parent = parentKey === undefined ? undefined : this.processMap.get(parentKey);
    if (parent) this.setParent(childProcess, parent);
  }

  private setParent(child: Process, parent: Process): void {
    if (child.parent === parent.key || child === parent) return;
    if (child.parent !== undefined) {
      const old = this.processMap.get(child.parent);
      if (old) old.children = old.children.filter((k) => k !== child.key);
    }
    child.parent = parent.key;
    parent.children.push(child.key);
  }

  /** Moves every task of `from` into `into` (a task believed to be a process turned out to be a thread). */
  private mergeProcess(from: Process, into: Process): void {
    if (from === into) return;
    const firstSeen = (key: string): Moment => this.taskMap.get(key)!.firstSeen;
    const tasksInOrder = into.tasks.length === 0 || from.tasks.length === 0 || compareMoments(firstSeen(into.tasks[into.tasks.length - 1]), firstSeen(from.tasks[0])) <= 0;
    for (const key of from.tasks) {
      this.taskMap.get(key)!.process = into.key;
      into.tasks.push(key);
    }
    // Usually a new thread joins after the others: sort only when it did not (a merge of long groups would cost n log n each time).
    if (!tasksInOrder) into.tasks.sort((a, b) => compareMoments(firstSeen(a), firstSeen(b)));
    if (from.execs.length > 0) {
      into.execs.push(...from.execs);
      into.execs.sort((a, b) => compareMoments(a.at, b.at));
    }
    for (const key of from.children) {
      const child = this.processMap.get(key);
      if (child) {
        child.parent = into.key;
        into.children.push(key);
      }
    }
    if (from.parent !== undefined) {
      const parent = this.processMap.get(from.parent);
      if (parent) parent.children = parent.children.filter((k) => k !== from.key);
    }
    if (into.leader === undefined && from.leader !== undefined && this.taskMap.get(from.leader)!.tid === into.tgid) into.leader = from.leader;
    const autoReap = this.autoReap.get(from.key);
    if (autoReap) this.autoReap.set(into.key, [...(this.autoReap.get(into.key) ?? []), ...autoReap].sort((a, b) => a.seq - b.seq));
    this.processMap.delete(from.key);
    if (this.currentProcess.get(from.tgid) === from.key) this.currentProcess.delete(from.tgid);
  }

  /**
   * A non-leader thread `execerTid` called execve: the kernel ends the old leader (`superseded`), the
   * thread continues under the leader's TID, and every other thread of the group dies.
   */
  private takeover(leaderTid: number, execerTid: number, at: Moment): void {
    const id = `${leaderTid}<${execerTid}`;
    if (this.takeovers.has(id)) return;
    this.takeovers.add(id);
    const execer = this.liveOrCreate(execerTid, at);
    const leader = this.liveOrCreate(leaderTid, at);
    const process = this.processMap.get(leader.process)!;
    this.mergeProcess(this.processMap.get(execer.process)!, process);
    this.endTask(leader, { kind: 'superseded', byTid: execerTid, at, source: 'trace' });
    this.endTask(execer, { kind: 'became-leader', asTid: leaderTid, at, source: 'trace' });
    execer.openCalls = execer.openCalls.filter((c) => c.name !== 'execve' && c.name !== 'execveat');

    const successor = this.createTask(leaderTid, at, { kind: 'exec-takeover', creator: execer.key, at }, true);
    // createTask made it a process of its own; it continues the leader's process.
    const own = this.processMap.get(successor.process)!;
    this.processMap.delete(own.key);
    successor.process = process.key;
    successor.parent = leader.parent;
    process.tasks.push(successor.key);
    process.leader = successor.key;
    this.currentProcess.set(process.tgid, process.key);

    let record = [...execer.execs].reverse().find((e) => e.result === 'unknown');
    if (!record) {
      record = { task: execer.key, tid: execerTid, syscall: 'execve', result: 'ok', at };
      execer.execs.push(record);
      process.execs.push(record);
    }
    record.result = 'ok';
    record.tookOverTid = leaderTid;
  }

  private liveOrCreate(tid: number, at: Moment): Task {
    const key = this.currentTask.get(tid);
    return key !== undefined ? this.taskMap.get(key)! : this.createTask(tid, at, { kind: 'unknown' });
  }

  private recordExec(task: Task, event: SyscallEvent, at: Moment): void {
    const process = this.processMap.get(task.process)!;
    const fact = factOf(event) as ExecFact;
    const result: ExecRecord['result'] = fact.pending ? 'unknown' : fact.ok ? 'ok' : 'failed';
    const onlyResult = event.state === 'resumed' && event.argsText.trim() === '';
    if (onlyResult) {
      // `<... execve resumed>) = 0` whose opener is elsewhere (another tid's takeover, a filtered line).
      const last = process.execs[process.execs.length - 1];
      if (last && (last.result === 'unknown' || last.tookOverTid === task.tid)) {
        if (last.result === 'unknown') this.setExecResult(last, result, event);
        return;
      }
    }
    const { path, argv } = onlyResult ? { path: undefined, argv: undefined } : fact;
    const argvTruncated = !onlyResult && fact.truncated;
    // The details of a takeover exec can arrive after the takeover itself.
    const pending = task.end?.kind === 'became-leader' ? task.execs.find((e) => e.tookOverTid !== undefined && e.path === undefined) : undefined;
    if (pending) {
      Object.assign(pending, { syscall: event.name, at }, path !== undefined ? { path } : {}, argv ? { argv: [...argv] } : {}, argvTruncated ? { argvTruncated } : {});
      return;
    }
    const record: ExecRecord = { task: task.key, tid: task.tid, syscall: event.name, result, at };
    if (path !== undefined) record.path = path;
    if (argv) record.argv = [...argv];
    if (argvTruncated) record.argvTruncated = true;
    if (task.end?.kind === 'became-leader') {
      record.result = 'ok';
      record.tookOverTid = task.end.asTid;
    } else {
      this.setExecResult(record, result, event);
    }
    task.execs.push(record);
    process.execs.push(record);
    // A successful execve that kept the caller's TID: the caller leads its thread group.
    if (record.result === 'ok' && task.tid === process.tgid) this.grouped.add(process);
  }

  private setExecResult(record: ExecRecord, result: ExecRecord['result'], event: SyscallEvent): void {
    record.result = result;
    if (result === 'failed' && event.ret?.errno) record.errno = event.ret.errno;
  }

  private recordReap(reaper: Task, childPid: number, syscall: string, status: ChildStatus | undefined, at: Moment): void {
    const key = this.currentTask.get(childPid);
    const child = key !== undefined ? this.taskMap.get(key)! : this.createTask(childPid, at, { kind: 'unknown' }, false);
    const process = this.processMap.get(child.process)!;
    this.grouped.add(process); // wait returns process ids
    process.reaped = { by: reaper.key, byTid: reaper.tid, syscall, ...(status ? { status } : {}), at };
    // Only a parent (or a subreaper that inherited it) can reap: fill in an unknown parent.
    this.inferParent(process, this.processMap.get(reaper.process)!);
  }

  /**
   * `parent` reaped `child` or got its SIGCHLD: when the child's parent is unknown, it is `parent`. A
   * child taken for the root (first line of a filtered log) hands the root label to its parent.
   */
  private inferParent(child: Process, parent: Process): void {
    if (child.parent !== undefined || child === parent) return;
    for (let p: Process | undefined = parent; p; p = p.parent === undefined ? undefined : this.processMap.get(p.parent)) {
      if (p === child) return; // would make a cycle
    }
    this.setParent(child, parent);
    const founder = this.tasksOf(child).find((t) => t.tid === child.tgid);
    const parentFounder = this.tasksOf(parent).find((t) => t.tid === parent.tgid);
    if (founder?.birth.kind === 'root') {
      founder.birth = { kind: 'unknown' };
      if (parentFounder && parentFounder.birth.kind === 'unknown' && parent.parent === undefined) parentFounder.birth = { kind: 'root' };
    }
  }

  /**
   * `joiner` waited on the TID word of `tid`: FUTEX_WAIT woke (`woken`) or found the word changed
   * (`gone`). Counts only for a thread of the joiner's own process, on its clear-TID word when known.
   */
  private recordJoin(joiner: Task, tid: number, word: string, how: 'woken' | 'gone', at: Moment): void {
    const target = this.taskByTid(tid);
    if (!target || target === joiner || target.joined) return;
    if (target.process !== joiner.process) {
      this.joinAcrossGroups(joiner, target, how, at);
      return;
    }
    if (target.tid === this.processMap.get(target.process)!.tgid) return; // nobody joins the leader this way
    if (target.clearTid !== undefined && target.clearTid !== word) return;
    if (compareMoments(at, target.firstSeen) < 0) return;
    target.joined = { by: joiner.key, how, at };
  }

  /**
   * A join between tasks the model keeps in different groups, one of them seen without a creation
   * line (an attach log): when the target's exit line came before the wait returned (woken, or found
   * the word changed), the waiter was joining it, so they share a thread group.
   */
  private joinAcrossGroups(joiner: Task, target: Task, how: 'woken' | 'gone', at: Moment): void {
    const end = target.end;
    if (end?.kind !== 'exited' || end.source !== 'trace' || !end.at || compareMoments(end.at, at) > 0) return;
    const targetGroup = this.processMap.get(target.process)!;
    const joinerGroup = this.processMap.get(joiner.process)!;
    if (!this.membershipKnown(targetGroup) && targetGroup.tasks.length === 1) this.mergeProcess(targetGroup, joinerGroup);
    else if (!this.membershipKnown(joinerGroup) && joinerGroup.tasks.length === 1 && target.tid !== targetGroup.tgid) this.mergeProcess(joinerGroup, targetGroup);
    else return;
    target.joined = { by: joiner.key, how, at };
  }

  private learnId(task: Task, id: number, what: 'tid' | 'tgid'): void {
    if (task.tid === 0) {
      this.bindPidless(task, id);
      return;
    }
    if (what !== 'tgid') return;
    this.learnGroup(task.tid, id);
  }

  /**
   * Evidence that TID `tid` belongs to thread group `tgid` (getpid, tgkill): a task seen without a
   * creation line moves into that group; a TID not seen yet gets it when it appears.
   */
  private learnGroup(tid: number, tgid: number): void {
    const task = this.taskByTid(tid);
    if (!task || (task.end && FINAL_ENDS.has(task.end.kind))) {
      if (!task || tid !== tgid) this.pendingGroup.set(tid, tgid);
      return;
    }
    const process = this.processMap.get(task.process)!;
    if (process.tgid === tgid) {
      this.grouped.add(process);
      return;
    }
    // A task we believed to lead a process of its own is a thread of `tgid`. A task whose own group
    // the log proved (fork, exec...) is not moved: the evidence belongs to an older use of the TID.
    if (this.grouped.has(process) && process.tgid === tid) return;
    const groupKey = this.currentProcess.get(tgid);
    const group = groupKey !== undefined ? this.processMap.get(groupKey)! : this.newProcess(tgid, String(tgid));
    this.mergeProcess(process, group);
    this.grouped.add(group);
  }

  /**
   * Whether the log shows which thread group the process's tasks belong to. False for a task seen
   * without a creation line and with no other evidence (tgkill, getpid, exec, a reap, SIGCHLD): it
   * is shown as a process of its own, but may be a thread of another process.
   */
  membershipKnown(process: Process): boolean {
    if (this.grouped.has(process)) return true;
    const founder = this.tasksOf(process).find((t) => t.tid === process.tgid) ?? this.tasksOf(process)[0];
    if (!founder) return true;
    const kind = founder.birth.kind;
    if (kind === 'unknown' || kind === 'attached') return false;
    // The root of an attach log without strace's message may be any thread of the attached process.
    // (Without pid prefixes there is one tracee: the process strace attached to.)
    return !(kind === 'root' && this.rootHint === undefined && founder.key !== this.pidless && this.isAttachLog());
  }

  /** Gives the pid-less task its real pid (learned from a prefix, set_tid_address, getpid...). */
  private bindPidless(task: Task, tid: number): void {
    if (this.currentTask.has(tid)) return;
    const oldKey = task.key;
    const newKey = String(tid);
    this.generations.set(tid, 1);
    this.taskMap.delete(oldKey);
    task.key = newKey;
    task.tid = tid;
    this.taskMap.set(newKey, task);
    this.currentTask.set(tid, newKey);
    if (this.pidless === oldKey) this.pidless = newKey;
    const rename = (k: string | undefined): string | undefined => (k === oldKey ? newKey : k);
    for (const t of this.taskMap.values()) {
      t.parent = rename(t.parent);
      t.children = t.children.map((k) => rename(k)!);
      if (t.birth.creator !== undefined) t.birth.creator = rename(t.birth.creator);
      for (const e of t.execs) if (e.task === oldKey) Object.assign(e, { task: newKey, tid });
    }
    const process = this.processMap.get(task.process)!;
    process.tasks = process.tasks.map((k) => rename(k)!);
    process.leader = rename(process.leader);
    if (process.key === oldKey) {
      this.processMap.delete(oldKey);
      process.key = newKey;
      process.tgid = tid;
      this.processMap.set(newKey, process);
      this.currentProcess.set(tid, newKey);
      const autoReap = this.autoReap.get(oldKey);
      if (autoReap) {
        this.autoReap.delete(oldKey);
        this.autoReap.set(newKey, autoReap);
      }
      for (const t of this.taskMap.values()) if (t.process === oldKey) t.process = newKey;
      for (const p of this.processMap.values()) {
        if (p.parent === oldKey) p.parent = newKey;
        p.children = p.children.map((k) => rename(k)!);
      }
    }
    for (const p of this.processMap.values()) if (p.reaped?.by === oldKey) Object.assign(p.reaped, { by: newKey, byTid: tid });
  }

  // ---------------------------------------------------------------- end of input

  /**
   * Call once at end of input. Gives every task an end (from the trace, or derived from the wait
   * status, SIGCHLD, exit calls, a sibling's exit_group or execve, or `running`), closes calls still
   * open, and finds processes never reaped (zombies) and orphans.
   */
  finish(): this {
    if (this.finished) return this;
    this.finished = true;
    this.markAttached();
    this.groupByExitGroup();
    for (const process of this.processMap.values()) if (!this.membershipKnown(process)) process.membershipUnknown = true;
    for (const task of this.taskMap.values()) {
      if (!task.end) this.endTask(task, this.derivedEnd(task));
      for (const call of task.openCalls) if (call.closedBy === 'pending') call.closedBy = CLOSED_BY[task.end!.kind];
    }
    for (const process of this.processMap.values()) this.findUnreaped(process);
    return this;
  }

  /**
   * Tasks seen without a creation line that were there when strace attached: every such task of an
   * attach log (strace named the process it attached to, or a task seen without a creation line
   * first showed up resuming a call: it was inside that call before strace saw it).
   */
  /**
   * exit_group taking threads down: task T, of unknown membership, that made no exit call of its own,
   * whose calls since one task's exit_group(c) all died unfinished, and whose `+++ exited with c +++`
   * comes before that group's leader's end (the kernel reports the leader only after its threads):
   * T is a thread of that group. Used only when exactly one exit_group window fits.
   */
  private groupByExitGroup(): void {
    const windows: Array<{ process: Process; code: number; from: Moment; to?: Moment }> = [];
    for (const task of this.taskMap.values()) {
      const call = task.exitCall;
      if (call?.syscall !== 'exit_group') continue;
      const process = this.processMap.get(task.process)!;
      const leader = this.tasksOf(process).find((t) => t.tid === process.tgid && t.end?.source === 'trace');
      windows.push({ process, code: call.code, from: call.at, ...(leader?.end?.at ? { to: leader.end.at } : {}) });
    }
    if (windows.length === 0) return;
    const candidates: Array<{ task: Task; process: Process; code: number; at: Moment }> = [];
    for (const task of this.taskMap.values()) {
      const process = this.processMap.get(task.process)!;
      const end = task.end;
      if (process.tasks.length !== 1 || task.exitCall || end?.kind !== 'exited' || end.source !== 'trace' || !end.at || end.code === undefined) continue;
      if (!this.membershipKnown(process)) candidates.push({ task, process, code: end.code, at: end.at });
    }
    // One sweep in log order: the windows open at each candidate's end line, expired ones dropped.
    windows.sort((a, b) => compareMoments(a.from, b.from));
    candidates.sort((a, b) => compareMoments(a.at, b.at));
    let next = 0;
    let open: typeof windows = [];
    for (const { task, process, code, at } of candidates) {
      while (next < windows.length && compareMoments(windows[next].from, at) < 0) open.push(windows[next++]);
      open = open.filter((w) => !w.to || compareMoments(at, w.to) <= 0);
      const returned = this.lastReturn.get(task);
      const fits = open.filter((w) => w.process !== process && w.code === code && (!returned || compareMoments(returned, w.from) < 0));
      if (fits.length === 1) this.mergeProcess(process, fits[0].process);
    }
  }

  private isAttachLog(): boolean {
    const uncreated = (t: Task): boolean => t.birth.kind === 'unknown' || t.birth.kind === 'root' || t.birth.kind === 'attached';
    return this.rootHint !== undefined || [...this.metMidCall].some(uncreated);
  }

  private markAttached(): void {
    const attachLog = this.isAttachLog();
    for (const task of this.taskMap.values()) {
      if (task.birth.kind === 'unknown' && task.traced && attachLog) task.birth = { kind: 'attached' };
    }
  }

  /**
   * The end of a task the log does not state, from the best evidence: for a thread, its own exit call
   * or a visible join first (its group's later end says nothing about it); then the wait status or
   * SIGCHLD its parent got; then the earliest event that ends a whole thread group; then a reap without
   * status ("ended", how unknown).
   */
  private derivedEnd(task: Task): TaskEnd {
    const process = this.processMap.get(task.process)!;
    const leader = task.tid === process.tgid;
    if (!leader) {
      const own = this.ownEnd(task);
      if (own) return own;
    }
    const reapStatus = process.reaped?.status;
    if (isFinal(reapStatus)) return { ...fromStatus(reapStatus!), at: process.reaped!.at, source: 'wait' };
    const news = this.childNews.get(task.tid);
    if (news && process.leader === task.key) return { ...fromStatus(news.status), at: news.at, source: 'sigchld' };
    const own = this.ownEnd(task);
    if (own) return own;
    const group = this.groupEnd(task, process);
    if (group) return group;
    if (process.reaped) return { kind: 'ended', at: process.reaped.at, source: 'wait' };
    return { kind: task.traced ? 'running' : 'unknown', at: task.lastSeen, source: 'end-of-log' };
  }

  /** Its own exit call, or a join another thread saw. */
  private ownEnd(task: Task): TaskEnd | undefined {
    if (task.exitCall) return { kind: 'exited', code: task.exitCall.code, at: task.exitCall.at, source: 'exit-call' };
    if (task.joined) return { kind: 'exited', at: task.joined.at, source: 'join' };
    return undefined;
  }

  /**
   * The earliest event after the task appeared that ends every thread of its group: another thread's
   * exit_group, a fatal signal that killed another thread (it kills them all), another thread's
   * successful execve, or the leader's end (reported only after every other thread is gone).
   */
  private groupEnd(task: Task, process: Process): TaskEnd | undefined {
    let events = this.groupEvents.get(process);
    if (!events) {
      events = this.groupEndingEvents(process);
      this.groupEvents.set(process, events);
    }
    const takeover = task.birth.kind === 'exec-takeover';
    for (const { end, by } of events) {
      if (by === task || end.at!.seq < task.firstSeen.seq) continue;
      if (takeover && (end.source === 'exec' || by.firstSeen.seq < task.firstSeen.seq)) continue;
      return end;
    }
    return undefined;
  }

  /** Every event that ends a whole thread group, with the task it came from, in log order (made once per process). */
  private groupEndingEvents(process: Process): Array<{ end: TaskEnd; by: Task }> {
    const events: Array<{ end: TaskEnd; by: Task }> = [];
    for (const key of process.tasks) {
      const other = this.taskMap.get(key)!;
      const call = other.exitCall;
      if (call?.syscall === 'exit_group') events.push({ by: other, end: { kind: 'exited', code: call.code, at: call.at, source: 'group-exit' } });
      const end = other.end;
      if (end?.at && end.source === 'trace') {
        if (end.kind === 'killed') events.push({ by: other, end: { kind: 'killed', signal: end.signal, coreDumped: end.coreDumped ?? false, at: end.at, source: 'group-signal' } });
        else if (end.kind === 'exited' && other.tid === process.tgid) events.push({ by: other, end: { kind: 'ended', at: end.at, source: 'leader-end' } });
      }
    }
    for (const e of process.execs) {
      const by = this.taskMap.get(e.task);
      if (e.result === 'ok' && by) events.push({ by, end: { kind: 'killed', signal: 'SIGKILL', at: e.at, source: 'exec' } });
    }
    return events.sort((a, b) => compareMoments(a.end.at!, b.end.at!));
  }

  private findUnreaped(process: Process): void {
    if (process.parent === undefined || process.reaped) return;
    if (!this.waitsVisible) return; // a filtered log (-e trace=..., -e status=...) may hide the wait calls
    const parent = this.processMap.get(process.parent);
    if (!parent) return;
    const death = this.processDeath(process);
    const parentDeath = this.processDeath(parent);
    const parentDetached = this.tasksOf(parent).some((t) => t.end?.kind === 'detached');
    if (!death) {
      if (parentDeath) process.orphaned = true;
      return;
    }
    if (this.autoReapAt(parent.key, death.seq)) {
      process.reaped = { syscall: 'auto (SIGCHLD ignored)', at: death };
      return;
    }
    const parentState = parentDeath ? 'ended' : parentDetached ? 'unknown' : 'alive';
    const parentDiedFirst = parentDeath !== undefined && this.orderKnown && parentDeath.seq < death.seq;
    process.unreaped = {
      zombieAtEnd: parentDeath === undefined,
      zombieWhileParentLived: !parentDiedFirst,
      reparented: parentDeath !== undefined,
      parentState,
      since: death,
    };
    if (parentDiedFirst) process.orphaned = true;
  }

  /** When the last task of a process died (exited or killed); undefined while any task lives on. */
  private processDeath(process: Process): Moment | undefined {
    let last: Moment | undefined;
    let died = false;
    for (const task of this.tasksOf(process)) {
      const kind = task.end?.kind;
      if (kind === undefined || kind === 'running' || kind === 'detached' || kind === 'unknown') return undefined;
      if (kind === 'exited' || kind === 'killed' || kind === 'ended') died = true;
      const at = task.end!.at ?? task.lastSeen;
      if (!last || at.seq > last.seq) last = at;
    }
    return died ? last : undefined;
  }

  private autoReapAt(processKey: string, seq: number): boolean {
    let on = false;
    for (const change of this.autoReap.get(processKey) ?? []) if (change.seq <= seq) on = change.on;
    return on;
  }

  // ---------------------------------------------------------------- queries

  /** Whether event order across files is known (one file, or timestamps to merge several). */
  get orderKnown(): boolean {
    return this.sourceSet.size <= 1 || this.clock.base !== 'none';
  }

  /**
   * Whether the log can show wait calls: it has one, or enough distinct syscalls to be unfiltered.
   * When false, processes are never reported as unreaped (the reaping may have been filtered out).
   */
  get waitsVisible(): boolean {
    return this.sawWait || this.syscallNames.size >= FULL_TRACE_NAMES;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  get stats(): GraphStats {
    return this.counters;
  }

  get timeBase(): GraphSnapshot['timeBase'] {
    return this.clock.base;
  }

  /** Every task, in order of first appearance. */
  tasks(): Task[] {
    return [...this.taskMap.values()].sort((a, b) => compareMoments(a.firstSeen, b.firstSeen));
  }

  /** Every process, in order of first appearance. */
  processes(): Process[] {
    const keyed = [...this.processMap.values()].map((p) => ({ p, first: this.firstMoment(p) }));
    return keyed.sort((a, b) => compareMoments(a.first, b.first)).map(({ p }) => p);
  }

  task(key: string): Task | undefined {
    return this.taskMap.get(key);
  }

  process(key: string): Process | undefined {
    return this.processMap.get(key);
  }

  /** The latest task with this TID. */
  taskByTid(tid: number): Task | undefined {
    const key = this.currentTask.get(tid);
    return key === undefined ? undefined : this.taskMap.get(key);
  }

  /**
   * The task the log's unprefixed lines belong to (strace without -f prints no pid), if any: its
   * `tid` is 0 until the log shows the pid (set_tid_address, getpid, gettid, a later prefixed line).
   */
  unprefixedTask(): Task | undefined {
    if (this.pidless === undefined) return undefined;
    const task = this.taskMap.get(this.pidless);
    return task === undefined || task.tid === 0 ? task : this.taskByTid(task.tid);
  }

  /** The latest process with this TGID. */
  processByPid(tgid: number): Process | undefined {
    const key = this.currentProcess.get(tgid);
    return key === undefined ? undefined : this.processMap.get(key);
  }

  processOf(task: Task): Process {
    return this.processMap.get(task.process)!;
  }

  /** Tasks of a process, in order of appearance. */
  tasksOf(process: Process): Task[] {
    return process.tasks.map((k) => this.taskMap.get(k)!);
  }

  /** Processes without a known parent, in order of appearance. */
  roots(): Process[] {
    return this.processes().filter((p) => p.parent === undefined || !this.processMap.has(p.parent));
  }

  childrenOf(process: Process): Process[] {
    return process.children.map((k) => this.processMap.get(k)).filter((p): p is Process => p !== undefined);
  }

  /** argv of the process's last successful exec (its current program), if any. */
  command(process: Process): string[] | undefined {
    const exec = [...process.execs].reverse().find((e) => e.result === 'ok' && (e.argv !== undefined || e.path !== undefined));
    if (!exec) return undefined;
    return exec.argv && exec.argv.length > 0 ? exec.argv : exec.path !== undefined ? [exec.path] : undefined;
  }

  /**
   * How the process as a whole ended: the leader's end, else the last thread's death, else the wait
   * status its parent saw; the live task's end (`running`, `detached`) while any task lives on.
   */
  processEnd(process: Process): TaskEnd | undefined {
    const tasks = this.tasksOf(process);
    const live = tasks.find((t) => !t.end || t.end.kind === 'running' || t.end.kind === 'detached' || t.end.kind === 'unknown');
    if (live) return live.end;
    const leader = process.leader === undefined ? undefined : this.taskMap.get(process.leader);
    if (leader?.end && (leader.end.kind === 'exited' || leader.end.kind === 'killed')) return leader.end;
    if (leader?.end?.kind === 'ended' && !isFinal(process.reaped?.status)) return leader.end;
    const deaths = tasks.map((t) => t.end!).filter((e) => e.kind === 'exited' || e.kind === 'killed');
    const last = deaths.sort((a, b) => (a.at?.seq ?? 0) - (b.at?.seq ?? 0)).pop();
    if (last) return last;
    const status = process.reaped?.status;
    if (isFinal(status)) return { ...fromStatus(status!), at: process.reaped!.at, source: 'wait' };
    return tasks.map((t) => t.end!).find((e) => e.kind === 'ended');
  }

  /** First and last moment any task of the process was seen. */
  lifetime(process: Process): { start: Moment; end: Moment } {
    const tasks = this.tasksOf(process);
    let start = tasks[0].firstSeen;
    let end = tasks[0].lastSeen;
    for (const t of tasks) {
      if (t.firstSeen.seq < start.seq) start = t.firstSeen;
      const last = t.end?.at && t.end.at.seq > t.lastSeen.seq ? t.end.at : t.lastSeen;
      if (last.seq > end.seq) end = last;
    }
    return { start, end };
  }

  /** Processes that ended and were never reaped (after `finish()`). */
  unreaped(): Process[] {
    return this.processes().filter((p) => p.unreaped !== undefined);
  }

  /** Processes still zombies when the log ends (after `finish()`). */
  zombies(): Process[] {
    return this.processes().filter((p) => p.unreaped?.zombieAtEnd);
  }

  /** Pairs of (reaper task, reaped process). */
  reaps(): Array<{ reaper: Task | undefined; process: Process }> {
    return this.processes()
      .filter((p) => p.reaped !== undefined)
      .map((p) => ({ reaper: p.reaped!.by === undefined ? undefined : this.taskMap.get(p.reaped!.by), process: p }));
  }

  /** A JSON-serialisable copy of the graph (plain data; no bigint). */
  toJSON(): GraphSnapshot {
    const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as T;
    return {
      timeBase: this.timeBase,
      orderKnown: this.orderKnown,
      waitsVisible: this.waitsVisible,
      finished: this.finished,
      stats: copy(this.counters),
      roots: this.roots().map((p) => p.key),
      processes: copy(this.processes()),
      tasks: copy(this.tasks()),
    };
  }

  private fileIndex(source: string | undefined): number | undefined {
    return source === undefined ? undefined : this.counters.sources.indexOf(source);
  }

  private firstMoment(process: Process): Moment {
    return this.tasksOf(process).map((t) => t.firstSeen).reduce((a, b) => (compareMoments(b, a) < 0 ? b : a));
  }
}

/** A line at `at` began before (or on the very line of) an end at `end`: a call the task was inside. */
function startedBy(at: Moment, end: Moment | undefined): boolean {
  if (end === undefined) return true;
  return at.file === end.file ? at.line <= end.line : compareMoments(at, end) < 0;
}

function fromStatus(status: ChildStatus): Pick<TaskEnd, 'kind' | 'code' | 'signal' | 'coreDumped'> {
  if (status.kind === 'killed') return { kind: 'killed', signal: status.signal, coreDumped: status.coreDumped ?? false };
  return { kind: 'exited', ...(status.code !== undefined ? { code: status.code } : {}) };
}
