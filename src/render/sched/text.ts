/**
 * Text rendering of a scheduling-latency analysis: per-CPU utilisation, the per-thread table sorted
 * by maximum delay, the longest waits with what ran instead, and the delay histogram of the shown
 * threads. Comms are untrusted (any process names itself): every one goes through termSafe.
 */
import type { SchedAnalysis, TaskLatency, WaitEvent } from '../../sched/analysis.js';
import type { CommLatency } from '../../sched/by-comm.js';
import { bucketLowerUs } from '../../sched/analysis.js';
import type { Palette } from '../color.js';
import { termSafe } from '../escape.js';
import { renderTable, type Column } from '../procfs/table.js';

/** Nanoseconds as milliseconds with microsecond precision, the unit perf sched latency prints. */
export function ms(ns: number): string {
  return `${(ns / 1e6).toFixed(3)} ms`;
}

function who(t: { comm: string; tid: number; tgid?: number }): string {
  return `${termSafe(t.comm)} (${t.tgid ?? '?'}/${t.tid})`;
}

export interface SchedTextOptions {
  palette: Palette;
  /** Table rows at most (default 25). */
  rows?: number;
  /** Where the numbers came from, one line. */
  source: string;
  /** Also the table merged by comm (perf sched latency's default view). */
  byComm?: boolean;
}

export function renderSchedText(a: SchedAnalysis, options: SchedTextOptions): string {
  const c = options.palette;
  const out: string[] = [];
  out.push(`${c.bold('scheduling latency')}: ${termSafe(options.source)}`);
  out.push(`window ${a.start ?? '?'} .. ${a.end ?? '?'} s (${(a.spanNs / 1e9).toFixed(3)} s), ${a.events} events, ${a.cpus.length} CPUs`);
  if (a.unknownLines) out.push(c.yellow(`${a.unknownLines} unreadable lines (first: line ${a.unknownSamples[0]?.line}: ${termSafe(a.unknownSamples[0]?.reason ?? '')})`));
  out.push('');
  out.push(c.bold('CPU utilisation'));
  out.push(
    renderTable(
      [
        { header: '  CPU', align: 'right', value: (u) => `  ${u.cpu}` },
        { header: 'BUSY', align: 'right', value: (u) => `${(u.utilisation * 100).toFixed(1)}%` },
        { header: 'SWITCHES', align: 'right', value: (u) => String(u.switches) },
        { header: 'OVER', value: (u) => `${(u.spanNs / 1e9).toFixed(3)} s` },
      ],
      a.cpus,
      c.dim,
    ).trimEnd(),
  );
  out.push('');
  const limit = options.rows ?? 25;
  const shown = a.tasks.filter((t) => t.switches > 0).slice(0, limit);
  out.push(`${c.bold('Threads by maximum wakeup delay')}${a.tasks.length > shown.length ? c.dim(` (${shown.length} of ${a.tasks.length}; --rows N for more)`) : ''}`);
  const columns: Array<Column<TaskLatency>> = [
    { header: '    PID', align: 'right', value: (t) => `    ${t.tgid ?? '?'}` },
    { header: 'TID', align: 'right', value: (t) => String(t.tid) },
    { header: 'COMM', value: (t) => termSafe(t.comm) },
    { header: 'RUNTIME', align: 'right', value: (t) => ms(t.runtimeNs) },
    { header: 'SWITCHES', align: 'right', value: (t) => String(t.switches) },
    { header: 'WAKEUP/PREEMPT', align: 'right', value: (t) => `${t.wakeupWaits}/${t.preemptedWaits}` },
    { header: 'AVG DELAY', align: 'right', value: (t) => ms(t.avgDelayNs) },
    { header: 'MAX DELAY', align: 'right', value: (t) => ms(t.maxDelayNs), paint: (t) => (t.maxDelayNs >= 10e6 ? c.red : t.maxDelayNs >= 1e6 ? c.yellow : undefined) },
    { header: 'MAX AT', value: (t) => t.maxDelayEnd ?? '-' },
  ];
  out.push(renderTable(columns, shown, c.dim).trimEnd());
  if (options.byComm) {
    const comms = a.comms.filter((t) => t.switches > 0);
    const rows = comms.slice(0, limit);
    out.push('');
    out.push(`${c.bold('By comm (threads of the same name merged, as perf sched latency shows them)')}${comms.length > rows.length ? c.dim(` (${rows.length} of ${comms.length}; --rows N for more)`) : ''}`);
    const commColumns: Array<Column<CommLatency>> = [
      { header: '  COMM', value: (t) => `  ${termSafe(t.comm)}` },
      { header: 'THREADS', align: 'right', value: (t) => String(t.threads) },
      { header: 'RUNTIME', align: 'right', value: (t) => ms(t.runtimeNs) },
      { header: 'SWITCHES', align: 'right', value: (t) => String(t.switches) },
      { header: 'AVG DELAY', align: 'right', value: (t) => ms(t.avgDelayNs) },
      { header: 'MAX DELAY', align: 'right', value: (t) => ms(t.maxDelayNs), paint: (t) => (t.maxDelayNs >= 10e6 ? c.red : t.maxDelayNs >= 1e6 ? c.yellow : undefined) },
      { header: 'IN TID', align: 'right', value: (t) => String(t.maxDelayTid ?? '-') },
      { header: 'MAX AT', value: (t) => t.maxDelayEnd ?? '-' },
    ];
    out.push(renderTable(commColumns, rows, c.dim).trimEnd());
  }
  if (a.top.length) {
    out.push('');
    out.push(c.bold('Longest waits (what ran on that CPU instead)'));
    a.top.forEach((w, i) => out.push(...waitLines(w, i + 1, c)));
  }
  const histogram = combined(shown);
  if (histogram.some((n) => n > 0)) {
    out.push('');
    out.push(c.bold('Delay histogram of these threads'));
    out.push(...histogramLines(histogram));
  }
  return `${out.join('\n')}\n`;
}

function waitLines(w: WaitEvent, n: number, c: Palette): string[] {
  const cause = w.cause === 'wakeup' ? 'woken' : w.cause === 'preempted' ? 'preempted' : 'first seen';
  // The five that held the CPU longest (--json has them all).
  const held = w.ranInstead.filter((r) => r.ns > 0).sort((x, y) => y.ns - x.ns);
  const instead = held.slice(0, 5).map((r) => `${r.tid === 0 ? 'idle' : who(r)} ${ms(r.ns)}`);
  if (held.length > 5) instead.push(`${held.length - 5} more`);
  return [
    `${String(n).padStart(3)}. ${c.bold(ms(w.delayNs))}  ${who(w)} ${cause} at ${w.start}, ran at ${w.end} on CPU ${w.cpu}`,
    `       ran instead: ${instead.join(', ') || '-'}${w.ranInsteadComplete ? '' : ' (and earlier switches not kept)'}`,
  ];
}

function combined(tasks: TaskLatency[]): number[] {
  const sum: number[] = [];
  for (const t of tasks) t.histogram.forEach((n, i) => (sum[i] = (sum[i] ?? 0) + n));
  return sum;
}

function usText(us: number): string {
  return us >= 1000 ? `${Number((us / 1000).toPrecision(3))}ms` : `${us}µs`;
}

/** One line per bucket from the first to the last non-empty one, bars scaled to 40 columns. */
export function histogramLines(histogram: number[]): string[] {
  const first = histogram.findIndex((n) => n > 0);
  let last = histogram.length - 1;
  while (last > 0 && histogram[last] === 0) last--;
  const max = Math.max(...histogram);
  const lines: string[] = [];
  for (let i = first; i <= last; i++) {
    const label = i === histogram.length - 1 ? `>= ${usText(bucketLowerUs(i))}` : `${usText(bucketLowerUs(i))} .. ${usText(bucketLowerUs(i + 1))}`;
    const bar = '#'.repeat(Math.max(histogram[i] > 0 ? 1 : 0, Math.round((histogram[i] / max) * 40)));
    lines.push(`  ${label.padStart(17)}  ${String(histogram[i]).padStart(7)}  ${bar}`);
  }
  return lines;
}
