/**
 * Processes that have no user space to look at, and what to say instead (issue 10 item 6): a kernel
 * thread (PF_KTHREAD: no memory map, no executable, nothing ptrace can stop) and a zombie (it has
 * exited; only its PID, exit status and a parent that has not reaped it are left). A process whose
 * main thread called pthread_exit() shows Z as well but is alive: it is neither.
 */
import { ExitCode, TasklensError, type ErrorLayer } from '../errors.js';
import { decodeWaitStatus, type WaitStatus } from '../kb/flags/wait.js';
import { signalName } from '../kb/signals.js';
import { listTids, readStat } from './listing.js';

export type SpecialProcess =
  | { kind: 'kernel-thread'; pid: number; comm: string; ppid: number }
  | {
      kind: 'zombie';
      pid: number;
      comm: string;
      ppid: number;
      /** The parent's name, when it could be read. */
      parentComm?: string;
      /** How it ended; absent when the reader may not see it (the kernel then shows 0). */
      exit?: WaitStatus;
    };

/** What `pid` is when it is a kernel thread or a zombie; undefined for an ordinary (or vanished) process. */
export function specialProcess(pid: number, root = '/proc'): SpecialProcess | undefined {
  const stat = readStat(`${root}/${pid}/stat`);
  if (!stat) return undefined;
  if (stat.kernelThread) return { kind: 'kernel-thread', pid, comm: stat.comm, ppid: stat.ppid };
  if (stat.state !== 'Z' && stat.state !== 'X') return undefined;
  const live = (listTids(pid, root) ?? []).some((tid) => {
    const thread = tid === pid ? stat : readStat(`${root}/${pid}/task/${tid}/stat`);
    return thread !== undefined && thread.state !== 'Z' && thread.state !== 'X';
  });
  if (live) return undefined; // the main thread exited, the others run on
  const parent = readStat(`${root}/${stat.ppid}/stat`);
  // exit_code reads 0 for a reader without ptrace access: a 0 is only shown when it can be trusted.
  const readable = stat.exitCode !== undefined && (stat.exitCode !== 0 || process.geteuid?.() === 0);
  return { kind: 'zombie', pid, comm: stat.comm, ppid: stat.ppid, parentComm: parent?.comm, exit: readable ? decodeWaitStatus(stat.exitCode!) : undefined };
}

/** "exited with code 7", "killed by SIGKILL (core dumped)". */
export function exitText(exit: WaitStatus | undefined): string {
  if (!exit) return 'exit status not readable';
  if (exit.kind === 'exited') return `exited with code ${exit.code}`;
  if (exit.kind === 'signaled') return `killed by ${signalName(exit.signal)}${exit.coreDumped ? ' (core dumped)' : ''}`;
  return `wait status ${exit.kind}`;
}

/**
 * The error for a verb that needs a process's user space (memory, threads, executable). A kernel
 * thread is a wrong target: usage error (2). A zombie has exited: "no such process" (3), with its
 * parent and exit status, since that is what the user can act on.
 */
export function noUserSpace(special: SpecialProcess, layer: ErrorLayer, verb: string): TasklensError {
  if (special.kind === 'kernel-thread') {
    return new TasklensError(layer, 'kernel-thread', `PID ${special.pid} (${special.comm}) is a kernel thread: it has no user space to ${verb}`, {
      hint: 'kernel threads run kernel code only; `cat /proc/PID/stack` (as root) shows where one is',
      exitCode: ExitCode.usage,
    });
  }
  const parent = `${special.ppid}${special.parentComm === undefined ? '' : ` (${special.parentComm})`}`;
  return new TasklensError(
    layer,
    'zombie',
    `PID ${special.pid} (${special.comm}) is a zombie: it ${special.exit ? exitText(special.exit).replace(/^killed/, 'was killed') : 'has exited'}` +
      ` and waits for its parent ${parent} to reap it; a zombie has no threads or memory to ${verb}`,
    { hint: `tasklens zombies shows why parent ${special.ppid} does not reap it`, exitCode: ExitCode.noSuchProcess },
  );
}
