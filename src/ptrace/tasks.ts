/**
 * The little /proc a snapshot needs about each thread, read before the threads are stopped so the
 * pause stays short: the TIDs in task/, and each thread's name and scheduler state from its stat line.
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
}

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
  return { name: text.slice(open + 1, close), state: text.charAt(close + 2) };
}

/** Fields of /proc/PID/status as a map (Tgid, TracerPid, CapEff, Uid...). */
export function readStatus(pid: number | 'self'): Map<string, string> | undefined {
  try {
    const fields = new Map<string, string>();
    for (const line of readFileSync(`/proc/${pid}/status`, 'latin1').split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    return fields;
  } catch {
    return undefined;
  }
}
