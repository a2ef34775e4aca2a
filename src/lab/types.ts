/**
 * The data of a lab: what it is (a table row), and what a run of it produced (traces, explanations,
 * and the points worth noticing, each computed from the real traces and citing their lines).
 */
import type { TraceEvent } from '../parse/types.js';
import type { TaskGraph } from '../model/graph.js';
import type { ExplainedEvent, ExplainSummary } from '../explain/index.js';

/** One C program of a lab: a source file under labs/<lab>/, built into one binary. */
export interface LabProgram {
  /** Short name used in headings, JSON and file names: `thread`, `fork`. */
  name: string;
  /** Source file, relative to labs/<lab>/. */
  source: string;
  /** What the program does, one line. */
  does: string;
  /** Exit code the program is expected to end with (default 0); any other is reported. */
  expectExit?: number;
  /** Arguments to run it with. */
  args?: string[];
  /**
   * Something the lab does to the program while it runs, keyed by a line the program prints on
   * stdout: e.g. send it SIGTERM once it says it is ready, or look at a child's state in /proc.
   */
  interact?: LabInteraction;
  /**
   * Run the program under `tasklens run` with these options; the trace then starts at tasklens (its
   * subreaping, forwarding and escalation are part of what the lab shows).
   */
  underRun?: string[];
  /** A strace `-e` expression that narrows the trace (a traced Node launcher makes thousands of start-up calls). */
  traceFilter?: string;
}

/**
 * A reaction to the program's output. `pattern` is matched against each stdout line; its first
 * capture group must be a pid. `action` names what the lab does with that pid.
 */
export interface LabInteraction {
  pattern: RegExp;
  action: 'sigterm' | 'observe-state';
  /** `sigterm`: wait this long after the line before sending (ms). `observe-state`: look until the task is a zombie, for at most this long. */
  delayMs?: number;
}

/** A lab as data: one row of the catalog. */
export interface LabDefinition {
  id: string;
  title: string;
  /** What it teaches, a few sentences. */
  teaches: string;
  programs: LabProgram[];
  /** What the analysis points out, one line each (shown by `lab list` and before a run). */
  notice: string[];
  /**
   * What runs the programs: strace (the default: traced, explained, analysed by `analyse`), or perf
   * (scheduler tracepoints; run by runSchedLatencyLab, not runLab).
   */
  engine?: 'strace' | 'perf';
  /** Show the process/thread tree of each trace (labs about process families, zombies). */
  tree?: boolean;
  /** Computes the points worth noticing from the traced runs. */
  analyse: (runs: ProgramRun[]) => LabPoint[];
}

/** A reference to one line of one program's trace. */
export interface Citation {
  /** Program name (`thread`, `fork`). */
  program: string;
  line: number;
  /** Last line, when the call was split into `<unfinished ...>` and `<... resumed>` lines. */
  endLine?: number;
  /** The line's text as strace printed it (for text output; may be cut by the renderer). */
  raw: string;
}

/** One side of a point: what one program's trace shows, with the values and lines behind it. */
export interface LabSide {
  program: string;
  /** Heading of the side when it is not the program's name (labs with one program and several facts). */
  label?: string;
  /** A sentence with the real values (tids, flags, sizes, addresses). */
  says: string;
  /** Values behind the sentence, for --json (decoded flags, sizes, ids). */
  values?: Record<string, unknown>;
  cites: Citation[];
}

/** A small comparison grid (e.g. each clone flag: set for the thread? for the child?). */
export interface LabTable {
  columns: string[];
  rows: string[][];
}

/** A thing worth noticing, computed from the traces: one or more sides and why it matters. */
export interface LabPoint {
  id: string;
  title: string;
  sides: LabSide[];
  table?: LabTable;
  /** Why it matters: general knowledge, no run-specific values. */
  why: string;
}

/** How the lab built one program. */
export interface BuildResult {
  binary: string;
  /** True when the binary came from the cache (no compiler run). */
  cached: boolean;
  /** The cache key: a hash of the sources, flags and compiler version. */
  key: string;
  compiler: string;
  /** Milliseconds spent compiling (0 when cached). */
  compileMs: number;
}

/** What tracing one program produced. */
export interface TracedRun {
  /** The strace log (full trace: -f -ttt -T). */
  log: string;
  /** The program's exit code; null when killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  /** What the program wrote to stdout and stderr. */
  stdout: string;
  stderr: string;
  /** What the lab did while the program ran (signals sent, states observed). */
  interactions: InteractionRecord[];
  /** Milliseconds from start to end of the strace run. */
  wallMs: number;
}

export interface InteractionRecord {
  action: LabInteraction['action'];
  pid: number;
  /** `sigterm`: sent; `observe-state`: the /proc state letter seen, e.g. `Z`. */
  result: string;
  /** Milliseconds since the program started. */
  atMs: number;
}

/** One program of a lab after building, tracing and parsing. */
export interface ProgramRun {
  program: LabProgram;
  /** Absolute path of the C source. */
  sourcePath: string;
  build: BuildResult;
  trace: TracedRun;
  events: TraceEvent[];
  graph: TaskGraph;
  /** Every event with its explanation and the idioms it belongs to, in log order of output. */
  explained: ExplainedEvent[];
  summary: ExplainSummary;
}
