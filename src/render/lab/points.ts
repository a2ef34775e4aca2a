/**
 * "The differences that matter": the lab's computed points as text. Each point has a title, one line
 * per program saying what its trace shows (with the trace lines cited under it), an optional grid,
 * and why it matters, wrapped to the width.
 */
import type { Palette } from '../color.js';
import type { Citation, LabPoint, LabTable } from '../../lab/types.js';

export interface PointsTextOptions {
  palette: Palette;
  /** Terminal columns: cited lines and grids are cut to it, prose wraps to it (at most 100). */
  width?: number;
}

const PROSE_MAX = 100;
/** Cited lines are cut even when the output is not a terminal: the log holds them whole. */
const CITE_MAX = 120;

/** Words wrapped to `width` columns, every line after the first indented by `indent`. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Cuts a line to `width` characters with an ellipsis. */
export function cut(text: string, width: number | undefined): string {
  if (width === undefined || text.length <= width) return text;
  return `${text.slice(0, Math.max(0, width - 1))}…`;
}

export function citationLabel(c: Citation): string {
  return c.endLine !== undefined ? `${c.program}:${c.line}-${c.endLine}` : `${c.program}:${c.line}`;
}

function renderTable(table: LabTable, c: Palette, indent: string, width: number | undefined): string[] {
  const widths = table.columns.map((col, i) => Math.max(col.length, ...table.rows.map((r) => (r[i] ?? '').length)));
  const last = table.columns.length - 1;
  const line = (cells: string[]): string => cells.map((cell, i) => (i === last ? cell : cell.padEnd(widths[i]))).join('  ');
  const out = [c.dim(cut(indent + line(table.columns), width))];
  for (const row of table.rows) {
    const text = cut(indent + line(row), width);
    // Colour the yes/- cells so the grid reads at a glance.
    out.push(text.replace(/(\s)(yes)(?=\s)/g, (_m, s: string, y: string) => s + c.green(y)));
  }
  return out;
}

export function renderPointsText(points: LabPoint[], options: PointsTextOptions): string {
  const c = options.palette;
  const width = options.width;
  const prose = Math.min(width ?? PROSE_MAX, PROSE_MAX);
  const names = points.flatMap((p) => p.sides.map((s) => s.label ?? s.program));
  const nameWidth = Math.max(0, ...names.map((n) => n.length));
  const out: string[] = [];
  points.forEach((point, index) => {
    out.push(c.bold(`${index + 1}. ${point.title}`));
    for (const side of point.sides) {
      const label = side.label ?? side.program;
      const head = `   ${label.padEnd(nameWidth)}  `;
      const body = wrap(side.says, prose - head.length, '');
      out.push(`   ${c.cyan(label.padEnd(nameWidth))}  ${body[0]}`);
      for (const more of body.slice(1)) out.push(' '.repeat(head.length) + more);
      for (const cite of side.cites) {
        out.push(c.dim(cut(`${' '.repeat(head.length)}${citationLabel(cite).padEnd(12)} ${cite.raw}`, width ?? CITE_MAX)));
      }
    }
    if (point.table) out.push(...renderTable(point.table, c, '   ', width));
    const why = wrap(`why: ${point.why}`, prose - 3, '   ');
    out.push(...why.map((l, i) => c.italic(i === 0 ? `   ${l}` : l)));
    out.push('');
  });
  return out.join('\n');
}
