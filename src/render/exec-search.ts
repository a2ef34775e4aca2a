/**
 * Folding a PATH search on the live timeline: execvp/execlp (and shells) try `execve` in each PATH
 * directory until one works, so a successful `true` can follow eight ENOENT misses. Those misses are
 * held per thread; when the same thread's next event is the exec that succeeded with the same program
 * name and argv, they fold into it ("found /usr/bin/true after 8 misses"). Anything else from that
 * thread (another call, a failure of another kind, the end of the trace) releases them as they were:
 * a search that failed stays visible attempt by attempt. Other threads' events are never held.
 */
import type { SyscallEvent, TraceEvent } from '../parse/types.js';

/** Failures after which execvp goes on to the next PATH directory (glibc execvpe). */
const SEARCH_GOES_ON = new Set(['ENOENT', 'EACCES', 'ENOTDIR', 'ESTALE', 'ENODEV', 'ETIMEDOUT']);

export interface Folded<T> {
  item: T;
  /** For the exec that ended a search: the misses folded into it, in order. */
  misses?: SyscallEvent[];
}

interface Held<T> {
  item: T;
  event: SyscallEvent;
}

function isExec(event: TraceEvent): event is SyscallEvent {
  return event.kind === 'syscall' && (event.name === 'execve' || event.name === 'execveat');
}

/** The program name an attempt looks for (the path's last component) and its argv, as printed. */
function searchKey(event: SyscallEvent): string | undefined {
  const pathIndex = event.name === 'execveat' ? 1 : 0;
  const path = event.args[pathIndex];
  if (!path || path.t !== 'str') return undefined;
  const name = path.bytes.slice(path.bytes.lastIndexOf('/') + 1);
  return `${name}\u0000${event.argParts?.()[pathIndex + 1] ?? ''}`;
}

export class ExecSearchFold<T> {
  private readonly held = new Map<number, Held<T>[]>();

  /** Feeds one item (with its event, in log order); returns the items to show now. */
  push(item: T, event: TraceEvent): Folded<T>[] {
    const tid = event.prefix.pid;
    if (tid === undefined) return [{ item }];
    const pending = this.held.get(tid);
    if (isExec(event) && event.state !== 'unfinished' && event.ret !== undefined) {
      const key = searchKey(event);
      const sameSearch = pending !== undefined && key !== undefined && searchKey(pending[0].event) === key;
      const errno = event.ret.errno;
      if (errno !== undefined && SEARCH_GOES_ON.has(errno) && key !== undefined) {
        if (sameSearch) {
          pending!.push({ item, event });
          return [];
        }
        const released = this.release(tid);
        this.held.set(tid, [{ item, event }]);
        return released;
      }
      if (sameSearch && errno === undefined) {
        this.held.delete(tid);
        return [{ item, misses: pending!.map((h) => h.event) }];
      }
    }
    return pending ? [...this.release(tid), { item }] : [{ item }];
  }

  /** Whether misses are being held (the caller may release them after a quiet moment). */
  get holding(): boolean {
    return this.held.size > 0;
  }

  /** Releases everything held, unfolded (end of the trace, or a long pause). */
  flush(): Folded<T>[] {
    const out: Folded<T>[] = [];
    for (const tid of [...this.held.keys()]) out.push(...this.release(tid));
    return out;
  }

  private release(tid: number): Folded<T>[] {
    const pending = this.held.get(tid) ?? [];
    this.held.delete(tid);
    return pending.map((h) => ({ item: h.item }));
  }
}
