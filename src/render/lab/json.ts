/** A lab run as one JSON document: the catalog row, each program's build/trace/events, the points. */
import type { LabRun } from '../../lab/run.js';
import { oneLine } from '../../lab/evidence.js';
import { labToJSON } from './list.js';

export function labRunToJSON(lab: LabRun): Record<string, unknown> {
  return {
    tasklens: 'lab',
    version: 1,
    lab: labToJSON(lab.lab),
    cacheDir: lab.cacheDir,
    programs: lab.runs.map((run) => ({
      name: run.program.name,
      source: run.sourcePath,
      build: run.build,
      trace: run.trace,
      expectedExit: run.program.expectExit ?? 0,
      summary: run.summary,
      events: run.explained.map((item) => ({
        line: item.event.line,
        ...(item.event.endLine !== undefined ? { endLine: item.event.endLine } : {}),
        kind: item.event.kind,
        ...(item.tid !== undefined ? { tid: item.tid } : {}),
        ...(item.tgid !== undefined ? { tgid: item.tgid } : {}),
        text: oneLine(item.event),
        ...(item.explanation ? { explanation: item.explanation } : {}),
        ...(item.patternsStarting.length ? { patternsStarting: item.patternsStarting } : {}),
        ...(item.partOf.length ? { partOf: item.partOf } : {}),
      })),
    })),
    points: lab.points,
  };
}
