/**
 * The joining of split calls: a syscall whose line ended with `<unfinished ...>` waits here, per task,
 * for its `<... NAME resumed>` half; an execve interrupted by `<pid changed to N ...>` waits for the
 * half printed under the leader's pid N.
 */
import type { Prefix, SyscallEvent } from './types.js';
import type { SyscallRecord } from './records.js';

/** A syscall whose line ended with `<unfinished ...>`, waiting for its `<... resumed>` half. */
export interface OpenCall {
  name: string;
  argsText: string;
  prefix: Prefix;
  line: number;
  raw: string;
  interruption?: SyscallEvent['interruption'];
  /** Physical lines of the opener when a diagnostic split it. */
  lines?: number[];
  /** Top-level `, ` offsets in argsText, from the scan of its line (see ArgBoundaries.openerBreaks). */
  breaks?: readonly number[];
  /**
   * Output that may have been glued to the opener before strace closed it on a line of its own
   * (`read(0, file1.txt` + ` <unfinished ...>`); taken out if the resumed half brings more arguments.
   */
  glued?: { args: string; output: string };
}

/** The calls in progress, per task (undefined: the first process before strace printed pids). */
export class OpenCalls {
  private readonly byTask = new Map<number | undefined, OpenCall>();
  /** execve openers interrupted by `<pid changed to N ...>`, keyed by N (the pid they complete under). */
  private readonly execs = new Map<number, OpenCall>();
  /** Task of the most recent opener (for `-z`/`-Z` continuations without a marker); null: none. */
  private last: number | undefined | null = null;

  /** `pid` started `call`; returns the call it had open (a new call started before that one resumed). */
  start(pid: number | undefined, call: OpenCall): OpenCall | undefined {
    const previous = this.byTask.get(pid);
    this.byTask.set(pid, call);
    this.last = pid;
    return previous;
  }

  /** Puts back an opener whose resumed half was cut again (it waits for the spliced line). */
  restore(pid: number | undefined, call: OpenCall): void {
    this.byTask.set(pid, call);
  }

  /** An execve that will complete under the leader's pid `leader`. */
  startExec(leader: number, call: OpenCall): void {
    this.execs.set(leader, call);
  }

  /**
   * The opener a `<... NAME resumed>` of `pid` completes, taken out: the task's own, an execve that
   * completes under this pid, or (`unnamed`) one the first process printed before strace started
   * prefixing lines (stderr -f): the pid that resumes it is that process.
   */
  resume(pid: number | undefined, name: string): { call: OpenCall; unnamed: boolean } | undefined {
    const own = this.byTask.get(pid);
    if (own && own.name === name) {
      this.byTask.delete(pid);
      return { call: own, unnamed: false };
    }
    if (pid === undefined) return undefined;
    const exec = this.execs.get(pid);
    if (exec && exec.name === name) {
      this.execs.delete(pid);
      return { call: exec, unnamed: false };
    }
    const first = this.byTask.get(undefined);
    if (first && first.name === name) {
      this.byTask.delete(undefined);
      return { call: first, unnamed: true };
    }
    return undefined;
  }

  /** The call `pid` was in, taken out (the task ended). */
  take(pid: number | undefined): OpenCall | undefined {
    const call = this.byTask.get(pid);
    if (call) this.byTask.delete(pid);
    return call;
  }

  /** The most recent opener, taken out, if it is still open: a staged `-z` continuation completes it. */
  takeLast(): OpenCall | undefined {
    if (this.last === null || !this.byTask.has(this.last)) return undefined;
    const call = this.byTask.get(this.last)!;
    this.byTask.delete(this.last);
    this.last = null;
    return call;
  }

  /** The most recent opener without taking it. */
  peekLast(): OpenCall | undefined {
    return this.last === null ? undefined : this.byTask.get(this.last);
  }

  get size(): number {
    return this.byTask.size;
  }

  /** The open calls with their tasks. */
  entries(): IterableIterator<[number | undefined, OpenCall]> {
    return this.byTask.entries();
  }

  /** Empties both tables at the end of input: the calls that never resumed, then the execs. */
  drain(): { calls: OpenCall[]; execs: OpenCall[] } {
    const calls = [...this.byTask.values()];
    const execs = [...this.execs.values()];
    this.byTask.clear();
    this.execs.clear();
    return { calls, execs };
  }
}

/**
 * Argument boundaries of an opener joined with its resumed half, from both lines' scans. The halves
 * meet at an argument boundary (`read(3, ` + `"...", 832)`); a `,` that ends the opener and a space
 * that starts the rest make one more.
 */
export function joinedBreaks(opener: OpenCall, restArgs: string, restBreaks: readonly number[] | undefined): readonly number[] | undefined {
  if (opener.breaks === undefined || restBreaks === undefined) return undefined;
  const at = opener.argsText.length;
  const seam = opener.argsText.endsWith(',') && restArgs.startsWith(' ') ? [at - 1] : [];
  return [...opener.breaks, ...seam, ...restBreaks.map((b) => b + at)];
}

/** Records the physical lines of a call whose opener and resumed halves were joined. */
export function spanLines(event: SyscallRecord, opener: OpenCall, resumedLines: number[]): void {
  const lines = [...(opener.lines ?? [opener.line])];
  for (const line of resumedLines) lines.push(line);
  event.endLine = lines[lines.length - 1];
  if (lines.length > 2) event.lines = lines;
}
