/**
 * sigchld-ignored-wait: wait/waitpid failing with ECHILD while SIGCHLD is SIG_IGN (or SA_NOCLDWAIT):
 * the kernel reaps the children itself, so a blocking wait sleeps until all are gone and then fails,
 * and no exit status is ever available. A WNOHANG poll that finds no child is normal (dash does it).
 * The disposition may come from an ancestor: SIG_IGN survives exec, and the finding cites where it
 * was set.
 */
import type { Finding } from '../types.js';
import { finding, type RuleDefinition } from '../rule.js';

const SIGCHLD = 17;

export const sigchldIgnoredWait: RuleDefinition = {
  id: 'sigchld-ignored-wait',
  title: 'wait/waitpid failing with ECHILD because SIGCHLD is SIG_IGN (children are reaped by the kernel)',
  severity: 'error',
  needs: ['all-syscalls', 'successful-calls'],
  fix: 'restore SIGCHLD to SIG_DFL (also in launchers, before exec) when the children\'s exit statuses are needed',
  start(ctx) {
    const out: Finding[] = [];
    const reported = new Set<string>();
    return {
      syscall(event, task, fact) {
        if (fact?.kind !== 'wait' || fact.errno !== 'ECHILD' || fact.nohang) return;
        const process = ctx.graph.processOf(task);
        if (reported.has(process.key) || process.children.length === 0) return;
        const d = ctx.signals.disposition(process.key, SIGCHLD);
        const nocldwait = d?.flags.includes('SA_NOCLDWAIT') ?? false;
        if (!d || (d.disposition !== 'ignore' && !nocldwait)) return;
        reported.add(process.key);
        const program = ctx.program(process);
        out.push(finding(sigchldIgnoredWait, 'error', [ctx.taskRef(task)], [{ ...d.cite, role: `SIGCHLD set to ${d.disposition === 'ignore' ? 'SIG_IGN' : 'SA_NOCLDWAIT'}${d.inheritedFrom ? ' (by an ancestor, inherited across fork/exec)' : ''}` }, ctx.cite(event, `${event.name} failed with ECHILD`)],
          `process ${process.tgid}${program ? ` (${program})` : ''} waited for its children but ${event.name} failed with ECHILD: SIGCHLD is ${d.disposition === 'ignore' ? 'ignored (SIG_IGN)' : 'set with SA_NOCLDWAIT'}, so the kernel reaped its ${process.children.length} ${process.children.length === 1 ? 'child' : 'children'} itself and their exit statuses are lost`,
          { call: event.name, children: process.children.length, ...(d.inheritedFrom ? { inherited: true } : {}) }));
      },
      finish: () => out,
    };
  },
};
