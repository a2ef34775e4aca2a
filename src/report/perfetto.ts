/**
 * The report as Chrome Trace Event JSON, the format ui.perfetto.dev and chrome://tracing open
 * (importer behaviour in ../shared/reference/trace-formats.md). Mapping:
 * - one JSON pid per process incarnation (pid = TGID; a reused TGID gets pid + k·4194304, above
 *   PID_MAX_LIMIT), one tid per task (tid = TID, same rule within a process); `process_name`,
 *   `thread_name` and sort indices in tree order;
 * - syscalls: complete events (`X`) with their `-T` duration (0 without -T), args `line`, `errno`;
 *   per thread, starts are made strictly increasing (+1 ns) and each end is clamped to the next start,
 *   because strace's µs rounding makes neighbours overlap and Perfetto drops or moves overlapping slices;
 * - exec, exit and signal delivery: thread-scoped instants (`i`, `s:"t"`);
 * - doctor findings: global instants (`s:"g"`) at their first cited line, args rule, message, fix, lines;
 * - fork/clone and signal send → delivery: flow events v2 (`bind_id` + `flow_out` on the source slice,
 *   `bind_id` + `flow_in` on the destination slice). A flow end that is not a call (the child has no
 *   call, a signal's delivery, a child's exit that sends SIGCHLD) is a zero-length `X` slice there,
 *   named like the marker, instead of the instant.
 * Timestamps are microseconds since the trace's first event (3 decimals). A log without timestamps
 * is written with its event order as time (1 µs per event); the caller warns about it.
 */
import type { ReportArrow, ReportData, ReportMarker } from './types.js';

/** Added to a pid or tid for each earlier incarnation with the same number (above PID_MAX_LIMIT, 2^22). */
export const INCARNATION_STRIDE = 4194304;

/** One Trace Event (the subset tasklens writes). */
export interface TraceEventRecord {
  ph: string;
  name: string;
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: string;
  bind_id?: number;
  flow_in?: boolean;
  flow_out?: boolean;
  args?: Record<string, unknown>;
}

interface Slice {
  ts: number;
  dur: number;
  name: string;
  cat: string;
  args: Record<string, unknown>;
  flowOut?: number[];
  flowIn?: number[];
  /** Order among slices with the same start: calls before anchors. */
  rank: number;
}

export interface PerfettoSummary {
  events: number;
  slices: number;
  instants: number;
  flows: number;
  processes: number;
  threads: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The trace as JSON text in chunks (object form `{"traceEvents":[...]}`), written lane by lane so a
 * large trace never becomes one string. `summary` is filled in as the chunks are produced.
 */
export function* perfettoChunks(data: ReportData, summary: PerfettoSummary = { events: 0, slices: 0, instants: 0, flows: 0, processes: 0, threads: 0 }): Generator<string> {
  const ids = jsonIds(data);
  // The axis is already microseconds (or event positions, written as 1 µs per event).
  const cols = data.calls;

  // Calls per lane, by start.
  const perLane: number[][] = data.lanes.map(() => []);
  for (let i = 0; i < cols.count; i++) if (cols.lane[i] >= 0) perLane[cols.lane[i]].push(i);
  for (const list of perLane) list.sort((a, b) => cols.start[a] - cols.start[b] || a - b);

  // Flow endpoints: an existing call slice where there is one, else an anchor slice.
  const anchors: Slice[][] = data.lanes.map(() => []);
  const flowOutOf = new Map<number, number[]>();
  const flowInOf = new Map<number, number[]>();
  const anchoredMarkers = new Set<number>();
  const markerAt = new Map<string, number>();
  data.markers.forEach((m, i) => markerAt.set(`${m.lane}:${m.kind}:${m.t}`, i));
  let nextFlow = 1;
  const callAt = (lane: number, t: number): number | undefined => {
    const list = perLane[lane];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cols.start[list[mid]] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length && cols.start[list[lo]] === t ? list[lo] : undefined;
  };
  const attach = (map: Map<number, number[]>, call: number, id: number): void => {
    const list = map.get(call) ?? [];
    list.push(id);
    map.set(call, list);
  };
  const anchor = (lane: number, t: number, name: string, cat: string, marker: number | undefined): Slice => {
    const slice: Slice = { ts: t, dur: 0, name, cat, args: {}, rank: 1 };
    if (marker !== undefined) {
      anchoredMarkers.add(marker);
      const m = data.markers[marker];
      if (m.line !== undefined) slice.args.line = m.line;
    }
    anchors[lane].push(slice);
    return slice;
  };
  for (const arrow of data.arrows) {
    if (arrow.fromT > arrow.toT) continue; // an arrow back in time is not a flow Perfetto accepts
    const id = nextFlow++;
    summary.flows++;
    // Source.
    const srcCall = callAt(arrow.from, arrow.fromT);
    if (srcCall !== undefined) attach(flowOutOf, srcCall, id);
    else {
      const m = markerAt.get(`${arrow.from}:exit:${arrow.fromT}`);
      const s = anchor(arrow.from, arrow.fromT, m !== undefined ? data.markers[m].label : arrow.label, arrow.kind === 'fork' ? 'lifecycle' : 'signal', m);
      (s.flowOut ??= []).push(id);
    }
    // Destination.
    const dst = destination(arrow, perLane, cols.start);
    if (dst !== undefined) attach(flowInOf, dst, id);
    else {
      const m = markerAt.get(`${arrow.to}:${arrow.kind === 'fork' ? 'birth' : 'signal'}:${arrow.toT}`);
      const s = anchor(arrow.to, arrow.toT, arrow.kind === 'fork' ? `born (${arrow.label})` : arrow.label, arrow.kind === 'fork' ? 'lifecycle' : 'signal', m);
      (s.flowIn ??= []).push(id);
    }
  }

  const head = '{"traceEvents":[\n';
  yield head;
  let first = true;
  let buffer = '';
  const emit = (event: TraceEventRecord): void => {
    buffer += (first ? '' : ',\n') + JSON.stringify(event);
    first = false;
    summary.events++;
  };

  // Metadata: names and order.
  data.processes.forEach((p, pi) => {
    const pid = ids.pid[pi];
    const program = p.command && p.command.length > 0 ? p.command.join(' ') : undefined;
    const leader = p.lanes.length > 0 ? data.lanes[p.lanes[0]] : undefined;
    const name = `${program ?? leader?.comm ?? 'process'} [pid ${p.pid}]`;
    emit({ ph: 'M', name: 'process_name', pid, args: { name } });
    emit({ ph: 'M', name: 'process_sort_index', pid, args: { sort_index: pi } });
    summary.processes++;
  });
  data.lanes.forEach((lane, li) => {
    const pid = ids.pid[lane.process];
    const tid = ids.tid[li];
    emit({ ph: 'M', name: 'thread_name', pid, tid, args: { name: `${lane.comm ?? (lane.leader ? 'main' : 'thread')} ${lane.tid}` } });
    emit({ ph: 'M', name: 'thread_sort_index', pid, tid, args: { sort_index: li } });
    summary.threads++;
  });
  yield buffer;
  buffer = '';

  const markersByLane: number[][] = data.lanes.map(() => []);
  data.markers.forEach((m, i) => markersByLane[m.lane].push(i));

  for (let lane = 0; lane < data.lanes.length; lane++) {
    const pid = ids.pid[data.lanes[lane].process];
    const tid = ids.tid[lane];
    const slices: Slice[] = perLane[lane].map((c) => {
      const args: Record<string, unknown> = { line: cols.line[c] };
      if (data.sources.length > 1) args.file = data.sources[cols.file[c]];
      if (cols.errno[c] !== 0) args.errno = data.errnos[cols.errno[c]];
      if (cols.open[c]) args.unfinished = true;
      const slice: Slice = { ts: cols.start[c], dur: Math.max(0, cols.dur[c]), name: data.names[cols.name[c]], cat: 'syscall', args, rank: 0 };
      const out = flowOutOf.get(c);
      const into = flowInOf.get(c);
      if (out) slice.flowOut = out;
      if (into) slice.flowIn = into;
      return slice;
    });
    slices.push(...anchors[lane]);
    slices.sort((a, b) => a.ts - b.ts || a.rank - b.rank);
    // Strictly increasing starts (room left for the extra flow slices of the one before), each end at
    // most the next start: slices of one thread never overlap.
    const extras = (s: Slice): number => Math.max(0, (s.flowOut?.length ?? 0) + (s.flowIn?.length ?? 0) - 1);
    for (let i = 0; i < slices.length; i++) {
      const s = slices[i];
      s.ts = r3(s.ts);
      if (i > 0) {
        const min = r3(slices[i - 1].ts + 0.001 * (1 + extras(slices[i - 1])));
        if (s.ts < min) s.ts = min;
      }
    }
    for (let i = 0; i < slices.length; i++) {
      const s = slices[i];
      const next = slices[i + 1];
      s.dur = r3(next ? Math.max(0, Math.min(s.dur, next.ts - s.ts)) : s.dur);
      // A flow needs one id per event: extra ids (a call that both creates and signals) ride on
      // zero-length slices right after it.
      const event: TraceEventRecord = { ph: 'X', name: s.name, cat: s.cat, pid, tid, ts: s.ts, dur: s.dur, args: s.args };
      const out = s.flowOut ?? [];
      const into = s.flowIn ?? [];
      if (out.length > 0) {
        event.bind_id = out[0];
        event.flow_out = true;
      } else if (into.length > 0) {
        event.bind_id = into[0];
        event.flow_in = true;
      }
      emit(event);
      summary.slices++;
      const extra = [...out.slice(out.length > 0 ? 1 : 0).map((id) => ({ id, dir: 'out' as const })), ...(out.length > 0 ? into : into.slice(1)).map((id) => ({ id, dir: 'in' as const }))];
      let ts = s.ts;
      for (const { id, dir } of extra) {
        ts = r3(ts + 0.001);
        emit({ ph: 'X', name: s.name, cat: 'flow', pid, tid, ts, dur: 0, bind_id: id, ...(dir === 'out' ? { flow_out: true } : { flow_in: true }), args: { line: s.args.line } });
        summary.slices++;
      }
    }
    // Instants: exec, exit, signal (those not already drawn as a flow's anchor slice).
    for (const mi of markersByLane[lane]) {
      const m: ReportMarker = data.markers[mi];
      if (m.kind === 'birth' || anchoredMarkers.has(mi)) continue;
      emit({ ph: 'i', s: 't', name: m.label, cat: m.kind, pid, tid, ts: r3(m.t), args: { ...(m.line !== undefined ? { line: m.line } : {}) } });
      summary.instants++;
    }
    if (buffer.length > 65536) {
      yield buffer;
      buffer = '';
    }
  }
  // Doctor findings: global instants at their first cited line's time.
  if (data.findings.available && data.findings.items.length > 0) {
    const timeOfLine = new Map<string, number>();
    for (const m of data.markers) if (m.line !== undefined && !timeOfLine.has(`${m.file ?? 0}:${m.line}`)) timeOfLine.set(`${m.file ?? 0}:${m.line}`, m.t);
    for (let i = 0; i < cols.count; i++) {
      const key = `${cols.file[i]}:${cols.line[i]}`;
      if (!timeOfLine.has(key)) timeOfLine.set(key, cols.start[i]);
    }
    for (const f of data.findings.items) {
      const t = f.lines.map((l) => timeOfLine.get(`${l.file ?? 0}:${l.line}`)).find((x) => x !== undefined);
      if (t === undefined) continue;
      emit({ ph: 'i', s: 'g', name: `${f.severity}: ${f.title}`, cat: 'finding', pid: 0, tid: 0, ts: r3(t), args: { rule: f.rule, message: f.message, ...(f.fix ? { fix: f.fix } : {}), lines: f.lines.map((l) => l.line) } });
      summary.instants++;
    }
  }
  buffer += `\n],"displayTimeUnit":"ms","otherData":${JSON.stringify({ generator: 'tasklens report', title: data.title, timeBase: data.timeBase, timeAxis: data.timeUnit === 'us' ? 'microseconds since the first event' : 'event order (the log has no timestamps)' })}}\n`;
  yield buffer;
}

/** The whole trace as one string (small traces, tests). */
export function perfettoJson(data: ReportData): string {
  return [...perfettoChunks(data)].join('');
}

/** The destination call of an arrow: the child's first call (fork), or none (a delivery is not a call). */
function destination(arrow: ReportArrow, perLane: number[][], start: Float64Array): number | undefined {
  if (arrow.kind !== 'fork') return undefined;
  const list = perLane[arrow.to];
  if (list.length === 0) return undefined;
  const first = list[0];
  // The flow must not go back in time: the child's first call after the clone's entry.
  return start[first] >= arrow.fromT ? first : undefined;
}

/** JSON pid per process and tid per lane, unique per incarnation. */
function jsonIds(data: ReportData): { pid: number[]; tid: number[] } {
  const pidUses = new Map<number, number>();
  const pid = data.processes.map((p) => {
    const k = pidUses.get(p.pid) ?? 0;
    pidUses.set(p.pid, k + 1);
    return p.pid + k * INCARNATION_STRIDE;
  });
  const tidUses = new Map<string, number>();
  const tid = data.lanes.map((lane) => {
    const key = `${pid[lane.process]}:${lane.tid}`;
    const k = tidUses.get(key) ?? 0;
    tidUses.set(key, k + 1);
    return lane.tid + k * INCARNATION_STRIDE;
  });
  return { pid, tid };
}
