/**
 * Process selection as `ps` does it: requested PIDs (a TID selects its process) with their
 * descendants, kernel threads or not, by user, by name or command line. Reads /proc only to resolve
 * a TID to its process.
 */
import { ExitCode, TasklensError } from '../errors.js';
import { isUnavailable, tryReadProcText } from './files.js';
import type { ProcessEntry } from './listing.js';
import { statusFields } from './status.js';
import { uidOf } from './system.js';
import { subtreePids } from './tree.js';

export interface ProcessSelection {
  /** Only these processes (a TID selects its process) and their descendants; none: every process. */
  pids?: number[];
  /** Keep kernel threads (default true). */
  kernel?: boolean;
  /** Only processes of this user: a name from `users` or a numeric UID. */
  user?: string;
  /** Only processes whose comm or command line contains this text (case-insensitive). */
  name?: string;
  /** Never matched by `name` (default: this process, whose own command line contains the text, as pgrep does). */
  self?: number;
}

/** A TID that is not a process resolves to its thread group (its process). */
export function processOf(id: number): number | undefined {
  const status = tryReadProcText(`/proc/${id}/status`);
  if (isUnavailable(status)) return undefined;
  const tgid = Number(statusFields(status).get('Tgid'));
  return Number.isInteger(tgid) && tgid > 0 ? tgid : undefined;
}

/**
 * The processes of `processes` that `selection` keeps, in their order, and the requested IDs that name
 * no process. An unknown user name is a usage error (TasklensError `unknown-user`).
 */
export function selectProcesses(processes: ProcessEntry[], selection: ProcessSelection, users: Map<number, string>): { shown: ProcessEntry[]; missing: number[] } {
  let shown = processes;
  const missing: number[] = [];
  const requested = selection.pids ?? [];
  if (requested.length) {
    const present = new Set(processes.map((p) => p.pid));
    const tops: number[] = [];
    for (const id of requested) {
      const pid = present.has(id) ? id : processOf(id);
      if (pid !== undefined && present.has(pid)) tops.push(pid);
      else missing.push(id);
    }
    const keep = subtreePids(processes, tops);
    shown = shown.filter((p) => keep.has(p.pid));
  }
  if (selection.kernel === false) shown = shown.filter((p) => !p.kernelThread);
  if (selection.user !== undefined) {
    const uid = uidOf(selection.user, users);
    if (uid === undefined) {
      throw new TasklensError('procfs', 'unknown-user', `no user named "${selection.user}" in /etc/passwd`, {
        hint: 'give a user name or a numeric UID',
        exitCode: ExitCode.usage,
      });
    }
    shown = shown.filter((p) => p.uid === uid);
  }
  if (selection.name !== undefined) {
    const needle = selection.name.toLowerCase();
    const self = selection.self ?? process.pid;
    shown = shown.filter((p) => p.pid !== self && (p.comm.toLowerCase().includes(needle) || (p.cmdline ?? []).join(' ').toLowerCase().includes(needle)));
  }
  return { shown, missing };
}
