/**
 * The doctor's core: events stream through the task model, the doctor's signal and descriptor state,
 * and every rule's hooks; `end()` finishes the model, runs the rules' end checks, drops the findings
 * of rules whose needs the log cannot meet (reporting them as skipped with the flags that would let
 * them run) and sorts the rest. Memory stays bounded by the number of tasks, never by the log's size.
 */
import { basename } from 'node:path';
import type { SyscallEvent, TraceEvent } from '../parse/types.js';
import { TaskGraph } from '../model/graph.js';
import type { Moment, Process, Task } from '../model/types.js';
import { decodeSyscall, returned } from './decode.js';
import { SignalState } from './state/signals.js';
import { FdTables } from './state/fds.js';
import { LIFECYCLE_NAMES, NEEDS } from './needs.js';
import { RULES } from './rules/index.js';
import type { DoctorThresholds, RuleContext, RuleDefinition, RuleRun } from './rule.js';
import { SEVERITIES, type Citation, type DoctorReport, type Finding, type LogProfile, type RuleId, type SkippedRule, type TaskRef } from './types.js';

export interface DoctorOptions extends DoctorThresholds {
  /** Run only these rules (default: all). */
  rules?: readonly RuleId[];
}

const CREATING = new Set(['clone', 'clone2', 'clone3', 'fork', 'vfork']);
const MAX_CITED_TEXT = 240;

/** The text of the physical line a citation points at: the last one of a joined call (its result). */
function lineText(raw: string): string {
  const nl = raw.lastIndexOf('\n');
  const text = nl < 0 ? raw : raw.slice(nl + 1);
  return text.length > MAX_CITED_TEXT ? `${text.slice(0, MAX_CITED_TEXT)}…` : text;
}

export class Doctor implements RuleContext {
  readonly graph = new TaskGraph();
  readonly signals = new SignalState();
  readonly fds = new FdTables();
  readonly options: RuleContext['options'];
  private readonly runs: Array<{ rule: RuleDefinition; run: RuleRun }>;
  /** The last event of each task (for "its later lines" citations): one reference per task. */
  private readonly lastEvents = new Map<string, TraceEvent>();
  private readonly programs = new Map<string, string>();
  private readonly counts = { events: 0, syscalls: 0, failed: 0, created: 0, timestamps: false, durations: false, fdPaths: false, allSyscalls: false };
  private readonly createdChildren: Task[] = [];

  constructor(options: DoctorOptions = {}) {
    this.options = { slowCallMs: options.slowCallMs ?? 10, zombieSeconds: options.zombieSeconds ?? 1 };
    const wanted = options.rules ? new Set(options.rules) : undefined;
    this.runs = RULES.filter((rule) => !wanted || wanted.has(rule.id)).map((rule) => ({ rule, run: rule.start(this) }));
  }

  /** Feeds one parsed event (in log order). */
  push(event: TraceEvent): void {
    this.counts.events++;
    this.graph.apply(event);
    if (event.prefix.timeSec !== undefined) this.counts.timestamps = true;
    const task = this.taskOf(event);
    if (!task) return;
    this.lastEvents.set(task.key, event);
    switch (event.kind) {
      case 'syscall':
        return this.syscall(event, task);
      case 'signal':
        for (const { run } of this.runs) run.signal?.(event, task);
        return;
      case 'exit':
      case 'killed':
        for (const { run } of this.runs) run.ended?.(event, task);
        return;
      default:
        return;
    }
  }

  private syscall(event: SyscallEvent, task: Task): void {
    const c = this.counts;
    c.syscalls++;
    if (event.ret?.errno !== undefined && !event.ret.errno.startsWith('ERESTART')) c.failed++;
    if (event.durationSec !== undefined) c.durations = true;
    if (event.ret?.decoration !== undefined) c.fdPaths = true;
    if (!c.allSyscalls && !LIFECYCLE_NAMES.has(event.name)) c.allSyscalls = true;
    const fact = decodeSyscall(event);
    for (const { run } of this.runs) run.syscall?.(event, task, fact);
    if (CREATING.has(event.name)) this.creation(event, task);
    const process = this.graph.processOf(task);
    if (fact) this.applyFact(event, task, process, fact);
    if ((event.name === 'execve' || event.name === 'execveat') && event.ret !== undefined && event.ret.errno === undefined) {
      // After the rules saw the table the exec found: close-on-exec descriptors go, handlers reset.
      this.fds.exec(process.key);
      this.signals.exec(process.key);
      const argv0 = this.graph.command(process)?.[0];
      if (argv0 !== undefined) this.programs.set(process.key, basename(argv0));
    }
  }

  private creation(event: SyscallEvent, creator: Task): void {
    const tid = returned(event);
    if (tid === undefined || tid <= 0n) return;
    const child = this.graph.taskByTid(Number(tid));
    if (!child || child.key === creator.key) return;
    this.counts.created++;
    if (child.birth.kind !== 'thread' && this.createdChildren.length < 64) this.createdChildren.push(child);
    for (const { run } of this.runs) run.created?.(creator, child, event);
    const creatorProcess = this.graph.processOf(creator);
    const childProcess = this.graph.processOf(child);
    if (childProcess.key === creatorProcess.key) {
      this.signals.thread(creator.key, child.key);
      return;
    }
    this.signals.fork(creator.key, creatorProcess.key, child.key, childProcess.key);
    if (!child.birth.flags?.includes('CLONE_FILES')) this.fds.fork(creatorProcess.key, childProcess.key);
    const program = this.programs.get(creatorProcess.key);
    if (program !== undefined && !this.programs.has(childProcess.key)) this.programs.set(childProcess.key, program);
  }

  private applyFact(event: SyscallEvent, task: Task, process: Process, fact: NonNullable<ReturnType<typeof decodeSyscall>>): void {
    switch (fact.kind) {
      case 'sigaction':
        this.signals.setDisposition(process.key, fact.signal, { disposition: fact.disposition, flags: fact.flags, cite: this.cite(event, 'disposition set') });
        return;
      case 'sigmask':
        this.signals.changeMask(task.key, fact.how, fact.mask, this.cite(event, 'mask changed'));
        return;
      case 'fd-open':
        this.fds.open(process.key, fact.fds, { cloexec: fact.cloexec, kind: fact.fdKind, readOnly: fact.readOnly, cite: this.cite(event, 'descriptor created') });
        return;
      case 'signalfd':
        if (fact.fd !== undefined) this.fds.open(process.key, [fact.fd], { cloexec: fact.cloexec, kind: 'other', readOnly: true, cite: this.cite(event, 'descriptor created') });
        return;
      case 'fd-dup':
        this.fds.dup(process.key, fact.from, fact.to, fact.cloexec, this.cite(event, 'descriptor duplicated'));
        return;
      case 'fd-close':
        this.fds.close(process.key, fact.first, fact.last, fact.cloexecOnly);
        return;
      case 'fd-cloexec':
        this.fds.setCloexec(process.key, fact.fd, fact.on);
        return;
      default:
        return;
    }
  }

  private taskOf(event: TraceEvent): Task | undefined {
    const pid = event.prefix.pid;
    return pid === undefined ? this.graph.unprefixedTask() : this.graph.taskByTid(pid);
  }

  /** Finishes the model and the rules; returns the report. */
  end(): DoctorReport {
    this.graph.finish();
    const profile = this.profile();
    const findings: Finding[] = [];
    const skipped: SkippedRule[] = [];
    const ran: RuleId[] = [];
    for (const { rule, run } of this.runs) {
      const unmet = rule.needs.filter((need) => NEEDS[need].missing(profile));
      const found = run.finish();
      if (unmet.length > 0) {
        skipped.push({ rule: rule.id, reason: unmet.map((n) => NEEDS[n].reason).join('; '), flags: unmet.flatMap((n) => NEEDS[n].flags) });
        continue;
      }
      ran.push(rule.id);
      findings.push(...found);
    }
    findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || firstLine(a) - firstLine(b));
    return { findings, skipped, ran, profile };
  }

  private profile(): LogProfile {
    const c = this.counts;
    const processes = this.graph.processes();
    return {
      events: c.events,
      syscalls: c.syscalls,
      tasks: this.graph.tasks().length,
      processes: processes.length,
      followMissing: this.createdChildren.length > 0 && this.createdChildren.every((t) => !t.traced),
      allSyscalls: c.allSyscalls,
      failedOnly: c.syscalls >= 10 && c.failed === c.syscalls,
      timestamps: c.timestamps,
      durations: c.durations,
      fdPaths: c.fdPaths,
      sources: [...this.graph.stats.sources],
    };
  }

  // ------------------------------------------------------------ RuleContext

  cite(event: TraceEvent, role: string): Citation {
    return { ...(event.source !== undefined ? { source: event.source } : {}), line: event.endLine ?? event.line, role, text: lineText(event.raw) };
  }

  citeMoment(at: Moment, role: string): Citation {
    const source = at.file === undefined ? undefined : this.graph.stats.sources[at.file];
    return { ...(source !== undefined ? { source } : {}), line: at.line, role };
  }

  lastLine(task: Task, role: string): Citation | undefined {
    const event = this.lastEvents.get(task.key);
    return event ? this.cite(event, role) : undefined;
  }

  taskRef(task: Task): TaskRef {
    const process = this.graph.processOf(task);
    const command = this.program(process);
    return { tgid: process.tgid, tid: task.tid, ...(command !== undefined ? { command } : {}) };
  }

  processRef(process: Process): TaskRef {
    const command = this.program(process);
    return { tgid: process.tgid, tid: process.tgid, ...(command !== undefined ? { command } : {}) };
  }

  program(process: Process): string | undefined {
    const known = this.programs.get(process.key);
    if (known !== undefined) return known;
    const argv0 = this.graph.command(process)?.[0];
    if (argv0 !== undefined) return basename(argv0);
    const leader = process.leader === undefined ? undefined : this.graph.task(process.leader);
    return leader?.comm;
  }

  programBeforeExec(process: Process): string | undefined {
    return this.programs.get(process.key);
  }

  alive(task: Task): boolean {
    const kind = task.end?.kind;
    return kind === undefined || kind === 'running';
  }

  processOfTid(tid: number): Process | undefined {
    const task = this.graph.taskByTid(tid);
    return task ? this.graph.processOf(task) : undefined;
  }
}

function firstLine(f: Finding): number {
  return f.lines[0]?.line ?? 0;
}

/** Diagnoses a whole log given as events (an array or a generator). */
export function diagnose(events: Iterable<TraceEvent>, options: DoctorOptions = {}): DoctorReport {
  const doctor = new Doctor(options);
  for (const event of events) doctor.push(event);
  return doctor.end();
}

/** Diagnoses events that arrive in batches (parseFilesBatches, parseStreamBatches). */
export async function diagnoseBatches(batches: AsyncIterable<TraceEvent[]>, options: DoctorOptions = {}): Promise<DoctorReport> {
  const doctor = new Doctor(options);
  for await (const batch of batches) for (const event of batch) doctor.push(event);
  return doctor.end();
}
