/**
 * Builds a report's data from a stream of parsed events: the task model (lanes, births, execs, exits,
 * signals) plus one row per syscall (time, duration, result, line) and, within a size budget, each
 * line's raw text and explanation.
 *
 *   const collector = new ReportCollector({ title: 'make' });
 *   for (const event of parseFileSync('trace.log')) collector.push(event);
 *   const data = collector.end();
 *
 * The model does the lifecycle work; this module only places its facts on one time axis. Each event's
 * time is read with the same clock rules and in the same order as the model reads them, so model
 * moments and call rows line up.
 */
import type { TraceEvent, SyscallEvent } from '../parse/types.js';
import { TaskGraph } from '../model/graph.js';
import { CREATING_SYSCALLS, SIGNAL_SENDING_SYSCALLS, creationFact } from '../facts/index.js';
import { TasklensError } from '../errors.js';
import { LogClock } from '../model/clock.js';
import { MAX_PID } from '../facts/index.js';
import type { Moment, Task } from '../model/types.js';
import { Explainer, type ExplainedEvent } from '../explain/index.js';
import { buildTree, type ProcessNode } from '../render/tree/build.js';
import { termSafeLines } from '../render/escape.js';
import { CallColumnsBuilder } from './columns.js';
import { endText, signalArrows, forkArrows, markersOf } from './lifecycle.js';
import { findingsFromDoctor, type FindingSource } from './findings.js';
import type { ReportData, ReportDetail, ReportFindings, ReportLane, ReportProcess } from './types.js';

export interface ReportOptions {
  /** Shown as the page title (e.g. the command or the log's name). */
  title?: string;
  /**
   * Characters of raw text and explanation kept in all (default 64 Mi, before compression: about
   * 5 MB in the page). Ordinary calls may use half of it, in log order; the rest is kept for the
   * lines markers and arrows point at (creation, exec, exit, wait, kill, signals) and for failures
   * that matter. Calls past the budget still get their row (time, result, line number); their text
   * stays in the log.
   */
  detailBudget?: number;
  /** Doctor findings for the findings panel, when computed elsewhere. */
  findings?: ReportFindings;
  /**
   * Calls drawn one by one, at most (default 4,000,000: about 140 MB while collecting, ~35 MB of
   * page). Later calls still count for the model, the tree and the markers; the page says where the
   * drawn calls stop.
   */
  maxCalls?: number;
  /** Or a findings source (the doctor) fed every event alongside the model; its report fills the panel. */
  doctor?: FindingSource;
}

const DEFAULT_DETAIL_BUDGET = 64 * 1024 * 1024;
const DEFAULT_MAX_CALLS = 4_000_000;
const MAX_RAW = 4096;
const MAX_TEXT = 2048;
const MAX_PID_NUMBER = Number(MAX_PID);

/** Calls whose lines the lifecycle markers and arrows point at: kept first within the detail budget. */
const KEY_CALLS: ReadonlySet<string> = new Set([...CREATING_SYSCALLS, 'execve', 'execveat', 'exit', 'exit_group', 'wait4', 'waitid', 'waitpid', ...SIGNAL_SENDING_SYSCALLS]);

/** What the collector remembers of an event until the explainer hands it back. */
interface Pending {
  call: number;
  key: boolean;
}

export class ReportCollector {
  readonly graph = new TaskGraph();
  private readonly explainer = new Explainer({ graph: this.graph });
  private readonly options: ReportOptions;
  private readonly clock = new LogClock();
  private seq = 0;
  private readonly calls = new CallColumnsBuilder();
  /** Seconds of each call's entry (timed logs) or its event position, before the axis is known. */
  private readonly taskIndex = new Map<Task, number>();
  private readonly tasks: Task[] = [];
  private readonly names = new Map<string, number>();
  private readonly errnos = new Map<string, number>([['', 0]]);
  private readonly sources = new Map<string, number>();
  private readonly details: ReportDetail[] = [];
  /** `file:line` of key lines -> detail index (markers and arrows look their lines up here). */
  private readonly keyDetails = new Map<string, number>();
  private readonly pending = new Map<TraceEvent, Pending>();
  /** Creation calls: `creatorIndex:childTid` -> the call's row. */
  private readonly creations = new Map<string, number>();
  /** Characters left in all, and left for ordinary calls. */
  private budget: number;
  private ordinaryBudget: number;
  private omitted = 0;
  private timed = false;
  private lastTime = 0;
  private hasDurations = false;
  private events = 0;
  private ended = false;
  private readonly maxCalls: number;
  /** Calls past maxCalls, and the line of the first of them. */
  private droppedCalls = 0;
  private firstDropped: { line: number; source?: string } | undefined;

  constructor(options: ReportOptions = {}) {
    this.options = options;
    this.budget = options.detailBudget ?? DEFAULT_DETAIL_BUDGET;
    this.ordinaryBudget = this.budget / 2;
    this.maxCalls = options.maxCalls ?? DEFAULT_MAX_CALLS;
  }

  /** Feeds one event, in log order. */
  push(event: TraceEvent): void {
    this.events++;
    this.graph.apply(event);
    this.options.doctor?.push(event);
    const pid = event.prefix.pid;
    const counted = pid === undefined || (pid > 0 && pid <= MAX_PID_NUMBER);
    const timing = counted ? this.timing(event) : undefined;
    const task = timing ? this.taskOf(event) : undefined;
    if (event.kind === 'syscall' && timing && task !== undefined) this.recordCall(event, timing, task);
    else if (timing && (event.kind === 'signal' || event.kind === 'exit' || event.kind === 'killed')) this.pending.set(event, { call: -1, key: true });
    this.release(this.explainer.push(event));
  }

  /**
   * Seeds the threads of an attached process (see TaskGraph.seedAttached); before any event.
   */
  seedAttached(tgid: number, tids: readonly number[]): void {
    this.graph.seedAttached(tgid, tids);
    this.seq++; // the graph's seeding takes one moment
  }

  /** Feeds many events. */
  pushAll(events: Iterable<TraceEvent>): this {
    for (const event of events) this.push(event);
    return this;
  }

  /**
   * The same clock calls, in the same order, as TaskGraph.apply makes for this event: the entry time
   * and, for a joined call, the time of its resumed half. undefined for events without a moment.
   */
  private timing(event: TraceEvent): { start: number; end: number } | undefined {
    switch (event.kind) {
      case 'syscall': {
        const seq = this.seq++;
        const start = this.timeOf(event.prefix, seq);
        const end = event.endPrefix ? this.timeOf(event.endPrefix, seq) : start;
        return { start, end };
      }
      case 'signal':
      case 'exit':
      case 'killed':
      case 'superseded': {
        const t = this.timeOf(event.prefix, this.seq++);
        return { start: t, end: t };
      }
      case 'message':
        if (!event.detached) return undefined;
        {
          const t = this.timeOf(event.prefix, this.seq++);
          return { start: t, end: t };
        }
      default:
        return undefined;
    }
  }

  /** Seconds on the log's clock, or the event position for a log without timestamps. */
  private timeOf(prefix: TraceEvent['prefix'], seq: number): number {
    const t = this.clock.timeOf(prefix);
    if (t === undefined) return this.timed ? this.lastTime : seq;
    if (!this.timed) this.timed = true;
    this.lastTime = t;
    return t;
  }

  private taskOf(event: TraceEvent): number | undefined {
    const pid = event.prefix.pid;
    const task = pid === undefined ? this.graph.unprefixedTask() : this.graph.taskByTid(pid);
    if (!task) return undefined;
    let index = this.taskIndex.get(task);
    if (index === undefined) {
      index = this.tasks.length;
      this.tasks.push(task);
      this.taskIndex.set(task, index);
    }
    return index;
  }

  private recordCall(event: SyscallEvent, timing: { start: number; end: number }, task: number): void {
    if (this.calls.count >= this.maxCalls) {
      if (this.droppedCalls++ === 0) this.firstDropped = { line: event.line, ...(event.source ? { source: event.source } : {}) };
      return;
    }
    const i = this.calls.add();
    const cols = this.calls.cols; // read after add(): it may have grown the arrays
    cols.lane[i] = task; // a task index until end() maps tasks to lanes
    cols.start[i] = timing.start;
    if (event.durationSec !== undefined) {
      cols.dur[i] = event.durationSec;
      this.hasDurations = true;
    } else cols.dur[i] = -1;
    cols.name[i] = this.intern(this.names, event.name);
    cols.errno[i] = event.ret?.errno === undefined ? 0 : this.intern(this.errnos, event.ret.errno);
    cols.line[i] = event.line;
    cols.file[i] = this.fileIndex(event.source);
    cols.detail[i] = -1;
    cols.open[i] = event.state === 'unfinished' ? 1 : 0;
    const key = KEY_CALLS.has(event.name);
    this.pending.set(event, { call: i, key });
    if (CREATING_SYSCALLS.has(event.name)) {
      const created = creationFact(event);
      if (created.ok && created.child !== undefined) this.creations.set(`${task}:${created.child}`, i);
    }
  }

  private intern(table: Map<string, number>, text: string): number {
    let index = table.get(text);
    if (index === undefined) {
      index = table.size;
      table.set(text, index);
    }
    return index;
  }

  private fileIndex(source: string | undefined): number {
    return this.intern(this.sources, source ?? '');
  }

  /** Explained events come back in log order: keep the text of those within the budget. */
  private release(items: ExplainedEvent[]): void {
    for (const item of items) {
      const p = this.pending.get(item.event);
      if (p === undefined) continue;
      this.pending.delete(item.event);
      const event = item.event;
      const raw = clip(termSafeLines(event.raw), MAX_RAW);
      const e = item.explanation;
      const text = e ? clip([e.text, ...(e.detail ?? []), ...(e.benign ? [`normal here: ${e.benign}`] : [])].join('\n'), MAX_TEXT) : undefined;
      const size = raw.length + (text?.length ?? 0);
      // A failure that matters is a key line too (benign ones, like the loader's path probing, are not).
      const key = p.key || e?.failure !== undefined;
      if (size > this.budget || (!key && size > this.ordinaryBudget)) {
        this.omitted++;
        continue;
      }
      this.budget -= size;
      if (!key) this.ordinaryBudget -= size;
      const index = this.details.length;
      const file = this.fileIndex(event.source);
      this.details.push({ line: event.line, ...(file > 0 || this.sources.size > 1 ? { file } : {}), raw, ...(text ? { text } : {}) });
      if (p.call >= 0) this.calls.cols.detail[p.call] = index;
      if (key) {
        this.keyDetails.set(`${file}:${event.line}`, index);
        if (event.endLine !== undefined) this.keyDetails.set(`${file}:${event.endLine}`, index);
      }
    }
  }

  /** Finishes the model and lays everything out on the time axis. */
  end(): ReportData {
    if (this.ended) throw new TasklensError('render', 'report-ended', 'ReportCollector.end() called twice', { hint: 'build a new ReportCollector for a new report' });
    this.ended = true;
    this.release(this.explainer.end());
    this.graph.finish();
    const summary = this.explainer.summary();
    const tree = buildTree(this.graph);
    const cols = this.calls.finish();

    // The axis: microseconds since the earliest time, or event positions.
    const unit = this.timed ? 'us' : 'event';
    let origin = Infinity;
    if (this.timed) {
      for (const t of this.graph.tasks()) if (t.firstSeen.time !== undefined && t.firstSeen.time < origin) origin = t.firstSeen.time;
      for (let i = 0; i < cols.count; i++) if (cols.start[i] < origin) origin = cols.start[i];
      if (!Number.isFinite(origin)) origin = 0;
    }
    const scale = (seconds: number): number => round3((seconds - origin) * 1e6);
    const axis = (m: Moment | undefined): number | undefined => {
      if (m === undefined) return undefined;
      if (!this.timed) return m.seq;
      return m.time === undefined ? undefined : scale(m.time);
    };

    // Lanes in tree order: each process's tasks, the leader's first.
    const processes: ReportProcess[] = [];
    const lanes: ReportLane[] = [];
    const laneOfKey = new Map<string, number>();
    const walk = (node: ProcessNode, depth: number, parent: number | undefined): void => {
      const index = processes.length;
      const command = node.command ?? node.inheritedCommand;
      const proc: ReportProcess = { key: node.key, pid: node.pid, depth, ...(parent !== undefined ? { parent } : {}), ...(command ? { command } : {}), lanes: [] };
      processes.push(proc);
      const threads = [...node.threads].sort((a, b) => Number(b.leader) - Number(a.leader));
      for (const thread of threads) {
        const task = this.graph.task(thread.key);
        if (!task) continue;
        laneOfKey.set(task.key, lanes.length);
        proc.lanes.push(lanes.length);
        lanes.push(this.laneOf(task, index, axis));
      }
      for (const child of node.children) walk(child, depth + 1, index);
    };
    for (const root of tree.roots) walk(root, 0, undefined);
    // Anything the tree did not reach (it should reach every task) still gets a lane.
    for (const task of this.graph.tasks()) {
      if (laneOfKey.has(task.key)) continue;
      const index = processes.length;
      const p = this.graph.processOf(task);
      processes.push({ key: p.key, pid: p.tgid, depth: 0, lanes: [lanes.length] });
      laneOfKey.set(task.key, lanes.length);
      lanes.push(this.laneOf(task, index, axis));
    }

    // Calls: task index -> lane, seconds -> axis, open calls run to their lane's end.
    const laneOfTask = this.tasks.map((t) => laneOfKey.get(t.key) ?? -1);
    for (let i = 0; i < cols.count; i++) {
      const lane = laneOfTask[cols.lane[i]];
      cols.lane[i] = lane;
      if (this.timed) {
        cols.start[i] = scale(cols.start[i]);
        if (cols.dur[i] >= 0) cols.dur[i] = round3(cols.dur[i] * 1e6);
      } else cols.dur[i] = -1;
      if (cols.open[i] && lane >= 0 && this.timed) cols.dur[i] = Math.max(0, lanes[lane].end - cols.start[i]);
    }
    let span = 0;
    for (const lane of lanes) span = Math.max(span, lane.end);
    for (let i = 0; i < cols.count; i++) span = Math.max(span, cols.start[i] + Math.max(0, cols.dur[i]));

    const lineDetail = (m: Moment | undefined): number | undefined => (m === undefined ? undefined : this.keyDetails.get(`${this.sourceOfMoment(m)}:${m.line}`));
    const laneOf = (task: Task | undefined): number | undefined => (task === undefined ? undefined : laneOfKey.get(task.key));
    const ctx = { graph: this.graph, axis, laneOf, lineDetail, fileOf: (m: Moment) => this.sourceOfMoment(m) };
    const creationStart = (creator: Task, childTid: number): { t: number; line: number } | undefined => {
      const ti = this.taskIndex.get(creator);
      const row = ti === undefined ? undefined : this.creations.get(`${ti}:${childTid}`);
      return row === undefined ? undefined : { t: cols.start[row], line: cols.line[row] };
    };
    const markers = markersOf(ctx, lanes);
    const arrows = [...forkArrows(ctx, creationStart), ...signalArrows(ctx)];

    const notes: string[] = [];
    if (!this.timed) notes.push('The log has no timestamps: the time axis is the order of lines (strace -ttt or -tt gives real times).');
    else if (!this.hasDurations) notes.push('The log has no -T durations: calls are drawn as ticks (strace -T shows how long each call blocked).');
    if (this.omitted > 0) notes.push(`${this.omitted} of ${cols.count} calls are shown without their text (kept small); their line numbers lead to the log.`);
    if (this.droppedCalls > 0) {
      const where = this.firstDropped!;
      notes.push(`Only the first ${cols.count} calls are drawn: ${this.droppedCalls} later calls (from ${where.source ? `${where.source}:` : 'line '}${where.line} on) count in the tree and the markers but are not on the timeline (the report stays small enough to open).`);
    }
    if (!this.graph.orderKnown) notes.push('Several files without timestamps: the order of events across files is not known.');

    const sources = [...this.sources.keys()];
    return {
      tasklens: 'report',
      version: 1,
      title: this.options.title ?? (sources.filter((s) => s !== '').join(' ') || 'trace'),
      sources,
      timeBase: this.graph.timeBase,
      timeUnit: unit,
      ...(this.timed ? { timeOrigin: origin } : {}),
      span,
      hasDurations: this.hasDurations && this.timed,
      processes,
      lanes,
      markers,
      arrows,
      names: [...this.names.keys()],
      errnos: [...this.errnos.keys()],
      calls: cols,
      details: this.details,
      failures: summary.failures,
      findings: this.options.findings ?? (this.options.doctor ? findingsFromDoctor(this.options.doctor.end(), (source) => this.sources.get(source ?? '') ?? 0) : { available: false, note: 'No doctor findings were given to this report.', items: [] }),
      tree,
      stats: {
        events: this.events,
        syscalls: cols.count,
        tasks: lanes.length,
        processes: processes.length,
        unknownLines: this.graph.stats.unknownLines,
        detailsEmbedded: this.details.length,
        detailsOmitted: this.omitted,
      },
      notes,
    };
  }

  /** Index in this report's sources of a model moment's file. */
  private sourceOfMoment(m: Moment): number {
    const name = m.file === undefined ? '' : this.graph.stats.sources[m.file];
    return this.sources.get(name ?? '') ?? 0;
  }

  private laneOf(task: Task, process: number, axis: (m: Moment | undefined) => number | undefined): ReportLane {
    const start = axis(task.firstSeen) ?? 0;
    let end = Math.max(start, axis(task.lastSeen) ?? start);
    const endAt = axis(task.end?.at);
    if (endAt !== undefined && endAt > end) end = endAt;
    const p = this.graph.processOf(task);
    return {
      key: task.key,
      tid: task.tid,
      process,
      start,
      end,
      birth: task.birth.kind,
      endKind: task.end?.kind ?? 'unknown',
      endText: endText(task.end),
      leader: task.tid === p.tgid,
      ...(task.comm !== undefined ? { comm: task.comm } : {}),
      syscalls: task.syscalls,
    };
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
