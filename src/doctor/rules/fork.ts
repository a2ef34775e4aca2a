/**
 * fork-in-threaded-process: fork (a new process that copies memory, no CLONE_VM) while other threads
 * of the process are alive. The child has one thread and whatever locks the others held: until it
 * execs it may only call async-signal-safe functions. vfork and posix_spawn (CLONE_VM|CLONE_VFORK)
 * are not this: the parent waits and nothing is copied.
 */
import type { SyscallEvent } from '../../parse/types.js';
import type { Process, Task } from '../../model/types.js';
import { fdArgument, type SyscallFact } from '../decode.js';
import type { Citation, Finding, Severity } from '../types.js';
import { finding, type RuleDefinition } from '../rule.js';

/** Calls in the child before exec that mean code which is not async-signal-safe ran (malloc, stdio, locks). */
function unsafeCall(event: SyscallEvent, fact: SyscallFact | undefined): string | undefined {
  switch (event.name) {
    case 'brk':
      return 'brk (malloc growing the heap)';
    case 'mmap':
      return fact?.kind === 'stack-map' ? undefined : 'mmap (malloc or a library mapping memory)';
    case 'futex':
      return 'futex (a lock: malloc, stdio or an application mutex)';
    case 'write': {
      // printf/puts end in write(1|2); a raw write(2) of an exec error comes after the exec, not before.
      const fd = fdArgument(event);
      return fd === 1 || fd === 2 ? `write to ${fd} (stdio output)` : undefined;
    }
    default:
      return undefined;
  }
}

interface Child {
  process: Process;
  child: Task;
  fork: Citation;
  threads: Citation[];
  liveThreads: number;
  before: Citation[];
  unsafe: string[];
  calls: number;
  execed: boolean;
  madeThreads: boolean;
  hung: boolean;
}

const MAX_CITED_CALLS = 6;

export const forkInThreadedProcess: RuleDefinition = {
  id: 'fork-in-threaded-process',
  title: 'fork without CLONE_VM while other threads of the process are alive; error when the child runs code that is not async-signal-safe before exec',
  severity: 'error',
  needs: ['follow', 'successful-calls'],
  fix: 'spawn with posix_spawn (or fork before creating threads, or use a fork server); if fork is needed, call only async-signal-safe functions between fork and execve',
  start(ctx) {
    const watched = new Map<string, Child>();
    const done: Child[] = [];
    return {
      created(creator, child, event) {
        const parent = watched.get(creator.key);
        if (parent && child.birth.kind === 'thread') parent.madeThreads = true;
        if (child.birth.kind !== 'fork' && child.birth.kind !== 'namespaces') return;
        if (child.birth.flags?.includes('CLONE_VM')) return;
        const process = ctx.graph.processOf(creator);
        const live = ctx.graph.tasksOf(process).filter((t) => ctx.alive(t));
        if (live.length < 2) return;
        const others = live.filter((t) => t.key !== creator.key).slice(0, 4);
        watched.set(child.key, {
          process, child, fork: ctx.cite(event, 'fork'), liveThreads: live.length,
          threads: others.map((t) => (t.birth.at ? ctx.citeMoment(t.birth.at, `thread ${t.tid} created`) : ctx.citeMoment(t.firstSeen, `thread ${t.tid} alive`))),
          before: [], unsafe: [], calls: 0, execed: false, madeThreads: false, hung: false,
        });
      },
      syscall(event, task, fact) {
        const w = watched.get(task.key);
        if (!w) return;
        if (event.name === 'execve' || event.name === 'execveat') {
          w.execed = true;
          w.before.push(ctx.cite(event, 'exec'));
          watched.delete(task.key);
          done.push(w);
          return;
        }
        w.calls++;
        const unsafe = unsafeCall(event, fact);
        if (unsafe && !w.unsafe.includes(unsafe)) w.unsafe.push(unsafe);
        if (event.name === 'futex' && event.state === 'unfinished') w.hung = true;
        if ((unsafe || w.before.length < 2) && w.before.length < MAX_CITED_CALLS) w.before.push(ctx.cite(event, unsafe ? 'not async-signal-safe before exec' : 'call before exec'));
      },
      finish() {
        done.push(...watched.values());
        const byProcess = new Map<string, Child[]>();
        for (const w of done) byProcess.set(w.process.key, [...(byProcess.get(w.process.key) ?? []), w]);
        const out: Finding[] = [];
        for (const children of byProcess.values()) {
          const rank = (w: Child): Severity => (w.unsafe.length > 0 || w.hung ? 'error' : !w.execed || w.madeThreads ? 'warning' : 'info');
          const order: Severity[] = ['error', 'warning', 'info'];
          children.sort((a, b) => order.indexOf(rank(a)) - order.indexOf(rank(b)));
          const worst = children[0];
          const severity = rank(worst);
          const process = worst.process;
          const program = ctx.program(process);
          const what = severity === 'error'
            ? `then ran ${worst.unsafe.join(', ')}${worst.hung ? ' and hung in futex' : ''} before ${worst.execed ? 'its exec' : 'ending, without exec'}: a lock another thread held at the fork stays locked in the child forever`
            : severity === 'warning'
              ? `then kept running ${worst.madeThreads ? 'and created threads ' : ''}without exec (${worst.calls} calls): only async-signal-safe functions are allowed there`
              : 'and exec\'d at once with only async-signal-safe calls before it (safe, but posix_spawn avoids the copy)';
          const more = children.length > 1 ? ` (${children.length} such forks in this process)` : '';
          out.push(finding(forkInThreadedProcess, severity, [ctx.processRef(process), ctx.taskRef(worst.child)], [worst.fork, ...worst.threads, ...worst.before],
            `process ${process.tgid}${program ? ` (${program})` : ''} forked child ${worst.child.tid} while it had ${worst.liveThreads} live threads; the child ${what}${more}`,
            { threads: worst.liveThreads, child: worst.child.tid, forks: children.length, ...(worst.unsafe.length > 0 ? { unsafeCalls: worst.unsafe } : {}) }));
        }
        return out;
      },
    };
  },
};
