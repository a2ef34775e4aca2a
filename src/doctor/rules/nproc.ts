/**
 * rlimit-nproc-hit: fork/clone/clone3 failing with EAGAIN. RLIMIT_NPROC counts every task of the real
 * user; the cgroup pids controller gives the same EAGAIN, so the limit is cited when the log shows it
 * (prlimit64/setrlimit of RLIMIT_NPROC in the process or an ancestor) and both are named otherwise.
 */
import type { Citation, Finding } from '../types.js';
import { finding, type RuleDefinition } from '../rule.js';

const CREATING = new Set(['clone', 'clone2', 'clone3', 'fork', 'vfork']);

interface Failures {
  process: string;
  cites: Citation[];
  count: number;
  task: import('../../model/types.js').Task;
}

export const rlimitNprocHit: RuleDefinition = {
  id: 'rlimit-nproc-hit',
  title: 'fork/clone/clone3 failing with EAGAIN because of RLIMIT_NPROC (or the cgroup pids limit)',
  severity: 'error',
  needs: [],
  fix: 'raise or correct the limit that was hit (ulimit -u / LimitNPROC=, or TasksMax= / pids.max for the cgroup), and make sure the program does not create tasks without bound',
  start(ctx) {
    /** The last RLIMIT_NPROC line per process (inherited by children at fork). */
    const limits = new Map<string, { cite: Citation; soft?: string }>();
    const stackFailed = new Set<string>();
    const failures = new Map<string, Failures>();
    return {
      created(creator, child) {
        const from = limits.get(ctx.graph.processOf(creator).key);
        const to = ctx.graph.processOf(child).key;
        if (from && !limits.has(to)) limits.set(to, from);
      },
      syscall(event, task, fact) {
        const process = ctx.graph.processOf(task).key;
        if (fact?.kind === 'limit' && fact.resource === 'RLIMIT_NPROC') {
          limits.set(process, { cite: ctx.cite(event, fact.set ? 'limit set' : 'limit read'), ...(fact.soft !== undefined ? { soft: fact.soft } : {}) });
          return;
        }
        if (event.ret?.errno === 'ENOMEM' && fact === undefined && event.name === 'mmap') stackFailed.add(task.key);
        if (!CREATING.has(event.name) || event.ret?.errno !== 'EAGAIN') return;
        let f = failures.get(process);
        if (!f) failures.set(process, (f = { process, cites: [], count: 0, task }));
        f.count++;
        if (f.cites.length < 5) f.cites.push(ctx.cite(event, `${event.name} failed with EAGAIN`));
      },
      finish() {
        const out: Finding[] = [];
        for (const f of failures.values()) {
          const process = ctx.graph.process(f.process)!;
          const limit = limits.get(f.process);
          const memory = stackFailed.has(f.task.key);
          const cause = limit
            ? `RLIMIT_NPROC${limit.soft !== undefined ? ` (soft limit ${limit.soft})` : ''} was reached: it counts every task of the user, threads too`
            : memory ? 'a thread stack could not be mapped (ENOMEM) just before: memory, not a task limit' : 'a task limit was reached: RLIMIT_NPROC of the user, or the cgroup pids controller (pids.max, TasksMax=)';
          const program = ctx.program(process);
          out.push(finding(rlimitNprocHit, memory && !limit ? 'warning' : 'error', [ctx.taskRef(f.task)], [...(limit ? [limit.cite] : []), ...f.cites],
            `process ${process.tgid}${program ? ` (${program})` : ''} could not create ${f.count === 1 ? 'a task' : `tasks ${f.count} times`} (EAGAIN): ${cause}`,
            { failures: f.count, ...(limit?.soft !== undefined ? { limit: limit.soft } : {}) }));
        }
        return out;
      },
    };
  },
};
