/** Reads `perf sched latency -p` rows (`comm:tid | runtime | switches | avg | max | ...`) for comparisons. */
export interface PerfLatencyRow {
  comm: string;
  tid: number;
  switches: number;
  avgNs: number;
  maxNs: number;
}

export function parsePerfLatency(text: string): PerfLatencyRow[] {
  const rows: PerfLatencyRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s+(.*):(\d+)\s*\|\s*[\d.]+ ms \|\s*(\d+) \| avg:\s*([\d.]+) ms \| max:\s*([\d.]+) ms/.exec(line);
    if (m) rows.push({ comm: m[1], tid: Number(m[2]), switches: Number(m[3]), avgNs: Number(m[4]) * 1e6, maxNs: Number(m[5]) * 1e6 });
  }
  return rows;
}

/** Within 1% or 1 µs (perf prints milliseconds with three decimals), plus half a printed unit of rounding. */
export function close(ours: number, perf: number): boolean {
  return Math.abs(ours - perf) <= Math.max(1000, perf * 0.01) + 500;
}

/** Reads `perf sched latency` rows without -p: merged per comm, `comm:(N)` for N threads or `comm:tid` for one. */
export interface PerfCommRow {
  comm: string;
  threads: number;
  switches: number;
  avgNs: number;
  maxNs: number;
}

export function parsePerfCommLatency(text: string): PerfCommRow[] {
  const rows: PerfCommRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s+(.*):(?:\((\d+)\)|\d+)\s*\|\s*[\d.]+ ms \|\s*(\d+) \| avg:\s*([\d.]+) ms \| max:\s*([\d.]+) ms/.exec(line);
    if (m) rows.push({ comm: m[1], threads: m[2] ? Number(m[2]) : 1, switches: Number(m[3]), avgNs: Number(m[4]) * 1e6, maxNs: Number(m[5]) * 1e6 });
  }
  return rows;
}
