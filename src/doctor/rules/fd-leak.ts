/**
 * fd-leaked-across-exec: descriptors the log saw created without close-on-exec that are still open
 * when the process execs a new program (stdin/out/err excluded). Not flagged: descriptors a shell
 * opened (`exec 3>file` is meant for later commands), ones whose close-on-exec bit was cleared on
 * purpose (`fcntl(fd, F_SETFD, 0)`, make's jobserver), and socket activation (`LISTEN_FDS=` in the
 * environment).
 */
import type { SyscallEvent, Value } from '../../parse/types.js';
import type { Finding } from '../types.js';
import { factOf } from '../../facts/index.js';
import { finding, type RuleDefinition } from '../rule.js';
import { SHELLS } from './reaping.js';

/** Environment variables that hand descriptors to the new program on purpose. */
const PASSES_FDS = ['LISTEN_FDS=', 'MAKEFLAGS='];

function envPassesFds(event: SyscallEvent): boolean {
  const env: Value | undefined = event.argAt ? event.argAt(event.name === 'execveat' ? 3 : 2) : event.args[event.name === 'execveat' ? 3 : 2];
  if (env?.t !== 'array') return false;
  return env.items.some((item) => item.t === 'str' && PASSES_FDS.some((prefix) => item.text.startsWith(prefix)));
}

export const fdLeakedAcrossExec: RuleDefinition = {
  id: 'fd-leaked-across-exec',
  title: 'descriptors without close-on-exec still open when a process execs a new program (stdin/out/err excluded)',
  severity: 'warning',
  needs: ['all-syscalls', 'successful-calls'],
  fix: 'create every descriptor with its close-on-exec flag (O_CLOEXEC, SOCK_CLOEXEC, pipe2(O_CLOEXEC), F_DUPFD_CLOEXEC) and clear it only on purpose for the one descriptor meant to be inherited',
  start(ctx) {
    const out: Finding[] = [];
    return {
      syscall(event, task) {
        const fact = factOf(event);
        if (fact?.fact !== 'exec' || !fact.ok) return;
        const process = ctx.graph.processOf(task);
        const before = ctx.programBeforeExec(process);
        if ((before !== undefined && SHELLS.has(before)) || envPassesFds(event)) return;
        const leaked = [...ctx.fds.table(process.key)].filter(([fd, e]) => fd >= 3 && !e.cloexec && !e.cleared).sort((a, b) => a[0] - b[0]);
        if (leaked.length === 0) return;
        const serious = leaked.some(([, e]) => e.kind === 'pipe' || e.kind === 'socket' || !e.readOnly);
        const program = ctx.graph.command(process)?.[0];
        const kinds = leaked.map(([fd, e]) => `${fd} (${e.kind === 'file' && e.readOnly ? 'read-only file' : e.kind})`);
        out.push(finding(fdLeakedAcrossExec, serious ? 'warning' : 'info', [ctx.taskRef(task)],
          [...leaked.slice(0, 8).map(([fd, e]) => ({ ...e.cite, role: `fd ${fd} created without close-on-exec` })), ctx.cite(event, 'exec')],
          `process ${process.tgid} exec'd ${program ?? 'a new program'} with ${leaked.length === 1 ? 'descriptor' : 'descriptors'} ${kinds.join(', ')} still open and not close-on-exec: the new program inherits ${leaked.length === 1 ? 'it' : 'them'}${serious ? ' (a leaked pipe write end keeps readers from seeing EOF; a leaked socket keeps the connection open)' : ''}`,
          { fds: leaked.map(([fd]) => fd) }));
      },
      finish: () => out,
    };
  },
};
