/**
 * The doctor panel's data. The collector can feed a findings source (the doctor: `push(event)` in log
 * order, `end()` for its report) alongside the model; this module turns its report into the panel's
 * findings, each line mapped to the report's own source index so it links to the timeline. The types
 * here are the shape the doctor's report has (rule, severity, message, fix, tasks, cited lines).
 */
import type { TraceEvent } from '../parse/types.js';
import type { ReportFindings } from './types.js';

/** A doctor report, as far as the panel reads it. */
export interface DoctorReportLike {
  findings: Array<{
    rule: string;
    severity: 'error' | 'warning' | 'info';
    message: string;
    fix?: string;
    tasks: Array<{ tid: number }>;
    lines: Array<{ source?: string; line: number; role?: string }>;
  }>;
  /** Rules that could not run on this log, and the strace flags that would let them. */
  skipped?: Array<{ rule: string; reason: string; flags: string[] }>;
}

/** Something that reads the events and reports findings at the end (the doctor). */
export interface FindingSource {
  push(event: TraceEvent): void;
  end(): DoctorReportLike;
}

/** The panel's findings from a doctor report; `sourceIndex` maps a cited file to the report's sources. */
export function findingsFromDoctor(report: DoctorReportLike, sourceIndex: (source: string | undefined) => number): ReportFindings {
  const skipped = report.skipped ?? [];
  return {
    available: true,
    ...(skipped.length > 0 ? { note: `Rules that could not run on this log: ${skipped.map((s) => `${s.rule} (${s.reason}${s.flags.length > 0 ? `; needs ${s.flags.join(' ')}` : ''})`).join('; ')}.` } : {}),
    items: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      title: f.rule,
      message: f.message,
      ...(f.fix ? { fix: f.fix } : {}),
      lines: f.lines.map((c) => {
        const file = sourceIndex(c.source);
        return { line: c.line, ...(file > 0 ? { file } : {}), ...(c.role ? { role: c.role } : {}) };
      }),
      tids: f.tasks.map((t) => t.tid),
    })),
  };
}
