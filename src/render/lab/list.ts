/** `tasklens lab list`: the catalog as text and as JSON-ready data. */
import type { Palette } from '../color.js';
import type { LabDefinition } from '../../lab/types.js';
import { wrap } from './points.js';

/** The catalog row as data (no functions, no regular expressions). */
export function labToJSON(lab: LabDefinition): Record<string, unknown> {
  return {
    id: lab.id,
    title: lab.title,
    teaches: lab.teaches,
    programs: lab.programs.map((p) => ({ name: p.name, source: `labs/${lab.id}/${p.source}`, does: p.does, args: p.args ?? [] })),
    notice: lab.notice,
    command: `tasklens lab ${lab.id}`,
  };
}

export function renderLabListText(labs: readonly LabDefinition[], options: { palette: Palette; width?: number }): string {
  const c = options.palette;
  const width = Math.min(options.width ?? 100, 100);
  const idWidth = Math.max(...labs.map((l) => l.id.length));
  const indent = ' '.repeat(idWidth + 4);
  const out = [c.bold(`${labs.length} lab${labs.length === 1 ? '' : 's'}: run one with tasklens lab NAME`), ''];
  for (const lab of labs) {
    out.push(`  ${c.bold(c.cyan(lab.id.padEnd(idWidth)))}  ${lab.title}`);
    for (const p of lab.programs) out.push(`${indent}${c.dim(`labs/${lab.id}/${p.source}`)}: ${p.does}`);
    for (const n of lab.notice) out.push(...wrap(`• ${n}`, width, `${indent}  `).map((l, i) => (i === 0 ? indent + l : l)));
    out.push('');
  }
  return out.join('\n');
}
