/**
 * exec-failed: a task whose last execve failed (no later successful execve in the same task) and that
 * then exited with an error: ENOENT (127 in a shell), EACCES or ENOEXEC (126). A PATH search, where
 * execvp tries each directory until one works, is not a failure; ENOEXEC followed by a successful exit
 * (the shell ran the file as a script) is not one either.
 */
import type { Task } from '../../model/types.js';
import type { Citation, Finding } from '../types.js';
import { factOf } from '../../facts/index.js';
import { finding, type RuleDefinition } from '../rule.js';

const MEANING: Record<string, string> = {
  ENOENT: 'the file (or the interpreter its #! line or ELF header names) does not exist; a shell reports 127',
  EACCES: 'no execute permission (or a directory on the path is not searchable, or a noexec mount); a shell reports 126',
  ENOEXEC: 'not an executable format this kernel runs (wrong architecture, or a script without #!); a shell reports 126',
  E2BIG: 'the argument list and environment are too large',
  ETXTBSY: 'the binary is still open for writing',
  EAGAIN: 'RLIMIT_NPROC was exceeded after a set*uid() call',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many symbolic links on the path',
};

interface Attempts {
  task: Task;
  cites: Citation[];
  count: number;
  errno: string;
  path?: string;
}

export const execFailed: RuleDefinition = {
  id: 'exec-failed',
  title: 'a process whose final exec failed (ENOENT, EACCES, ENOEXEC...) and that then exited with an error',
  severity: 'error',
  needs: [],
  fix: 'fix the path, the permission bit or the interpreter line (#!) that the last failing execve names',
  start(ctx) {
    const attempts = new Map<string, Attempts>();
    const out: Finding[] = [];
    const conclude = (task: Task, code: number | undefined, signal: string | undefined, end: Citation | undefined): void => {
      const a = attempts.get(task.key);
      attempts.delete(task.key);
      if (!a || (code === 0 && signal === undefined)) return;
      const process = ctx.graph.processOf(task);
      const outcome = signal !== undefined ? `was killed by ${signal}` : code !== undefined ? `exited with ${code}` : 'ended';
      out.push(finding(execFailed, 'error', [ctx.taskRef(task)], [...a.cites, end],
        `process ${process.tgid} could not exec ${a.path !== undefined ? JSON.stringify(a.path) : 'its program'}: ${a.errno} (${MEANING[a.errno] ?? 'see execve(2)'})${a.count > 1 ? `, after ${a.count} attempts` : ''}; it then ${outcome}`,
        { errno: a.errno, attempts: a.count, ...(a.path !== undefined ? { path: a.path } : {}), ...(code !== undefined ? { exitCode: code } : {}) }));
    };
    return {
      syscall(event, task) {
        const fact = factOf(event);
        if (fact?.fact !== 'exec' || fact.pending) return;
        if (fact.ok) {
          attempts.delete(task.key);
          return;
        }
        const errno = fact.errno ?? 'unknown error';
        let a = attempts.get(task.key);
        if (!a) attempts.set(task.key, (a = { task, cites: [], count: 0, errno }));
        a.count++;
        a.errno = errno;
        if (fact.path !== undefined) a.path = fact.path;
        const cite = ctx.cite(event, `exec failed with ${errno}`);
        // First and last attempts: a PATH search can try a dozen directories.
        if (a.cites.length < 2) a.cites.push(cite);
        else a.cites[a.cites.length === 2 ? 2 : a.cites.length - 1] = cite;
      },
      ended(event, task) {
        if (!attempts.has(task.key)) return;
        conclude(task, event.kind === 'exit' ? event.code : undefined, event.kind === 'killed' ? event.signal : undefined, ctx.cite(event, 'end'));
      },
      finish() {
        for (const a of [...attempts.values()]) {
          const end = a.task.end;
          if (end?.kind === 'exited' || end?.kind === 'killed') conclude(a.task, end.code, end.signal, end.at ? ctx.citeMoment(end.at, 'end') : undefined);
        }
        return out;
      },
    };
  },
};
