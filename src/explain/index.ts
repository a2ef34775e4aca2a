/**
 * The explain layer: strace events in, plain-language explanations and named multi-call idioms out.
 *
 *   const explainer = new Explainer();
 *   for (const event of parseFileSync('trace.log')) for (const item of explainer.push(event)) show(item);
 *   for (const item of explainer.end()) show(item);
 *   const summary = explainer.summary();
 *
 * `push` may hold a few events back (bounded) until it knows whether an idiom starts at them; items
 * always come out in log order, each exactly once. With `{ graph }` the caller owns the task graph
 * and must `graph.apply(event)` before `push(event)`; otherwise the explainer keeps its own.
 */
import type { TraceEvent } from '../parse/types.js';
import { lineBytes } from '../parse/lines.js';
import { TaskGraph } from '../model/graph.js';
import type { Process } from '../model/types.js';
import { commandLine } from './format.js';
import { ExplainContext } from './context.js';
import { explainSyscall, syscallInfoOf } from './syscall.js';
import { AbiDetector } from './abi.js';
import { explainOther } from './events.js';
import { PatternEngine, PATTERN_TITLES, recognizers } from './patterns/index.js';
import type { ExplainedEvent, ExplainSummary, Explanation } from './types.js';

export type { Explanation, PatternMatch, PatternRole, ExplainedEvent, ExplainSummary } from './types.js';
export { describedSyscalls } from './families/index.js';
export { BENIGN_RULES } from './benign.js';
export { humanSize } from './format.js';

const MAX_SUMMARY_TASKS = 500;
const NONE: readonly never[] = Object.freeze([]);

interface FailureCount {
  syscall: string;
  errno: string;
  count: number;
  firstLine: number;
  why?: string;
}

export class Explainer {
  readonly graph: TaskGraph;
  private readonly ownsGraph: boolean;
  private readonly ctx: ExplainContext;
  private readonly engine: PatternEngine;
  private events = 0;
  private syscalls = 0;
  private unknownLines = 0;
  private cutCalls = 0;
  private readonly failures = new Map<string, FailureCount>();
  private readonly benign = new Map<string, FailureCount>();
  private readonly genericNames = new Set<string>();
  private readonly unknownNames = new Set<string>();
  private ended = false;
  private readonly abi = new AbiDetector();

  constructor(options: { graph?: TaskGraph } = {}) {
    this.graph = options.graph ?? new TaskGraph();
    this.ownsGraph = options.graph === undefined;
    this.ctx = new ExplainContext(this.graph);
    this.engine = new PatternEngine(recognizers());
  }

  /** Feeds one event in log order; returns the events ready to show (possibly none, possibly several). */
  push(event: TraceEvent): ExplainedEvent[] {
    if (this.ownsGraph) this.graph.apply(event);
    this.events++;
    this.abi.feed(event);
    this.ctx.abi = this.abi.current;
    const explanation = this.explain(event);
    const tid = event.prefix.pid;
    // One object shape for every item (fields always present, possibly undefined): the renderers and
    // recognizers read millions of them.
    const item: ExplainedEvent = {
      event,
      tid,
      tgid: tid === undefined ? undefined : this.ctx.tgidOf(tid),
      explanation,
      patternsStarting: NONE,
      partOf: NONE,
      seq: undefined,
    };
    const out = this.engine.push(item, this.ctx);
    if (event.kind === 'exit' || event.kind === 'killed') this.ctx.endThread(event.prefix.pid ?? 0);
    return this.tally(out);
  }

  /** End of the log: everything still held comes out. */
  end(): ExplainedEvent[] {
    if (this.ended) return [];
    this.ended = true;
    const out = this.engine.end(this.ctx);
    if (this.ownsGraph && !this.graph.isFinished) this.graph.finish();
    return this.tally(out);
  }

  private explain(event: TraceEvent): Explanation | undefined {
    if (event.kind !== 'syscall') {
      if (event.kind === 'unknown') this.unknownLines++;
      return explainOther(event, this.ctx);
    }
    this.syscalls++;
    const e = explainSyscall(event, this.ctx);
    if (e.detail?.some((d) => d.startsWith('strace cut'))) this.cutCalls++;
    if (e.generic) (syscallInfoOf(event.name, this.ctx.abi) ? this.genericNames : this.unknownNames).add(event.name);
    return e;
  }

  /** Failures are counted as events leave: a recognizer may have found a failure normal meanwhile. */
  private tally(items: ExplainedEvent[]): ExplainedEvent[] {
    for (const { event, explanation: e } of items) {
      if (event.kind !== 'syscall' || !e) continue;
      const errno = event.ret?.errno;
      if (errno === undefined || !(e.failure || e.benign)) continue;
      const map = e.benign ? this.benign : this.failures;
      const key = `${event.name}\0${errno}`;
      const row = map.get(key);
      if (row) row.count++;
      else map.set(key, { syscall: event.name, errno, count: 1, firstLine: event.line, ...(e.benign ? { why: e.benign } : {}) });
    }
    return items;
  }

  /** Tasks, threads, processes, failures that matter, benign failures, patterns seen. */
  summary(): ExplainSummary {
    const tasks = this.graph.tasks();
    const processes = this.graph.processes();
    const rows = tasks.slice(0, MAX_SUMMARY_TASKS).map((t) => {
      const p = this.graph.processOf(t);
      const command = commandOf(this.graph, p);
      const end = t.end ? (t.end.kind === 'exited' ? `exited ${t.end.code ?? ''}`.trim() : t.end.kind === 'killed' ? `killed by ${t.end.signal ?? '?'}` : t.end.kind) : undefined;
      return { tid: t.tid, tgid: p.tgid, kind: t.birth.kind, syscalls: t.syscalls, ...(command ? { command: command.text, ...(command.truncated ? { commandTruncated: true } : {}) } : {}), ...(end ? { end } : {}) };
    });
    const byCount = (a: FailureCount, b: FailureCount): number => b.count - a.count || a.firstLine - b.firstLine;
    return {
      events: this.events,
      syscalls: this.syscalls,
      processes: processes.filter((p) => p.tasks.length > 0 && this.graph.membershipKnown(p)).length,
      threads: tasks.length,
      ...ungroupedCount(this.graph, processes),
      tasks: rows,
      ...(tasks.length > MAX_SUMMARY_TASKS ? { tasksOmitted: tasks.length - MAX_SUMMARY_TASKS } : {}),
      failures: [...this.failures.values()].sort(byCount).map(({ syscall, errno, count, firstLine }) => ({ syscall, errno, count, firstLine })),
      benignFailures: [...this.benign.values()].sort(byCount).map(({ syscall, errno, count, firstLine, why }) => ({ syscall, errno, count, firstLine, why: why ?? '' })),
      patterns: [...this.engine.seen.entries()].map(([id, s]) => ({ id, title: PATTERN_TITLES[id] ?? s.title, count: s.count, firstLines: s.firstLines })),
      genericOnly: [...this.genericNames].sort(),
      unknownSyscalls: [...this.unknownNames].sort(),
      unknownLines: this.unknownLines,
      abi: this.abi.verdict(),
      cutCalls: this.cutCalls,
    };
  }
}

/** `{ ungrouped: N }` for the tasks that may be processes or threads of another process, else nothing. */
function ungroupedCount(graph: TaskGraph, processes: readonly Process[]): { ungrouped?: number } {
  const n = processes.filter((p) => p.tasks.length > 0 && !graph.membershipKnown(p)).length;
  return n > 0 ? { ungrouped: n } : {};
}

/** The process's current command line, quoted like a shell would; `…` where strace cut it. */
function commandOf(graph: TaskGraph, p: Process): { text: string; truncated: boolean } | undefined {
  const argv = graph.command(p);
  if (!argv) return undefined;
  let truncated = false;
  for (let i = p.execs.length - 1; i >= 0; i--) {
    const e = p.execs[i];
    if (e.result === 'ok' && (e.argv !== undefined || e.path !== undefined)) {
      truncated = e.argvTruncated === true;
      break;
    }
  }
  // The model does not say which word strace cut: one mark at the end says something was.
  // The model's argv is text (UTF-8 decoded); commandLine takes bytes.
  return { text: commandLine(argv.map((text) => ({ bytes: lineBytes(text).toString('latin1') })), { listTruncated: truncated }), truncated };
}

/** Explains a whole event sequence at once (small logs, tests). */
export function explainAll(events: Iterable<TraceEvent>, options: { graph?: TaskGraph } = {}): { items: ExplainedEvent[]; summary: ExplainSummary } {
  const explainer = new Explainer(options);
  const items: ExplainedEvent[] = [];
  for (const event of events) items.push(...explainer.push(event));
  items.push(...explainer.end());
  return { items, summary: explainer.summary() };
}
