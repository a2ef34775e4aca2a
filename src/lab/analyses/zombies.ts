/**
 * zombies: two children end at once while their parent sleeps. The lab looks at both in /proc during
 * the sleep (state Z), the trace shows how long each stayed a zombie: A until the parent's wait4,
 * B until the parent itself exited (then init inherits and reaps it, outside the trace).
 */
import { LabTrace, exitLine, humanDuration, returned, secondsBetween, structInt } from '../evidence.js';
import type { LabPoint, LabSide, ProgramRun } from '../types.js';

export function analyseZombies(runs: ProgramRun[]): LabPoint[] {
  const run = runs[0];
  const t = new LabTrace(run);
  const parent = t.rootTid();
  if (parent === undefined) return [];
  const forks = t.calls(['clone', 'clone3', 'fork', 'vfork'], parent).filter((e) => (returned(e) ?? 0n) > 0n);
  const children = forks.map((e) => Number(returned(e)));
  const parentEnd = exitLine(run, parent);
  const observed = run.trace.interactions.filter((i) => i.action === 'observe-state');

  const windows: LabSide[] = children.map((pid, index) => {
    const name = String.fromCharCode(65 + index);
    const end = exitLine(run, pid);
    const call = t.first(['exit_group', 'exit'], () => true, pid);
    const reap = t.first(['wait4', 'waitid'], (e) => returned(e) === BigInt(pid), parent);
    const process = t.run.graph.processByPid(pid);
    const seen = observed.filter((o) => o.pid === pid).map((o) => `/proc/${pid}/stat said ${o.result} at ${o.atMs} ms`);
    const until = reap ?? parentEnd;
    const span = secondsBetween(end, until, true);
    const what = reap
      ? `reaped by ${reap.name} ${span === undefined ? '' : `${humanDuration(span)} later`}`
      : `never reaped by its parent: a zombie until the parent ended${span === undefined ? '' : ` ${humanDuration(span)} later`}, then handed to init${
          process?.unreaped?.zombieWhileParentLived ? ' (the task model marks it: zombie while its parent lived)' : ''
        }`;
    return {
      program: t.program,
      label: `child ${name}`,
      says: `${pid} ${call ? `called ${call.name}(${call.argsText})` : 'ended'} right away; ${what}${seen.length ? `; ${seen.join(', ')}` : ''}`,
      values: {
        pid,
        reaped: reap !== undefined,
        zombieSeconds: span,
        observedStates: observed.filter((o) => o.pid === pid).map((o) => ({ state: o.result, atMs: o.atMs })),
        unreaped: process?.unreaped,
      },
      cites: [call, end, until].filter((e) => e !== undefined).map((e) => t.cite(e!)),
    };
  });

  const sigchld = t.signals('SIGCHLD', parent);
  const sigchldPoint: LabPoint = {
    id: 'sigchld',
    title: 'Two children ended, how many SIGCHLD?',
    sides: [
      {
        program: t.program,
        label: 'SIGCHLD',
        says: `${children.length} children ended; the parent received ${sigchld.length} SIGCHLD (si_pid ${sigchld.map((s) => String(structInt(s.siginfo, 'si_pid'))).join(', ') || 'none'})${
          sigchld.length < children.length ? ': the second notice merged into the pending one' : ''
        }`,
        values: { children: children.length, deliveries: sigchld.length },
        cites: sigchld.map((s) => t.cite(s)),
      },
    ],
    why: 'SIGCHLD is only a doorbell: standard signals do not queue. The zombie itself is the record that stays until someone calls wait.',
  };

  const restarted = t.calls('restart_syscall', parent);
  const interrupted = t.calls(['clock_nanosleep', 'nanosleep'], parent).filter((e) => e.ret?.errno?.startsWith('ERESTART'));
  const sleepPoint: LabPoint = {
    id: 'sleep',
    title: 'The sleeping parent',
    sides: [
      {
        program: t.program,
        label: 'sleep',
        says:
          interrupted.length > 0
            ? `the sleep returned ${interrupted[0].ret?.errno} when SIGCHLD arrived and went on with restart_syscall (${restarted.length}x): the program never noticed`
            : 'the sleep ran to its end without interruption',
        values: { interrupted: interrupted.length, restarts: restarted.length },
        cites: [...interrupted, ...restarted].map((e) => t.cite(e)).sort((a, b) => a.line - b.line),
      },
    ],
    why:
      'SIGCHLD\'s default action is to ignore it. An untraced sleeper is not even woken; under strace every signal stops the task for the tracer, so the sleep is cut short and the kernel restarts it transparently (restart_syscall).',
  };

  return [
    {
      id: 'zombie-window',
      title: 'The zombie window',
      sides: windows,
      why:
        'A child that has exited keeps its pid and exit status in the process table (state Z) until its parent waits for it. If the parent never does, the child stays a zombie until the parent exits; then init, or the nearest subreaper, adopts and reaps it.',
    },
    sigchldPoint,
    sleepPoint,
  ];
}
