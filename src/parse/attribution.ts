/**
 * Which task a line belongs to when its prefix does not say. strace drops the `[pid N]` prefix on
 * stderr while only one tracee is alive, and prints none before it has a second one; a `-ff` file
 * names its task in the file name. This keeps the set of live tasks (announced by clone/fork returns
 * and `Process N attached`, ended by exit lines) to give such lines their pid.
 */
import { parsePrefix, type PrefixResult } from './prefix.js';

export class PidAttribution {
  private readonly live = new Set<number>();
  /** Pids announced by a clone/fork return or an attach message before their own lines. */
  private readonly announced = new Set<number>();
  /** The task whose clone/fork returned each announced pid. */
  private readonly createdBy = new Map<number, number | undefined>();
  /** Lines without a pid were seen from a process whose pid the log has not shown yet. */
  private unnamedRoot = false;

  /** `filePid`: the TID of every line (a `-ff` file `LOG.<tid>`), when known. */
  constructor(private readonly filePid?: number) {}

  /** Reads the prefix of `text` and gives a line without a pid the one it must have. */
  prefixOf(text: string): PrefixResult {
    const result = parsePrefix(text);
    const prefix = result.prefix;
    if (result.badPid !== undefined) return result;
    if (this.filePid !== undefined && prefix.pid === undefined) {
      prefix.pid = this.filePid;
      prefix.pidSource = 'file';
    } else if (prefix.pid === undefined) {
      if (!this.unnamedRoot && this.live.size === 1) {
        // strace drops the `[pid N]` prefix on stderr while only one tracee is left: it is that one.
        prefix.pid = this.live.values().next().value as number;
        prefix.pidSource = 'inferred';
      } else if (this.live.size === 0) {
        this.unnamedRoot = true; // the first process, before strace had a reason to print pids
      }
    } else if (!this.live.has(prefix.pid)) {
      // A pid nobody announced (clone return, attach message) while the first process is unnamed: it is the first process.
      if (this.unnamedRoot && !this.announced.has(prefix.pid)) this.unnamedRoot = false;
      this.live.add(prefix.pid);
    }
    return result;
  }

  /** A task strace will print lines of: a clone/fork return, `Process N attached`. */
  announce(pid: number): void {
    this.announced.add(pid);
    this.live.add(pid);
  }

  /** `creator`'s clone/fork returned `child`. */
  created(child: number, creator: number | undefined): void {
    this.announce(child);
    this.createdBy.set(child, creator);
  }

  /**
   * The task whose clone/fork returned `pid`, forgotten as it is read (one attach message per task:
   * the map stays as small as the live tasks); `found: false` when no creating call returned it.
   */
  takeCreator(pid: number): { found: boolean; creator?: number } {
    if (!this.createdBy.has(pid)) return { found: false };
    const creator = this.createdBy.get(pid);
    this.createdBy.delete(pid);
    return { found: true, creator };
  }

  /** The task exited or was killed (undefined: the unnamed first process). */
  ended(pid: number | undefined): void {
    if (pid !== undefined) {
      this.live.delete(pid);
      this.createdBy.delete(pid);
    } else {
      this.unnamedRoot = false;
    }
  }

  /**
   * `LEADER +++ superseded by execve in pid EXECER +++` (after the leader's `ended`): thread EXECER
   * called execve, its tid disappears and the process goes on under the leader's pid.
   */
  superseded(execer: number, leader: number | undefined): void {
    this.live.delete(execer);
    if (leader !== undefined) this.live.add(leader);
  }

  /** A line with a pid resumed a call the unnamed first process started: that pid is the first process. */
  rootNamed(): void {
    this.unnamedRoot = false;
  }
}
