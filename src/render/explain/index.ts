/**
 * Text rendering of explained events: the event as strace printed it (compacted), the explanation
 * under it, pattern headers above the line where an idiom starts, the task as TGID/TID coloured per
 * process. `brief`: one line per event. Stateless: every function takes all it needs.
 * Everything taken from the log (the call, explanations quoting its paths and argv) is escaped with
 * termSafe before colour is added.
 */
import type { ExplainedEvent, ExplainSummary, PatternMatch } from '../../explain/types.js';
import type { TraceEvent } from '../../parse/types.js';
import type { Palette } from '../color.js';
import { cut } from '../text.js';
import { termSafe } from '../escape.js';
import { clip } from '../../explain/format.js';
import { abiWords } from '../../explain/abi.js';

/** Command lines in the summary's task table are cut (with an ellipsis) to this many characters. */
const MAX_COMMAND = 80;

export interface ExplainTextOptions {
  palette: Palette;
  /** One line per event: the call, then `# explanation`, cut to `width`. */
  brief?: boolean;
  /** Terminal width: brief lines and call lines are cut to it; explanations wrap to it. */
  width?: number;
  /** Also print the detail lines (one per decoded flag, errno meaning, relations). */
  detail?: boolean;
  /** Extra line under the explanation, e.g. `see man 2 openat`. */
  note?: string;
}

const COLOURS = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'] as const;
const INDENT = '      ';

/** `10001` for a process leader, `10001/10003` for another thread, coloured by process. */
export function taskLabel(item: ExplainedEvent, palette: Palette, pad = 12): string {
  if (item.tid === undefined) return ''.padEnd(pad);
  const tgid = item.tgid ?? item.tid;
  const text = (tgid === item.tid ? `${item.tid}` : `${tgid}/${item.tid}`).padEnd(pad);
  return palette[COLOURS[tgid % COLOURS.length]](text);
}

/** The event in strace's own notation, on one line, without the pid/time prefix. */
export function eventText(event: TraceEvent): string {
  switch (event.kind) {
    case 'syscall': {
      const ret = event.ret;
      // A resumed half whose opener is not in the log holds only the trailing arguments: mark the cut.
      const lead = event.orphanResume ? (event.argsText.trim() ? '…, ' : '…') : '';
      const args = `${event.name}(${lead}${event.argsText.replace(/\s+/g, ' ')}${event.state === 'unfinished' ? ' …' : ')'}`;
      if (!ret) return args;
      return `${args} = ${ret.raw}`;
    }
    case 'signal':
      return event.stopped ? `--- stopped by ${event.signal} ---` : `--- ${event.signal} ${event.siginfoText} ---`.replace(/\s+---$/, ' ---');
    case 'exit':
      return `+++ exited with ${event.code} +++`;
    case 'killed':
      return `+++ killed by ${event.signal}${event.coreDumped ? ' (core dumped)' : ''} +++`;
    case 'superseded':
      return `+++ superseded by execve in pid ${event.byPid} +++`;
    case 'message':
      return `strace: ${event.text}`;
    default:
      return event.raw.split('\n')[0];
  }
}

/** The header above an idiom's first line; with a width, its summary wraps (each line behind `│`). */
export function renderPatternHeader(match: PatternMatch, palette: Palette, width?: number): string {
  const span = match.lines.length > 1 ? `lines ${match.lines[0]}–${match.lines[match.lines.length - 1]}` : `line ${match.lines[0]}`;
  const head = cut(`${palette.bold(palette.blue(`┌─ ${termSafe(match.title)}`))} ${palette.dim(`(${termSafe(match.key)}, ${span})`)}`, width);
  const body = wrap(termSafe(match.summary), width, '   ').map((l) => `${palette.blue('│')}  ${l.startsWith('  ') ? l.slice(2) : l}`);
  return [head, ...body].join('\n');
}

export function renderExplainedText(item: ExplainedEvent, options: ExplainTextOptions): string {
  const c = options.palette;
  const out: string[] = [];
  for (const p of item.patternsStarting) out.push(renderPatternHeader(p, c, options.width));
  const e = item.explanation;
  const lineNo = c.dim(String(item.event.line).padStart(5));
  const task = taskLabel(item, c);
  const roles = item.partOf.length ? c.blue(termSafe(` [${item.partOf.map((r) => `${r.key}: ${r.role}`).join('; ')}]`)) : '';
  const failed = e?.failure !== undefined;
  const call = termSafe(eventText(item.event));
  const shownCall = failed ? c.red(call) : e?.benign ? c.yellow(call) : item.event.kind === 'syscall' ? call : c.bold(call);
  if (options.brief) {
    const note = e ? c.dim(` # ${termSafe(e.text)}`) : '';
    out.push(cut(`${lineNo} ${task} ${shownCall}${note}${roles}`, options.width));
    return out.join('\n');
  }
  out.push(cut(`${lineNo} ${task} ${shownCall}`, options.width));
  if (e) {
    out.push(wrap(`↳ ${termSafe(e.text)}`, options.width, INDENT + '  ').map((l) => INDENT + l).join('\n') + roles);
    if (e.benign) out.push(wrap(`normal: ${termSafe(e.benign)}`, options.width, INDENT + '  ').map((l) => INDENT + c.green(l)).join('\n'));
    if (e.failure && item.event.kind === 'syscall') {
      const meaning = e.detail?.find((d) => d.startsWith(`${e.failure}:`));
      out.push(INDENT + c.red(termSafe(`failed: ${meaning ?? e.failure}`)));
    }
    if (options.detail && e.detail) for (const d of e.detail) if (!(e.failure && d.startsWith(`${e.failure}:`))) out.push(wrap(`· ${termSafe(d)}`, options.width, INDENT + '    ').map((l) => INDENT + '  ' + c.dim(l)).join('\n'));
  }
  if (options.note) out.push(INDENT + c.dim(termSafe(options.note)));
  return out.join('\n');
}

export function renderExplainSummary(summary: ExplainSummary, options: { palette: Palette; maxTasks?: number }): string {
  const c = options.palette;
  const out: string[] = [];
  const s = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
  const ungrouped = summary.ungrouped ? `, ${s(summary.ungrouped, 'task')} of unknown membership (process or thread?)` : '';
  out.push(c.bold(`Summary: ${s(summary.processes, 'process', 'processes')}${ungrouped}, ${s(summary.threads, 'task')} (threads and processes), ${s(summary.syscalls, 'syscall')} in ${s(summary.events, 'event')}`));
  const max = options.maxTasks ?? 40;
  if (summary.tasks.length > 0) {
    out.push('  tasks (TGID/TID, how each was created, what it ran, how it ended):');
    for (const t of summary.tasks.slice(0, max)) {
      // tid 0: a log without pid prefixes that never showed the pid.
      const label = (t.tid === 0 ? 'pid unknown' : t.tgid === t.tid ? `${t.tid}` : `${t.tgid}/${t.tid}`).padEnd(13);
      out.push(`    ${c[COLOURS[t.tgid % COLOURS.length]](label)} ${t.kind.padEnd(9)} ${String(t.syscalls).padStart(6)} ${t.syscalls === 1 ? 'call ' : 'calls'}  ${termSafe(t.end ?? '')}${t.command ? c.dim(`  ${termSafe(clip(t.command, MAX_COMMAND))}`) : ''}`);
    }
    if (summary.tasks.slice(0, max).some((t) => t.commandTruncated)) out.push(c.dim('    (… marks arguments strace cut at its string limit: run strace with a larger -s, e.g. -s 4096, to see them whole)'));
    const more = summary.tasks.length - max + (summary.tasksOmitted ?? 0);
    if (more > 0) out.push(c.dim(`    … and ${more} more`));
  }
  if (summary.patterns.length > 0) {
    out.push('  patterns:');
    for (const p of summary.patterns) out.push(`    ${termSafe(p.title)} ×${p.count} ${c.dim(`(first at line${p.firstLines.length > 1 ? 's' : ''} ${p.firstLines.join(', ')})`)}`);
  }
  if (summary.failures.length === 0) out.push(c.green('  failures that matter: none'));
  else {
    out.push(c.red('  failures that matter:'));
    for (const f of summary.failures.slice(0, 20)) out.push(`    ${termSafe(f.syscall)} ${c.red(termSafe(f.errno))} ×${f.count} ${c.dim(`(first at line ${f.firstLine})`)}`);
  }
  if (summary.benignFailures.length > 0) {
    out.push('  failures that are normal:');
    for (const f of summary.benignFailures.slice(0, 20)) out.push(`    ${termSafe(f.syscall)} ${c.yellow(termSafe(f.errno))} ×${f.count} ${c.dim(`— ${termSafe(f.why)}`)}`);
  }
  if (summary.cutCalls > 0) out.push(c.yellow(`  strace cut strings of ${s(summary.cutCalls, 'call')} at its -s limit (marked …): run strace with a larger -s, e.g. -s 4096, to see them whole`));
  const abi = summary.abi ? abiWords(summary.abi) : undefined;
  if (abi) out.push(`  architecture: ${termSafe(abi)}`);
  if (summary.unknownSyscalls.length > 0) out.push(`  syscalls not in our tables: ${termSafe(summary.unknownSyscalls.join(', '))}`);
  if (summary.unknownLines > 0) out.push(c.yellow(`  ${s(summary.unknownLines, 'line')} the parser could not read`));
  return out.join('\n');
}

/** Word-wraps plain text to `width` (minus the indent it will get); no width: one line. */
function wrap(text: string, width: number | undefined, indent: string): string[] {
  if (width === undefined || width - indent.length < 30) return [text];
  const room = width - indent.length;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > room) {
      lines.push(current);
      current = `  ${word}`;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}
