/**
 * Signal state as the log shows it: each process's dispositions and each thread's blocked mask, with
 * the line that set them. Inheritance follows the kernel: a new thread copies its creator's mask and
 * shares the dispositions; a forked child copies both; execve resets handled signals to the default
 * but keeps SIG_IGN and the mask (execve(2)), so an ignore set by a launcher is cited in its child.
 */
import type { Citation } from '../types.js';
import { BLOCKABLE, type Disposition } from '../decode.js';

export interface DispositionState {
  disposition: Disposition;
  flags: string[];
  /** The rt_sigaction line that set it (possibly in an ancestor, before an exec). */
  cite: Citation;
  /** The process that installed it, when it was not this one (inherited through fork or exec). */
  inheritedFrom?: string;
}

export interface MaskState {
  mask: bigint;
  /** The line that last added a signal to the mask. */
  cite?: Citation;
}

export class SignalState {
  private readonly dispositions = new Map<string, Map<number, DispositionState>>();
  private readonly masks = new Map<string, MaskState>();

  disposition(process: string, signal: number): DispositionState | undefined {
    return this.dispositions.get(process)?.get(signal);
  }

  /** The blocked mask of a thread (0 when the log never changed it). */
  mask(task: string): MaskState {
    return this.masks.get(task) ?? { mask: 0n };
  }

  setDisposition(process: string, signal: number, state: DispositionState): void {
    let table = this.dispositions.get(process);
    if (!table) this.dispositions.set(process, (table = new Map()));
    table.set(signal, state);
  }

  changeMask(task: string, how: 'block' | 'unblock' | 'set', mask: bigint, cite: Citation): void {
    const before = this.mask(task);
    const next = how === 'block' ? before.mask | mask : how === 'unblock' ? before.mask & ~mask : mask & BLOCKABLE;
    const added = (next & ~before.mask) !== 0n;
    this.masks.set(task, { mask: next, ...(added ? { cite } : before.cite ? { cite: before.cite } : {}) });
  }

  /** A new thread: its creator's mask (dispositions are the process's, shared). */
  thread(creator: string, child: string): void {
    const m = this.masks.get(creator);
    if (m && !this.masks.has(child)) this.masks.set(child, { ...m });
  }

  /** A new process: a copy of the creator's dispositions and mask. */
  fork(creatorTask: string, creatorProcess: string, childTask: string, childProcess: string): void {
    this.thread(creatorTask, childTask);
    const table = this.dispositions.get(creatorProcess);
    if (!table || this.dispositions.has(childProcess)) return;
    const copy = new Map<number, DispositionState>();
    for (const [signal, state] of table) copy.set(signal, { ...state, inheritedFrom: state.inheritedFrom ?? creatorProcess });
    this.dispositions.set(childProcess, copy);
  }

  /** A successful execve: caught signals go back to the default; ignored ones and the mask stay. */
  exec(process: string): void {
    const table = this.dispositions.get(process);
    if (!table) return;
    for (const [signal, state] of table) if (state.disposition === 'handler') table.delete(signal);
  }
}
