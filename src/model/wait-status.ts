/**
 * Wait statuses as strace prints them. wait4 shows the status as C macros
 * (`[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]`, `[{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}]`);
 * waitid shows a siginfo (`{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=N, si_status=3, ...}`).
 * The expression is matched as text, so the value tree's exact shape does not matter.
 */
import type { ChildStatus } from './types.js';

/** Status from wait4's printed status argument; undefined for NULL or an unreadable status. */
export function statusFromWaitText(text: string): ChildStatus | undefined {
  let m: RegExpExecArray | null;
  if ((m = /WEXITSTATUS\(s\) == (\d+)/.exec(text))) return { kind: 'exited', code: Number(m[1]) };
  if ((m = /WTERMSIG\(s\) == (\w+)/.exec(text))) return { kind: 'killed', signal: m[1], coreDumped: text.includes('WCOREDUMP(s)') };
  if ((m = /WSTOPSIG\(s\) == (\w+)/.exec(text))) return { kind: 'stopped', signal: m[1] };
  if (text.includes('WIFCONTINUED(s)')) return { kind: 'continued' };
  if (text.includes('WIFEXITED(s)')) return { kind: 'exited' };
  return undefined;
}

/** si_code of a SIGCHLD siginfo -> what happened to the child. */
const CHILD_CODES: Record<string, ChildStatus['kind']> = {
  CLD_EXITED: 'exited',
  CLD_KILLED: 'killed',
  CLD_DUMPED: 'killed',
  CLD_STOPPED: 'stopped',
  CLD_TRAPPED: 'stopped',
  CLD_CONTINUED: 'continued',
};

/** Status from a SIGCHLD siginfo text (waitid's infop, or a SIGCHLD delivery). */
export function statusFromSiginfoText(text: string): { pid?: number; status?: ChildStatus } {
  const code = /si_code=(\w+)/.exec(text)?.[1];
  const pidMatch = /si_pid=(\d+)/.exec(text);
  const statusText = /si_status=(\w+)/.exec(text)?.[1];
  const pid = pidMatch ? Number(pidMatch[1]) : undefined;
  const kind = code === undefined ? undefined : CHILD_CODES[code];
  if (kind === undefined) return { pid };
  if (kind === 'exited') return { pid, status: { kind, code: statusText !== undefined && /^\d+$/.test(statusText) ? Number(statusText) : undefined } };
  if (kind === 'killed') return { pid, status: { kind, signal: statusText, coreDumped: code === 'CLD_DUMPED' } };
  return { pid, status: { kind, signal: statusText } };
}

/** A status that means the child is gone (as opposed to stopped or continued). */
export function isFinal(status: ChildStatus | undefined): boolean {
  return status !== undefined && (status.kind === 'exited' || status.kind === 'killed');
}
