/**
 * What `doctor` reports: findings with the tasks and log lines they rest on, the rules that could not
 * run on a log (and the strace flags that would let them), and the rule table's shape. Plain data:
 * every record here is JSON-ready (no bigint, no class instances), so `report` and library users can
 * keep, filter and print findings as they are.
 */

/** `error`: the program is wrong; `warning`: probably wrong; `info`: worth knowing, never fails a gate. */
export type Severity = 'error' | 'warning' | 'info';

/** Severity order for sorting and thresholds (most severe first). */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** The rule ids: part of the interface (tests, `--rule` filters and users match on them). */
export type RuleId =
  | 'never-reaped'
  | 'orphaned-children'
  | 'fork-in-threaded-process'
  | 'fd-leaked-across-exec'
  | 'killed-by-sigpipe'
  | 'rlimit-nproc-hit'
  | 'stack-overflow'
  | 'sigterm-ignored'
  | 'eintr-not-retried'
  | 'signal-lost-blocked'
  | 'sigchld-ignored-wait'
  | 'exec-failed'
  | 'slow-call'
  | 'sigkill-no-sender'
  | 'thread-never-joined'
  // Live checks (`doctor PID`), from /proc:
  | 'stuck-uninterruptible'
  | 'near-limit'
  | 'main-thread-exited'
  | 'held-by-tracer';

/** A task a finding is about: thread id, its process (thread group) id and the process's command. */
export interface TaskRef {
  tgid: number;
  tid: number;
  /** The program the process ran (last exec'd argv[0] or path, or the `-Y` comm); untrusted text. */
  command?: string;
}

/** A log line a finding rests on. `text` is the line as the log holds it (untrusted, cut to 240 chars). */
export interface Citation {
  /** The log file (as given to the reader); undefined for stdin and in-memory logs. */
  source?: string;
  /** 1-based line number in `source`. */
  line: number;
  /** What the line shows for this finding: `exit`, `fork`, `kill sent`, `handler installed`... */
  role: string;
  text?: string;
}

/** One finding: what is wrong, where, why it matters and the fix in one sentence. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  tasks: TaskRef[];
  lines: Citation[];
  /** What happened and why it matters; names tasks and values (untrusted parts escaped at render). */
  message: string;
  /** The fix in one sentence. */
  fix: string;
  /** Rule-specific values (`signal`, `fd`, `errno`, `seconds`...): written as extra JSON fields. */
  details?: Record<string, string | number | boolean | string[] | number[]>;
}

/** A rule that could not run on this log, and what would let it. */
export interface SkippedRule {
  rule: RuleId;
  /** Why, in words: `the log shows no descriptor calls (traced with -e trace=%process?)`. */
  reason: string;
  /** strace options that would give the rule what it needs, e.g. `-f`, `-e trace=all`, `-T`. */
  flags: string[];
}

/**
 * What a log shows, learned while reading it: rules declare which of these they need, and a rule
 * whose need the log cannot meet is reported as skipped rather than silently finding nothing.
 */
export type Need =
  /** `-f`: the children's and threads' own lines. */
  | 'follow'
  /** `-e trace=all` (the default): descriptor, memory and signal-setup calls, not only lifecycle ones. */
  | 'all-syscalls'
  /** `-T` per-call times, or `-tt`/`-ttt` timestamps to measure calls by. */
  | 'durations'
  /** `-tt`/`-ttt`: how long things lasted (zombie lifetimes, escalation delays). */
  | 'timestamps'
  /** Not `-Z`/`-e status=failed`: the successful calls the lifecycle rules read. */
  | 'successful-calls';

/** Everything one doctor run found. */
export interface DoctorReport {
  /** Most severe first, then in log order. */
  findings: Finding[];
  skipped: SkippedRule[];
  /** The rules that ran (and had what they needed). */
  ran: RuleId[];
  /** What the log showed, for the reader (and for `report`'s side panel). */
  profile: LogProfile;
}

/** What the log holds, as far as the rules care. */
export interface LogProfile {
  events: number;
  syscalls: number;
  tasks: number;
  processes: number;
  /** Children were created and none of them has lines of its own: strace ran without -f. */
  followMissing: boolean;
  /** Calls beyond the lifecycle ones appear (descriptors, memory, signal setup). */
  allSyscalls: boolean;
  /** Every syscall shown failed: a `-Z`/`--failed-only` log. */
  failedOnly: boolean;
  timestamps: boolean;
  durations: boolean;
  /** `-y`/`-yy` descriptor decorations were seen. */
  fdPaths: boolean;
  /** The log's file names (for citations). */
  sources: string[];
}
