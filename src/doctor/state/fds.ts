/**
 * Descriptor tables as the log shows them, one per process (threads share theirs): each descriptor
 * the log saw created, whether it is close-on-exec, what it is and the line that made it. Descriptors
 * that existed before the trace are not in it: nothing is guessed about them.
 */
import type { Citation } from '../types.js';
import type { FdKind } from '../decode.js';

export interface FdEntry {
  cloexec: boolean;
  kind: FdKind;
  readOnly: boolean;
  /** Where it was created (or dup'ed to this number). */
  cite: Citation;
  /** Its close-on-exec bit was cleared on purpose (fcntl F_SETFD 0, FIONCLEX): meant to be inherited. */
  cleared?: boolean;
}

export class FdTables {
  private readonly tables = new Map<string, Map<number, FdEntry>>();

  table(process: string): Map<number, FdEntry> {
    let t = this.tables.get(process);
    if (!t) this.tables.set(process, (t = new Map()));
    return t;
  }

  open(process: string, fds: number[], entry: Omit<FdEntry, 'cleared'>): void {
    const t = this.table(process);
    for (const fd of fds) t.set(fd, { ...entry });
  }

  /** dup/dup2/dup3/F_DUPFD: the new number refers to the same file, with its own close-on-exec bit. */
  dup(process: string, from: number, to: number, cloexec: boolean, cite: Citation): void {
    const t = this.table(process);
    const source = t.get(from);
    t.set(to, { cloexec, kind: source?.kind ?? 'other', readOnly: source?.readOnly ?? false, cite });
  }

  close(process: string, first: number, last: number, cloexecOnly: boolean): void {
    const t = this.tables.get(process);
    if (!t) return;
    for (const [fd, entry] of t) {
      if (fd < first || fd > last) continue;
      if (cloexecOnly) entry.cloexec = true;
      else t.delete(fd);
    }
  }

  setCloexec(process: string, fd: number, on: boolean): void {
    const entry = this.tables.get(process)?.get(fd);
    if (!entry) return;
    entry.cloexec = on;
    if (!on) entry.cleared = true;
  }

  /** A forked child gets a copy of the table. */
  fork(parent: string, child: string): void {
    const t = this.tables.get(parent);
    if (!t || this.tables.has(child)) return;
    this.tables.set(child, new Map([...t].map(([fd, e]) => [fd, { ...e }])));
  }

  /** A successful execve closes the close-on-exec descriptors. */
  exec(process: string): void {
    const t = this.tables.get(process);
    if (!t) return;
    for (const [fd, entry] of t) if (entry.cloexec) t.delete(fd);
  }

  /** The process ended: its table goes. */
  drop(process: string): void {
    this.tables.delete(process);
  }
}
