/**
 * wait4/waitid options, waitid's idtype, and the wait status word that the W* macros take apart
 * (<linux/wait.h>; status layout from the kernel's exit and ptrace-stop encodings).
 */
import { defineTable } from './table.js';
import { signalName } from '../signals.js';

export const WAIT_OPTIONS = defineTable({
  id: 'wait',
  title: 'wait options',
  kind: 'bits',
  values: [
    { name: 'WNOHANG', value: 0x1n, meaning: 'return 0 at once if no child has changed state' },
    { name: 'WUNTRACED', value: 0x2n, meaning: 'also report children stopped by a signal' },
    { name: 'WSTOPPED', value: 0x2n, nameOnly: true, meaning: 'waitid: report children stopped by a signal (same bit as WUNTRACED)' },
    { name: 'WEXITED', value: 0x4n, meaning: 'waitid: report children that terminated' },
    { name: 'WCONTINUED', value: 0x8n, meaning: 'also report stopped children resumed by SIGCONT' },
    { name: 'WNOWAIT', value: 0x01000000n, meaning: 'report the child but leave it waitable (a zombie stays a zombie)' },
    { name: '__WNOTHREAD', value: 0x20000000n, meaning: 'wait only for children of this thread, not of sibling threads' },
    { name: '__WALL', value: 0x40000000n, meaning: 'wait for every kind of child, including clones with no or another exit signal (tracers use it)' },
    { name: '__WCLONE', value: 0x80000000n, meaning: 'wait only for "clone" children: those whose exit signal is not SIGCHLD' },
  ],
});

export const WAITID_IDTYPE = defineTable({
  id: 'idtype',
  title: 'waitid idtype',
  kind: 'enum',
  values: [
    { name: 'P_ALL', value: 0n, meaning: 'wait for any child of the caller' },
    { name: 'P_PID', value: 1n, meaning: 'wait for the child with this PID' },
    { name: 'P_PGID', value: 2n, meaning: 'wait for any child in this process group' },
    { name: 'P_PIDFD', value: 3n, meaning: 'wait for the child this pidfd refers to' },
  ],
});

/** The macros strace prints in wait4's status, e.g. `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`. */
export const WAIT_STATUS_MACROS: ReadonlyArray<{ name: string; meaning: string }> = [
  { name: 'WIFEXITED', meaning: 'true if the child ended by calling exit or returning from main' },
  { name: 'WEXITSTATUS', meaning: 'the exit code (0-255) of a child that exited' },
  { name: 'WIFSIGNALED', meaning: 'true if the child was killed by a signal' },
  { name: 'WTERMSIG', meaning: 'the signal that killed the child' },
  { name: 'WCOREDUMP', meaning: 'true if the killed child also dumped core' },
  { name: 'WIFSTOPPED', meaning: 'true if the child is stopped (by a signal, or at a ptrace stop)' },
  { name: 'WSTOPSIG', meaning: 'the signal that stopped the child' },
  { name: 'WIFCONTINUED', meaning: 'true if a stopped child was resumed by SIGCONT' },
];

export type WaitStatus =
  | { kind: 'exited'; code: number }
  | { kind: 'signaled'; signal: number; signalName: string; coreDumped: boolean }
  | { kind: 'stopped'; signal: number; signalName: string; ptraceEvent: number }
  | { kind: 'continued' }
  | { kind: 'unknown'; raw: number };

/**
 * Takes a raw wait status apart as the W* macros do. Layout: low 7 bits = terminating signal (0 for
 * exit, 0x7f for stopped), bit 7 = core dumped, bits 8-15 = exit code or stop signal, bits 16-23 =
 * ptrace event; 0xffff means continued.
 */
export function decodeWaitStatus(status: number): WaitStatus {
  const low = status & 0x7f;
  if (status === 0xffff) return { kind: 'continued' };
  if (low === 0) return { kind: 'exited', code: (status >> 8) & 0xff };
  if (low === 0x7f) {
    const signal = (status >> 8) & 0xff;
    return { kind: 'stopped', signal, signalName: signalName(signal), ptraceEvent: (status >> 16) & 0xff };
  }
  if (status >= 0 && status <= 0xff) return { kind: 'signaled', signal: low, signalName: signalName(low), coreDumped: (status & 0x80) !== 0 };
  return { kind: 'unknown', raw: status };
}
