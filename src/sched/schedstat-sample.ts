/**
 * Scheduling delay without privileges: `/proc/PID/task/TID/schedstat` (run time, run-queue wait,
 * timeslices; world-readable, CONFIG_SCHED_INFO) read twice, an interval apart. The difference gives
 * each thread's share of the interval spent waiting for a CPU and its average wait per slice; it is
 * the kernel's own run_delay sum (exact totals), but has no maximum and no histogram: those need
 * tracing.
 */
import { readFileSync } from 'node:fs';
import { listPids, listTids } from '../procfs/listing.js';
import { parseSchedStat, type SchedStat } from '../procfs/schedstat.js';

export interface SchedstatReading {
  pid: number;
  tid: number;
  comm: string;
  stat: SchedStat;
}

export interface ThreadWait {
  pid: number;
  tid: number;
  comm: string;
  /** Deltas over the interval (nanoseconds as bigint, like the counters). */
  runNs: bigint;
  waitNs: bigint;
  slices: number;
  intervalNs: bigint;
  /** Waiting for a CPU, as a percentage of the interval. */
  waitPercent: number;
  /** Average wait per timeslice in ns (undefined without a slice). */
  avgWaitNs?: number;
  /**
   * Runnable through the whole sample without running once. The kernel adds a wait to run_delay only
   * when the thread gets a CPU, so its counters did not move: the wait is taken as the interval (at least).
   */
  waitedWholeSample?: boolean;
}

function readOne(pid: number, tid: number, root: string): SchedstatReading | undefined {
  try {
    const stat = parseSchedStat(readFileSync(`${root}/${pid}/task/${tid}/schedstat`, 'latin1'));
    if (!stat) return undefined;
    const comm = readFileSync(`${root}/${pid}/task/${tid}/comm`, 'utf8').replace(/\n$/, '');
    return { pid, tid, comm, stat };
  } catch {
    return undefined; // exited between listing and reading
  }
}

/** schedstat of every thread of these processes (every process when pids is undefined). */
export function readSchedstats(pids?: readonly number[], root = '/proc'): Map<number, SchedstatReading> {
  const out = new Map<number, SchedstatReading>();
  for (const pid of pids ?? listPids(root)) {
    for (const tid of listTids(pid, root) ?? []) {
      const r = readOne(pid, tid, root);
      if (r) out.set(tid, r);
    }
  }
  return out;
}

/** The state letter of a task (field 3 of its stat), or undefined when it is gone. */
export function taskState(pid: number, tid: number, root = '/proc'): string | undefined {
  try {
    const stat = readFileSync(`${root}/${pid}/task/${tid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Per-thread waits between two readings taken intervalNs apart; threads present in both only.
 * `stateOf` is asked only for a thread whose counters did not move, to tell a starved runnable
 * thread (state R) from a sleeping one.
 */
export function schedstatDeltas(
  before: Map<number, SchedstatReading>,
  after: Map<number, SchedstatReading>,
  intervalNs: bigint,
  stateOf: (pid: number, tid: number) => string | undefined = taskState,
): ThreadWait[] {
  const out: ThreadWait[] = [];
  for (const [tid, b] of after) {
    const a = before.get(tid);
    if (!a) continue;
    const runNs = b.stat.runNs - a.stat.runNs;
    const waitNs = b.stat.waitNs - a.stat.waitNs;
    const slices = b.stat.timeslices - a.stat.timeslices;
    if (slices === 0 && runNs === 0n && waitNs === 0n && stateOf(b.pid, tid) === 'R') {
      out.push({ pid: b.pid, tid, comm: b.comm, runNs, waitNs: intervalNs, slices, intervalNs, waitPercent: 100, waitedWholeSample: true });
      continue;
    }
    out.push({
      pid: b.pid,
      tid,
      comm: b.comm,
      runNs,
      waitNs,
      slices,
      intervalNs,
      waitPercent: intervalNs > 0n ? (Number(waitNs) / Number(intervalNs)) * 100 : 0,
      ...(slices > 0 ? { avgWaitNs: Number(waitNs) / slices } : {}),
    });
  }
  return out.sort((x, y) => (y.waitNs > x.waitNs ? 1 : y.waitNs < x.waitNs ? -1 : x.tid - y.tid));
}

/** Samples the threads of `pids` (all when undefined) over intervalMs. */
export async function sampleSchedstat(pids: readonly number[] | undefined, intervalMs: number): Promise<ThreadWait[]> {
  const t0 = process.hrtime.bigint();
  const before = readSchedstats(pids);
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
  const after = readSchedstats(pids);
  return schedstatDeltas(before, after, process.hrtime.bigint() - t0);
}
