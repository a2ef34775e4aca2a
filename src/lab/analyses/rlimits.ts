/**
 * rlimits: RLIMIT_STACK set to 1 MiB before a re-exec becomes the size of every new thread's stack;
 * a thread that recurses past it dies on the guard page below; RLIMIT_NPROC makes fork fail with
 * EAGAIN for an unprivileged UID. Each point is read from the trace and cites its lines.
 */
import { LabTrace, argInt, argText, exitLine, hex, humanSize, returned, structInt } from '../evidence.js';
import { toBigInt, valueText } from '../../parse/values.js';
import type { Value } from '../../parse/types.js';
import type { LabPoint } from '../types.js';
import { factOf, type TaskCreationFact } from '../../facts/index.js';
import type { ProgramRun } from '../types.js';

/** A limit as strace prints it: `1024*1024`, `4`, or RLIM64_INFINITY (undefined). */
function limitValue(v: Value | undefined): bigint | undefined {
  if (!v) return undefined;
  const text = valueText(v);
  let product = 1n;
  for (const part of text.split('*')) {
    const n = toBigInt(part);
    if (n === undefined) return undefined;
    product *= n;
  }
  return product;
}

function newLimit(e: { args: Value[] }): bigint | undefined {
  const v = e.args[2];
  return v?.t === 'struct' ? limitValue(v.fields.find((f) => f.name === 'rlim_cur')?.value) : undefined;
}

export function analyseRlimits(runs: ProgramRun[]): LabPoint[] {
  const run = runs[0];
  const t = new LabTrace(run);
  const main = t.rootTid();
  if (main === undefined) return [];
  const setStack = t.first('prlimit64', (e) => argText(e, 1) === 'RLIMIT_STACK' && e.args[2]?.t === 'struct', main);
  const reexec = t.calls('execve', main)[1];
  const stackLimit = setStack ? newLimit(setStack) : undefined;
  const mapping = t.first('mmap', (e) => argText(e, 2) === 'PROT_NONE' && argText(e, 3).includes('MAP_STACK'), main);
  const mappingSize = mapping ? argInt(mapping, 1) : undefined;
  const mappingAt = returned(mapping);
  const thread = t.first('clone3', (e) => (factOf(e) as TaskCreationFact).kind === 'thread', main);
  const stackSize = thread ? structInt(thread.args[0], 'stack_size') : undefined;
  const guard = mappingSize !== undefined && stackLimit !== undefined ? mappingSize - stackLimit : undefined;

  const stackPoint: LabPoint = {
    id: 'stack-limit',
    title: 'RLIMIT_STACK is the size of every new thread stack',
    sides: [
      {
        program: t.program,
        label: 'limit',
        says: `prlimit64 sets the soft RLIMIT_STACK to ${stackLimit === undefined ? '?' : humanSize(stackLimit)}, then the program re-execs itself${reexec ? ` (${argText(reexec, 0)})` : ''}: glibc reads the limit once, at start-up`,
        values: { stackLimit, reexec: reexec !== undefined },
        cites: [setStack, reexec].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
      {
        program: t.program,
        label: 'thread stack',
        says: `the thread's stack is mapped with ${mappingSize === undefined ? '?' : `${mappingSize} bytes (${humanSize(mappingSize)})`} at ${mappingAt === undefined ? '?' : hex(mappingAt)}: the limit plus a ${guard === undefined ? '?' : humanSize(guard)} guard page; clone3 gets stack_size ${stackSize === undefined ? '?' : hex(stackSize)} (the rest holds the thread descriptor and TLS)`,
        values: { mappingSize, mappingAt, guard, stackSize },
        cites: [mapping, thread].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
    ],
    why: 'pthread_create without an explicit size uses the soft RLIMIT_STACK as the default stack size (8 MiB on most systems), so lowering it shrinks every thread; an unlimited soft limit falls back to a fixed default. The limit must be set before the program starts, which is why `ulimit -s` and `tasklens run --limit STACK=` act before exec.',
  };

  // The overflow child: forked, makes a thread, dies of SIGSEGV.
  const forks = t.calls(['clone', 'fork', 'vfork'], main).filter((e) => (returned(e) ?? 0n) > 0n);
  const overflowPid = forks[0] ? Number(returned(forks[0])) : undefined;
  const overflowThread = overflowPid === undefined ? undefined : t.first('clone3', () => true, overflowPid);
  const overflowTid = returned(overflowThread);
  const segv = overflowTid === undefined ? undefined : t.signals('SIGSEGV', Number(overflowTid))[0];
  const faultAt = segv ? structInt(segv.siginfo, 'si_addr') : undefined;
  const base = overflowThread ? structInt(overflowThread.args[0], 'stack') : undefined;
  const inGuard = faultAt !== undefined && base !== undefined && guard !== undefined && faultAt >= base && faultAt < base + guard;
  const reap = overflowPid === undefined ? undefined : t.first('wait4', (e) => returned(e) === BigInt(overflowPid), main);
  const childEnd = overflowPid === undefined ? undefined : exitLine(run, overflowPid);
  const overflowPoint: LabPoint = {
    id: 'overflow',
    title: 'Recursion past the thread stack dies on the guard page',
    sides: [
      {
        program: t.program,
        label: 'fault',
        says: segv
          ? `thread ${overflowTid} of child ${overflowPid} gets SIGSEGV at si_addr ${faultAt === undefined ? '?' : hex(faultAt)}, ${
              inGuard ? `inside the ${humanSize(guard!)} guard page at ${hex(base!)}` : `outside the guard page${base !== undefined ? ` (stack base ${hex(base)})` : ''}`
            }`
          : 'no SIGSEGV traced',
        values: { child: overflowPid, thread: overflowTid === undefined ? undefined : Number(overflowTid), faultAt, stackBase: base, inGuard },
        cites: [overflowThread, segv].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
      {
        program: t.program,
        label: 'reaped',
        says: reap ? `the whole child is killed by SIGSEGV and its parent reaps it: wait4 reports ${argText(reap, 1)}` : 'the child was not reaped in the trace',
        values: { reaped: reap !== undefined },
        cites: [childEnd, reap].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
    ],
    why: 'Below every thread stack glibc leaves a PROT_NONE guard page: a frame that reaches it faults (SEGV_ACCERR) instead of silently overwriting the next mapping. The signal kills the whole process, not just the thread. (The main thread has no fixed mapping: its stack grows on demand until RLIMIT_STACK.)',
  };

  // The NPROC child: sets the limit, drops root, forks until EAGAIN.
  const nprocPid = forks[1] ? Number(returned(forks[1])) : undefined;
  const setNproc = nprocPid === undefined ? undefined : t.first('prlimit64', (e) => argText(e, 1) === 'RLIMIT_NPROC', nprocPid);
  const setuid = nprocPid === undefined ? undefined : t.first(['setuid', 'setresuid'], () => true, nprocPid);
  const attempts = nprocPid === undefined ? [] : t.calls(['clone', 'fork', 'vfork'], nprocPid);
  const made = attempts.filter((e) => (returned(e) ?? 0n) > 0n);
  const failed = attempts.find((e) => e.ret?.errno !== undefined);
  const nprocLimit = setNproc ? newLimit(setNproc) : undefined;
  const nprocPoint: LabPoint = {
    id: 'nproc',
    title: 'RLIMIT_NPROC: fork fails with EAGAIN, for an unprivileged user',
    sides: [
      {
        program: t.program,
        label: 'limit',
        says: `child ${nprocPid ?? '?'} sets RLIMIT_NPROC to ${nprocLimit ?? '?'} and ${setuid ? `drops to UID ${argText(setuid, 0)} (root is exempt)` : 'keeps its UID'}`,
        values: { limit: nprocLimit, uid: setuid ? Number(argInt(setuid, 0)) : undefined },
        cites: [setNproc, setuid].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
      {
        program: t.program,
        label: 'forks',
        says: `${made.length} fork(s) succeed, then ${failed ? `${failed.name} returns -1 ${failed.ret?.errno}` : 'none fails'}: the limit counts every process and thread of the UID, the forking child included`,
        values: { made: made.length, failedWith: failed?.ret?.errno },
        cites: [...made, ...(failed ? [failed] : [])].map((e) => t.cite(e)),
      },
    ],
    why: 'RLIMIT_NPROC is checked at fork/clone against the number of tasks (threads too) owned by the real UID, system-wide; processes with CAP_SYS_RESOURCE or CAP_SYS_ADMIN (root) are exempt. The failure is EAGAIN, which programs often retry in a loop.',
  };
  return [stackPoint, overflowPoint, nprocPoint];
}
