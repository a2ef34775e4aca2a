/**
 * slow-call (info): per thread, the calls that should be quick but took longest (`-T` times, or the
 * resumed line's timestamp minus the call's). Waiting is not slowness: reads of pipes and sockets,
 * poll/epoll, futex waits, wait4, sleeps, signal waits and the like are left out; reads and writes
 * count only on regular files.
 */
import type { SyscallEvent } from '../../parse/types.js';
import type { Citation, Finding } from '../types.js';
import { fdArgument } from '../decode.js';
import { finding, type RuleDefinition } from '../rule.js';

const WAITING = new Set([
  'accept', 'accept4', 'poll', 'ppoll', 'select', 'pselect6', '_newselect', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2',
  'futex', 'futex_waitv', 'wait4', 'waitid', 'waitpid', 'nanosleep', 'clock_nanosleep', 'pause', 'rt_sigsuspend', 'sigsuspend',
  'rt_sigtimedwait', 'io_getevents', 'io_pgetevents', 'io_uring_enter', 'semop', 'semtimedop', 'msgrcv', 'msgsnd', 'mq_timedreceive',
  'mq_timedsend', 'flock', 'connect', 'restart_syscall', 'recvfrom', 'recvmsg', 'recvmmsg', 'sendto', 'sendmsg', 'sendmmsg',
  'ioctl', 'fcntl', 'exit', 'exit_group', 'execve', 'execveat', 'vfork', 'clone', 'clone3', 'wait', 'sigreturn', 'rt_sigreturn',
  'ptrace', 'kill', 'tgkill', 'tkill',
]);
/** Descriptor I/O that is slow only on regular files (on pipes, sockets and ttys it waits for data). */
const FD_IO = new Set(['read', 'write', 'readv', 'writev', 'pread64', 'pwrite64', 'preadv', 'pwritev', 'preadv2', 'pwritev2', 'sendfile', 'splice']);
const TOP = 10;
/** Threads reported (the ones with the slowest calls). */
const MAX_THREADS = 10;

function seconds(event: SyscallEvent): number | undefined {
  if (event.durationSec !== undefined) return event.durationSec;
  const a = event.prefix.timeSec;
  const b = event.endPrefix?.timeSec;
  return a !== undefined && b !== undefined && b >= a ? b - a : undefined;
}

export const slowCall: RuleDefinition = {
  id: 'slow-call',
  title: 'with -T: per thread, the calls that should be quick but took longest (top 10, for the 10 threads with the slowest calls)',
  severity: 'info',
  needs: ['durations'],
  fix: 'move the slow call off the latency-critical thread or fix its cause (storage, network file system, a large fork)',
  start(ctx) {
    const threshold = ctx.options.slowCallMs / 1000;
    const perTask = new Map<string, Array<{ s: number; cite: Citation; name: string }>>();
    return {
      syscall(event, task) {
        if (WAITING.has(event.name)) return;
        const s = seconds(event);
        if (s === undefined || s < threshold) return;
        if (FD_IO.has(event.name)) {
          const fd = fdArgument(event);
          const arg = event.argAt ? event.argAt(0) : event.args[0];
          const file = arg?.t === 'fd' ? arg.decoration.startsWith('/') : fd !== undefined && ctx.fds.table(ctx.graph.processOf(task).key).get(fd)?.kind === 'file';
          if (!file) return;
        }
        let top = perTask.get(task.key);
        if (!top) perTask.set(task.key, (top = []));
        if (top.length === TOP && top[TOP - 1].s >= s) return;
        top.push({ s, cite: ctx.cite(event, `${event.name}: ${s.toFixed(3)} s`), name: event.name });
        top.sort((a, b) => b.s - a.s);
        if (top.length > TOP) top.pop();
      },
      finish() {
        const out: Finding[] = [];
        // The threads with the slowest calls first, and only the first few: on a loaded machine every
        // short-lived process has a call that waited for a CPU (strace's stops inflate them all).
        const threads = [...perTask].sort((a, b) => b[1][0].s - a[1][0].s);
        for (const [key, top] of threads.slice(0, MAX_THREADS)) {
          const task = ctx.graph.task(key);
          if (!task) continue;
          const process = ctx.graph.processOf(task);
          const program = ctx.program(process);
          const total = top.reduce((sum, x) => sum + x.s, 0);
          out.push(finding(slowCall, 'info', [ctx.taskRef(task)], top.map((x) => x.cite),
            `thread ${task.tid} of process ${process.tgid}${program ? ` (${program})` : ''}: ${top.length} call${top.length === 1 ? '' : 's'} that should be quick took ${(total).toFixed(3)} s together, the longest ${top[0].name} ${top[0].s.toFixed(3)} s`,
            { calls: top.map((x) => x.name), seconds: top.map((x) => Math.round(x.s * 1e6) / 1e6), ...(out.length === 0 && threads.length > MAX_THREADS ? { threadsWithSlowCalls: threads.length } : {}) }));
        }
        return out;
      },
    };
  },
};
