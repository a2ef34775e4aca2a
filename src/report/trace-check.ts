/**
 * A structural check of Trace Event JSON, the rules Perfetto's JSON importer applies (and reports only
 * in its stats page): the file sniff, required fields per phase, integer pids/tids, metadata names,
 * slices that nest per thread with no two sharing a start, B/E balance, and every flow id with exactly
 * one start and one end, not going back in time. Used by the tests and usable on any trace file
 * (no trace_processor binary needed).
 */

export interface TraceCheck {
  problems: string[];
  counts: { events: number; slices: number; instants: number; metadata: number; flows: number };
}

const METADATA = new Map([
  ['process_name', 'name'],
  ['thread_name', 'name'],
  ['process_sort_index', 'sort_index'],
  ['thread_sort_index', 'sort_index'],
]);
const MAX_PROBLEMS = 50;

/** Checks the text of a trace file. */
export function checkTraceJson(text: string): TraceCheck {
  const trimmed = text.replace(/^\s+/, '');
  if (!trimmed.startsWith('{"') && !trimmed.startsWith('[{"')) {
    return { problems: ['not recognised as Trace Event JSON: it must start with {" or [{"'], counts: { events: 0, slices: 0, instants: 0, metadata: 0, flows: 0 } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problems: [`not valid JSON: ${(error as Error).message}`], counts: { events: 0, slices: 0, instants: 0, metadata: 0, flows: 0 } };
  }
  const events = Array.isArray(parsed) ? parsed : (parsed as { traceEvents?: unknown }).traceEvents;
  if (!Array.isArray(events)) return { problems: ['no traceEvents array'], counts: { events: 0, slices: 0, instants: 0, metadata: 0, flows: 0 } };
  return checkTraceEvents(events);
}

/** Checks an array of trace events. */
export function checkTraceEvents(events: unknown[]): TraceCheck {
  const problems: string[] = [];
  const problem = (i: number, text: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(`event ${i}: ${text}`);
  };
  const counts = { events: events.length, slices: 0, instants: 0, metadata: 0, flows: 0 };
  const isId = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32;
  type Span = { ts: number; end: number; i: number };
  const perThread = new Map<string, Span[]>();
  const open = new Map<string, Array<{ ts: number; i: number }>>();
  const flows = new Map<number, { out: number[]; in: number[]; outTs?: number; inTs?: number }>();

  events.forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object') return problem(i, 'not an object');
    const e = raw as Record<string, unknown>;
    const ph = typeof e.ph === 'string' ? e.ph[0] : undefined;
    if (ph === undefined) return problem(i, 'no ph');
    if (!isId(e.pid)) problem(i, `pid ${JSON.stringify(e.pid)} is not an unsigned 32-bit integer`);
    if (e.tid !== undefined && !isId(e.tid)) problem(i, `tid ${JSON.stringify(e.tid)} is not an unsigned 32-bit integer`);
    if (ph === 'M') {
      counts.metadata++;
      const arg = METADATA.get(String(e.name));
      if (!arg) return problem(i, `metadata ${JSON.stringify(e.name)} is not one Perfetto reads`);
      const args = e.args as Record<string, unknown> | undefined;
      if (!args || args[arg] === undefined) problem(i, `metadata ${String(e.name)} without args.${arg}`);
      if ((e.name === 'thread_name' || e.name === 'thread_sort_index') && e.tid === undefined) problem(i, `${String(e.name)} without tid`);
      return;
    }
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts)) return problem(i, 'ts is not a finite number');
    if (e.ts < 0) problem(i, 'negative ts (Perfetto drops it)');
    const thread = `${String(e.pid)}:${String(e.tid ?? e.pid)}`;
    if (ph === 'X') {
      counts.slices++;
      if (typeof e.dur !== 'number' || !(e.dur >= 0)) return problem(i, 'X without a dur >= 0');
      const list = perThread.get(thread) ?? [];
      list.push({ ts: e.ts, end: e.ts + e.dur, i });
      perThread.set(thread, list);
    } else if (ph === 'B') {
      const list = open.get(thread) ?? [];
      list.push({ ts: e.ts, i });
      open.set(thread, list);
    } else if (ph === 'E') {
      const list = open.get(thread);
      const begin = list?.pop();
      if (!begin) problem(i, 'E without a B on its thread');
      else {
        const spans = perThread.get(thread) ?? [];
        spans.push({ ts: begin.ts, end: e.ts, i: begin.i });
        perThread.set(thread, spans);
        counts.slices++;
      }
    } else if (ph === 'i' || ph === 'I' || ph === 'R') {
      counts.instants++;
      if (e.s !== undefined && !['g', 'p', 't'].includes(String(e.s))) problem(i, `instant scope ${JSON.stringify(e.s)}`);
    } else if (ph === 'b' || ph === 'e' || ph === 'n') {
      if (e.id === undefined && e.id2 === undefined) problem(i, 'async event without id');
    } else if (ph === 's' || ph === 't' || ph === 'f') {
      if (e.id === undefined) problem(i, 'flow v1 event without id');
    } else if (ph !== 'C') problem(i, `phase ${ph} is not handled by Perfetto`);
    if (e.bind_id !== undefined) {
      if (ph !== 'X' && ph !== 'B') problem(i, 'bind_id on an event that is not a slice');
      if (e.flow_in !== true && e.flow_out !== true) problem(i, 'bind_id without flow_in or flow_out');
      const id = Number(e.bind_id);
      const f = flows.get(id) ?? { out: [], in: [] };
      if (e.flow_out === true) {
        f.out.push(i);
        f.outTs = e.ts;
      }
      if (e.flow_in === true) {
        f.in.push(i);
        f.inTs = e.ts;
      }
      flows.set(id, f);
    }
  });

  for (const [thread, list] of open) if (list.length > 0) problems.push(`thread ${thread}: ${list.length} B without E`);
  // Nesting: the same LIFO walk trace processor does.
  for (const [thread, spans] of perThread) {
    spans.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const stack: Span[] = [];
    for (let k = 0; k < spans.length; k++) {
      const s = spans[k];
      if (k > 0 && spans[k - 1].ts === s.ts) problems.push(`thread ${thread}: events ${spans[k - 1].i} and ${s.i} start at the same ts ${s.ts}`);
      while (stack.length > 0 && stack[stack.length - 1].end <= s.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent && s.end > parent.end + 1e-9) problems.push(`thread ${thread}: event ${s.i} overlaps event ${parent.i} without nesting`);
      stack.push(s);
      if (problems.length >= MAX_PROBLEMS) break;
    }
  }
  for (const [id, f] of flows) {
    counts.flows++;
    if (f.out.length !== 1 || f.in.length !== 1) problems.push(`flow ${id}: ${f.out.length} flow_out and ${f.in.length} flow_in (want one of each)`);
    else if (f.outTs! > f.inTs!) problems.push(`flow ${id}: goes back in time (${f.outTs} > ${f.inTs})`);
  }
  return { problems: problems.slice(0, MAX_PROBLEMS), counts };
}
