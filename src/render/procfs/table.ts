/**
 * Aligned text tables: widths from the content, numbers right-aligned, the last column never padded
 * (it holds the long command lines); plus the number formats the live views share.
 */
export interface Column<T> {
  header: string;
  align?: 'left' | 'right';
  /** The cell text for a row. Called twice per row (width pass, output pass) so nothing is retained. */
  value: (row: T) => string;
  /** Colour for a cell, applied after padding so escape codes never skew widths. */
  paint?: (row: T) => ((text: string) => string) | undefined;
}

/**
 * Renders rows in two passes: widths first, then lines. Cells are computed on the fly rather than
 * stored: with thousands of rows, keeping every cell string alive cost more in GC than the formatting.
 */
export function renderTable<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[], paintHeader: (s: string) => string = (s) => s): string {
  const last = columns.length - 1;
  const widths = columns.map((c) => c.header.length);
  for (const row of rows) {
    for (let i = 0; i < last; i++) {
      const length = columns[i].value(row).length;
      if (length > widths[i]) widths[i] = length;
    }
  }
  const pad = (i: number, text: string): string =>
    i === last ? text : columns[i].align === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]);
  const out: string[] = [columns.map((c, i) => paintHeader(pad(i, c.header))).join('  ').trimEnd()];
  // One array join per line: fewer intermediate strings than += (GC dominated cold runs).
  const cells: string[] = new Array(columns.length);
  for (const row of rows) {
    for (let i = 0; i <= last; i++) {
      const column = columns[i];
      const text = pad(i, column.value(row));
      const paint = column.paint?.(row);
      cells[i] = paint ? paint(text) : text;
    }
    out.push(cells.join('  '));
  }
  return `${out.join('\n')}\n`;
}

/** CPU time in ticks (USER_HZ = 100) as M:SS or H:MM:SS. */
export function formatCpu(ticks: number): string {
  const seconds = Math.floor(ticks / 100);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A duration in seconds as the two largest units: 45s, 12m03s, 3h05m, 2d04h. */
export function formatAge(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}

/** Bytes in binary units (one formatter for every view: src/units.ts). */
export { formatBytes } from '../../units.js';

/** Nanoseconds as a human duration: 850ns, 12.3µs, 4.5ms, 2.31s. */
export function formatNs(ns: bigint): string {
  const n = Number(ns);
  if (n < 1_000) return `${n}ns`;
  if (n < 1_000_000) return `${(n / 1_000).toFixed(1)}µs`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(1)}ms`;
  return `${(n / 1_000_000_000).toFixed(2)}s`;
}
