/**
 * killed-by-sigpipe: a process killed by SIGPIPE after writing to a pipe or socket whose reader was
 * gone. For a pipeline member writing into a pipe (`yes | head -1`) that is the intended way to stop
 * it (info); on a socket it means a client that disconnects kills the server (error).
 */
import type { Citation, Finding, Severity } from '../types.js';
import { fdArgument, type FdKind } from '../decode.js';
import { finding, type RuleDefinition } from '../rule.js';

interface Epipe {
  cite: Citation;
  fd?: number;
  kind: FdKind | 'unknown';
}

export const killedBySigpipe: RuleDefinition = {
  id: 'killed-by-sigpipe',
  title: 'a process killed by SIGPIPE: it wrote to a pipe or socket whose reader was gone',
  severity: 'error',
  needs: [],
  fix: 'a server should ignore SIGPIPE (or send with MSG_NOSIGNAL) and handle EPIPE; a pipeline writer needs no fix',
  start(ctx) {
    const epipes = new Map<string, Epipe>();
    const delivered = new Map<string, Citation>();
    const out: Finding[] = [];
    return {
      syscall(event, task) {
        if (event.ret?.errno !== 'EPIPE') return;
        const fd = fdArgument(event);
        const arg = event.argAt ? event.argAt(0) : event.args[0];
        const entry = fd === undefined ? undefined : ctx.fds.table(ctx.graph.processOf(task).key).get(fd);
        const decorated = arg?.t === 'fd' ? (arg.decoration.startsWith('pipe:') ? 'pipe' : arg.decoration.startsWith('/') ? 'file' : 'socket') : undefined;
        epipes.set(task.key, { cite: ctx.cite(event, 'write got EPIPE'), ...(fd !== undefined ? { fd } : {}), kind: decorated ?? entry?.kind ?? 'unknown' });
      },
      signal(event, task) {
        if (event.signal === 'SIGPIPE' && !event.stopped) delivered.set(task.key, ctx.cite(event, 'SIGPIPE'));
      },
      ended(event, task) {
        if (event.kind !== 'killed' || event.signal !== 'SIGPIPE') return;
        const epipe = epipes.get(task.key);
        const kind = epipe?.kind ?? 'unknown';
        const severity: Severity = kind === 'socket' ? 'error' : kind === 'pipe' ? 'info' : 'warning';
        const process = ctx.graph.processOf(task);
        const program = ctx.program(process);
        const where = kind === 'socket' ? `a socket (fd ${epipe?.fd}) whose peer had closed: a client that disconnects kills the whole process`
          : kind === 'pipe' ? `a pipe (fd ${epipe?.fd}) whose reader had gone: the usual end of a pipeline writer (\`cmd | head\`), harmless unless set -o pipefail is used`
            : 'a pipe or socket whose reader was gone';
        out.push(finding(killedBySigpipe, severity, [ctx.taskRef(task)], [epipe?.cite, delivered.get(task.key), ctx.cite(event, 'killed')],
          `process ${process.tgid}${program ? ` (${program})` : ''} was killed by SIGPIPE after writing to ${where}`,
          { ...(epipe?.fd !== undefined ? { fd: epipe.fd } : {}), fdKind: kind }));
      },
      finish: () => out,
    };
  },
};
