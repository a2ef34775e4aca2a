/** Text rendering of /proc schedstat samples: run-queue wait per thread over the window. */
import type { ThreadWait } from '../../sched/schedstat-sample.js';
import type { Palette } from '../color.js';
import { termSafe } from '../escape.js';
import { formatNs, renderTable, type Column } from '../procfs/table.js';

export function renderSchedstatText(waits: ThreadWait[], options: { palette: Palette; rows?: number }): string {
  const c = options.palette;
  const shown = waits.filter((w) => w.slices > 0 || w.waitNs > 0n).slice(0, options.rows ?? 25);
  const interval = waits[0] ? Number(waits[0].intervalNs) / 1e9 : 0;
  const columns: Array<Column<ThreadWait>> = [
    { header: '    PID', align: 'right', value: (w) => `    ${w.pid}` },
    { header: 'TID', align: 'right', value: (w) => String(w.tid) },
    { header: 'COMM', value: (w) => termSafe(w.comm) },
    { header: 'RUN', align: 'right', value: (w) => formatNs(w.runNs) },
    { header: 'RUNQ WAIT', align: 'right', value: (w) => formatNs(w.waitNs) },
    { header: 'WAIT %', align: 'right', value: (w) => `${w.waitPercent.toFixed(1)}%`, paint: (w) => (w.waitPercent >= 20 ? c.red : w.waitPercent >= 5 ? c.yellow : undefined) },
    { header: 'SLICES', align: 'right', value: (w) => String(w.slices) },
    { header: 'AVG WAIT/SLICE', align: 'right', value: (w) => (w.avgWaitNs === undefined ? '-' : formatNs(BigInt(Math.round(w.avgWaitNs)))) },
  ];
  return `${c.bold('run-queue wait from /proc schedstat')} over ${interval.toFixed(3)} s (sums only: no maximum, no histogram)\n${renderTable(columns, shown, c.dim)}`;
}
