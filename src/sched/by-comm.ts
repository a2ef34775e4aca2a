/**
 * The per-comm view of `perf sched latency` (its default: threads merged by name), built from the
 * per-thread results: switches and delays add up, the maximum is the largest of the merged threads'
 * and keeps when and in which thread it happened. A thread pool whose threads share one name reads
 * as one row; the per-thread table says which of them waited.
 */
import type { TaskLatency } from './analysis.js';

export interface CommLatency {
  comm: string;
  /** Threads merged into the row (perf prints `comm:(N)` for N > 1). */
  threads: number;
  /** Their TIDs, ascending. */
  tids: number[];
  /** Distinct thread groups among them (absent TGIDs left out). */
  tgids: number[];
  runtimeNs: number;
  switches: number;
  wakeupWaits: number;
  preemptedWaits: number;
  totalDelayNs: number;
  avgDelayNs: number;
  maxDelayNs: number;
  /** The thread that had the longest wait, and when it ended. */
  maxDelayTid?: number;
  maxDelayStart?: string;
  maxDelayEnd?: string;
  migrations: number;
  histogram: number[];
}

/** Merges per-thread latencies by comm, sorted like the thread table (maximum delay, then average). */
export function latencyByComm(tasks: readonly TaskLatency[]): CommLatency[] {
  const rows = new Map<string, CommLatency>();
  for (const t of tasks) {
    let row = rows.get(t.comm);
    if (!row) {
      row = { comm: t.comm, threads: 0, tids: [], tgids: [], runtimeNs: 0, switches: 0, wakeupWaits: 0, preemptedWaits: 0, totalDelayNs: 0, avgDelayNs: 0, maxDelayNs: 0, migrations: 0, histogram: [] };
      rows.set(t.comm, row);
    }
    row.threads++;
    row.tids.push(t.tid);
    if (t.tgid !== undefined && !row.tgids.includes(t.tgid)) row.tgids.push(t.tgid);
    row.runtimeNs += t.runtimeNs;
    row.switches += t.switches;
    row.wakeupWaits += t.wakeupWaits;
    row.preemptedWaits += t.preemptedWaits;
    row.totalDelayNs += t.totalDelayNs;
    row.migrations += t.migrations;
    t.histogram.forEach((n, i) => (row!.histogram[i] = (row!.histogram[i] ?? 0) + n));
    if (t.switches > 0 && (row.maxDelayTid === undefined || t.maxDelayNs > row.maxDelayNs)) {
      row.maxDelayNs = t.maxDelayNs;
      row.maxDelayTid = t.tid;
      row.maxDelayStart = t.maxDelayStart;
      row.maxDelayEnd = t.maxDelayEnd;
    }
  }
  const out = [...rows.values()];
  for (const row of out) {
    row.avgDelayNs = row.switches ? row.totalDelayNs / row.switches : 0;
    row.tids.sort((a, b) => a - b);
    row.tgids.sort((a, b) => a - b);
  }
  return out.sort((a, b) => b.maxDelayNs - a.maxDelayNs || b.avgDelayNs - a.avgDelayNs || (a.comm < b.comm ? -1 : a.comm > b.comm ? 1 : 0));
}
