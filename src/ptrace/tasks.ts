/**
 * The little /proc a snapshot needs about each thread, read before the threads are stopped so the
 * pause stays short: the TIDs in task/, and each thread's name and scheduler state from its stat line.
 * Also whether a thread or the whole process is on its way out, which decides "the process exited
 * during the snapshot".
 */
import { readdirSync, readFileSync } from 'node:fs';

export function listTids(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`)
    .map(Number)
    .filter((tid) => Number.isInteger(tid) && tid > 0);
}

export interface TaskStat {
  name: string;
  /** Scheduler state letter: R, S, D, T, t, Z, X, I. */
  state: string;
  /** Task flags (field 9): PF_EXITING, PF_KTHREAD... */
  flags: number;
}

/** <linux/sched.h> task flags. */
const PF_EXITING = 0x4;
export const PF_KTHREAD = 0x200000;
const SIGKILL_BIT = 1n << 8n;

/** Name and state of one thread; undefined if it is gone. */
export function readTaskStat(pid: number, tid: number): TaskStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The name is in parentheses and may itself contain ')' and spaces: it ends at the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text.slice(close + 2).split(' ');
  return { name: text.slice(open + 1, close), state: fields[0], flags: Number(fields[6]) || 0 };
}

/** Fields of /proc/PID/status (or /proc/PID/task/TID/status) as a map (Tgid, TracerPid, CapEff, Uid...). */
export function readStatus(pid: number | 'self', tid?: number): Map<string, string> | undefined {
  try {
    const fields = new Map<string, string>();
    const path = tid === undefined ? `/proc/${pid}/status` : `/proc/${pid}/task/${tid}/status`;
    for (const line of readFileSync(path, 'latin1').split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    return fields;
  } catch {
    return undefined;
  }
}

const exited = (stat: TaskStat) => stat.state === 'Z' || stat.state === 'X';

/**
 * Whether a thread is gone or going: reaped, exited (Z/X), inside do_exit (PF_EXITING, which is also
 * why PTRACE_SEIZE answers EPERM), or killed and not yet run (SIGKILL pending: exit_group() leaves
 * one in every other thread of the process).
 */
export function threadEnding(pid: number, tid: number): boolean {
  const stat = readTaskStat(pid, tid);
  if (!stat || exited(stat) || stat.flags & PF_EXITING) return true;
  const status = readStatus(pid, tid);
  if (!status) return true;
  const pending = (name: string) => BigInt(`0x${status.get(name) ?? '0'}`) & SIGKILL_BIT;
  return pending('SigPnd') !== 0n || pending('ShdPnd') !== 0n;
}

/**
 * Whether the process as a whole has exited or is exiting: every thread is ending. A leader that
 * called pthread_exit() shows Z while other threads live on: that process is alive.
 */
export function processEnding(pid: number): boolean {
  if (!threadEnding(pid, pid)) return false;
  let tids: number[];
  try {
    tids = listTids(pid);
  } catch {
    return true;
  }
  return tids.every((tid) => tid === pid || threadEnding(pid, tid));
}

/** A thread of the process that has not exited, to read what only a live thread shows (maps, exe, root, memory). */
export function liveThread(pid: number, tids: number[]): number | undefined {
  if (tids.includes(pid) && !isExited(pid, pid)) return pid;
  return tids.find((tid) => !isExited(pid, tid));
}

function isExited(pid: number, tid: number): boolean {
  const stat = readTaskStat(pid, tid);
  return !stat || exited(stat);
}
