/**
 * Rendering doctor findings: text grouped by severity (error, warning, info), each with its rule id,
 * tasks, cited lines as clickable `file:line`, the explanation and the fix; then the rules that could
 * not run with the strace flags that would let them. JSON Lines: one finding per line, rule-specific
 * values as extra fields, and a last `{"kind":"summary"}` record. Log text, commands and paths are
 * untrusted: termSafe here (jsonLine makes JSON inert).
 */
import type { Palette } from '../color.js';
import { termSafe } from '../escape.js';
import type { Citation, DoctorReport, Finding, Severity, TaskRef } from '../../doctor/types.js';
import { SEVERITIES } from '../../doctor/types.js';

export interface DoctorTextOptions {
  palette: Palette;
  /** Name for citations of stdin (no file name): default `stdin`. */
  stdinName?: string;
  /** Print the "could not run" section (default true). */
  skipped?: boolean;
}

const HEADINGS: Record<Severity, string> = { error: 'errors', warning: 'warnings', info: 'info' };

/** `trace.log:42`: the form editors and terminals turn into a link. */
export function citationLocation(c: Citation, stdinName = 'stdin'): string {
  return `${c.source === undefined || c.source === '-' ? stdinName : c.source}:${c.line}`;
}

function taskText(t: TaskRef): string {
  const id = t.tid === t.tgid ? `${t.tgid}` : `${t.tgid}/${t.tid}`;
  return t.command !== undefined ? `${id} (${termSafe(t.command)})` : id;
}

function colour(c: Palette, severity: Severity): (s: string) => string {
  return severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.cyan;
}

/** One finding as text lines. */
export function renderFinding(f: Finding, options: DoctorTextOptions): string {
  const c = options.palette;
  const paint = colour(c, f.severity);
  const out = [`${paint(c.bold(f.severity.padEnd(7)))} ${c.bold(f.rule)}  ${c.dim('tasks')} ${f.tasks.map(taskText).join(', ')}`];
  out.push(`  ${termSafe(f.message)}`);
  const width = Math.max(0, ...f.lines.map((l) => citationLocation(l, options.stdinName).length));
  for (const line of f.lines) {
    const where = termSafe(citationLocation(line, options.stdinName)).padEnd(width);
    out.push(`  ${c.underline(where)}  ${c.dim(termSafe(line.role))}${line.text !== undefined ? `  ${termSafe(line.text)}` : ''}`);
  }
  out.push(`  ${c.green('fix:')} ${termSafe(f.fix)}`);
  return out.join('\n');
}

/** The whole report as text. */
export function renderDoctorText(report: DoctorReport, options: DoctorTextOptions): string {
  const c = options.palette;
  const parts: string[] = [];
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    parts.push(`${colour(c, severity)(c.bold(`${HEADINGS[severity]} (${group.length})`))}\n\n${group.map((f) => renderFinding(f, options)).join('\n\n')}`);
  }
  if (options.skipped !== false && report.skipped.length > 0) {
    const rows = report.skipped.map((s) => `  ${c.bold(s.rule)}: ${termSafe(s.reason)}; trace with ${s.flags.join(' ')}`);
    parts.push(`${c.bold(`rules that could not run on this log (${report.skipped.length})`)}\n${rows.join('\n')}`);
  }
  parts.push(summaryLine(report, c));
  return `${parts.join('\n\n')}\n`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `2 errors, 1 warning, 3 info from 13 rules on 1,234 events`. */
export function summaryLine(report: DoctorReport, c: Palette): string {
  const count = (s: Severity): number => report.findings.filter((f) => f.severity === s).length;
  const found = report.findings.length === 0 ? 'no findings' : `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
  // A live check (doctor PID) reads /proc, not events.
  const scope = report.profile.events === 0 && report.profile.sources.length === 0 ? `${plural(report.ran.length, 'live check')} of /proc` : `${plural(report.ran.length, 'rule')} on ${report.profile.events.toLocaleString('en-US')} events`;
  return c.dim(`${found} from ${scope}${report.skipped.length > 0 ? ` (${report.skipped.length} could not run)` : ''}`);
}

/** A finding as one JSON Lines record: the named fields first, then the rule's own values. */
export function findingToJSON(f: Finding): Record<string, unknown> {
  return {
    rule: f.rule,
    severity: f.severity,
    tasks: f.tasks,
    lines: f.lines.map((l) => ({ ...(l.source !== undefined ? { file: l.source } : {}), line: l.line, role: l.role, ...(l.text !== undefined ? { text: l.text } : {}) })),
    message: f.message,
    fix: f.fix,
    ...f.details,
  };
}

/** The last JSON Lines record: counts, the rules that ran and those that could not. */
export function doctorSummaryJSON(report: DoctorReport): Record<string, unknown> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, report.findings.filter((f) => f.severity === s).length]));
  return { kind: 'summary', counts, ran: report.ran, skipped: report.skipped, profile: report.profile };
}
