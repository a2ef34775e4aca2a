/** JSON Lines records of explained events: the call as parsed, its explanation and decoded values, patterns. */
import type { ExplainedEvent } from '../../explain/types.js';

export interface ExplainedRecord {
  kind: string;
  line: number;
  endLine?: number;
  source?: string;
  tid?: number;
  tgid?: number;
  time?: string;
  syscall?: string;
  args?: string;
  state?: string;
  ret?: string;
  errno?: string;
  signal?: string;
  raw: string;
  explanation?: ExplainedEvent['explanation'];
  patternsStarting?: ExplainedEvent['patternsStarting'];
  partOf?: ExplainedEvent['partOf'];
  man?: string;
}

export function explainedToJSON(item: ExplainedEvent, extra: { man?: string } = {}): ExplainedRecord {
  const e = item.event;
  const rec: ExplainedRecord = { kind: e.kind, line: e.line, raw: e.raw };
  if (e.endLine !== undefined) rec.endLine = e.endLine;
  if (e.source !== undefined) rec.source = e.source;
  if (item.tid !== undefined) rec.tid = item.tid;
  if (item.tgid !== undefined) rec.tgid = item.tgid;
  if (e.prefix.time !== undefined) rec.time = e.prefix.time;
  if (e.kind === 'syscall') {
    rec.syscall = e.name;
    rec.args = e.argsText;
    rec.state = e.state;
    if (e.ret) rec.ret = e.ret.value;
    if (e.ret?.errno) rec.errno = e.ret.errno;
  } else if (e.kind === 'signal' || e.kind === 'killed') rec.signal = e.signal;
  if (item.explanation) rec.explanation = item.explanation;
  if (item.patternsStarting.length) rec.patternsStarting = item.patternsStarting;
  if (item.partOf.length) rec.partOf = item.partOf;
  if (extra.man) rec.man = extra.man;
  return rec;
}
