/**
 * never-reaped and orphaned-children: read from the task model once the log is finished (which
 * process was reaped by whom, who ended first), with the exit lines cited from the stream.
 */
import type { ExitEvent, KilledEvent, SyscallEvent } from '../../parse/types.js';
import type { Process, Task } from '../../model/types.js';
import type { Citation, Finding } from '../types.js';
import type { SyscallFact } from '../decode.js';
import { finding, type RuleContext, type RuleDefinition } from '../rule.js';

/** Shells start background jobs and hand them on when they exit: orphans there are the point. */
export const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox', 'ash', 'fish', 'tcsh', 'csh']);

/** The `+++` line of each task that has one (one citation per task). */
function endLines(ctx: RuleContext) {
  const lines = new Map<string, Citation>();
  return {
    ended(event: ExitEvent | KilledEvent, task: Task): void {
      lines.set(task.key, ctx.cite(event, event.kind === 'exit' ? 'exit' : 'killed'));
    },
    /** The process's end line: its leader's `+++`, else any task's. */
    of(process: Process, role: string): Citation | undefined {
      const leader = process.leader ?? process.key;
      const found = lines.get(leader) ?? process.tasks.map((k) => lines.get(k)).find((c) => c !== undefined);
      const end = ctx.graph.processEnd(process);
      const cite = found ?? (end?.at ? ctx.citeMoment(end.at, role) : undefined);
      return cite ? { ...cite, role } : undefined;
    },
  };
}

function seconds(a?: number, b?: number): number | undefined {
  return a === undefined || b === undefined ? undefined : Math.round((b - a) * 1000) / 1000;
}

export const neverReaped: RuleDefinition = {
  id: 'never-reaped',
  title: 'a child that exited and was never waited for by its parent (a zombie until the parent died, or still one at the end)',
  severity: 'warning',
  needs: ['follow', 'successful-calls'],
  fix: 'wait for every child: a SIGCHLD handler that loops waitpid(-1, WNOHANG), or a pidfd; set SIGCHLD to SIG_IGN if the exit status is never needed',
  start(ctx) {
    const ends = endLines(ctx);
    return {
      ended: ends.ended,
      finish() {
        const out: Finding[] = [];
        const { graph } = ctx;
        for (const child of graph.unreaped()) {
          const u = child.unreaped!;
          const parent = child.parent === undefined ? undefined : graph.process(child.parent);
          if (!parent || u.parentState === 'unknown' || !u.zombieWhileParentLived) continue;
          const parentEnd = graph.processEnd(parent);
          const lifetime = seconds(u.since?.time, u.zombieAtEnd ? graph.lifetime(parent).end.time : parentEnd?.at?.time);
          const exitLine = ends.of(child, 'child exit');
          const parentLine = u.zombieAtEnd ? ctx.lastLine(graph.tasksOf(parent).at(-1)!, 'parent at end of log') : ends.of(parent, 'parent exit');
          const who = ctx.processRef(child);
          // Without timestamps a zombie of a moment cannot be told from one of an hour: info, never a guess.
          const long = lifetime !== undefined && lifetime >= ctx.options.zombieSeconds;
          if (u.zombieAtEnd) {
            out.push(finding(neverReaped, 'warning', [who, ctx.processRef(parent)], [exitLine, parentLine],
              `process ${child.tgid} exited and is still a zombie when the log ends: its parent ${parent.tgid} never waited for it${lifetime !== undefined ? ` (${lifetime} s so far)` : ''}`,
              { child: child.tgid, parent: parent.tgid, ...(lifetime !== undefined ? { zombieSeconds: lifetime } : {}) }));
            continue;
          }
          out.push(finding(neverReaped, long ? 'warning' : 'info', [who, ctx.processRef(parent)], [exitLine, parentLine],
            `process ${child.tgid} exited and its parent ${parent.tgid} never waited for it: a zombie${lifetime !== undefined ? ` for ${lifetime} s` : ''} until the parent ended and init (or a subreaper) reaped it${long ? '' : lifetime === undefined ? ' (the log has no timestamps to tell how long: trace with -tt)' : '; short-lived, so harmless here'}`,
            { child: child.tgid, parent: parent.tgid, ...(lifetime !== undefined ? { zombieSeconds: lifetime } : {}) }));
        }
        return out;
      },
    };
  },
};

/** Calls by which a process leaves its parent's session or group on purpose (a daemon detaching). */
const DETACHING = new Set(['setsid', 'setpgid', 'daemon']);
/** PR_SET_PDEATHSIG: the child dies with its parent, it is not left behind. */
const PDEATHSIG = 'PR_SET_PDEATHSIG';

export const orphanedChildren: RuleDefinition = {
  id: 'orphaned-children',
  title: 'a parent that exits while children it started still run (they are reparented to init or a subreaper)',
  severity: 'warning',
  needs: ['follow', 'successful-calls'],
  fix: 'a supervisor should wait for or stop its children before it exits (or become a subreaper with PR_SET_CHILD_SUBREAPER); a daemon should detach explicitly with setsid',
  start(ctx) {
    const ends = endLines(ctx);
    const detached = new Set<string>();
    const deathSignal = new Set<string>();
    return {
      ended: ends.ended,
      syscall(event: SyscallEvent, task: Task, fact: SyscallFact | undefined) {
        if (event.ret?.errno !== undefined) return;
        const process = ctx.graph.processOf(task).key;
        if (DETACHING.has(event.name)) detached.add(process);
        else if (fact?.kind === 'prctl' && fact.option === PDEATHSIG) deathSignal.add(process);
      },
      finish() {
        const out: Finding[] = [];
        const { graph } = ctx;
        const byParent = new Map<string, Process[]>();
        for (const child of graph.processes()) {
          if (!child.orphaned || child.parent === undefined || deathSignal.has(child.key)) continue;
          const parent = graph.process(child.parent);
          const parentEnd = parent ? graph.processEnd(parent) : undefined;
          if (!parent || !parentEnd?.at) continue;
          // Only a child that did something after its parent ended is known to have outlived it.
          const last = graph.lifetime(child).end;
          if (last.seq <= parentEnd.at.seq) continue;
          byParent.set(parent.key, [...(byParent.get(parent.key) ?? []), child]);
        }
        for (const [parentKey, children] of byParent) {
          const parent = graph.process(parentKey)!;
          const end = graph.processEnd(parent)!;
          const program = ctx.program(parent);
          const intended = detached.has(parent.key) || children.every((c) => detached.has(c.key)) || (program !== undefined && SHELLS.has(program));
          const failed = end.kind === 'killed' || (end.kind === 'exited' && (end.code ?? 0) !== 0);
          const severity = failed && !intended ? 'warning' : 'info';
          const why = end.kind === 'killed' ? `was killed by ${end.signal}` : `exited${end.code !== undefined ? ` with ${end.code}` : ''}`;
          const lines = [ends.of(parent, 'parent exit'), ...children.slice(0, 5).map((c) => ctx.lastLine(graph.tasksOf(c).at(-1)!, `child ${c.tgid} still running`))];
          out.push(finding(orphanedChildren, severity, [ctx.processRef(parent), ...children.map((c) => ctx.processRef(c))], lines,
            `process ${parent.tgid}${program ? ` (${program})` : ''} ${why} while ${children.length === 1 ? `its child ${children[0].tgid} still ran` : `${children.length} of its children still ran (${children.map((c) => c.tgid).join(', ')})`}: ${children.length === 1 ? 'it was' : 'they were'} reparented to init or a subreaper${intended ? ' (a shell or a daemon detaching with setsid: intended)' : ''}`,
            { parent: parent.tgid, children: children.map((c) => c.tgid) }));
        }
        return out;
      },
    };
  },
};
