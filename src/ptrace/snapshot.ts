/**
 * `takeSnapshot(pid)`: stop every thread of a process for as short a time as possible, capture each
 * thread's registers and the top of its stack, resume them all, then unwind and symbolize at leisure
 * from the copies. The pause is measured from the first PTRACE_INTERRUPT to the last PTRACE_DETACH.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ExitCode, TasklensError } from '../errors.js';
import { syscallByNumber } from '../kb/syscalls.js';
import { arch, type Registers } from './arch.js';
import { libc } from './libc.js';
import { boostPriority } from './priority.js';
import { AddressSpace, readMaps, type Mapping } from './maps.js';
import { prefaultedBuffer, RemoteMemory } from './memory.js';
import { ModuleResolver } from './modules.js';
import { listTids, readStatus, readTaskStat, type TaskStat } from './tasks.js';
import { Tracer, type StopKind, type StoppedThread } from './tracer.js';
import { ptraceDenied } from './permissions.js';
import { unwind, type Frame, type ReadMemory } from './unwind.js';

export type UnwindOrder = 'copy-then-resume' | 'unwind-while-stopped';

export interface SnapshotOptions {
  /**
   * Bytes of stack copied per thread while stopped, from the stack pointer up (capped at the mapping's
   * end). Default 8 KiB: blocked threads in C programs need well under 1 KiB; frames deeper than the
   * copy are unwound from live memory after the resume and marked as such.
   */
  stackBytes?: number;
  /** Copy stacks and resume before unwinding (default, shortest pause), or unwind with the threads stopped. */
  order?: UnwindOrder;
  maxFrames?: number;
  /** How long to wait for threads in uninterruptible sleep (D) to stop, in ms. Default 500. */
  slowThreadDeadlineMs?: number;
  /** Where separate debug files live. Default /usr/lib/debug. */
  debugRoot?: string;
  /** Run as SCHED_FIFO while threads are stopped so woken threads cannot preempt us (when permitted). Default true. */
  boost?: boolean;
  /** Called while every thread is stopped, registers read (tests use it to kill tasklens mid-snapshot). */
  whileStopped?: () => void;
}

export interface StackInfo {
  /** The mapping that holds the stack pointer. */
  start: bigint;
  end: bigint;
  /** `[stack]` for the main thread, '' for a pthread stack. */
  label: string;
  /** Bytes between the stack pointer and the top of the mapping (includes glibc's struct pthread and TLS for pthreads). */
  usedBytes: number;
  /** The inaccessible page(s) glibc puts below a pthread stack. */
  guard?: { start: bigint; end: bigint };
}

export interface ThreadSyscall {
  nr: number;
  /** From the syscall table (kb), when the number is known. */
  name?: string;
  args: bigint[];
  /** The thread was blocked in this syscall; it restarts when the thread resumes. */
  blocked: boolean;
}

export interface ThreadSnapshot {
  tid: number;
  name: string;
  /** Scheduler state letter read just before stopping (R, S, D, T, Z...). */
  state: string;
  /** How the thread stopped; undefined when it could not be stopped (zombie, vanished, refused, late). */
  stop?: StopKind;
  /** The thread pointer (fs_base), which on x86-64 glibc is the thread's pthread_t. */
  pthread?: bigint;
  registers?: Registers;
  syscall?: ThreadSyscall;
  stack?: StackInfo;
  frames: Frame[];
  /** Why the backtrace ends, or why there is none. */
  unwindEnd?: string;
  /**
   * Memory reads the unwinder had to make outside the stack copy. With the default order these
   * happened after the thread resumed, so the outer frames may describe a later moment.
   */
  liveReads?: number;
}

export interface PauseTiming {
  /** First PTRACE_INTERRUPT to last PTRACE_DETACH: the longest any thread was held. */
  pauseMs: number;
  /**
   * The longest hold of a thread that was running (not blocked in a syscall): those are interrupted
   * last and released first, so they feel the shortest pause. 0 when every thread was blocked.
   */
  runningPauseMs: number;
  /** First interrupt until every thread reported its stop. */
  stopMs: number;
  /** Registers and stack copies (running threads are released in between). */
  captureMs: number;
  /** Resuming the blocked threads. */
  resumeMs: number;
  /** Stack bytes copied and read system calls made while stopped. */
  bytesCopied: number;
  readCalls: number;
  /** Whether tasklens ran with a real-time priority during the pause. */
  boosted: boolean;
}

export interface Snapshot {
  pid: number;
  command: string;
  takenAt: string;
  arch: string;
  order: UnwindOrder;
  threads: ThreadSnapshot[];
  /** Threads seen during the snapshot, stopped or not. */
  threadsSeen: number;
  appeared: number[];
  vanished: number[];
  /** Threads that did not stop in time (uninterruptible sleep) or that ptrace refused. */
  notStopped: number[];
  pause: PauseTiming;
  /** Whole call, including reading /proc and unwinding. */
  wallMs: number;
}

const DEFAULTS = { stackBytes: 8 * 1024, maxFrames: 128, slowThreadDeadlineMs: 500 };

const ms = (from?: bigint, to?: bigint) => (from === undefined || to === undefined ? 0 : Number(to - from) / 1e6);

export function takeSnapshot(requestedPid: number, options: SnapshotOptions = {}): Snapshot {
  const started = process.hrtime.bigint();
  const pid = resolveProcess(requestedPid);
  const order = options.order ?? 'copy-then-resume';
  const stackBytes = options.stackBytes ?? DEFAULTS.stackBytes;

  // Everything that does not need the threads stopped happens first.
  const { command, initial, maps } = readBeforeStopping(pid);
  const stats = new Map<number, TaskStat>();
  for (const tid of initial) {
    const stat = readTaskStat(pid, tid);
    if (stat) stats.set(tid, stat);
  }
  const zombies = new Set(initial.filter((tid) => stats.get(tid)?.state === 'Z' || stats.get(tid)?.state === 'X'));
  const slow = new Set(initial.filter((tid) => stats.get(tid)?.state === 'D'));
  let space = new AddressSpace(maps);
  const memory = new RemoteMemory(pid);

  const tracer = new Tracer(pid);
  const threads = new Map<number, ThreadSnapshot>();
  const stacks = new Map<number, { start: bigint; bytes: Buffer }>();
  let modules: ModuleResolver | undefined;
  let captureDoneAt: bigint | undefined;
  const describeAll = () => {
    for (const t of tracer.stopped.values()) {
      if (t.rawRegs) threads.set(t.tid, describeThread(t.tid, t.kind, arch.decodeRegisters(t.rawRegs), stats.get(t.tid), space, pid));
    }
  };
  tracer.warmUp();
  warmUpMemoryReads();
  // Room for the stack copies of the threads we know of plus a few newcomers. Copies stop at the thread
  // pointer, so a blocked pthread needs 1-3 KiB: 4 KiB each is plenty, and a bigger need is still met
  // (with page faults inside the pause).
  const store = prefaultedBuffer((initial.length + 16) * Math.min(stackBytes, 4096));
  const boost = options.boost === false ? undefined : boostPriority();
  try {
    const running = new Set(initial.filter((tid) => stats.get(tid)?.state === 'R'));
    tracer.stopAll(initial, zombies, slow, options.slowThreadDeadlineMs ?? DEFAULTS.slowThreadDeadlineMs, running);
    options.whileStopped?.();

    let storeUsed = 0;
    const copyStacks = (group: StoppedThread[]) => {
      if (!group.length) return;
      // A thread created since the maps were read has a stack we do not know yet.
      if (group.some((t) => !space.find(arch.rawSp(t.rawRegs!)))) space = new AddressSpace(readMaps(pid));
      const windows = group.map((t) => stackWindow(space, arch.rawSp(t.rawRegs!), arch.rawThreadPointer(t.rawRegs!), stackBytes));
      const copies = memory.readRanges(windows, store.subarray(storeUsed));
      group.forEach((t, i) => stacks.set(t.tid, { start: windows[i].address, bytes: copies[i] }));
      storeUsed += copies.reduce((n, c) => n + c.length, 0);
    };

    if (order === 'unwind-while-stopped') {
      copyStacks(tracer.readRegisters());
      describeAll();
      modules = new ModuleResolver(pid, space, memory, options.debugRoot);
      for (const thread of threads.values()) unwindThread(thread, modules, stacks.get(thread.tid), memory, options.maxFrames);
    } else {
      // Every thread has been stopped at once (allStoppedAt), and a stopped thread's state cannot change:
      // so threads can be released as soon as their own copy is taken without changing what is captured.
      // Running threads go first, since they are the ones that notice a stop; blocked threads sit in
      // their syscall either way.
      const release = (group: StoppedThread[]) => {
        copyStacks(group);
        tracer.detach(group.map((t) => t.tid));
      };
      release(tracer.readRegisters([...running]));
      const rest = tracer.readRegisters([...tracer.stopped.keys()].filter((tid) => !running.has(tid)));
      release(rest.filter((t) => !arch.rawBlockedInSyscall(t.rawRegs!)));
      copyStacks(rest.filter((t) => arch.rawBlockedInSyscall(t.rawRegs!)));
    }
    captureDoneAt = process.hrtime.bigint();
  } finally {
    tracer.detachAll();
    boost?.end();
  }
  if (order === 'copy-then-resume') describeAll();
  const pauseTiming: PauseTiming = {
    pauseMs: ms(tracer.firstInterruptAt, tracer.lastDetachAt),
    runningPauseMs: tracer.longestHoldMs(
      [...tracer.stopped.values()].filter((t) => t.rawRegs && !arch.rawBlockedInSyscall(t.rawRegs)).map((t) => t.tid),
    ),
    stopMs: ms(tracer.firstInterruptAt, tracer.allStoppedAt),
    captureMs: ms(tracer.allStoppedAt, captureDoneAt),
    resumeMs: ms(captureDoneAt, tracer.lastDetachAt),
    bytesCopied: [...stacks.values()].reduce((n, s) => n + s.bytes.length, 0),
    readCalls: memory.calls,
    boosted: boost?.active ?? false,
  };

  if (order === 'copy-then-resume') {
    modules = new ModuleResolver(pid, space, memory, options.debugRoot);
    for (const thread of threads.values()) unwindThread(thread, modules, stacks.get(thread.tid), memory, options.maxFrames);
  }

  // Threads we saw but could not stop still belong in the picture.
  const notStopped = [...tracer.late, ...tracer.refused];
  for (const tid of [...initial, ...tracer.appeared]) {
    if (threads.has(tid) || (tracer.vanished.has(tid) && !zombies.has(tid))) continue;
    const stat = stats.get(tid) ?? readTaskStat(pid, tid);
    const why = zombies.has(tid) ? 'zombie thread: it has exited, nothing to unwind' : tracer.late.includes(tid)
      ? 'did not stop in time (uninterruptible sleep)' : 'ptrace refused this thread';
    threads.set(tid, { tid, name: stat?.name ?? '?', state: stat?.state ?? '?', frames: [], unwindEnd: why });
  }

  return {
    pid,
    command,
    takenAt: new Date().toISOString(),
    arch: arch.name,
    order,
    threads: [...threads.values()].sort((a, b) => a.tid - b.tid),
    threadsSeen: initial.length + tracer.appeared.length,
    appeared: tracer.appeared,
    vanished: [...tracer.vanished].filter((tid) => !zombies.has(tid)).sort((a, b) => a - b),
    notStopped,
    pause: pauseTiming,
    wallMs: ms(started, process.hrtime.bigint()),
  };
}

/** Checks the PID and maps a thread ID to its process (snapshots are always of a whole process). */
function resolveProcess(pid: number): number {
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new TasklensError('ptrace', 'bad-pid', `not a process ID: ${pid}`, { exitCode: ExitCode.usage });
  }
  const status = existsSync(`/proc/${pid}`) ? readStatus(pid) : undefined;
  if (!status) throw noSuchProcess(pid);
  const tgid = Number(status.get('Tgid') ?? pid);
  if (tgid === process.pid) {
    throw new TasklensError('ptrace', 'self-snapshot', `PID ${pid} is tasklens itself, which cannot stop its own threads`, {
      hint: 'run a second tasklens against this one',
      exitCode: ExitCode.usage,
    });
  }
  return tgid;
}

/**
 * The process's name, threads and mappings. /proc/PID/maps needs the same ptrace access a snapshot
 * does, so a refusal here is diagnosed as a ptrace refusal; a vanished process is "no such process".
 */
function readBeforeStopping(pid: number): { command: string; initial: number[]; maps: Mapping[] } {
  try {
    return { command: readFileSync(`/proc/${pid}/comm`, 'latin1').trim(), initial: listTids(pid), maps: readMaps(pid) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw ptraceDenied(pid);
    if (code === 'ENOENT' || code === 'ESRCH') throw noSuchProcess(pid);
    throw error;
  }
}

function noSuchProcess(pid: number): TasklensError {
  return new TasklensError('ptrace', 'no-such-pid', `no process with PID ${pid}`, {
    hint: 'list processes with `tasklens ps` or `ps -e`',
    exitCode: ExitCode.noSuchProcess,
  });
}

/** One process_vm_readv of our own memory, so the first read inside the pause is not the first call. */
function warmUpMemoryReads(): void {
  const probe = Buffer.alloc(8);
  new RemoteMemory(process.pid).read(libc().addressOf(probe), 8);
}

/**
 * From the stack pointer up, at most `bytes`, never past the end of the stack's mapping, and never
 * past the thread pointer: glibc puts the static TLS and struct pthread (about half of a blocked
 * thread's "used" stack) between the last frame and the top of a pthread stack.
 */
function stackWindow(space: AddressSpace, sp: bigint, threadPointer: bigint, bytes: number): { address: bigint; length: number } {
  const mapping = space.find(sp);
  if (!mapping) return { address: sp, length: 0 };
  const top = threadPointer > sp && threadPointer < mapping.end ? threadPointer : mapping.end;
  return { address: sp, length: Math.min(bytes, Number(top - sp)) };
}

function describeThread(tid: number, stop: StopKind, regs: Registers, stat: TaskStat | undefined, space: AddressSpace, pid: number): ThreadSnapshot {
  const sys = arch.syscall(regs);
  const found = space.stackOf(arch.sp(regs));
  const late = stat ?? readTaskStat(pid, tid);
  return {
    tid,
    name: late?.name ?? '?',
    state: late?.state ?? '?',
    stop,
    pthread: arch.threadPointer(regs),
    registers: regs,
    syscall: sys && { nr: sys.nr, name: syscallByNumber(sys.nr)?.name, args: sys.args, blocked: sys.interrupted },
    stack: found && stackInfo(found.stack, found.guard, arch.sp(regs)),
    frames: [],
  };
}

function stackInfo(stack: Mapping, guard: Mapping | undefined, sp: bigint): StackInfo {
  return {
    start: stack.start,
    end: stack.end,
    label: stack.path,
    usedBytes: Number(stack.end - sp),
    guard: guard && { start: guard.start, end: guard.end },
  };
}

function unwindThread(
  thread: ThreadSnapshot,
  modules: ModuleResolver,
  copy: { start: bigint; bytes: Buffer } | undefined,
  memory: RemoteMemory,
  maxFrames = DEFAULTS.maxFrames,
): void {
  if (!thread.registers) return;
  const reader = memoryReader(copy, memory);
  const result = unwind(arch.dwarfRegisters(thread.registers), modules, reader.read, maxFrames);
  thread.frames = result.frames;
  thread.unwindEnd = result.end;
  if (reader.liveReads) thread.liveReads = reader.liveReads;
}

/** Reads from the thread's stack copy; anything outside it is read live from the process (and counted). */
function memoryReader(copy: { start: bigint; bytes: Buffer } | undefined, memory: RemoteMemory): { read: ReadMemory; liveReads: number } {
  const reader = {
    liveReads: 0,
    read: ((address, size) => {
      if (copy && address >= copy.start && address + BigInt(size) <= copy.start + BigInt(copy.bytes.length)) {
        const at = Number(address - copy.start);
        return size === 8 ? copy.bytes.readBigUInt64LE(at) : readSmall(copy.bytes, at, size);
      }
      reader.liveReads++;
      const live = memory.read(address, size);
      return live && live.length === size ? (size === 8 ? live.readBigUInt64LE(0) : readSmall(live, 0, size)) : undefined;
    }) as ReadMemory,
  };
  return reader;
}

function readSmall(buffer: Buffer, at: number, size: number): bigint {
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(buffer[at + i]);
  return value;
}
