/**
 * Stopping every thread of a process and letting them all go again. PTRACE_SEIZE attaches without
 * stopping; PTRACE_INTERRUPT then stops each thread, and all threads head for their stop in parallel
 * while we collect the stops one by one with waitpid(__WALL). task/ is re-read until no new thread
 * shows up, since a running thread can create one at any moment. Every seized thread is detached on
 * every path; a signal that arrived while a thread was stopped is handed back to it on detach.
 */
import { arch } from './arch.js';
import { ERRNO, libc, PTRACE, PTRACE_EVENT_STOP, WAIT, waitStatus } from './libc.js';
import { ptraceDenied } from './permissions.js';
import { listTids } from './tasks.js';

/** interrupt: our PTRACE_INTERRUPT; group-stop: the process was already stopped (SIGSTOP); signal: a signal was being delivered. */
export type StopKind = 'interrupt' | 'group-stop' | 'signal';

export interface StoppedThread {
  tid: number;
  kind: StopKind;
  /** For a signal-delivery stop, the signal to hand back on detach. */
  signal: number;
  /** user_regs_struct as the kernel wrote it; decode with arch.decodeRegisters. */
  rawRegs?: Buffer;
}

const SIGTRAP = 5;
/** For Atomics.wait as a sleep. */
const pauseCell = new Int32Array(new SharedArrayBuffer(4));
const MAX_RESCANS = 1000;

export class Tracer {
  /** Threads we are attached to (stopped or not yet). */
  private readonly seized = new Set<number>();
  private readonly known = new Set<number>();
  readonly stopped = new Map<number, StoppedThread>();
  /** TIDs that were listed but exited before or while we stopped them. */
  readonly vanished = new Set<number>();
  /** TIDs not in the first listing of task/: created while we were stopping the others. */
  readonly appeared: number[] = [];
  /** Threads that ptrace refused individually (e.g. one thread traced by another tool). */
  readonly refused: number[] = [];
  /** Threads that did not stop before the deadline (long uninterruptible sleep). */
  readonly late: number[] = [];
  firstInterruptAt?: bigint;
  allStoppedAt?: bigint;
  lastDetachAt?: bigint;
  private readonly interruptedAt = new Map<number, bigint>();
  private readonly detachedAt = new Map<number, bigint>();
  private readonly c = libc();

  constructor(readonly pid: number) {}

  /**
   * Stops every thread. `skip` holds threads that cannot stop (zombies); `slow` those in D state, which
   * are waited for last and only until `deadlineMs`; `running` those seen running, which are interrupted
   * last: a blocked thread does not notice a stop, a running one does.
   */
  stopAll(initial: number[], skip: Set<number>, slow: Set<number>, deadlineMs: number, running = new Set<number>()): void {
    for (const tid of initial) this.known.add(tid);
    // Attaching does not stop anything: catch threads created meanwhile before the pause begins.
    let batch = initial.filter((tid) => !skip.has(tid));
    for (let round = 0; batch.length && round < MAX_RESCANS; round++) {
      for (const tid of batch) this.seize(tid);
      batch = this.newThreads();
    }
    // Blocked threads first, and only once they have all stopped the running ones: those then wait for
    // nothing but their own stop.
    const blocked = [...this.seized].filter((tid) => !running.has(tid));
    for (const tid of blocked) this.interrupt(tid);
    this.waitForStops(blocked, slow, deadlineMs);
    const runners = [...this.seized].filter((tid) => running.has(tid));
    for (const tid of runners) this.interrupt(tid);
    this.waitForStops(runners, slow, deadlineMs);
    // Stopped threads create no threads, but one may have been mid-clone: its child is in task/ already.
    for (let round = 0; round < MAX_RESCANS; round++) {
      batch = this.newThreads();
      if (!batch.length) break;
      for (const tid of batch) this.seize(tid);
      for (const tid of batch) this.interrupt(tid);
      this.waitForStops(batch, slow, deadlineMs);
    }
    this.allStoppedAt = process.hrtime.bigint();
  }

  /**
   * PTRACE_GETREGS for the given stopped threads (default all), raw into one buffer: decoding waits until
   * the threads run again (turning 27 fields into bigints cost more than the system calls). Returns the
   * threads whose registers were read.
   */
  readRegisters(tids?: number[]): StoppedThread[] {
    const threads = tids ? tids.flatMap((tid) => this.stopped.get(tid) ?? []) : [...this.stopped.values()];
    const size = arch.regsSize;
    const raw = Buffer.alloc(threads.length * size);
    threads.forEach((thread, i) => {
      const slot = raw.subarray(i * size, (i + 1) * size);
      if (this.c.ptraceRead(PTRACE.GETREGS, thread.tid, 0, slot) === 0) thread.rawRegs = slot;
    });
    return threads.filter((thread) => thread.rawRegs);
  }

  /** Resumes the given stopped threads (the ones whose capture is complete). */
  detach(tids: Iterable<number>): void {
    for (const tid of tids) {
      const thread = this.stopped.get(tid);
      if (!thread || !this.seized.has(tid)) continue;
      this.c.ptrace(PTRACE.DETACH, tid, 0, thread.signal);
      this.seized.delete(tid);
      this.lastDetachAt = process.hrtime.bigint();
      this.detachedAt.set(tid, this.lastDetachAt);
    }
  }

  /**
   * Resumes everything still attached. Safe to call more than once; `stopped` keeps what was captured.
   * Threads that never reached their stop (stuck in uninterruptible sleep) are waited for, now that all
   * the others run again, for at most `lateDeadlineMs`; any still stuck stay attached until tasklens
   * exits, when the kernel detaches them.
   */
  detachAll(lateDeadlineMs = 5000): void {
    this.detach([...this.seized]);
    const deadline = process.hrtime.bigint() + BigInt(lateDeadlineMs) * 1_000_000n;
    let pending = [...this.seized];
    // Interrupt again: a thread seized but never interrupted (an error in between) would never stop.
    for (const tid of pending) this.c.ptrace(PTRACE.INTERRUPT, tid, 0, 0);
    while (pending.length) {
      pending = pending.filter((tid) => {
        const thread = this.waitOne(tid, false);
        if (thread) this.c.ptrace(PTRACE.DETACH, tid, 0, thread.signal);
        if (thread || !this.seized.has(tid)) {
          this.seized.delete(tid);
          return false;
        }
        return true;
      });
      if (!pending.length || process.hrtime.bigint() > deadline) break;
      Atomics.wait(pauseCell, 0, 0, 1);
    }
    this.stuck = pending;
  }

  /** Threads left attached by detachAll because they never stopped. */
  stuck: number[] = [];

  /** The longest time any of `tids` (default: all) was held, interrupt to detach, in ms. */
  longestHoldMs(tids?: Iterable<number>): number {
    let longest = 0n;
    for (const tid of tids ?? this.detachedAt.keys()) {
      const from = this.interruptedAt.get(tid);
      const to = this.detachedAt.get(tid);
      if (from !== undefined && to !== undefined && to - from > longest) longest = to - from;
    }
    return Number(longest) / 1e6;
  }

  /**
   * Calls each binding once on nothing (pid 0 / our own memory), so that the first real call inside the
   * pause does not pay for koffi's lazy setup.
   */
  warmUp(): void {
    this.c.ptrace(PTRACE.DETACH, 0, 0, 0);
    this.c.ptraceRead(PTRACE.GETREGS, 0, 0, Buffer.alloc(arch.regsSize));
    this.c.waitpid(0x7fffffff, [0], WAIT.__WALL | WAIT.WNOHANG);
    this.c.errno();
  }

  private seize(tid: number): void {
    if (this.c.ptrace(PTRACE.SEIZE, tid, 0, 0) === 0) {
      this.seized.add(tid);
      return;
    }
    const errno = this.c.errno();
    if (errno === ERRNO.ESRCH) this.vanished.add(tid);
    else if (errno === ERRNO.EPERM && this.seized.size === 0) throw ptraceDenied(this.pid);
    else this.refused.push(tid);
  }

  private interrupt(tid: number): void {
    if (!this.seized.has(tid)) return;
    const now = process.hrtime.bigint();
    this.firstInterruptAt ??= now;
    this.interruptedAt.set(tid, now);
    // ESRCH here means the thread is exiting; waitpid will report its exit.
    this.c.ptrace(PTRACE.INTERRUPT, tid, 0, 0);
  }

  private newThreads(): number[] {
    let tids: number[];
    try {
      tids = listTids(this.pid);
    } catch {
      return []; // the whole process exited
    }
    const fresh = tids.filter((tid) => !this.known.has(tid));
    for (const tid of fresh) {
      this.known.add(tid);
      this.appeared.push(tid);
    }
    return fresh;
  }

  /** Collects the stops of `tids` (interrupted already); D-state ones only until the deadline. */
  private waitForStops(tids: number[], slow: Set<number>, deadlineMs: number): void {
    const pending = tids.filter((tid) => this.seized.has(tid) && !this.stopped.has(tid));
    for (const tid of pending) if (!slow.has(tid)) this.waitOne(tid, true);
    const deadline = process.hrtime.bigint() + BigInt(Math.round(deadlineMs * 1e6));
    let waiting = pending.filter((tid) => slow.has(tid) && this.seized.has(tid) && !this.stopped.has(tid));
    while (waiting.length && process.hrtime.bigint() < deadline) {
      waiting = waiting.filter((tid) => !this.waitOne(tid, false) && this.seized.has(tid));
    }
    for (const tid of waiting) if (!this.late.includes(tid)) this.late.push(tid);
  }

  /** Collects one thread's stop; returns it, or undefined if it exited or (non-blocking) has not stopped yet. */
  private waitOne(tid: number, block: boolean): StoppedThread | undefined {
    const status = [0];
    for (;;) {
      const r = this.c.waitpid(tid, status, WAIT.__WALL | (block ? 0 : WAIT.WNOHANG));
      if (r === 0) return undefined;
      if (r < 0) {
        if (this.c.errno() === ERRNO.EINTR) continue;
        this.gone(tid);
        return undefined;
      }
      const s = status[0];
      if (!waitStatus.stopped(s)) {
        this.gone(tid);
        return undefined;
      }
      const signal = waitStatus.stopSignal(s);
      const event = waitStatus.ptraceEvent(s) === PTRACE_EVENT_STOP;
      const kind: StopKind = event ? (signal === SIGTRAP ? 'interrupt' : 'group-stop') : 'signal';
      const thread: StoppedThread = { tid, kind, signal: kind === 'signal' ? signal : 0 };
      this.stopped.set(tid, thread);
      return thread;
    }
  }

  private gone(tid: number): void {
    this.seized.delete(tid);
    this.vanished.add(tid);
  }
}
