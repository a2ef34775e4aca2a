/**
 * An orphan reaper that lives beside Node's own child handling. tasklens becomes a child subreaper, so
 * every orphan of the launched tree is re-parented to it; libuv reaps only the pids it spawned (one
 * waitpid(pid) per child), so the orphans would stay zombies. The reaper never calls waitpid(-1)
 * (that steals the statuses libuv needs and leaves its handles waiting forever): it peeks with
 * waitid(P_ALL, WNOHANG|WNOWAIT), reaps the peeked pid only when Node did not spawn it, and, because
 * P_ALL always returns the first waitable child (an owned zombie can hide strangers behind it), it
 * also lists its children through /proc and reaps each stranger zombie by pid.
 */
import { SIGINFO, WAITID, reaperLibc, type ReaperLibc } from '../ptrace/libc.js';
import { childrenOf, describe } from './descendants.js';

/** How a process ended, from its wait status. */
export type ExitOutcome = { kind: 'exited'; code: number } | { kind: 'killed'; signal: number; core: boolean };

export interface ReapedProcess {
  pid: number;
  /** Its name when it was reaped (a zombie keeps its comm). */
  comm: string;
  /** The parent it had when last seen alive, if it was seen (the one that left it to us). */
  abandonedBy?: { pid: number; comm: string };
  outcome: ExitOutcome;
  /** ms since the reaper started. */
  atMs: number;
}

export interface ReaperOptions {
  /** True for pids Node spawned itself: never reaped here. */
  owned(pid: number): boolean;
  /** Last known parent of a pid (from the supervisor's scans), for the report. */
  lastParent?(pid: number): { pid: number; comm: string } | undefined;
  onReaped?(reaped: ReapedProcess): void;
  /** Safety poll interval (SIGCHLDs coalesce; a reparented zombie sends none). Default 200 ms. */
  pollMs?: number;
  libc?: ReaperLibc;
}

/** Decodes a waitpid status word of a process that has ended. */
export function outcomeOfStatus(status: number): ExitOutcome {
  const low = status & 0x7f;
  return low === 0 ? { kind: 'exited', code: (status >> 8) & 0xff } : { kind: 'killed', signal: low, core: (status & 0x80) !== 0 };
}

/** The shell convention: the exit code, or 128 + N for death by signal N. */
export function exitCodeOf(outcome: ExitOutcome): number {
  return outcome.kind === 'exited' ? outcome.code : 128 + outcome.signal;
}

export class Reaper {
  private readonly libc: ReaperLibc;
  private readonly started = Date.now();
  private timer?: NodeJS.Timeout;
  private readonly listener = () => this.reap();
  readonly reaped: ReapedProcess[] = [];
  /** True once prctl(PR_SET_CHILD_SUBREAPER) succeeded (or we are PID 1 of a namespace). */
  subreaper = false;

  constructor(private readonly options: ReaperOptions) {
    this.libc = options.libc ?? reaperLibc();
  }

  /** Becomes a subreaper and starts listening; returns false when prctl failed (orphans then go elsewhere). */
  start(): boolean {
    this.subreaper = process.pid === 1 || this.libc.setChildSubreaper(true) === 0;
    process.on('SIGCHLD', this.listener);
    this.timer = setInterval(this.listener, this.options.pollMs ?? 200);
    this.timer.unref();
    return this.subreaper;
  }

  stop(): void {
    process.off('SIGCHLD', this.listener);
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reaps every waitable child Node did not spawn; returns how many it reaped. */
  reap(): number {
    let count = 0;
    const info = Buffer.alloc(SIGINFO.size);
    // 1. Peek without reaping; stop at the first owned child (libuv will take it).
    for (;;) {
      info.fill(0);
      const rc = this.libc.waitid(WAITID.P_ALL, 0, info, WAITID.WEXITED | WAITID.WNOHANG | WAITID.WNOWAIT);
      if (rc < 0) break; // ECHILD: no children at all
      const pid = info.readInt32LE(SIGINFO.pid);
      if (pid === 0 || this.options.owned(pid)) break;
      if (!this.reapOne(pid)) break;
      count++;
    }
    // 2. Strangers hidden behind an owned zombie: reap each by pid.
    for (const pid of childrenOf(process.pid)) {
      if (this.options.owned(pid)) continue;
      if (describe(pid)?.state !== 'Z') continue;
      if (this.reapOne(pid)) count++;
    }
    return count;
  }

  /** waitpid(pid, WNOHANG) on one stranger; false when it was not waitable (gone, or not ended). */
  private reapOne(pid: number): boolean {
    const comm = describe(pid)?.comm ?? '?';
    const status = [0];
    if (this.libc.waitpid(pid, status, WAITID.WNOHANG) !== pid) return false;
    const reaped: ReapedProcess = { pid, comm, outcome: outcomeOfStatus(status[0]), atMs: Date.now() - this.started };
    const parent = this.options.lastParent?.(pid);
    if (parent) reaped.abandonedBy = parent;
    this.reaped.push(reaped);
    this.options.onReaped?.(reaped);
    return true;
  }
}
