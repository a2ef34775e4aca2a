/**
 * /proc/PID/stat and /proc/PID/task/TID/stat: one line, fields numbered as in proc(5).
 *
 * The command name (field 2) sits in parentheses and may itself contain spaces and parentheses
 * (`prctl(PR_SET_NAME, "a) (b")`), so the name ends at the LAST `)` of the line.
 *
 * Tick counters are JS numbers: at USER_HZ = 100 they stay exact for millions of years. Byte sizes
 * and addresses are bigint.
 */
import { TasklensError } from '../errors.js';

/** Clock ticks per second for /proc tick fields: USER_HZ, fixed at 100 on x86-64 whatever CONFIG_HZ is. */
export const USER_HZ = 100;

/** Scheduling policies (stat field 41; <linux/sched.h>). */
export const SCHED_POLICIES: readonly string[] = [
  'SCHED_OTHER', 'SCHED_FIFO', 'SCHED_RR', 'SCHED_BATCH', 'SCHED_ISO', 'SCHED_IDLE', 'SCHED_DEADLINE', 'SCHED_EXT',
];

/** Task flag PF_KTHREAD (<linux/sched.h>): set on kernel threads. */
const PF_KTHREAD = 0x00200000;

export interface TaskStat {
  pid: number;
  /** Thread name (task/TID/stat) or process name: at most 15 bytes. */
  comm: string;
  /** State letter: R S D T t Z X I P ... */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  ttyNr: number;
  tpgid: number;
  flags: number;
  /** True for kernel threads (PF_KTHREAD). */
  kernelThread: boolean;
  minorFaults: number;
  majorFaults: number;
  /** User and system CPU time in clock ticks (USER_HZ). */
  utime: number;
  stime: number;
  /** Waited-for children's CPU time in ticks. */
  cutime: number;
  cstime: number;
  priority: number;
  nice: number;
  numThreads: number;
  /** Start time in ticks after boot. */
  startTicks: number;
  vsizeBytes: bigint;
  rssPages: number;
  /** Signal sent to the parent when this task dies (usually SIGCHLD = 17; 0 for threads). */
  exitSignal: number;
  /** CPU the task last ran on. */
  processor: number;
  rtPriority: number;
  policy: number;
  /** Ticks spent waiting for block I/O (delay accounting). */
  blkioTicks: number;
  /**
   * Raw wait status for a zombie (field 52, `exit_code`), e.g. 1792 for `_exit(7)`. Zero when the
   * task is alive or when the reader lacks ptrace-read access; undefined on kernels before 3.5.
   */
  exitCode?: number;
}

/** Parses one stat line. Throws a procfs TasklensError when the line is not a stat line. */
export function parseStat(text: string): TaskStat {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw malformed(text);
  // rest[0] is field 3 (state); field n is rest[n - 3].
  const rest = text.slice(close + 2).split(' ');
  if (rest.length < 39) throw malformed(text);
  const n = (field: number): number => Number(rest[field - 3]);
  const flags = n(9);
  const stat: TaskStat = {
    pid: Number(text.slice(0, open)),
    comm: text.slice(open + 2, close),
    state: rest[0],
    ppid: n(4),
    pgrp: n(5),
    session: n(6),
    ttyNr: n(7),
    tpgid: n(8),
    flags,
    kernelThread: (flags & PF_KTHREAD) !== 0,
    minorFaults: n(10),
    majorFaults: n(12),
    utime: n(14),
    stime: n(15),
    cutime: n(16),
    cstime: n(17),
    priority: n(18),
    nice: n(19),
    numThreads: n(20),
    startTicks: n(22),
    vsizeBytes: BigInt(rest[23 - 3]),
    rssPages: n(24),
    exitSignal: n(38),
    processor: n(39),
    rtPriority: n(40),
    policy: n(41),
    blkioTicks: rest.length > 42 - 3 ? n(42) : 0,
  };
  if (rest.length >= 52 - 2) stat.exitCode = n(52);
  return stat;
}

/** The few fields a thread row needs, without splitting all 52 (the hot path of `ps --threads`). */
export interface ThreadStatBrief {
  comm: string;
  state: string;
  utime: number;
  stime: number;
  startTicks: number;
  processor: number;
}

/** Fields 14, 15, 22 and 39 located by counting spaces after the comm; throws on a malformed line. */
export function parseStatBrief(text: string): ThreadStatBrief {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw malformed(text);
  const out: ThreadStatBrief = { comm: text.slice(open + 2, close), state: text[close + 2], utime: 0, stime: 0, startTicks: 0, processor: 0 };
  let pos = close + 2;
  for (let field = 3; field <= 39; field++) {
    const end = text.indexOf(' ', pos);
    if (end < 0) throw malformed(text);
    if (field === 14) out.utime = Number(text.slice(pos, end));
    else if (field === 15) out.stime = Number(text.slice(pos, end));
    else if (field === 22) out.startTicks = Number(text.slice(pos, end));
    else if (field === 39) out.processor = Number(text.slice(pos, end));
    pos = end + 1;
  }
  return out;
}

function malformed(text: string): TasklensError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}...` : text;
  return new TasklensError('procfs', 'malformed-stat', `not a /proc stat line: ${JSON.stringify(shown)}`, {
    hint: 'the file should hold "PID (comm) STATE PPID ..." as described in proc(5)',
  });
}
