/**
 * The data of a report: what the HTML page draws and what the Perfetto exporter writes. Plain,
 * JSON-ready records; the per-call columns are typed arrays (one entry per syscall event) because a
 * log can hold millions of calls and objects per call would not fit in a ~20 MB page.
 *
 * Times are on one axis per report (`timeUnit`): microseconds since the first timestamped event, or,
 * for a log without timestamps, the event's position in the log (one unit per event).
 */
import type { TreeDocument } from '../render/tree/build.js';
import type { BirthKind, EndKind, TimeBase } from '../model/types.js';

/** One lane of the timeline: one task (one TID for one lifetime). */
export interface ReportLane {
  /** Task key (`TID` or `TID#N`). */
  key: string;
  tid: number;
  /** Index into `ReportData.processes`. */
  process: number;
  /** Lane start and end on the time axis. */
  start: number;
  end: number;
  birth: BirthKind;
  /** How the task ended (`running`, `unknown`: still alive or not known when the log ends). */
  endKind: EndKind;
  /** Short text: `exit 0`, `killed by SIGKILL`, `running at end of log`. */
  endText: string;
  /** Whether the task is the leader of its thread group. */
  leader: boolean;
  /** `-Y` command name, when the log shows it. */
  comm?: string;
  /** Number of syscall events of this task. */
  syscalls: number;
}

/** One thread group, in tree order (depth-first from the roots). */
export interface ReportProcess {
  key: string;
  pid: number;
  /** Depth in the process tree (0 for roots). */
  depth: number;
  /** Index of the parent in `ReportData.processes`, when it has one. */
  parent?: number;
  /** The program as its last successful exec gave it (argv), or the inherited one. */
  command?: string[];
  /** Indexes of its lanes in `ReportData.lanes`, leader first. */
  lanes: number[];
}

/** A point event drawn on a lane. */
export interface ReportMarker {
  kind: 'birth' | 'exec' | 'exit' | 'signal';
  lane: number;
  t: number;
  /** What the marker says: `fork`, `exec /bin/ls`, `exit 1`, `SIGTERM`. */
  label: string;
  /** Where in the log (1-based line, index into `ReportData.sources`). */
  line?: number;
  file?: number;
  /** Index into the details (raw line and explanation), when embedded. */
  detail?: number;
  /** exec: failed; exit: abnormal (killed or non-zero); signal: a group stop. */
  alert?: boolean;
}

/** An arrow between lanes: task creation (creator → child) or a signal (sender → receiver). */
export interface ReportArrow {
  kind: 'fork' | 'signal';
  from: number;
  fromT: number;
  to: number;
  toT: number;
  /** `thread`, `fork`, `spawn`...; for signals the signal name. */
  label: string;
  /** The line the arrow ends at (the child's creation call, or the signal's delivery line). */
  line?: number;
  file?: number;
  detail?: number;
  /** The line the arrow starts at (the clone call, or the kill call). */
  fromLine?: number;
}

/** One row of a details table: a log line and what it means. */
export interface ReportDetail {
  line: number;
  file?: number;
  /** The line(s) as logged, made terminal-safe (controls and invalid bytes shown as `\xNN`). */
  raw: string;
  /** The plain-language explanation, when the explainer had one. */
  text?: string;
}

/** A doctor finding as the report shows it (each links to its lines on the timeline). */
export interface ReportFinding {
  /** Rule id, e.g. `zombie`, `fork-in-threaded-process`. */
  rule: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  message: string;
  /** The fix in one sentence. */
  fix?: string;
  /** Lines it cites (1-based, with the source index when the report reads several files) and what each shows. */
  lines: Array<{ line: number; file?: number; role?: string }>;
  /** TIDs it is about, when known. */
  tids?: number[];
}

/** The doctor panel: findings, or why there are none to show. */
export interface ReportFindings {
  available: boolean;
  /** Shown when `available` is false (no doctor in this build, or it failed). */
  note?: string;
  items: ReportFinding[];
}

/** Per-call columns (one entry per syscall event, in log order). */
export interface CallColumns {
  count: number;
  /** Lane of the call. */
  lane: Int32Array;
  /** Entry time on the axis. */
  start: Float64Array;
  /** Duration (`-T`) on the axis; -1 when the log has none; for calls that never returned, up to the lane's end. */
  dur: Float64Array;
  /** Index into `ReportData.names`. */
  name: Uint16Array;
  /** Index into `ReportData.errnos` (0: no error). */
  errno: Uint16Array;
  /** 1-based first line of the call. */
  line: Uint32Array;
  /** Index into `ReportData.sources`. */
  file: Uint16Array;
  /** Index into the details, or -1 when its text is not embedded (see `ReportStats.detailsOmitted`). */
  detail: Int32Array;
  /** 1 when the call never returned in the log (task died, detached, log ended). */
  open: Uint8Array;
}

export interface ReportStats {
  events: number;
  syscalls: number;
  tasks: number;
  processes: number;
  unknownLines: number;
  /** Calls whose raw text and explanation are in the report / left out to keep it small. */
  detailsEmbedded: number;
  detailsOmitted: number;
}

/** Everything a report shows. */
export interface ReportData {
  tasklens: 'report';
  version: 1;
  title: string;
  sources: string[];
  timeBase: TimeBase;
  /** `us`: microseconds since `timeOrigin`; `event`: position in the log (no timestamps). */
  timeUnit: 'us' | 'event';
  /** Seconds (epoch or since midnight, see timeBase) of axis 0, when the log has times. */
  timeOrigin?: number;
  /** End of the axis. */
  span: number;
  /** The log has `-T` durations. */
  hasDurations: boolean;
  processes: ReportProcess[];
  lanes: ReportLane[];
  markers: ReportMarker[];
  arrows: ReportArrow[];
  names: string[];
  /** errno symbols; index 0 is the empty string (no error). */
  errnos: string[];
  calls: CallColumns;
  details: ReportDetail[];
  /** Failed calls that matter, grouped by call and errno, most frequent first. */
  failures: Array<{ syscall: string; errno: string; count: number; firstLine: number }>;
  findings: ReportFindings;
  tree: TreeDocument;
  stats: ReportStats;
  /** Warnings for the reader (no timestamps, details left out...). */
  notes: string[];
}
