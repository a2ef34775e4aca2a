/**
 * "The differences that matter": the lab's computed points as text. Each point has a title, one line
 * per program saying what its trace shows (with the trace lines cited under it), an optional grid,
 * and why it matters, wrapped to the width.
 */
import type { Palette } from '../color.js';
import type { Citation, LabPoint, LabTable } from '../../lab/types.js';
import { cut } from '../text.js';
import { termSafe } from '../escape.js';

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
  for (const word of text.split(/\s+/).filter(Boolean).flatMap((w) => splitLong(w, width - indent.length))) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A word longer than a line (a flag list) breaks after its `|` separators. */
function splitLong(word: string, width: number): string[] {
  if (word.length <= width || !word.includes('|')) return [word];
  const out: string[] = [];
  let part = '';
  for (const piece of word.split(/(?<=\|)/)) {
    if (part !== '' && part.length + piece.length > width) {
      out.push(part);
      part = '';
    }
    part += piece;
  }
  if (part !== '') out.push(part);
  return out;
}

export function citationLabel(c: Citation): string {
  return c.endLine !== undefined ? `${c.program}:${c.line}-${c.endLine}` : `${c.program}:${c.line}`;
}

/** A grid; the last column (the prose) wraps under itself instead of running off the line. */
function renderTable(table: LabTable, c: Palette, indent: string, width: number): string[] {
  const rows = table.rows.map((r) => r.map((cell) => termSafe(cell ?? ''))); // cells quote the traces
  const widths = table.columns.map((col, i) => Math.max(col.length, ...rows.map((r) => (r[i] ?? '').length)));
  const last = table.columns.length - 1;
  const lead = indent.length + widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
  const line = (cells: string[]): string[] => {
    const head = indent + cells.slice(0, last).map((cell, i) => cell.padEnd(widths[i])).join('  ') + '  ';
    const prose = wrap(cells[last] ?? '', Math.max(20, width - lead), '');
    return prose.map((text, i) => (i === 0 ? head : ' '.repeat(lead)) + text);
  };
  const out = line(table.columns).map((l) => c.dim(l));
  for (const row of rows) {
    const [first, ...rest] = line(row);
    // Colour the yes cells so the grid reads at a glance.
    out.push(first.replace(/(\s)(yes)(?=\s)/g, (_m, s: string, y: string) => s + c.green(y)), ...rest.map((l) => c.dim(l)));
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
      const body = wrap(termSafe(side.says), prose - head.length, '');
      out.push(`   ${c.cyan(label.padEnd(nameWidth))}  ${body[0]}`);
      for (const more of body.slice(1)) out.push(' '.repeat(head.length) + more);
      for (const cite of side.cites) {
        out.push(c.dim(cut(termSafe(`${' '.repeat(head.length)}${citationLabel(cite).padEnd(12)} ${cite.raw}`), width ?? CITE_MAX)));
      }
    }
    if (point.table) out.push(...renderTable(point.table, c, '   ', prose));
    const why = wrap(termSafe(`why: ${point.why}`), prose - 3, '   ');
    out.push(...why.map((l, i) => c.italic(i === 0 ? `   ${l}` : l)));
    out.push('');
  });
  return out.join('\n');
}
