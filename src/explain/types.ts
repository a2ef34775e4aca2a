/**
 * What the explain layer produces: one Explanation per event (text in plain words, decoded flags,
 * a benign note for failures that are normal), PatternMatches for multi-call idioms, and a summary.
 * Everything is plain JSON-ready data except `event`, which is the parser's event as is.
 */
import type { TraceEvent } from '../parse/types.js';
import type { AbiVerdict } from './abi.js';

export interface Explanation {
  /** One sentence (or a few clauses) using the call's actual values. */
  text: string;
  /** Our category of the syscall (kb), or the event kind for non-syscall lines (`signal`, `exit`...). */
  category: string;
  /** Further lines: one per decoded flag, errno meaning, relations to earlier lines. */
  detail?: string[];
  /** Decoded arguments by name: flag lists with meanings, sizes, signal names... (JSON-ready, no bigint). */
  decoded?: Record<string, unknown>;
  /** Set when the call failed (or did something odd) in a way that is normal: why it is harmless. */
  benign?: string;
  /** The failure matters (not benign, not a restart): the errno symbol. */
  failure?: string;
  /** True when only the knowledge base's one-line description was available (no argument-aware text). */
  generic?: boolean;
}

/** A multi-call idiom (thread creation, loader start-up...) found in the stream. */
export interface PatternMatch {
  /** Kind of pattern: `thread-create`, `loader-startup`, `fork-exec-wait`... */
  id: string;
  /** Unique per log: `thread-create#3`. Events that belong to it carry it in `partOf`. */
  key: string;
  title: string;
  summary: string;
  /** Thread the idiom runs in (its first line's TID). */
  tid?: number;
  /**
   * Lines the idiom spans, in log order. Complete for short idioms when the header is emitted; idioms
   * that keep going (a wait after a fork) add their later lines to this same array as they arrive.
   */
  lines: number[];
}

/** Membership of an event in a pattern, with the step it plays there. */
export interface PatternRole {
  key: string;
  id: string;
  /** Short name of the step, e.g. `guard page`, `blocks all signals`. */
  role: string;
}

export interface ExplainedEvent {
  event: TraceEvent;
  /** Thread id of the line and its process (thread group) id per the task graph, when the line has a pid. */
  tid?: number;
  tgid?: number;
  /** Absent only for lines with nothing to say (stack frames, dumps, summary rows). */
  explanation?: Explanation;
  /** Idioms whose first line is this event (headers to print above it). Read-only: shared when empty. */
  patternsStarting: readonly PatternMatch[];
  /** Idioms this event is a step of. Read-only: shared when empty. */
  partOf: readonly PatternRole[];
  /** Position in the explained stream (0-based), set by the pattern engine. */
  seq?: number;
}

export interface ExplainSummary {
  events: number;
  syscalls: number;
  /** Processes (thread groups) whose grouping the log shows, and threads (tasks) seen. */
  processes: number;
  threads: number;
  /** Tasks with no creation line and nothing tying them to a thread group: process or thread unknown. */
  ungrouped?: number;
  /** The first tasks (up to 500) in order of appearance; `tasksOmitted` counts the rest. */
  /** `command`: the argv quoted like a shell would; `commandTruncated`: strace cut it (`-s`), marked `…`. */
  tasks: Array<{ tid: number; tgid: number; kind: string; syscalls: number; command?: string; commandTruncated?: boolean; end?: string }>;
  tasksOmitted?: number;
  /** Failed calls that are not explained as benign (restarts excluded), grouped by call and errno. */
  failures: Array<{ syscall: string; errno: string; count: number; firstLine: number }>;
  /** Failures explained as normal, grouped the same way. */
  benignFailures: Array<{ syscall: string; errno: string; count: number; firstLine: number; why: string }>;
  /** Pattern counts by id, with the first few keys. */
  patterns: Array<{ id: string; title: string; count: number; firstLines: number[] }>;
  /** Syscall names that only got the generic kb description. */
  genericOnly: string[];
  /** Names not in the knowledge base at all. */
  unknownSyscalls: string[];
  unknownLines: number;
  /** Calls with a string strace cut at its -s limit (marked `…` in their explanation). */
  cutCalls: number;
  /** The system call ABI the log was recorded on, and what showed it (none: x86-64 was assumed). */
  abi: AbiVerdict;
}
