/**
 * Typed records of the scheduler tracepoints, decoded once from `perf script` lines. Everything above
 * (the analysis, the CLI) reads these, never the text.
 */

/** A trace timestamp as perf prints it (`3129.782339470`): whole seconds and nanoseconds, both exact. */
export interface TraceTime {
  sec: number;
  nsec: number;
}

interface Common {
  /** 1-based line of the perf script output. */
  line: number;
  /** CPU the event was recorded on. */
  cpu: number;
  /** The task current on that CPU when the event fired (for sched_switch: prev): its process (TGID) and thread. */
  currentPid?: number;
  currentTid?: number;
  time: TraceTime;
}

/** `sched_switch`: prev leaves the CPU in state prevState (`R`, `R+` preempted, `S`, `D`, `I`...), next runs. */
export interface SwitchRecord extends Common {
  kind: 'switch';
  prevComm: string;
  prevPid: number;
  prevState: string;
  nextComm: string;
  nextPid: number;
}

/** `sched_waking` (start of a wakeup, what `perf sched record` keeps), `sched_wakeup`, `sched_wakeup_new` (first wakeup of a new task). */
export interface WakeupRecord extends Common {
  kind: 'wakeup';
  event: 'sched_waking' | 'sched_wakeup' | 'sched_wakeup_new';
  comm: string;
  pid: number;
  targetCpu?: number;
}

export interface MigrateRecord extends Common {
  kind: 'migrate';
  comm: string;
  pid: number;
  origCpu: number;
  destCpu: number;
}

/** `sched_stat_runtime`: CPU time charged to a running task (perf sched latency sums these as Runtime). */
export interface RuntimeRecord extends Common {
  kind: 'runtime';
  comm: string;
  pid: number;
  /** Nanoseconds, as text (a u64 in the tracepoint). */
  runtimeNs: string;
}

/** `sched_process_fork`: a task created another (a thread or a process; childPid is its TID). */
export interface ForkRecord extends Common {
  kind: 'fork';
  parentPid: number;
  childPid: number;
  childComm: string;
}

/** Another tracepoint (sched_process_fork...): known to be irrelevant here. */
export interface OtherRecord extends Common {
  kind: 'other';
  event: string;
}

/** A line that could not be read, with why. Never fatal. */
export interface UnknownRecord {
  kind: 'unknown';
  line: number;
  text: string;
  reason: string;
}

export type SchedRecord = SwitchRecord | WakeupRecord | MigrateRecord | RuntimeRecord | ForkRecord | OtherRecord | UnknownRecord;
