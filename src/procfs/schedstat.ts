/**
 * /proc/PID/task/TID/schedstat (Documentation/scheduler/sched-stats.rst): time on a CPU, time spent
 * runnable but waiting in a run queue (the scheduling delay), and the number of timeslices. World-readable.
 */
export interface SchedStat {
  /** Nanoseconds running on a CPU. */
  runNs: bigint;
  /** Nanoseconds runnable but waiting for a CPU. */
  waitNs: bigint;
  timeslices: number;
}

export function parseSchedStat(text: string): SchedStat | undefined {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 3 || !parts.every((p) => /^\d+$/.test(p))) return undefined;
  return { runNs: BigInt(parts[0]), waitNs: BigInt(parts[1]), timeslices: Number(parts[2]) };
}
