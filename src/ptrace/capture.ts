/**
 * The pause itself: stop every thread, take registers and the top of each stack, release the threads.
 * Everything here runs with the target stopped, so it does as little as possible: registers stay raw
 * bytes, stacks land in a buffer whose pages were faulted in beforehand, and running threads are
 * stopped last and released first.
 */
import { availableParallelism } from 'node:os';
import { arch } from './arch.js';
import { libc } from './libc.js';
import { AddressSpace, readMaps } from './maps.js';
import { prefaultedBuffer, RemoteMemory } from './memory.js';
import { boostPriority } from './priority.js';
import { Tracer, type StoppedThread } from './tracer.js';

export interface StackCopy {
  /** Address of bytes[0] in the target: the thread's stack pointer. */
  start: bigint;
  bytes: Buffer;
}

export interface CaptureRequest {
  pid: number;
  /** Where the process's maps are read: /proc/PID, or /proc/PID/task/TID when the leader has exited. */
  procDir: string;
  /** Threads listed before stopping, with the scheduler state each had then. */
  initial: number[];
  states: Map<number, string>;
  space: AddressSpace;
  memory: RemoteMemory;
  stackBytes: number;
  slowThreadDeadlineMs: number;
  boost: boolean;
  /** The caller already runs boosted (SCHED_FIFO) for the whole snapshot. */
  boosted?: boolean;
  /** Runs once every thread is stopped, before anything is read (tests use it to kill tasklens there). */
  whileStopped?: () => void;
  /**
   * When given, runs with every thread still stopped after the copies are taken (unwinding before
   * resuming); otherwise threads are released group by group as soon as their copies are taken.
   */
  beforeRelease?: (capture: Capture) => void;
}

export interface Capture {
  tracer: Tracer;
  /** Every stopped thread whose registers were read. */
  threads: StoppedThread[];
  stacks: Map<number, StackCopy>;
  /** The address space, re-read if a thread's stack was not in the one given. */
  space: AddressSpace;
  /** Threads that could not stop: zombies. */
  zombies: Set<number>;
  timing: PauseTiming;
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

const ms = (from?: bigint, to?: bigint) => (from === undefined || to === undefined ? 0 : Number(to - from) / 1e6);
const hasState = (states: Map<number, string>, letters: string) => (tid: number) => letters.includes(states.get(tid) ?? '');

export function captureThreads(request: CaptureRequest): Capture {
  const { pid, initial, states, memory, stackBytes } = request;
  const zombies = new Set(initial.filter(hasState(states, 'ZX')));
  const slow = new Set(initial.filter(hasState(states, 'D')));
  const running = new Set(initial.filter(hasState(states, 'R')));
  const tracer = new Tracer(pid);
  const capture: Capture = {
    tracer,
    threads: [],
    stacks: new Map(),
    space: request.space,
    zombies,
    timing: { pauseMs: 0, runningPauseMs: 0, stopMs: 0, captureMs: 0, resumeMs: 0, bytesCopied: 0, readCalls: 0, boosted: false },
  };

  // Before the pause: first calls into koffi are slow, and so are first touches of fresh memory.
  tracer.warmUp();
  warmUpMemoryReads();
  // Copies stop at the thread pointer, so a blocked pthread needs 1-3 KiB: 4 KiB each is plenty (a
  // bigger need is still met, with page faults inside the pause).
  const store = prefaultedBuffer((initial.length + 16) * Math.min(stackBytes, 4096));
  let storeUsed = 0;
  const copyStacks = (group: StoppedThread[]) => {
    if (!group.length) return;
    // A thread created since the maps were read has a stack we do not know yet.
    if (group.some((t) => !capture.space.find(arch.rawSp(t.rawRegs!)))) capture.space = rereadMaps(request.procDir, capture.space);
    const windows = group.map((t) => stackWindow(capture.space, arch.rawSp(t.rawRegs!), arch.rawThreadPointer(t.rawRegs!), stackBytes));
    const copies = memory.readRanges(windows, store.subarray(storeUsed));
    group.forEach((t, i) => capture.stacks.set(t.tid, { start: windows[i].address, bytes: copies[i] }));
    storeUsed += copies.reduce((n, c) => n + c.length, 0);
    capture.threads.push(...group);
  };
  const release = (group: StoppedThread[]) => {
    copyStacks(group);
    tracer.detach(group.map((t) => t.tid));
  };

  let capturedAt: bigint | undefined;
  const boost = request.boost && !request.boosted ? boostPriority() : undefined;
  try {
    // More running threads than CPUs keep the blocked ones, woken by the interrupt, from reaching their
    // stop: 750 spinning threads on 2 CPUs made stopping 2,250 blocked ones take 3 s. Stopping the
    // runners first frees the CPUs; their own pause grows, everyone's shrinks.
    const runnersFirst = running.size > availableParallelism();
    tracer.stopAll(initial, zombies, slow, request.slowThreadDeadlineMs, running, runnersFirst);
    request.whileStopped?.();
    if (request.beforeRelease) {
      copyStacks(tracer.readRegisters());
      request.beforeRelease(capture);
    } else {
      // Every thread has been stopped at once (allStoppedAt), and a stopped thread's state cannot change:
      // so threads can be released as soon as their own copy is taken without changing what is captured.
      // Running threads go first, since they are the ones that notice a stop; blocked threads sit in
      // their syscall either way.
      release(tracer.readRegisters([...running]));
      const rest = tracer.readRegisters([...tracer.stopped.keys()].filter((tid) => !running.has(tid)));
      release(rest.filter((t) => !arch.rawBlockedInSyscall(t.rawRegs!)));
      copyStacks(rest.filter((t) => arch.rawBlockedInSyscall(t.rawRegs!)));
    }
    capturedAt = process.hrtime.bigint();
  } finally {
    tracer.detachAll();
    boost?.end();
  }

  const runners = capture.threads.filter((t) => !arch.rawBlockedInSyscall(t.rawRegs!)).map((t) => t.tid);
  capture.timing = {
    pauseMs: ms(tracer.firstInterruptAt, tracer.lastDetachAt),
    runningPauseMs: tracer.longestHoldMs(runners),
    stopMs: ms(tracer.firstInterruptAt, tracer.allStoppedAt),
    captureMs: ms(tracer.allStoppedAt, capturedAt),
    resumeMs: ms(capturedAt, tracer.lastDetachAt),
    bytesCopied: storeUsed,
    readCalls: memory.calls,
    boosted: request.boosted || (boost?.active ?? false),
  };
  return capture;
}

/** The maps as they are now; the old ones if the process is gone meanwhile. */
function rereadMaps(procDir: string, space: AddressSpace): AddressSpace {
  try {
    return new AddressSpace(readMaps(procDir));
  } catch {
    return space;
  }
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
