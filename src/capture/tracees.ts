/**
 * Which processes a given strace is tracing, read from /proc: every task whose status shows
 * `TracerPid: <strace pid>`, with its process group. Used to deliver a Ctrl-C the way a terminal does
 * (to the traced processes of the foreground process group) when only tasklens received it.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Tracee {
  pid: number;
  pgid: number;
}

export function traceesOf(tracerPid: number): Tracee[] {
  const found: Tracee[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'latin1');
      const tracer = /^TracerPid:\s*(\d+)/m.exec(status);
      if (!tracer || Number(tracer[1]) !== tracerPid) continue;
      found.push({ pid: Number(entry), pgid: processGroupOf(Number(entry)) });
    } catch {
      // The process exited while we looked: it is no longer anyone's tracee.
    }
  }
  return found;
}

/** The TIDs of a process (/proc/PID/task), ascending; empty when it is gone. */
export function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).filter((t) => /^\d+$/.test(t)).map(Number).sort((a, b) => a - b);
  } catch {
    return [];
  }
}

/** Process group id from /proc/PID/stat (field 5; the command name before it may hold spaces and parens). */
export function processGroupOf(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[2]);
}
