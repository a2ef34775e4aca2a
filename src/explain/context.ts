/**
 * What the explainer remembers between lines so it can relate a call to earlier ones: per process the
 * mappings it made (stacks, library segments, the heap), its descriptors and where they came from,
 * installed signal handlers and the TID-clear addresses of its threads; per thread its set-up
 * addresses. Every store is capped, and a process's state is dropped when it ends, so memory stays
 * bounded on logs of any size.
 */
import type { TaskGraph } from '../model/graph.js';
import type { SyscallEvent } from '../parse/types.js';
import { FdTable } from './fd-table.js';
import type { Abi } from '../kb/abi/index.js';

export interface Mapping {
  start: bigint;
  length: bigint;
  prot: string;
  /** `stack` (MAP_STACK or a PROT_NONE reservation later used as a stack), `library`, `file`, `anon`. */
  kind: 'stack' | 'library' | 'file' | 'anon' | 'cache';
  path?: string;
  line: number;
  tid: number;
  /** For a thread stack: the low part left PROT_NONE (guard), once the mprotect has been seen. */
  guard?: bigint;
  /** Line of the clone that used it as a stack, and the thread it became. */
  usedBy?: { tid?: number; line: number };
}

export interface FdInfo {
  /** Path, socket description or pipe label. */
  what: string;
  kind: 'file' | 'library' | 'pipe-read' | 'pipe-write' | 'socket' | 'eventfd' | 'epoll' | 'signalfd' | 'timerfd' | 'pidfd' | 'other' | 'inherited';
  line: number;
  cloexec: boolean;
  /** For pipe ends: the line of the pipe()/pipe2() that made it (one pipe, two ends). */
  pipeLine?: number;
  /** The ELF header was read through it (a library being loaded). */
  elfRead?: boolean;
  /** How fdWords last named it (recomputed when the number or the path differs). */
  words?: { fd: number; what: string; text: string };
}

export interface ClosedFd {
  line: number;
  what: string;
}

export interface Handler {
  signal: string;
  handler: string;
  flags: string[];
  line: number;
}

const MAX_MAPPINGS = 1024;
const RECENT_MAPPINGS = 48;
const MAX_CLOSED = 256;
const MAX_CLEAR_TIDS = 4096;

export class ProcessState {
  readonly key: string;
  /** 0 while a log without pid prefixes has not shown the pid (see TaskGraph.unprefixedTask). */
  tgid: number;
  /** Mappings by start address (hex text), oldest first; capped. */
  readonly mappings = new Map<string, Mapping>();
  /** The newest mappings, for "which mapping contains this address" questions. */
  recent: Mapping[] = [];
  readonly fds = new FdTable<FdInfo>();
  /** Descriptors closed recently: a second close of one is a double close, not a defensive one. */
  readonly closed = new FdTable<ClosedFd>();
  heapStart?: bigint;
  heapEnd?: bigint;
  readonly handlers = new Map<string, Handler>();
  /** CLONE_CHILD_CLEARTID / set_tid_address word -> the thread whose exit clears it. */
  readonly clearTids = new Map<string, { tid?: number; line: number }>();
  /** The program the process runs (last successful exec path), if seen. */
  program?: string;
  /** Libraries the loader has mapped, in order. */
  libraries: string[] = [];

  constructor(key: string, tgid: number) {
    this.key = key;
    this.tgid = tgid;
  }

  addMapping(m: Mapping): void {
    const k = m.start.toString(16);
    this.mappings.delete(k);
    this.mappings.set(k, m);
    if (this.mappings.size > MAX_MAPPINGS) this.mappings.delete(this.mappings.keys().next().value as string);
    this.recent.push(m);
    if (this.recent.length > RECENT_MAPPINGS) this.recent = this.recent.slice(-RECENT_MAPPINGS / 2);
  }

  mappingAt(addr: bigint): Mapping | undefined {
    return this.mappings.get(addr.toString(16));
  }

  /** The newest mapping that contains [addr, addr+len). */
  mappingContaining(addr: bigint, len = 1n): Mapping | undefined {
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const m = this.recent[i];
      if (addr >= m.start && addr + len <= m.start + m.length) return m;
    }
    return undefined;
  }

  removeMappings(addr: bigint, len: bigint): Mapping[] {
    const gone: Mapping[] = [];
    for (const [k, m] of this.mappings) {
      if (m.start >= addr && m.start + m.length <= addr + len) {
        gone.push(m);
        this.mappings.delete(k);
      }
    }
    if (gone.length > 0) this.recent = this.recent.filter((m) => !gone.includes(m));
    return gone;
  }

  openFd(fd: number, info: FdInfo): void {
    this.fds.set(fd, info);
    this.closed.delete(fd);
  }

  closeFd(fd: number, line: number): FdInfo | undefined {
    const info = this.fds.get(fd);
    if (info) {
      this.fds.delete(fd);
      this.closed.set(fd, { line, what: info.what });
      if (this.closed.size > MAX_CLOSED) this.forgetOldestClose();
    }
    return info;
  }

  /** Only processes holding hundreds of descriptors get here. */
  private forgetOldestClose(): void {
    let oldest: number | undefined;
    let line = Infinity;
    for (const [fd, c] of this.closed) {
      if (c.line < line) {
        line = c.line;
        oldest = fd;
      }
    }
    if (oldest !== undefined) this.closed.delete(oldest);
  }

  setClearTid(addr: bigint, owner: { tid?: number; line: number }): void {
    this.clearTids.set(addr.toString(16), owner);
    if (this.clearTids.size > MAX_CLEAR_TIDS) this.clearTids.delete(this.clearTids.keys().next().value as string);
  }

  /** A child process starts with a copy of its parent's memory map, descriptors and handlers. */
  forkFrom(parent: ProcessState): void {
    for (const m of parent.mappings.values()) this.mappings.set(m.start.toString(16), { ...m });
    this.recent = [...this.mappings.values()].slice(-RECENT_MAPPINGS);
    for (const [fd, info] of parent.fds) this.fds.set(fd, { ...info });
    this.heapStart = parent.heapStart;
    this.heapEnd = parent.heapEnd;
    for (const [s, h] of parent.handlers) this.handlers.set(s, h);
    this.program = parent.program;
    this.libraries = [...parent.libraries];
  }

  /** A successful execve: new memory image, caught handlers reset, close-on-exec descriptors gone. */
  exec(path: string | undefined): void {
    this.mappings.clear();
    this.recent = [];
    this.heapStart = undefined;
    this.heapEnd = undefined;
    for (const [s, h] of this.handlers) if (h.handler !== 'SIG_IGN') this.handlers.delete(s);
    for (const [fd, info] of this.fds) if (info.cloexec) this.fds.delete(fd);
    this.clearTids.clear();
    this.closed.clear();
    this.program = path;
    this.libraries = [];
  }
}

export interface ThreadState {
  tid: number;
  /** Syscalls made so far (saturates), to tell a new thread's first calls. */
  calls: number;
  /** set_tid_address / CLONE_CHILD_CLEARTID word. */
  clearTid?: bigint;
  /** The thread's own stack mapping, when its creating clone named it. */
  stack?: Mapping;
  /** rt_sigprocmask(SIG_BLOCK, ~[...]) seen last: all (or almost all) signals blocked now. */
  allBlocked?: boolean;
  /** The line of the clone that created it. */
  bornAt?: number;
  /** Its latest syscall (a signal's sender, or the call a signal interrupted). */
  lastCall?: SyscallEvent;
  /** What describers see of it (explainSyscall keeps one per thread). */
  scope?: { ctx: ExplainContext; proc: ProcessState; thread: ThreadState };
  /** Signals whose handlers are running (delivered, not yet returned with rt_sigreturn), innermost last. */
  handling?: Array<{ signal: string; line: number }>;
}

const MAX_THREADS = 65536;

/** Process and thread state, keyed the way the task graph keys them. */
export class ExplainContext {
  readonly graph: TaskGraph;
  private readonly processes = new Map<string, ProcessState>();
  private readonly threads = new Map<number, ThreadState>();
  /** The system call ABI of the log as detected so far (numbers are looked up in its table). */
  abi: Abi = 'x86_64';

  constructor(graph: TaskGraph) {
    this.graph = graph;
  }

  /** The process a TID belongs to right now (created on first sight, copying a forked parent's state). */
  process(tid: number): ProcessState {
    const task = this.graph.taskByTid(tid);
    const process = task ? this.graph.processOf(task) : undefined;
    const key = process?.key ?? `tid:${tid}`;
    let state = this.processes.get(key);
    // Unprefixed lines (no -f): the model learns the pid from set_tid_address, getpid or gettid.
    if (state && state.tgid === 0 && tid === 0) state.tgid = this.graph.unprefixedTask()?.tid ?? 0;
    if (!state) {
      state = new ProcessState(key, process?.tgid ?? tid);
      const parent = process?.parent === undefined ? undefined : this.processes.get(process.parent);
      if (parent && task?.birth.kind !== 'thread') state.forkFrom(parent);
      this.processes.set(key, state);
    }
    return state;
  }

  thread(tid: number): ThreadState {
    let t = this.threads.get(tid);
    if (!t) {
      t = { tid, calls: 0 };
      this.threads.set(tid, t);
      if (this.threads.size > MAX_THREADS) this.threads.delete(this.threads.keys().next().value as number);
    }
    return t;
  }

  /** The latest syscall of a TID, if it is known. */
  lastCallOf(tid: number): SyscallEvent | undefined {
    return this.threads.get(tid)?.lastCall;
  }

  /** Syscalls a TID has made so far (0 for one never seen). */
  threadCalls(tid: number): number {
    return this.threads.get(tid)?.calls ?? 0;
  }

  /** Has this TID been seen before (any line)? */
  knowsThread(tid: number): boolean {
    return this.threads.has(tid);
  }

  /** TGID of a TID per the task graph (the TID itself when unknown). */
  tgidOf(tid: number): number {
    const task = this.graph.taskByTid(tid);
    return task ? this.graph.processOf(task).tgid : tid;
  }

  /** Threads of the caller's process that have not ended (the caller included). */
  liveThreads(tid: number): number {
    const task = this.graph.taskByTid(tid);
    if (!task) return 1;
    let n = 0;
    for (const t of this.graph.tasksOf(this.graph.processOf(task))) {
      if (!t.end || t.end.kind === 'running' || t.end.kind === 'unknown') n++;
    }
    return Math.max(n, 1);
  }

  /** PID of the caller's parent process, when the log shows it. */
  parentPid(tid: number): number | undefined {
    const task = this.graph.taskByTid(tid);
    if (!task) return undefined;
    const parent = this.graph.processOf(task).parent;
    return parent === undefined ? undefined : this.graph.process(parent)?.tgid;
  }

  isThreadOfOther(tid: number): boolean {
    return this.graph.taskByTid(tid)?.birth.kind === 'thread';
  }

  /** A thread ended: forget it; when the whole process is gone, forget the process too. */
  endThread(tid: number): void {
    this.threads.delete(tid);
    const task = this.graph.taskByTid(tid);
    if (!task) return;
    const process = this.graph.processOf(task);
    const alive = this.graph.tasksOf(process).some((t) => !t.end || t.end.kind === 'running' || t.end.kind === 'unknown');
    if (!alive) this.processes.delete(process.key);
  }
}
