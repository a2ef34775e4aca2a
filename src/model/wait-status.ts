/**
 * Wait statuses as strace prints them. wait4 shows the status as C macros
 * (`[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]`, `[{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}]`);
 * waitid shows a siginfo (`{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=N, si_status=3, ...}`).
 * The expression is matched as text, so the value tree's exact shape does not matter.
 */
import type { Value } from '../parse/types.js';
import { parseValue, structField, toBigInt, valueText } from '../parse/values.js';
import type { ChildStatus } from './types.js';

/** Linux's PID_MAX_LIMIT (2^22): a larger pid in a log is not a pid. */
export const MAX_PID = 4_194_304n;

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

/** The fields of a siginfo the model reads, from the parser's typed value (null: no siginfo). */
export function siginfoFields(info: Value | null | undefined): { code?: string; pid?: number; status?: string } {
  if (!info) return {};
  const code = structField(info, 'si_code');
  const pid = toBigInt(structField(info, 'si_pid'));
  const status = structField(info, 'si_status');
  return {
    ...(code !== undefined ? { code: valueText(code) } : {}),
    ...(pid !== undefined && pid >= 0n && pid <= MAX_PID ? { pid: Number(pid) } : {}),
    ...(status !== undefined ? { status: valueText(status) } : {}),
  };
}

/** Status from a SIGCHLD siginfo (waitid's infop, or a SIGCHLD delivery), as the parser typed it. */
export function statusFromSiginfo(info: Value | null | undefined): { pid?: number; status?: ChildStatus } {
  const { code, pid, status: statusText } = siginfoFields(info);
  const kind = code === undefined ? undefined : CHILD_CODES[code];
  if (kind === undefined) return { pid };
  if (kind === 'exited') {
    const n = statusText === undefined ? undefined : toBigInt(statusText);
    return { pid, status: { kind, code: n !== undefined && n >= 0n && n <= 255n ? Number(n) : undefined } };
  }
  if (kind === 'killed') return { pid, status: { kind, signal: statusText, coreDumped: code === 'CLD_DUMPED' } };
  return { pid, status: { kind, signal: statusText } };
}

/** Status from a SIGCHLD siginfo text (for callers holding text rather than a parsed event). */
export function statusFromSiginfoText(text: string): { pid?: number; status?: ChildStatus } {
  return statusFromSiginfo(text.trim() === '' ? null : parseValue(text));
}

/** A status that means the child is gone (as opposed to stopped or continued). */
export function isFinal(status: ChildStatus | undefined): boolean {
  return status !== undefined && (status.kind === 'exited' || status.kind === 'killed');
}
