/**
 * Stopping every thread of a process and letting them all go again. PTRACE_SEIZE attaches without
 * stopping; PTRACE_INTERRUPT then stops each thread, and all threads head for their stop in parallel
 * while we collect the stops. task/ is re-read until no new thread shows up, since a running thread
 * can create one at any moment. Every seized thread is detached on every path; a signal that arrived
 * while a thread was stopped is handed back to it on detach.
 *
 * Nothing here blocks without a bound: stops are collected with waitpid(TID, WNOHANG) polls, short
 * sleeps between rounds, and a deadline. A blocking waitpid on one thread can wait forever: when the
 * process exits, the leader's exit is reported only after every other thread is reaped, and those
 * are ours to reap. So every thread that dies while attached is reaped here, which also lets the
 * target's parent reap the process.
 */
import { arch } from './arch.js';
import { ERRNO, libc, PTRACE, PTRACE_EVENT_STOP, WAIT, waitStatus } from './libc.js';
import { ptraceDenied } from './permissions.js';
import { listTids, processEnding, threadEnding } from './tasks.js';

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
/** Polling: sleep between rounds that collected nothing, from 20 us doubling to 1 ms (a sleep lets the target's threads run to their stop). */
const FIRST_SLEEP_MS = 0.02;
const LONGEST_SLEEP_MS = 1;
/** How long a thread not in uninterruptible sleep may take to stop: generous (hundreds of spinning threads on a loaded machine), but a bound. */
export const STOP_DEADLINE_MS = 10_000;
/** After this long without a stop, look whether the whole process is exiting (then nothing more will stop). */
const EXIT_CHECK_MS = 5;
/** A polling pass ends after this many threads in a row with nothing to report (see sweep). */
const MAX_MISSES = 16;

/** What one waitpid(WNOHANG) poll of a thread found. */
type Poll = { kind: 'stop'; thread: StoppedThread } | { kind: 'exited' } | { kind: 'pending' };

/** Sleeps between polling rounds, longer while nothing happens. */
class Backoff {
  private ms = FIRST_SLEEP_MS;
  after(progress: boolean): void {
    if (progress) {
      this.ms = FIRST_SLEEP_MS;
      return;
    }
    Atomics.wait(pauseCell, 0, 0, this.ms);
    this.ms = Math.min(this.ms * 2, LONGEST_SLEEP_MS);
  }
}

export class Tracer {
  /** Threads we are attached to (stopped or not yet): each leaves this set only when detached or reaped. */
  private readonly seized = new Set<number>();
  private readonly known = new Set<number>();
  readonly stopped = new Map<number, StoppedThread>();
  /** TIDs that were listed but exited before or while we stopped them. */
  readonly vanished = new Set<number>();
  /** TIDs not in the first listing of task/: created while we were stopping the others. */
  readonly appeared: number[] = [];
  /** Threads that ptrace refused individually (e.g. one thread traced by another tool). */
  readonly refused: number[] = [];
  /** Threads that did not stop before their deadline (mostly long uninterruptible sleep). */
  readonly late = new Set<number>();
  /** Threads left attached by detachAll because they never stopped nor exited before its deadline. */
  stuck: number[] = [];
  /** The process was found exiting while we waited for stops: stopping ended early, detachAll reaps what died. */
  exiting = false;
  firstInterruptAt?: bigint;
  allStoppedAt?: bigint;
  lastDetachAt?: bigint;
  private readonly interruptedAt = new Map<number, bigint>();
  private readonly detachedAt = new Map<number, bigint>();
  private readonly c = libc();

  constructor(
    readonly pid: number,
    private readonly stopDeadlineMs = STOP_DEADLINE_MS,
  ) {}

  /**
   * Stops every thread. `skip` holds threads that cannot stop (zombies); `slow` those in D state, which
   * are waited for only until `deadlineMs`; `running` those seen running, which are interrupted
   * last (a blocked thread does not notice a stop, a running one does), or first with `runnersFirst`.
   */
  stopAll(initial: number[], skip: Set<number>, slow: Set<number>, deadlineMs: number, running = new Set<number>(), runnersFirst = false): void {
    for (const tid of initial) this.known.add(tid);
    // Attaching does not stop anything: catch threads created meanwhile before the pause begins.
    let batch = initial.filter((tid) => !skip.has(tid));
    for (let round = 0; batch.length && round < MAX_RESCANS; round++) {
      for (const tid of batch) this.seize(tid);
      batch = this.newThreads();
    }
    // Blocked threads first, and only once they have all stopped the running ones: those then wait for
    // nothing but their own stop.
    // With `runnersFirst` the other way round: see captureThreads.
    const first = [...this.seized].filter((tid) => running.has(tid) === runnersFirst);
    for (const tid of first) this.interrupt(tid);
    this.waitForStops(first, slow, deadlineMs);
    const second = [...this.seized].filter((tid) => running.has(tid) !== runnersFirst);
    for (const tid of second) this.interrupt(tid);
    this.waitForStops(second, slow, deadlineMs);
    // Stopped threads create no threads, but one may have been mid-clone: its child is in task/ already.
    for (let round = 0; round < MAX_RESCANS && !this.exiting; round++) {
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

  /**
   * Resumes the given stopped threads (the ones whose capture is complete). A thread killed while
   * stopped (the process exited) cannot be detached: it stays in `seized` until detachAll reaps it.
   */
  detach(tids: Iterable<number>): void {
    for (const tid of tids) {
      const thread = this.stopped.get(tid);
      if (thread && this.seized.has(tid)) this.detachStopped(tid, thread.signal);
    }
  }

  /**
   * Resumes everything still attached and reaps what died. Safe to call more than once; `stopped`
   * keeps what was captured. Threads that never reached their stop (stuck in uninterruptible sleep)
   * are waited for, now that all the others run again, for at most `lateDeadlineMs`; any still stuck
   * stay attached until tasklens exits, when the kernel detaches them.
   */
  detachAll(lateDeadlineMs = 5000): void {
    this.detach([...this.seized]);
    const deadline = process.hrtime.bigint() + BigInt(lateDeadlineMs) * 1_000_000n;
    let pending = [...this.seized];
    // Interrupt again: a thread seized but never interrupted (an error in between) would never stop.
    for (const tid of pending) this.c.ptrace(PTRACE.INTERRUPT, tid, 0, 0);
    const backoff = new Backoff();
    while (pending.length) {
      const { rest, progress } = this.sweep(pending, (tid, found) => {
        if (found.kind === 'stop') this.detachStopped(tid, found.thread.signal);
        return this.seized.has(tid); // a detach that failed: the thread was killed, its exit comes next
      });
      pending = rest;
      if (!pending.length || process.hrtime.bigint() > deadline) break;
      backoff.after(progress);
    }
    this.stuck = pending;
  }

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

  private detachStopped(tid: number, signal: number): void {
    if (this.c.ptrace(PTRACE.DETACH, tid, 0, signal) !== 0) return; // killed meanwhile: reaped by detachAll
    this.seized.delete(tid);
    this.lastDetachAt = process.hrtime.bigint();
    this.detachedAt.set(tid, this.lastDetachAt);
  }

  private seize(tid: number): void {
    if (this.c.ptrace(PTRACE.SEIZE, tid, 0, 0) === 0) {
      this.seized.add(tid);
      return;
    }
    const errno = this.c.errno();
    // The kernel also answers EPERM for a thread that is exiting: that is no refusal.
    if (errno === ERRNO.ESRCH || (errno === ERRNO.EPERM && threadEnding(this.pid, tid))) this.vanished.add(tid);
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

  /**
   * Collects the stops of `tids` (interrupted already) by polling them: threads in D state until
   * `slowDeadlineMs`, the others until the stop deadline. Those still not stopped count as late.
   */
  private waitForStops(tids: number[], slow: Set<number>, slowDeadlineMs: number): void {
    const started = process.hrtime.bigint();
    const ns = (ms: number) => BigInt(Math.round(ms * 1e6));
    const slowDeadline = started + ns(slowDeadlineMs);
    const deadline = started + ns(this.stopDeadlineMs);
    let queue = tids.filter((tid) => this.seized.has(tid) && !this.stopped.has(tid));
    const backoff = new Backoff();
    let lastNews = started;
    let slowExpired = false;
    while (queue.length && !this.exiting) {
      const { rest, progress } = this.sweep(queue, (tid, found) => {
        if (found.kind === 'stop') this.stopped.set(tid, found.thread);
        return false;
      });
      queue = rest;
      if (!queue.length) break;
      const now = process.hrtime.bigint();
      // An exiting leader is reported only once every other thread is reaped, and threads killed in
      // their stop are reaped by detachAll: waiting here would only run into the deadline.
      if (progress) lastNews = now;
      else if (now - lastNews > ns(EXIT_CHECK_MS)) {
        lastNews = now;
        if (processEnding(this.pid)) this.exiting = true;
      }
      if (!slowExpired && now > slowDeadline) {
        slowExpired = true;
        for (const tid of queue) if (slow.has(tid)) this.late.add(tid);
        queue = queue.filter((tid) => !slow.has(tid));
      }
      if (now > deadline) {
        for (const tid of queue) this.late.add(tid);
        break;
      }
      backoff.after(progress);
    }
  }

  /**
   * One polling pass over `queue`, in order. `found` gets each thread that stopped or exited and says
   * whether to keep polling it. A pass ends after MAX_MISSES threads in a row that have nothing to
   * report, and the next pass starts where this one ended, with the misses at the back: threads stop
   * about in the order they were interrupted, and sweeping the whole list after every stop cost
   * (threads)^2 waitpid calls (3,000 threads: up to 840,000 calls and a second of pause).
   */
  private sweep(queue: number[], found: (tid: number, poll: Poll) => boolean): { rest: number[]; progress: boolean } {
    const missed: number[] = [];
    const kept: number[] = [];
    let misses = 0;
    let progress = false;
    let i = 0;
    for (; i < queue.length && misses < MAX_MISSES; i++) {
      const tid = queue[i];
      const result = this.poll(tid);
      if (result.kind === 'pending') {
        missed.push(tid);
        misses++;
        continue;
      }
      progress = true;
      misses = 0;
      if (found(tid, result)) kept.push(tid);
    }
    return { rest: queue.slice(i).concat(missed, kept), progress };
  }

  /** One waitpid(TID, __WALL | WNOHANG): the thread's stop, its exit (it is reaped and forgotten), or nothing yet. */
  private poll(tid: number): Poll {
    const status = [0];
    for (;;) {
      const r = this.c.waitpid(tid, status, WAIT.__WALL | WAIT.WNOHANG);
      if (r === 0) return { kind: 'pending' };
      if (r < 0) {
        if (this.c.errno() === ERRNO.EINTR) continue;
        this.gone(tid); // ECHILD: not ours any more
        return { kind: 'exited' };
      }
      const s = status[0];
      if (!waitStatus.stopped(s)) {
        this.gone(tid);
        return { kind: 'exited' };
      }
      const signal = waitStatus.stopSignal(s);
      const event = waitStatus.ptraceEvent(s) === PTRACE_EVENT_STOP;
      const kind: StopKind = event ? (signal === SIGTRAP ? 'interrupt' : 'group-stop') : 'signal';
      return { kind: 'stop', thread: { tid, kind, signal: kind === 'signal' ? signal : 0 } };
    }
  }

  private gone(tid: number): void {
    this.seized.delete(tid);
    this.vanished.add(tid);
  }
}
