/**
 * A lab run as text: a heading with what the lab teaches, then for each program its source, binary,
 * log, what it printed and its explained trace (loader start-up folded unless --all), the task tree
 * for labs about process families, and last "the differences that matter" (for a lab of one program,
 * "what the trace shows").
 */
import { homedir } from 'node:os';
import { relative } from 'node:path';
import type { Palette } from '../color.js';
import { renderExplainedText } from '../explain/index.js';
import { renderTreeText } from '../tree/index.js';
import type { LabRun } from '../../lab/run.js';
import type { ProgramRun } from '../../lab/types.js';
import { focusTrace, type FoldedSpan } from '../../lab/focus.js';
import { LAB_STRACE_FLAGS } from '../../lab/trace.js';
import { packageRoot } from '../../paths.js';
import { renderPointsText, wrap } from './points.js';
import { termSafe } from '../escape.js';
import { plural } from '../../explain/format.js';

export interface LabTextOptions {
  palette: Palette;
  /** Terminal columns; unset: no cutting (prose still wraps at 100). */
  width?: number;
  /** Show every event, the loader start-up included. */
  all?: boolean;
  /** One line per event. */
  brief?: boolean;
}

const PROSE = 100;
/** --brief lines are cut (with an ellipsis) to this width when the output is not a terminal. */
const BRIEF_WIDTH = 120;

/** `/root/.cache/x` -> `~/.cache/x`; paths inside the package relative to it; escaped for a terminal. */
export function displayPath(path: string): string {
  const inPackage = relative(packageRoot, path);
  if (!inPackage.startsWith('..') && !inPackage.startsWith('/')) return termSafe(inPackage);
  const home = safeHome();
  return termSafe(home && home !== '/' && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path);
}

function safeHome(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}

function rule(title: string, c: Palette, width: number): string {
  const head = `━━ ${title} `;
  return c.bold(head + '━'.repeat(Math.max(3, width - head.length)));
}

function foldLine(span: FoldedSpan, c: Palette, width: number | undefined): string[] {
  const lines = span.firstLine === span.lastLine ? `line ${span.firstLine}` : `lines ${span.firstLine}–${span.lastLine}`;
  const head = `${c.dim(String(span.firstLine).padStart(5))} ${c.blue(`┄┄ ${termSafe(span.title)}`)}: ${plural(span.count, 'event')} folded ${c.dim(`(${lines}; --all shows them)`)}`;
  const out = [head];
  if (span.summary) out.push(...wrap(termSafe(span.summary), Math.min(width ?? PROSE, PROSE) - 8, '').map((l) => `      ${c.dim(l)}`));
  return out;
}

function programHeader(run: ProgramRun, index: number, total: number, c: Palette, width: number): string[] {
  const out = [rule(`${index + 1}/${total}  ${run.program.name}: ${run.program.does}`, c, width)];
  const { build, trace } = run;
  const field = (name: string, value: string): string => `   ${c.dim(name.padEnd(7))} ${value}`;
  out.push(field('source', displayPath(run.sourcePath)));
  out.push(field('binary', `${displayPath(build.binary)} ${c.dim(build.cached ? '(cached)' : `(compiled in ${build.compileMs} ms: gcc -O2 -pthread)`)}`));
  const tasks = run.graph.tasks().length;
  const processes = run.graph.processes().length;
  const status = trace.signal ? `killed by ${trace.signal}` : `exit ${trace.exitCode}`;
  const expected = run.program.expectExit ?? 0;
  const statusText = trace.signal || trace.exitCode !== expected ? c.red(termSafe(`${status} (expected ${expected})`)) : c.green(termSafe(status));
  const filter = run.program.traceFilter ? ` -e ${run.program.traceFilter}` : '';
  const launcher = run.program.underRun ? ` tasklens run ${run.program.underRun.join(' ')} --` : '';
  out.push(field('traced', `strace ${LAB_STRACE_FLAGS.join(' ')}${filter}${launcher}: ${run.events.length} events, ${processes} process${processes === 1 ? '' : 'es'}, ${tasks} task${tasks === 1 ? '' : 's'}, ${statusText}, ${trace.wallMs} ms`));
  out.push(field('log', displayPath(trace.log)));
  for (const i of trace.interactions) {
    const what = i.action === 'sigterm' ? `sent SIGTERM to ${i.pid} (${i.result})` : `read /proc/${i.pid}/stat: state ${i.result}${i.result === 'Z' ? ' (zombie)' : ''}`;
    out.push(field('lab', termSafe(`${what} at ${i.atMs} ms`)));
  }
  const printed = trace.stdout.split('\n').filter((l) => l !== '');
  printed.forEach((line, i) => out.push(field(i === 0 ? 'output' : '', c.cyan(termSafe(line)))));
  for (const line of trace.stderr.split('\n').filter((l) => l !== '')) out.push(field('stderr', c.yellow(termSafe(line))));
  return out;
}

function traceLines(run: ProgramRun, options: LabTextOptions): string[] {
  const c = options.palette;
  const out: string[] = [];
  let lastTid: number | undefined;
  for (const segment of focusTrace(run.explained, { all: options.all })) {
    if (segment.kind === 'fold') {
      out.push(...foldLine(segment, c, options.width));
      continue;
    }
    const tid = segment.item.tid;
    // A blank line where the trace switches task keeps interleaved threads readable.
    if (!options.brief && lastTid !== undefined && tid !== undefined && tid !== lastTid) out.push('');
    if (tid !== undefined) lastTid = tid;
    out.push(renderExplainedText(segment.item, { palette: c, brief: options.brief, width: options.brief ? options.width ?? BRIEF_WIDTH : options.width }));
  }
  return out;
}

export function renderLabText(lab: LabRun, options: LabTextOptions): string {
  const c = options.palette;
  const width = Math.min(options.width ?? PROSE, PROSE);
  const out: string[] = [];
  out.push(c.bold(`tasklens lab ${lab.lab.id}`) + c.dim(' · ') + lab.lab.title);
  out.push(...wrap(lab.lab.teaches, width, '').map((l) => c.dim(l)));
  out.push('');
  lab.runs.forEach((run, i) => {
    out.push(...programHeader(run, i, lab.runs.length, c, width));
    out.push('');
    out.push(...traceLines(run, options));
    if (lab.lab.tree) {
      out.push('');
      out.push(renderTreeText(run.graph, { color: c, legend: false }).trimEnd());
    }
    out.push('');
  });
  // "Differences" only where there are two programs to compare; one program gets its findings.
  const several = lab.runs.length > 1;
  out.push(rule(several ? 'the differences that matter' : 'what the trace shows', c, width));
  out.push(c.dim(`   each point is computed from the ${several ? 'traces' : 'trace'} above; program:line cites the line it comes from`));
  out.push('');
  out.push(renderPointsText(lab.points, { palette: c, width: options.width }));
  return out.join('\n');
}
