/**
 * The shape of a doctor rule and what it may ask while the log streams by. A rule is data (id,
 * severity, what it needs from the capture, the fix) plus a `start` that returns its per-log state:
 * hooks the core calls for each event (after the task model saw it, before the doctor's own signal
 * and descriptor state take the event in, so a rule sees the state the call found) and `finish`.
 * Rules keep only bounded per-task state: a 1 GB log must not fill memory.
 */
import type { ExitEvent, KilledEvent, SignalEvent, SyscallEvent, TraceEvent } from '../parse/types.js';
import type { Moment, Process, Task } from '../model/types.js';
import type { TaskGraph } from '../model/graph.js';
import type { SyscallFact } from './decode.js';
import type { SignalState } from './state/signals.js';
import type { FdTables } from './state/fds.js';
import type { Citation, Finding, Need, RuleId, Severity, TaskRef } from './types.js';

/** What the core offers every rule. */
export interface RuleContext {
  readonly graph: TaskGraph;
  readonly signals: SignalState;
  readonly fds: FdTables;
  /** Options the user gave (thresholds). */
  readonly options: Required<Pick<DoctorThresholds, 'slowCallMs' | 'zombieSeconds'>>;
  /** A citation of an event's line (its result line for a call that was split). */
  cite(event: TraceEvent, role: string): Citation;
  /** A citation of a model moment (no text: the model keeps no raw lines). */
  citeMoment(at: Moment, role: string): Citation;
  /** The last line of a task seen so far (or at the end of the log). */
  lastLine(task: Task, role: string): Citation | undefined;
  taskRef(task: Task): TaskRef;
  processRef(process: Process): TaskRef;
  /** The program a process runs now (basename of its last exec, or the -Y comm). */
  program(process: Process): string | undefined;
  /** The program the process ran before the exec being looked at (its own last exec or its parent's). */
  programBeforeExec(process: Process): string | undefined;
  /** Whether the task is alive at this point of the log. */
  alive(task: Task): boolean;
  /** The process of the task with this TID, if the log knows it. */
  processOfTid(tid: number): Process | undefined;
}

export interface DoctorThresholds {
  /** slow-call: calls that should be quick are reported from this many milliseconds (default 10). */
  slowCallMs?: number;
  /** never-reaped: a zombie that lasts this long while its parent lives on is a warning (default 1 s). */
  zombieSeconds?: number;
}

/** The per-log state of one rule. */
export interface RuleRun {
  syscall?(event: SyscallEvent, task: Task, fact: SyscallFact | undefined): void;
  signal?(event: SignalEvent, task: Task): void;
  ended?(event: ExitEvent | KilledEvent, task: Task): void;
  /** A task created by a call of `creator` (seen on the call's result line). */
  created?(creator: Task, child: Task, event: SyscallEvent): void;
  finish(): Finding[];
}

export interface RuleDefinition {
  id: RuleId;
  /** One line: what the rule detects. */
  title: string;
  /** The most severe level it reports. */
  severity: Severity;
  /** What the log must show for the rule to run (see Need). */
  needs: readonly Need[];
  /** The fix in one sentence. */
  fix: string;
  start(ctx: RuleContext): RuleRun;
}

/** A finding with the rule's fix filled in. */
export function finding(rule: RuleDefinition, severity: Severity, tasks: TaskRef[], lines: Array<Citation | undefined>, message: string, details?: Finding['details']): Finding {
  return { rule: rule.id, severity, tasks, lines: lines.filter((c): c is Citation => c !== undefined), message, fix: rule.fix, ...(details ? { details } : {}) };
}
