/**
 * Scheduling-latency analysis over a stream of sched records, with memory bounded by the number of
 * tasks and CPUs (never by the length of the recording).
 *
 * A wait is counted the way `perf sched latency` counts it (tools/perf/builtin-sched.c), so the two
 * agree on the same file: a task switched out runnable (`R`, `R+`) waits from that moment; a task
 * switched out sleeping waits from its first wakeup (`sched_waking`, `sched_wakeup` or
 * `sched_wakeup_new`, whichever comes first); the wait ends when it is switched in. A task first seen
 * being switched in counts one wait of 0 (perf adds an initial runnable atom there). Waits are kept
 * per TID; `perf sched latency` merges them per comm unless given `-p`.
 *
 * Times inside a recording are nanoseconds from its first event, as JS numbers (exact for spans
 * under 104 days); absolute timestamps are rebuilt with bigint when reported.
 */
import type { SchedRecord, TraceTime } from './records.js';
import { latencyByComm, type CommLatency } from './by-comm.js';

/** Histogram buckets: [0] < 1 µs, [i] from 2^(i-1) to 2^i µs, the last is open-ended. */
export const HISTOGRAM_BUCKETS = 26;

export type WaitCause = 'wakeup' | 'preempted' | 'first-seen';

export interface TaskLatency {
  tid: number;
  /** Thread group, when an event ran in the task's context (absent for a task only ever switched in). */
  tgid?: number;
  comm: string;
  /** Nanoseconds on a CPU between switch-in and switch-out inside the window. */
  runtimeNs: number;
  /** Waits measured (perf sched latency's "Switches"). */
  switches: number;
  wakeupWaits: number;
  preemptedWaits: number;
  totalDelayNs: number;
  avgDelayNs: number;
  maxDelayNs: number;
  /** When the longest wait began and ended (absolute trace timestamps, `sec.nsec`). */
  maxDelayStart?: string;
  maxDelayEnd?: string;
  /** Lines of the perf script output where the longest wait began (wakeup or switch-out) and ended (switch-in). */
  maxDelayLines?: { start: number; end: number };
  /** The CPU the longest wait ended on and who held it meanwhile (see WaitEvent.ranInstead). */
  maxDelayCpu?: number;
  maxDelayRanInstead?: RanInstead[];
  migrations: number;
  /** Count of waits per bucket (see HISTOGRAM_BUCKETS). */
  histogram: number[];
}

export interface RanInstead {
  tid: number;
  tgid?: number;
  comm: string;
  /** Nanoseconds of the wait during which this task held the CPU. */
  ns: number;
}

export interface WaitEvent {
  tid: number;
  tgid?: number;
  comm: string;
  delayNs: number;
  cause: WaitCause;
  /** Absolute trace timestamps: when the wait began (wakeup or switch-out) and when the task ran. */
  start: string;
  end: string;
  /** Lines of the perf script output: the wakeup or switch-out that began the wait, the switch-in that ended it. */
  startLine: number;
  endLine: number;
  cpu: number;
  /** Tasks that ran on that CPU during the wait, oldest first (tid 0 is the idle task). */
  ranInstead: RanInstead[];
  /** False when the CPU switched more often during the wait than the history kept (RING) covers. */
  ranInsteadComplete: boolean;
}

export interface CpuUsage {
  cpu: number;
  /** Nanoseconds from the CPU's first switch to the end of the window, and the busy (non-idle) part. */
  spanNs: number;
  busyNs: number;
  utilisation: number;
  switches: number;
}

export interface SchedAnalysis {
  /** Absolute trace timestamps of the first and last event, and the span in ns. */
  start?: string;
  end?: string;
  spanNs: number;
  /** Lines of the first and last event read (0 when none). */
  firstLine: number;
  lastLine: number;
  events: number;
  /** Lines that could not be read (with the first few reasons). */
  unknownLines: number;
  unknownSamples: Array<{ line: number; reason: string }>;
  /** Wakeups that came before the task's switch-out in time (perf's "unordered timestamps"). */
  unorderedWakeups: number;
  tasks: TaskLatency[];
  /** The same tasks merged by comm (perf sched latency's default view). */
  comms: CommLatency[];
  top: WaitEvent[];
  cpus: CpuUsage[];
}

export interface AnalysisOptions {
  /** How many of the longest waits to keep (default 10). */
  top?: number;
  /**
   * Keep only these processes and what they create: a task belongs when its TGID or TID is listed,
   * or a member created it (sched_process_fork). Without it every task is kept.
   */
  follow?: Iterable<number>;
  /**
   * Which wakeup tracepoints start a wait (default all three). perf 6.1's `perf sched latency`
   * ignores `sched_waking`, which `perf sched record` records instead of `sched_wakeup`: on such
   * a file it measures only preemption waits; ['sched_wakeup', 'sched_wakeup_new'] reproduces it.
   */
  wakeupEvents?: Iterable<'sched_waking' | 'sched_wakeup' | 'sched_wakeup_new'>;
  /**
   * The `prev_state` texts of a task switched out still runnable, whose wait starts at the switch
   * (default `R` and `R+`, preempted). perf 6.1 indexes a state string with the raw value, so only
   * `R` (0) counts there: ['R'] reproduces it.
   */
  runnableStates?: Iterable<string>;
}

const SLEEPING = 0;
const WAIT_CPU = 1;
const SCHED_IN = 2;
const IGNORED = 3;
const RING = 128;

interface TaskState {
  tid: number;
  tgid?: number;
  comm: string;
  atom: number;
  outAt: number;
  waitFrom: number;
  waitFromLine: number;
  cause: WaitCause;
  stats: TaskLatency;
  maxStartRel: number;
  maxEndRel: number;
  maxLines?: { start: number; end: number };
  maxCpu?: number;
  maxRanInstead?: RanInstead[];
}

interface CpuState {
  current: number;
  since: number;
  firstSwitch: number;
  busyNs: number;
  switches: number;
  /** Last RING switch-ins: tid and time, a circular buffer. */
  ringTid: Int32Array;
  ringAt: Float64Array;
  ringLen: number;
  ringHead: number;
}

function bucketOf(ns: number): number {
  const us = ns / 1000;
  if (us < 1) return 0;
  const b = Math.floor(Math.log2(us)) + 1;
  return b >= HISTOGRAM_BUCKETS ? HISTOGRAM_BUCKETS - 1 : b;
}

/** The lower bound of a histogram bucket in µs (0, 1, 2, 4, ...). */
export function bucketLowerUs(bucket: number): number {
  return bucket === 0 ? 0 : 2 ** (bucket - 1);
}

export class SchedAnalyzer {
  private readonly topN: number;
  private readonly members?: Set<number>;
  private readonly tasks = new Map<number, TaskState>();
  private readonly cpus = new Map<number, CpuState>();
  private readonly top: WaitEvent[] = [];
  private baseSec = 0;
  private baseNsec = 0;
  private started = false;
  private last = 0;
  private events = 0;
  private firstLine = 0;
  private lastLine = 0;
  private unknownLines = 0;
  private readonly unknownSamples: Array<{ line: number; reason: string }> = [];
  private unordered = 0;
  private readonly migrations = new Map<number, number>();
  private readonly wakeupEvents: Set<string>;
  private readonly runnable: Set<string>;

  constructor(options: AnalysisOptions = {}) {
    this.topN = options.top ?? 10;
    if (options.follow) this.members = new Set(options.follow);
    this.runnable = new Set(options.runnableStates ?? ['R', 'R+']);
    this.wakeupEvents = new Set(options.wakeupEvents ?? ['sched_waking', 'sched_wakeup', 'sched_wakeup_new']);
  }

  private rel(time: TraceTime): number {
    if (!this.started) {
      this.started = true;
      this.baseSec = time.sec;
      this.baseNsec = time.nsec;
    }
    return (time.sec - this.baseSec) * 1e9 + (time.nsec - this.baseNsec);
  }

  private abs(rel: number): string {
    const ns = BigInt(this.baseSec) * 1_000_000_000n + BigInt(this.baseNsec) + BigInt(Math.round(rel));
    const sec = ns / 1_000_000_000n;
    return `${sec}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`;
  }

  private create(tid: number, comm: string): TaskState {
    const state: TaskState = {
      tid,
      comm,
      atom: SLEEPING,
      outAt: 0,
      waitFrom: 0,
      waitFromLine: 0,
      cause: 'wakeup',
      maxStartRel: 0,
      maxEndRel: 0,
      stats: {
        tid,
        comm,
        runtimeNs: 0,
        switches: 0,
        wakeupWaits: 0,
        preemptedWaits: 0,
        totalDelayNs: 0,
        avgDelayNs: 0,
        maxDelayNs: 0,
        migrations: 0,
        histogram: new Array<number>(HISTOGRAM_BUCKETS).fill(0),
      },
    };
    this.tasks.set(tid, state);
    return state;
  }

  private cpu(cpu: number, at: number): CpuState {
    let state = this.cpus.get(cpu);
    if (!state) {
      state = { current: -1, since: at, firstSwitch: at, busyNs: 0, switches: 0, ringTid: new Int32Array(RING), ringAt: new Float64Array(RING), ringLen: 0, ringHead: 0 };
      this.cpus.set(cpu, state);
    }
    return state;
  }

  private isMember(tid: number, tgid?: number): boolean {
    if (!this.members) return true;
    return this.members.has(tid) || (tgid !== undefined && this.members.has(tgid));
  }

  /** Feeds one record (in the order perf script prints them: time order). */
  add(record: SchedRecord): void {
    if (record.kind === 'unknown') {
      this.unknownLines++;
      if (this.unknownSamples.length < 5) this.unknownSamples.push({ line: record.line, reason: record.reason });
      return;
    }
    this.events++;
    if (this.firstLine === 0) this.firstLine = record.line;
    this.lastLine = record.line;
    const at = this.rel(record.time);
    if (at > this.last) this.last = at;
    // The current task of the sample: its TGID is known from here on.
    const { currentPid, currentTid } = record;
    if (currentTid !== undefined && currentPid !== undefined && currentTid !== 0) {
      const t = this.tasks.get(currentTid);
      if (t && t.tgid === undefined) t.tgid = currentPid;
      if (this.members && this.members.has(currentPid)) this.members.add(currentTid);
    }
    switch (record.kind) {
      case 'switch':
        this.onSwitch(record.line, record.cpu, at, record.prevPid, record.prevComm, record.prevState, record.nextPid, record.nextComm, record.currentPid);
        break;
      case 'wakeup': {
        if (!this.wakeupEvents.has(record.event)) break;
        let t = this.tasks.get(record.pid);
        if (!t) {
          t = this.create(record.pid, record.comm);
          t.outAt = at; // perf: an initial sleeping atom at the wakeup
        }
        if (t.atom !== SLEEPING) break; // already runnable: a wakeup of a queued task changes nothing
        if (t.outAt > at) {
          this.unordered++;
          break;
        }
        t.atom = WAIT_CPU;
        t.waitFrom = at;
        t.waitFromLine = record.line;
        t.cause = 'wakeup';
        break;
      }
      case 'runtime': {
        // perf creates a runnable atom for a task first seen running; it is replaced at its switch-out.
        if (!this.tasks.has(record.pid)) {
          const t = this.create(record.pid, record.comm);
          t.atom = WAIT_CPU;
          t.waitFrom = at;
          t.waitFromLine = record.line;
          t.outAt = at;
          t.cause = 'first-seen';
        }
        break;
      }
      case 'migrate':
        // Counted aside: creating the task here would change when perf's "first seen" rule applies.
        this.migrations.set(record.pid, (this.migrations.get(record.pid) ?? 0) + 1);
        break;
      case 'fork':
        if (this.members && (this.members.has(record.parentPid) || (record.currentPid !== undefined && this.members.has(record.currentPid)))) this.members.add(record.childPid);
        break;
      default:
        break;
    }
  }

  private onSwitch(line: number, cpuId: number, at: number, prevPid: number, prevComm: string, prevState: string, nextPid: number, nextComm: string, samplePid?: number): void {
    const cpu = this.cpu(cpuId, at);
    // Runtime of the task leaving, when its switch-in on this CPU was seen.
    if (cpu.current === prevPid && cpu.current >= 0) {
      const ran = at - cpu.since;
      if (prevPid !== 0) {
        cpu.busyNs += ran;
        const p = this.tasks.get(prevPid);
        if (p) p.stats.runtimeNs += ran;
      }
    } else if (cpu.current < 0) {
      cpu.firstSwitch = at;
    }
    cpu.switches++;
    // Switch-out.
    const out = this.tasks.get(prevPid) ?? this.create(prevPid, prevComm);
    out.comm = prevComm || out.comm;
    if (samplePid !== undefined && out.tgid === undefined && prevPid !== 0) out.tgid = samplePid;
    out.outAt = at;
    if (this.runnable.has(prevState)) {
      out.atom = WAIT_CPU;
      out.waitFrom = at;
      out.waitFromLine = line;
      out.cause = 'preempted';
    } else {
      out.atom = SLEEPING;
    }
    // Switch-in.
    let next = this.tasks.get(nextPid);
    if (!next) {
      next = this.create(nextPid, nextComm);
      next.atom = WAIT_CPU;
      next.waitFrom = at;
      next.waitFromLine = line;
      next.outAt = at;
      next.cause = 'first-seen';
    }
    if (nextComm) next.comm = nextComm;
    if (next.atom === WAIT_CPU) {
      if (at < next.waitFrom) next.atom = IGNORED;
      else {
        next.atom = SCHED_IN;
        this.recordWait(next, at - next.waitFrom, at, line, cpuId, cpu);
      }
    }
    // The CPU's history, for "what ran instead".
    cpu.ringTid[cpu.ringHead] = nextPid;
    cpu.ringAt[cpu.ringHead] = at;
    cpu.ringHead = (cpu.ringHead + 1) % RING;
    if (cpu.ringLen < RING) cpu.ringLen++;
    cpu.current = nextPid;
    cpu.since = at;
  }

  private recordWait(t: TaskState, delay: number, at: number, line: number, cpuId: number, cpu: CpuState): void {
    const s = t.stats;
    s.switches++;
    s.totalDelayNs += delay;
    if (t.cause === 'wakeup') s.wakeupWaits++;
    else if (t.cause === 'preempted') s.preemptedWaits++;
    s.histogram[bucketOf(delay)]++;
    if (delay > s.maxDelayNs) {
      s.maxDelayNs = delay;
      t.maxStartRel = t.waitFrom;
      t.maxEndRel = at;
      t.maxLines = { start: t.waitFromLine, end: line };
      t.maxCpu = cpuId;
      // Rare (each new maximum of a task): the walk over the CPU's recent switches is affordable.
      t.maxRanInstead = delay > 0 ? this.ranInstead(cpu, t.waitFrom, at).ranInstead : [];
    }
    if (t.tid === 0 || !this.isMember(t.tid, t.tgid)) return;
    if (this.top.length === this.topN && delay <= this.top[this.top.length - 1].delayNs) return;
    if (this.topN === 0) return;
    const { ranInstead, complete } = this.ranInstead(cpu, t.waitFrom, at);
    const event: WaitEvent = {
      tid: t.tid,
      ...(t.tgid !== undefined ? { tgid: t.tgid } : {}),
      comm: t.comm,
      delayNs: delay,
      cause: t.cause,
      start: this.abs(t.waitFrom),
      end: this.abs(at),
      startLine: t.waitFromLine,
      endLine: line,
      cpu: cpuId,
      ranInstead,
      ranInsteadComplete: complete,
    };
    let i = this.top.length;
    while (i > 0 && this.top[i - 1].delayNs < delay) i--;
    this.top.splice(i, 0, event);
    if (this.top.length > this.topN) this.top.pop();
  }

  /** The tasks that held `cpu` between `from` and `to` (before the switch-in at `to` is pushed). */
  private ranInstead(cpu: CpuState, from: number, to: number): { ranInstead: RanInstead[]; complete: boolean } {
    const segments: RanInstead[] = [];
    let end = to;
    let complete = false;
    for (let k = 1; k <= cpu.ringLen; k++) {
      const idx = (cpu.ringHead - k + RING) % RING;
      const start = cpu.ringAt[idx];
      const tid = cpu.ringTid[idx];
      const overlap = end - Math.max(start, from);
      if (overlap > 0) {
        const holder = this.tasks.get(tid);
        segments.push({ tid, ...(holder?.tgid !== undefined ? { tgid: holder.tgid } : {}), comm: tid === 0 ? 'idle' : (holder?.comm ?? ''), ns: overlap });
      }
      end = start;
      if (start <= from) {
        complete = true;
        break;
      }
    }
    // Merge repeated holders, keep order of first appearance (oldest first).
    segments.reverse();
    const merged: RanInstead[] = [];
    for (const s of segments) {
      const same = merged.find((m) => m.tid === s.tid);
      if (same) same.ns += s.ns;
      else merged.push({ ...s });
    }
    return { ranInstead: merged, complete };
  }

  /** The analysis so far (the tasks still on a CPU are charged up to the last event). */
  result(): SchedAnalysis {
    const tasks: TaskLatency[] = [];
    const cpus: CpuUsage[] = [];
    for (const [id, cpu] of [...this.cpus].sort((a, b) => a[0] - b[0])) {
      let busy = cpu.busyNs;
      if (cpu.current > 0) {
        const open = this.last - cpu.since;
        busy += open;
      }
      const span = this.last - cpu.firstSwitch;
      cpus.push({ cpu: id, spanNs: span, busyNs: busy, utilisation: span > 0 ? busy / span : 0, switches: cpu.switches });
    }
    const open = new Map<number, number>();
    for (const cpu of this.cpus.values()) if (cpu.current > 0) open.set(cpu.current, (open.get(cpu.current) ?? 0) + (this.last - cpu.since));
    for (const t of this.tasks.values()) {
      if (t.tid === 0 || !this.isMember(t.tid, t.tgid)) continue;
      const s = t.stats;
      const runtime = s.runtimeNs + (open.get(t.tid) ?? 0);
      if (s.switches === 0 && runtime === 0) continue;
      tasks.push({
        ...s,
        ...(t.tgid !== undefined ? { tgid: t.tgid } : {}),
        comm: t.comm,
        runtimeNs: runtime,
        migrations: this.migrations.get(t.tid) ?? 0,
        avgDelayNs: s.switches ? s.totalDelayNs / s.switches : 0,
        ...(s.switches ? { maxDelayStart: this.abs(t.maxStartRel), maxDelayEnd: this.abs(t.maxEndRel) } : {}),
        ...(s.switches && t.maxLines ? { maxDelayLines: { ...t.maxLines } } : {}),
        ...(s.switches && t.maxCpu !== undefined ? { maxDelayCpu: t.maxCpu, maxDelayRanInstead: (t.maxRanInstead ?? []).map((r) => ({ ...r })) } : {}),
        histogram: [...s.histogram],
      });
    }
    tasks.sort((a, b) => b.maxDelayNs - a.maxDelayNs || b.avgDelayNs - a.avgDelayNs || a.tid - b.tid);
    return {
      ...(this.started ? { start: this.abs(0), end: this.abs(this.last) } : {}),
      spanNs: this.last,
      firstLine: this.firstLine,
      lastLine: this.lastLine,
      events: this.events,
      unknownLines: this.unknownLines,
      unknownSamples: [...this.unknownSamples],
      unorderedWakeups: this.unordered,
      tasks,
      comms: latencyByComm(tasks),
      top: this.top.map((w) => ({ ...w, ranInstead: w.ranInstead.map((r) => ({ ...r })) })),
      cpus,
    };
  }
}
