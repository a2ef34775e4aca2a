/**
 * Reports: a trace as a picture and as a Perfetto trace.
 *
 *   const collector = new ReportCollector({ title: 'make -j4' });
 *   for (const event of parseFileSync('trace.log')) collector.push(event);
 *   const data = collector.end();
 *   writeFileSync('report.html', renderReportHtml(data));           // self-contained, opens offline
 *   for (const chunk of perfettoChunks(data)) process.stdout.write(chunk); // ui.perfetto.dev JSON
 *
 * Layers: collect (events -> task model -> one time axis, per-call columns, details within a size
 * budget), lifecycle (markers and arrows from the model), html (page, client script, CSP), perfetto
 * (Trace Event JSON), trace-check (a structural validator for Trace Event JSON).
 */
import type { TraceEvent } from '../parse/types.js';
import { ReportCollector, type ReportOptions } from './collect.js';
import type { ReportData } from './types.js';

export { ReportCollector, type ReportOptions } from './collect.js';
export { renderReportHtml, escapeHtml, jsonForScript, reportCsp } from './html/page.js';
export { perfettoChunks, perfettoJson, INCARNATION_STRIDE, type PerfettoSummary, type TraceEventRecord } from './perfetto.js';
export { checkTraceJson, checkTraceEvents, type TraceCheck } from './trace-check.js';
export { endText } from './lifecycle.js';
export { findingsFromDoctor, type FindingSource, type DoctorReportLike } from './findings.js';
export type * from './types.js';

/** A report's data from events (an iterable, or async batches as the log readers yield them). */
export async function buildReport(events: Iterable<TraceEvent> | AsyncIterable<TraceEvent[]>, options: ReportOptions = {}): Promise<ReportData> {
  const collector = new ReportCollector(options);
  if (Symbol.asyncIterator in events) {
    for await (const batch of events as AsyncIterable<TraceEvent[]>) for (const event of batch) collector.push(event);
  } else collector.pushAll(events as Iterable<TraceEvent>);
  return collector.end();
}

/** A report's data from events already in memory (synchronous; small logs, tests). */
export function reportFromEvents(events: Iterable<TraceEvent>, options: ReportOptions = {}): ReportData {
  return new ReportCollector(options).pushAll(events).end();
}
