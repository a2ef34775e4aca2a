/**
 * Benchmark harness: each benchmark measures tasklens against a baseline in the same run (machines are
 * noisy; absolute times mean little) and reports a ratio with its target.
 */
export interface BenchResult {
  /** What was measured, e.g. `parse throughput (146 MB log)`. */
  name: string;
  /** Our measurement and its unit. */
  value: number;
  unit: string;
  /** The baseline measured in the same run, e.g. a raw newline scan or `ps -eLf`. */
  baseline?: { name: string; value: number; unit: string };
  /** value / baseline.value (or as the benchmark defines it; `ratioMeaning` says how to read it). */
  ratio?: number;
  ratioMeaning?: string;
  /** Target in words, e.g. `<= 0.75x ps -eLf`, and whether this run met it. */
  target?: string;
  met?: boolean;
  notes?: string;
}

export interface Benchmark {
  name: string;
  description: string;
  run(progress: (message: string) => void): Promise<BenchResult[]>;
}

/** Seconds one synchronous run of `work` takes. */
export function secondsOf(work: () => unknown): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The fastest of `runs` runs, in seconds: the run least disturbed by the rest of the machine. */
export function timeBest(runs: number, work: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, secondsOf(work));
  return best;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function formatResult(result: BenchResult): string {
  const value = `${round(result.value)} ${result.unit}`;
  const base = result.baseline ? `; baseline ${result.baseline.name}: ${round(result.baseline.value)} ${result.baseline.unit}` : '';
  const ratio = result.ratio === undefined ? '' : `; ratio ${round(result.ratio)}x${result.ratioMeaning ? ` (${result.ratioMeaning})` : ''}`;
  const target = result.target ? `; target ${result.target}: ${result.met ? 'met' : 'NOT met'}` : '';
  const notes = result.notes ? `\n    ${result.notes}` : '';
  return `${result.name}: ${value}${base}${ratio}${target}${notes}`;
}

function round(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  return abs >= 100 ? x.toFixed(0) : abs >= 10 ? x.toFixed(1) : x.toFixed(3);
}
