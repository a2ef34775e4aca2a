/**
 * four-children: four forks, children that end in the reverse order of their birth, and a parent
 * that reaps with wait(-1), so it collects them in the order they end. Computed from the trace:
 * births, exits, reaps, the statuses, and how many SIGCHLD actually arrived.
 */
import type { SyscallEvent } from '../../parse/types.js';
import { LabTrace, argText, exitLine, humanDuration, returned, secondsBetween, structInt } from '../evidence.js';

/** The time a nanosleep/clock_nanosleep asked for, in seconds. */
function requestedSleep(e: SyscallEvent | undefined): number | undefined {
  if (!e) return undefined;
  const request = e.args[e.name === 'clock_nanosleep' ? 2 : 0];
  const sec = structInt(request, 'tv_sec');
  const nsec = structInt(request, 'tv_nsec');
  return sec === undefined || nsec === undefined ? undefined : Number(sec) + Number(nsec) / 1e9;
}
import type { LabPoint, ProgramRun } from '../types.js';

export function analyseFourChildren(runs: ProgramRun[]): LabPoint[] {
  const t = new LabTrace(runs[0]);
  const parent = t.rootTid();
  if (parent === undefined) return [];
  const forks = t.calls(['clone', 'clone3', 'fork', 'vfork'], parent).filter((e) => (returned(e) ?? 0n) > 0n);
  const children = forks.map((e) => Number(returned(e)));
  const exits = children
    .map((pid) => ({
      pid,
      sleep: t.first(['clock_nanosleep', 'nanosleep'], () => true, pid),
      call: t.first(['exit_group', 'exit'], () => true, pid),
      end: exitLine(t.run, pid),
    }))
    .sort((a, b) => (a.end?.line ?? Infinity) - (b.end?.line ?? Infinity));
  const reaps = t.calls(['wait4', 'waitid'], parent).filter((e) => (returned(e) ?? 0n) > 0n);
  const reapOrder = reaps.map((e) => Number(returned(e)));
  const exitOrder = exits.filter((x) => x.end).map((x) => x.pid);
  const sameOrder = reapOrder.length === exitOrder.length && reapOrder.every((pid, i) => pid === exitOrder[i]);
  const sigchld = t.signals('SIGCHLD', parent);

  const births: LabPoint = {
    id: 'births',
    title: 'Four forks, four new processes',
    sides: [
      {
        program: t.program,
        label: 'forks',
        says: `${parent} called ${forks[0]?.name ?? 'fork'} ${forks.length} times and got pids ${children.join(', ')}; each child is its own thread group`,
        values: { parent, children },
        cites: forks.map((e) => t.cite(e)),
      },
    ],
    why: 'fork returns twice: the child\'s pid in the parent, 0 in the child. The loop in the parent keeps going while each child runs its own branch of the same code.',
  };

  const order: LabPoint = {
    id: 'exit-order',
    title: 'Birth order is not exit order',
    sides: [
      {
        program: t.program,
        label: 'exits',
        says: `born ${children.join(', ')}; ended ${exits
          .map((x) => {
            const slept = requestedSleep(x.sleep);
            const how = [slept === undefined ? undefined : `slept ${humanDuration(slept)}`, x.call ? `${x.call.name}(${x.call.argsText})` : 'no exit call'];
            return `${x.pid} (${how.filter(Boolean).join(', ')})`;
          })
          .join(', ')}`,
        values: { birthOrder: children, exitOrder, sleeps: exits.map((x) => requestedSleep(x.sleep)) },
        cites: exits.flatMap((x) => [x.sleep, x.call].filter((e): e is SyscallEvent => e !== undefined).map((e) => t.cite(e))),
      },
    ],
    why: 'Each child runs on its own schedule; here the first one born sleeps longest. Nothing about fork order says anything about which child ends first.',
  };

  const reaping: LabPoint = {
    id: 'reaping',
    title: 'wait(-1) reaps in the order children end',
    sides: [
      {
        program: t.program,
        label: 'reaps',
        says:
          reaps.map((e) => `${e.name}(${argText(e, 0)}) = ${returned(e)} ${argText(e, 1)}`).join('; ') +
          (sameOrder ? ': exactly the exit order' : `: reap order ${reapOrder.join(', ')} vs exit order ${exitOrder.join(', ')}`),
        values: { reapOrder, exitOrder, sameOrder, statuses: reaps.map((e) => argText(e, 1)) },
        cites: reaps.map((e) => t.cite(e)),
      },
      {
        program: t.program,
        label: 'waiting',
        says: `each wait sat blocked until the next child ended: ${reaps.map((e) => (e.durationSec === undefined ? '?' : humanDuration(e.durationSec))).join(', ')}`,
        values: { blockedSeconds: reaps.map((e) => e.durationSec) },
        cites: [],
      },
    ],
    why: 'wait(&status) is wait4(-1, ...): any child. The kernel hands back whichever zombie child exists, or sleeps until one appears. The exit code travels in the status (WEXITSTATUS), which is how the parent tells them apart.',
  };

  const deliveries = sigchld.map((s) => structInt(s.siginfo, 'si_pid'));
  const signals: LabPoint = {
    id: 'sigchld',
    title: 'SIGCHLD: one notice per child, if they do not pile up',
    sides: [
      {
        program: t.program,
        label: 'SIGCHLD',
        says: `${children.length} children ended and the parent received ${sigchld.length} SIGCHLD (si_pid ${deliveries.map(String).join(', ') || 'none'})${
          sigchld.length < children.length ? ': standard signals do not queue, so notices that arrive together merge into one' : ''
        }`,
        values: { children: children.length, deliveries: sigchld.length, siPids: deliveries.map((d) => (d === undefined ? undefined : Number(d))) },
        cites: sigchld.map((s) => t.cite(s)),
      },
    ],
    why:
      'SIGCHLD is a standard signal: while one is pending, another is not queued. A parent that counts signals to count children loses some; reaping in a loop with WNOHANG (or blocking wait, as here) never does.',
  };

  const lastExit = exits[exits.length - 1]?.end;
  const firstFork = forks[0];
  const span = secondsBetween(firstFork, lastExit);
  const timing: LabPoint = {
    id: 'timing',
    title: 'The whole family',
    sides: [
      {
        program: t.program,
        label: 'lifetime',
        says: `from the first fork to the last child's end: ${span === undefined ? 'unknown (no timestamps)' : humanDuration(span)}; the parent exited ${runs[0].trace.exitCode}`,
        values: { seconds: span, parentExit: runs[0].trace.exitCode },
        cites: [firstFork, lastExit].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
    ],
    why: 'The parent never polls: between births and reaps it only sleeps in wait4, and the kernel wakes it when a child ends.',
  };
  return [births, order, reaping, signals, timing];
}
