/**
 * sigterm-ignored: SIGTERM (or SIGINT/SIGHUP) sent to a process that ignores it (SIG_IGN, possibly
 * set by an ancestor: it survives exec) or blocks it in every thread, after which it is SIGKILLed or
 * never exits: there was no graceful shutdown. A handler that takes long is reported as info with the
 * grace time (a design choice, not a bug). Blocking plus signalfd/sigwaitinfo is the correct pattern
 * and is not flagged: the signal was consumed.
 *
 * sigkill-no-sender: killed by SIGKILL with no traced kill aimed at it: the OOM killer, a timeout or a
 * supervisor outside the trace.
 */
import type { Process, Task } from '../../model/types.js';
import type { Citation, Finding } from '../types.js';
import type { SendTarget } from '../decode.js';
import { finding, type RuleContext, type RuleDefinition } from '../rule.js';

const POLITE = new Map([[15, 'SIGTERM'], [2, 'SIGINT'], [1, 'SIGHUP']]);
const SIGKILL = 9;

/** The process a send reaches, when it names one pid or thread. */
export function targetProcess(ctx: RuleContext, target: SendTarget): Process | undefined {
  if (target.kind === 'pid') return ctx.processOfTid(target.pid);
  if (target.kind === 'thread') return ctx.processOfTid(target.tid);
  return undefined;
}

/** Whether every live thread of the process blocks the signal (and the line that blocked it). */
export function blockedEverywhere(ctx: RuleContext, process: Process, signal: number): Citation | false {
  const bit = 1n << BigInt(signal - 1);
  const live = ctx.graph.tasksOf(process).filter((t) => ctx.alive(t));
  if (live.length === 0) return false;
  let cite: Citation | undefined;
  for (const t of live) {
    const m = ctx.signals.mask(t.key);
    if ((m.mask & bit) === 0n) return false;
    cite ??= m.cite;
  }
  return cite ?? false;
}

interface Pending {
  process: Process;
  signal: string;
  how: 'ignored' | 'blocked' | 'handled';
  state: Citation;
  sent: Citation;
  sentAt?: number;
  delivered?: Citation;
  kill?: Citation;
  killAt?: number;
  consumed: boolean;
}

export const sigtermIgnored: RuleDefinition = {
  id: 'sigterm-ignored',
  title: 'SIGTERM (or SIGINT/SIGHUP) sent to a process that ignores or blocks it, followed by SIGKILL or by no exit',
  severity: 'warning',
  needs: ['all-syscalls', 'successful-calls'],
  fix: 'let SIGTERM terminate the process or start a bounded graceful shutdown (handle it; do not ignore it or leave it blocked), and reset inherited SIG_IGN and signal masks in launchers before exec',
  start(ctx) {
    const pending: Pending[] = [];
    const open = (p: Process) => pending.filter((x) => x.process.key === p.key);
    return {
      syscall(event, _task, fact) {
        if (fact?.kind === 'sigwait' || fact?.kind === 'signalfd') {
          const p = ctx.graph.processOf(_task);
          for (const x of open(p)) if (fact.mask & (1n << BigInt((POLITE_NUMBER.get(x.signal) ?? 1) - 1))) x.consumed = true;
          return;
        }
        if (fact?.kind !== 'send' || !fact.ok) return;
        const target = targetProcess(ctx, fact.target);
        if (!target) return;
        const time = event.prefix.timeSec;
        if (fact.signal === SIGKILL) {
          for (const x of open(target)) if (!x.kill) Object.assign(x, { kill: ctx.cite(event, 'SIGKILL sent'), ...(time !== undefined ? { killAt: time } : {}) });
          return;
        }
        const name = POLITE.get(fact.signal);
        if (!name || open(target).some((x) => x.signal === name)) return;
        const disposition = ctx.signals.disposition(target.key, fact.signal);
        const blocked = blockedEverywhere(ctx, target, fact.signal);
        const sent = ctx.cite(event, `${name} sent`);
        const base = { process: target, signal: name, sent, consumed: false, ...(time !== undefined ? { sentAt: time } : {}) };
        if (disposition?.disposition === 'ignore') pending.push({ ...base, how: 'ignored', state: { ...disposition.cite, role: `${name} set to SIG_IGN${disposition.inheritedFrom ? ' (in an ancestor, inherited)' : ''}` } });
        else if (blocked) pending.push({ ...base, how: 'blocked', state: { ...blocked, role: `${name} blocked` } });
        else if (disposition?.disposition === 'handler') pending.push({ ...base, how: 'handled', state: { ...disposition.cite, role: `${name} handler installed` } });
      },
      signal(event, task) {
        const p = ctx.graph.processOf(task);
        for (const x of open(p)) if (x.signal === event.signal && !x.delivered) x.delivered = ctx.cite(event, `${event.signal} delivered`);
      },
      finish() {
        const out: Finding[] = [];
        for (const x of pending) {
          if (x.consumed) continue;
          const end = ctx.graph.processEnd(x.process);
          const killed = end?.kind === 'killed' && end.signal === 'SIGKILL';
          const running = end === undefined || end.kind === 'running';
          if (!killed && !running) continue;
          const delay = x.killAt !== undefined && x.sentAt !== undefined ? Math.round((x.killAt - x.sentAt) * 1000) / 1000 : undefined;
          const program = ctx.program(x.process);
          const outcome = killed ? `it was then killed by SIGKILL${delay !== undefined ? ` ${delay} s later` : ''}` : 'it was still running when the log ended';
          const leader = ctx.graph.tasksOf(x.process)[0] as Task;
          if (x.how === 'handled') {
            if (!killed) continue;
            out.push(finding(sigtermIgnored, 'info', [ctx.taskRef(leader)], [x.state, x.sent, x.delivered, x.kill],
              `process ${x.process.tgid}${program ? ` (${program})` : ''} handles ${x.signal} but did not finish within the grace time: ${outcome}`,
              { signal: x.signal, how: x.how, ...(delay !== undefined ? { graceSeconds: delay } : {}) }));
            continue;
          }
          out.push(finding(sigtermIgnored, 'warning', [ctx.taskRef(leader)], [x.state, x.sent, x.delivered, x.kill],
            `process ${x.process.tgid}${program ? ` (${program})` : ''} ${x.how === 'ignored' ? 'ignores' : 'blocks in every thread'} ${x.signal}, so the ${x.signal} it was sent had no effect and ${outcome}: no graceful shutdown`,
            { signal: x.signal, how: x.how, ...(delay !== undefined ? { graceSeconds: delay } : {}) }));
        }
        return out;
      },
    };
  },
};

const POLITE_NUMBER = new Map([...POLITE].map(([n, name]) => [name, n]));

export const sigkillNoSender: RuleDefinition = {
  id: 'sigkill-no-sender',
  title: 'killed by SIGKILL with no visible sender in the trace (OOM killer, a timeout, a supervisor)',
  severity: 'warning',
  needs: ['successful-calls'],
  fix: 'find the sender outside the trace (kernel log for the OOM killer, the journal, cgroup memory.events, the supervisor or timeout that ran the program) and fix that cause: memory limit, timeout, stop grace period',
  start(ctx) {
    const targets = new Set<number>();
    let groupKill: Citation | undefined;
    const lastCall = new Map<string, Citation>();
    const out: Array<{ task: Task; killed: Citation }> = [];
    return {
      syscall(event, task, fact) {
        lastCall.set(task.key, ctx.cite(event, 'last call'));
        if (fact?.kind !== 'send' || fact.signal !== SIGKILL) return;
        if (fact.target.kind === 'pid') targets.add(fact.target.pid);
        else if (fact.target.kind === 'thread') targets.add(fact.target.tid);
        else groupKill ??= ctx.cite(event, 'SIGKILL sent to a group');
      },
      ended(event, task) {
        if (event.kind === 'killed' && event.signal === 'SIGKILL') out.push({ task, killed: ctx.cite(event, 'killed by SIGKILL') });
      },
      finish() {
        if (groupKill) return [];
        const findings: Finding[] = [];
        const seen = new Set<string>();
        for (const { task, killed } of out) {
          const process = ctx.graph.processOf(task);
          if (seen.has(process.key)) continue;
          if (ctx.graph.tasksOf(process).some((t) => targets.has(t.tid)) || targets.has(process.tgid)) continue;
          seen.add(process.key);
          const program = ctx.program(process);
          findings.push(finding(sigkillNoSender, 'warning', [ctx.taskRef(task)], [lastCall.get(task.key), killed],
            `process ${process.tgid}${program ? ` (${program})` : ''} was killed by SIGKILL and no traced process sent it: the OOM killer, a timeout (timeout -k, kill -9), a supervisor's stop timeout or an RLIMIT_CPU hard limit outside the trace`,
            { signal: 'SIGKILL' }));
        }
        return findings;
      },
    };
  },
};
