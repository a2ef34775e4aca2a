/**
 * `takeSnapshot(pid)`: stop every thread of a process for as short a time as possible, capture each
 * thread's registers and the top of its stack, resume them all, then unwind and symbolize at leisure
 * from the copies. The pause is measured from the first PTRACE_INTERRUPT to the last PTRACE_DETACH.
 */
import { readFileSync } from 'node:fs';
import { ExitCode, TasklensError, noSuchProcess as noSuchProcessError } from '../errors.js';
import { syscallByNumber } from '../kb/syscalls.js';
import { arch, type Registers } from './arch.js';
import { captureThreads, type Capture, type PauseTiming, type StackCopy } from './capture.js';
import { AddressSpace, readMaps, type Mapping } from './maps.js';
import { RemoteMemory } from './memory.js';
import { ModuleResolver } from './modules.js';
import { ptraceDenied } from './permissions.js';
import { boostPriority } from './priority.js';
import { liveThread, listTids, processEnding, readStatus, readTaskStat, type TaskStat } from './tasks.js';
import { noUserSpace, specialProcess } from '../procfs/special.js';
import type { StopKind, StoppedThread } from './tracer.js';
import { unwind, type Frame, type ReadMemory } from './unwind.js';

export type { PauseTiming };

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
  /**
   * Run as SCHED_FIFO for the whole snapshot (when permitted): while threads are stopped so woken threads
   * cannot preempt us, and before and after it so a target that keeps every CPU busy cannot starve us
   * (750 spinning threads gave tasklens 1/751 of the CPUs: minutes of wall time for a second of work).
   * Default true.
   */
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

export function takeSnapshot(requestedPid: number, options: SnapshotOptions = {}): Snapshot {
  const boost = options.boost === false ? undefined : boostPriority();
  try {
    return snapshotOf(requestedPid, options, boost?.active ?? false);
  } finally {
    boost?.end();
  }
}

function snapshotOf(requestedPid: number, options: SnapshotOptions, boosted: boolean): Snapshot {
  const started = process.hrtime.bigint();
  const pid = resolveProcess(requestedPid);
  const order = options.order ?? 'copy-then-resume';

  // Everything that does not need the threads stopped happens first.
  const { command, initial, maps, view } = readBeforeStopping(pid);
  const stats = new Map<number, TaskStat>();
  for (const tid of initial) {
    const stat = readTaskStat(pid, tid);
    if (stat) stats.set(tid, stat);
  }
  // A leader that called pthread_exit() has no memory map of its own: read through a live thread.
  const procDir = view === pid ? `/proc/${pid}` : `/proc/${pid}/task/${view}`;
  const memory = new RemoteMemory(view);
  const threads = new Map<number, ThreadSnapshot>();
  const analyse = (capture: Capture) => {
    const modules = new ModuleResolver(pid, procDir, capture.space, memory, options.debugRoot);
    for (const stopped of capture.threads) {
      const thread = describeThread(stopped, stats.get(stopped.tid) ?? readTaskStat(pid, stopped.tid), capture.space);
      unwindThread(thread, modules, capture.stacks.get(stopped.tid), memory, options.maxFrames ?? DEFAULTS.maxFrames);
      threads.set(thread.tid, thread);
    }
  };

  const capture = captureThreads({
    pid,
    procDir,
    initial,
    states: new Map([...stats].map(([tid, stat]) => [tid, stat.state])),
    space: new AddressSpace(maps),
    memory,
    stackBytes: options.stackBytes ?? DEFAULTS.stackBytes,
    slowThreadDeadlineMs: options.slowThreadDeadlineMs ?? DEFAULTS.slowThreadDeadlineMs,
    boost: options.boost !== false,
    boosted,
    whileStopped: options.whileStopped,
    beforeRelease: order === 'unwind-while-stopped' ? analyse : undefined,
  });
  // Threads that died while stopped were reaped by the capture; a process that died with them has no
  // files or memory left to unwind and symbolize from.
  if (processEnding(pid)) throw exitedDuring(pid);
  if (order === 'copy-then-resume') analyse(capture);
  if (processEnding(pid)) throw exitedDuring(pid);

  // Threads we saw but could not stop still belong in the picture.
  const { tracer, zombies } = capture;
  for (const tid of [...initial, ...tracer.appeared]) {
    if (threads.has(tid) || (tracer.vanished.has(tid) && !zombies.has(tid))) continue;
    const stat = stats.get(tid) ?? readTaskStat(pid, tid);
    threads.set(tid, { tid, name: stat?.name ?? '?', state: stat?.state ?? '?', frames: [], unwindEnd: whyNotStopped(tid, capture) });
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
    notStopped: [...tracer.late, ...tracer.refused],
    pause: capture.timing,
    wallMs: Number(process.hrtime.bigint() - started) / 1e6,
  };
}

function whyNotStopped(tid: number, capture: Capture): string {
  if (capture.zombies.has(tid)) return 'zombie thread: it has exited, nothing to unwind';
  if (capture.tracer.late.has(tid)) return 'did not stop in time (uninterruptible sleep or a very busy machine)';
  return 'ptrace refused this thread';
}

/**
 * Checks the PID and maps a thread ID to its process (snapshots are always of a whole process). A
 * kernel thread and a zombie have no user space: each gets its own error instead of a misleading one.
 */
function resolveProcess(pid: number): number {
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new TasklensError('ptrace', 'bad-pid', `not a process ID: ${pid}`, { exitCode: ExitCode.usage });
  }
  const status = readStatus(pid);
  if (!status) throw noSuchProcess(pid);
  const tgid = Number(status.get('Tgid') ?? pid);
  if (tgid === process.pid) {
    throw new TasklensError('ptrace', 'self-snapshot', `PID ${pid} is tasklens itself, which cannot stop its own threads`, {
      hint: 'run a second tasklens against this one',
      exitCode: ExitCode.usage,
    });
  }
  const special = specialProcess(tgid);
  if (special) throw noUserSpace(special, 'ptrace', 'snapshot');
  return tgid;
}

/**
 * The process's name, threads and mappings, and the thread to read process-wide files and memory
 * through (the leader, unless it has exited). /proc/PID/maps needs the same ptrace access a snapshot
 * does, so a refusal here is diagnosed as a ptrace refusal; a vanished process is "no such process".
 */
function readBeforeStopping(pid: number): { command: string; initial: number[]; maps: Mapping[]; view: number } {
  try {
    const command = readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
    const initial = listTids(pid);
    const view = liveThread(pid, initial);
    if (view === undefined) throw exitedDuring(pid);
    return { command, initial, maps: readMaps(view === pid ? `/proc/${pid}` : `/proc/${pid}/task/${view}`), view };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw ptraceDenied(pid);
    if (code === 'ENOENT' || code === 'ESRCH') throw noSuchProcess(pid);
    throw error;
  }
}

function noSuchProcess(pid: number): TasklensError {
  return noSuchProcessError('ptrace', pid);
}

function exitedDuring(pid: number): TasklensError {
  return new TasklensError('ptrace', 'exited', `process ${pid} exited during the snapshot`, {
    hint: 'nothing is left to capture; every thread it had was released',
    exitCode: ExitCode.noSuchProcess,
  });
}

function describeThread(stopped: StoppedThread, stat: TaskStat | undefined, space: AddressSpace): ThreadSnapshot {
  const regs = arch.decodeRegisters(stopped.rawRegs!);
  const sys = arch.syscall(regs);
  const found = space.stackOf(arch.sp(regs));
  return {
    tid: stopped.tid,
    name: stat?.name ?? '?',
    state: stat?.state ?? '?',
    stop: stopped.kind,
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
  copy: StackCopy | undefined,
  memory: RemoteMemory,
  maxFrames: number,
): void {
  if (!thread.registers) return;
  const reader = memoryReader(copy, memory);
  const result = unwind(arch.dwarfRegisters(thread.registers), modules, reader.read, maxFrames);
  thread.frames = result.frames;
  thread.unwindEnd = result.end;
  if (reader.liveReads) thread.liveReads = reader.liveReads;
}

/** Reads from the thread's stack copy; anything outside it is read live from the process (and counted). */
function memoryReader(copy: StackCopy | undefined, memory: RemoteMemory): { read: ReadMemory; liveReads: number } {
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
