/**
 * thread-vs-process: what the kernel was asked to do by pthread_create + pthread_join and by fork +
 * waitpid, read from the two real traces. Every sentence carries the values and line numbers it is
 * built from; when a trace lacks a fact (another libc, another kernel), the side says so instead of
 * inventing it.
 */
import { CLONE_FLAGS, CLONE3_FLAGS, decodeFlags, type DecodedFlag } from '../../kb/index.js';
import { valueText, toBigInt } from '../../parse/values.js';
import type { SyscallEvent } from '../../parse/types.js';
import { LabTrace, argFlags, argInt, argText, field, hex, humanDuration, humanSize, returned, structInt } from '../evidence.js';
import type { Citation, LabPoint, LabSide, ProgramRun } from '../types.js';
import { factOf, type SignalDeliveryFact, type TaskCreationFact } from '../../facts/index.js';

const CREATING = ['clone3', 'clone', 'fork', 'vfork'] as const;

/** The creating call of the root task, the new task's id and its decoded flags. */
interface Creation {
  call: SyscallEvent;
  creator: number;
  child: number;
  flags: DecodedFlag[];
  /** clone3's exit_signal field, or the signal byte of clone's flags. */
  exitSignal: string;
}

function creation(t: LabTrace): Creation | undefined {
  const creator = t.rootTid();
  if (creator === undefined) return undefined;
  const call = t.first(CREATING, (e) => (returned(e) ?? 0n) > 0n, creator);
  if (!call) return undefined;
  const fact = factOf(call) as TaskCreationFact;
  const table = call.name === 'clone3' ? CLONE3_FLAGS : CLONE_FLAGS;
  // The creation fact names the flags; the kb table gives each its meaning for the comparison table.
  const flags = fact.flags.map((name) => decodeFlags(table, name).known[0]).filter((f): f is DecodedFlag => f !== undefined && f.name.startsWith('CLONE_'));
  return { call, creator, child: fact.child ?? Number(returned(call)), flags, exitSignal: fact.exitSignal };
}

const missing = (t: LabTrace, what: string): LabSide => ({ program: t.program, says: `${what}: not seen in this trace`, cites: [] });

function creationPoint(thread: LabTrace, fork: LabTrace, tc: Creation | undefined, fc: Creation | undefined): LabPoint {
  const side = (t: LabTrace, c: Creation | undefined, noun: string): LabSide => {
    if (!c) return missing(t, 'the creating call');
    const names = c.flags.map((f) => f.name);
    return {
      program: t.program,
      says: `${c.call.name} with ${names.join('|') || 'no CLONE_* flag'}, exit signal ${c.exitSignal}, returned ${noun} ${c.child}`,
      values: { syscall: c.call.name, flags: c.flags.map(({ name, meaning }) => ({ name, meaning })), exitSignal: c.exitSignal, returned: c.child },
      cites: [t.cite(c.call)],
    };
  };
  const rows = new Map<string, string>();
  for (const f of [...(tc?.flags ?? []), ...(fc?.flags ?? [])]) rows.set(f.name, f.meaning);
  const has = (c: Creation | undefined, name: string): string => (c?.flags.some((f) => f.name === name) ? 'yes' : '-');
  return {
    id: 'creation',
    title: 'How the new task is made',
    sides: [side(thread, tc, 'TID'), side(fork, fc, 'PID')],
    table: {
      columns: ['flag', thread.program, fork.program, 'meaning'],
      rows: [
        ...[...rows].map(([name, meaning]) => [name, has(tc, name), has(fc, name), meaning]),
        ['exit signal', tc?.exitSignal ?? '?', fc?.exitSignal ?? '?', 'sent to the parent when the task ends (0: nobody is signalled)'],
      ],
    },
    why:
      'Both are the same kernel operation with different flags. CLONE_VM|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD make the new task a thread: ' +
      'it shares memory, descriptors and handlers and joins the caller\'s thread group. Without CLONE_VM the child gets a copy-on-write copy of the memory: a new process.',
  };
}

/** What `getpid()`/`gettid()`/`getppid()` returned inside a task. */
function idCalls(t: LabTrace, tid: number): Record<'getpid' | 'gettid' | 'getppid', SyscallEvent | undefined> {
  return {
    getpid: t.first('getpid', () => true, tid),
    gettid: t.first('gettid', () => true, tid),
    getppid: t.first('getppid', () => true, tid),
  };
}

function identityPoint(thread: LabTrace, fork: LabTrace, tc: Creation | undefined, fc: Creation | undefined): LabPoint {
  const side = (t: LabTrace, c: Creation | undefined): LabSide => {
    if (!c) return missing(t, 'the new task');
    const ids = idCalls(t, c.child);
    const tgid = returned(ids.getpid);
    const newTask = t.task(c.child);
    const parentProcess = t.root();
    const sameGroup = newTask && parentProcess ? newTask.process === parentProcess.key : undefined;
    const cites = [ids.gettid, ids.getpid, ids.getppid]
      .filter((e): e is SyscallEvent => e !== undefined)
      .map((e) => t.cite(e))
      .sort((a, b) => a.line - b.line);
    const seen = tgid !== undefined ? `getpid() in it returned ${tgid}` : 'it never called getpid()';
    const verdict =
      sameGroup === undefined ? '' : sameGroup ? `: the TGID of ${c.creator}, one process with two threads` : `: a thread group of its own, a new process`;
    const parent = returned(ids.getppid);
    return {
      program: t.program,
      says: `the new task's TID is ${c.child}; ${seen}${verdict}${parent !== undefined && !sameGroup ? ` (getppid() = ${parent})` : ''}`,
      values: { creator: c.creator, tid: c.child, tgid: tgid === undefined ? undefined : Number(tgid), sameThreadGroup: sameGroup, ppid: parent === undefined ? undefined : Number(parent) },
      cites,
    };
  };
  return {
    id: 'identity',
    title: 'TGID vs TID',
    sides: [side(thread, tc), side(fork, fc)],
    why:
      'The kernel gives every task its own TID. What user space calls the PID is the thread-group id (TGID): a thread keeps its creator\'s, a forked child starts a group of its own. ' +
      'kill(PID) targets the whole group; tgkill(TGID, TID) one thread.',
  };
}

/** The PROT_NONE MAP_STACK mapping made for a thread, and the mprotect that opens all of it but the guard. */
function stackPoint(thread: LabTrace, fork: LabTrace, tc: Creation | undefined, fc: Creation | undefined): LabPoint {
  const threadSide = (): LabSide => {
    if (!tc) return missing(thread, 'the thread stack');
    const stackMap = thread
      .calls('mmap', tc.creator)
      .filter((e) => e.line < tc.call.line && argFlags(e, 3).includes('MAP_STACK'))
      .pop();
    const base = returned(stackMap);
    const size = stackMap ? argInt(stackMap, 1) : undefined;
    if (!stackMap || base === undefined || size === undefined) return missing(thread, 'a MAP_STACK mapping before the thread was created');
    const opened = thread.first('mprotect', (e) => {
      const at = argInt(e, 0);
      return e.line > stackMap.line && e.line < tc.call.line && at !== undefined && at >= base && at < base + size;
    }, tc.creator);
    const openedAt = opened ? argInt(opened, 0) : undefined;
    const openedLen = opened ? argInt(opened, 1) : undefined;
    const guard = openedAt !== undefined ? openedAt - base : undefined;
    const stackArg = toBigInt(field(tc.call, 'stack') ?? field(tc.call, 'child_stack'));
    const stackSize = structInt(tc.call.args[0], 'stack_size');
    const parts = [`mmap of ${humanSize(size)} with ${argText(stackMap, 2)} at ${hex(base)}`];
    if (opened && openedLen !== undefined && guard !== undefined) {
      parts.push(`then mprotect opens ${humanSize(openedLen)} from ${hex(openedAt!)} to ${argText(opened, 2)}: the lowest ${humanSize(guard)} stays PROT_NONE, the guard page`);
    }
    if (stackArg !== undefined) parts.push(`${tc.call.name} gets stack=${hex(stackArg)}${stackSize !== undefined ? `, stack_size=${hex(stackSize)}` : ''}`);
    return {
      program: thread.program,
      says: parts.join('; '),
      values: {
        base: hex(base),
        size: size.toString(),
        prot: argText(stackMap, 2),
        guardBytes: guard?.toString(),
        opened: openedLen?.toString(),
        stackArg: stackArg === undefined ? undefined : hex(stackArg),
      },
      cites: [thread.cite(stackMap), ...(opened ? [thread.cite(opened)] : []), thread.cite(tc.call)],
    };
  };
  const forkSide = (): LabSide => {
    if (!fc) return missing(fork, 'the creating call');
    const stack = field(fc.call, 'child_stack') ?? field(fc.call, 'stack');
    const stackText = stack ? valueText(stack) : 'none';
    const maps = fork.calls('mmap', fc.creator).filter((e) => e.line < fc.call.line && argFlags(e, 3).includes('MAP_STACK'));
    return {
      program: fork.program,
      says: `${fc.call.name} with child_stack=${stackText} and no MAP_STACK mapping (${maps.length} found): the child runs on its copy-on-write copy of the parent's stack`,
      values: { childStack: stackText, stackMappings: maps.length },
      cites: [fork.cite(fc.call)],
    };
  };
  return {
    id: 'stack',
    title: 'The stack: a new one with a guard page vs a copy',
    sides: [threadSide(), forkSide()],
    why:
      'Threads share one address space, so each needs a stack of its own: glibc maps RLIMIT_STACK worth (8 MiB by default) plus a guard page, all PROT_NONE, then opens everything above the guard. ' +
      'An overflow hits the guard and dies with SIGSEGV instead of silently writing over another thread\'s memory. A forked child has its own address space and keeps using the same stack addresses.',
  };
}

/** rt_sigprocmask calls of the creator right around the creating call, and the new task's own. */
function signalsPoint(thread: LabTrace, fork: LabTrace, tc: Creation | undefined, fc: Creation | undefined): LabPoint {
  const side = (t: LabTrace, c: Creation | undefined): LabSide => {
    if (!c) return missing(t, 'the creating call');
    const { before, after } = t.neighbours(c.call);
    const masks = [before, after].filter((e): e is SyscallEvent => e?.name === 'rt_sigprocmask');
    const childFirstMask = t.first('rt_sigprocmask', () => true, c.child);
    const childRestores = childFirstMask && argText(childFirstMask, 0) === 'SIG_SETMASK' ? childFirstMask : undefined;
    if (masks.length === 0) {
      const around = [before, after].filter((e): e is SyscallEvent => e !== undefined);
      return {
        program: t.program,
        says: `the calls right before and after ${c.call.name} are ${around.map((e) => e.name).join(' and ')}: the signal mask is not touched`,
        values: { blockedAround: false },
        cites: around.map((e) => t.cite(e)),
      };
    }
    const text = masks.map((e) => `${e === before ? 'before' : 'after'}: rt_sigprocmask(${argText(e, 0)}, ${argText(e, 1)})`);
    if (childRestores) text.push(`the new task sets its own mask first thing: rt_sigprocmask(SIG_SETMASK, ${argText(childRestores, 1)})`);
    return {
      program: t.program,
      says: text.join('; '),
      values: { blockedAround: masks.some((e) => argText(e, 0) === 'SIG_BLOCK'), calls: masks.map((e) => `${argText(e, 0)} ${argText(e, 1)}`) },
      cites: [...masks, ...(childRestores ? [childRestores] : [])].map((e) => t.cite(e)).sort((a, b) => a.line - b.line),
    };
  };
  return {
    id: 'signals',
    title: 'Signals blocked around creation',
    sides: [side(thread, tc), side(fork, fc)],
    why:
      'A new thread starts running glibc code before its own mask and TLS are ready; blocking every signal (~[]) around clone3 ensures no handler runs in that half-built thread. ' +
      'The thread then installs the mask its creator had. A forked child starts as a complete copy of a single-threaded process, with its parent\'s mask and handlers, so glibc has nothing to guard.',
  };
}

function firstCallsPoint(thread: LabTrace, fork: LabTrace, tc: Creation | undefined, fc: Creation | undefined): LabPoint {
  const side = (t: LabTrace, c: Creation | undefined): LabSide => {
    if (!c) return missing(t, 'the new task');
    const calls = t.calls(undefined, c.child).slice(0, 3);
    return {
      program: t.program,
      says: calls.length === 0 ? 'no call of the new task was traced' : `the new task starts with ${calls.map((e) => e.name).join(', ')}`,
      values: { calls: calls.map((e) => e.name) },
      cites: calls.map((e) => t.cite(e)),
    };
  };
  return {
    id: 'first-calls',
    title: "The new task's first calls",
    sides: [side(thread, tc), side(fork, fc)],
    why:
      'The kernel drops the rseq registration of a task created with CLONE_VM (two tasks cannot share one rseq area), so a new thread registers its own; a forked child keeps its copy. ' +
      'The robust-futex list is never inherited, so both register theirs with set_robust_list.',
  };
}

function endingPoint(thread: LabTrace, fork: LabTrace, tc: Creation | undefined, fc: Creation | undefined): LabPoint {
  const threadSide = (): LabSide => {
    if (!tc) return missing(thread, 'the thread');
    const cites: Citation[] = [];
    const parts: string[] = [];
    const madvise = thread.first('madvise', (e) => argText(e, 2) === 'MADV_DONTNEED', tc.child);
    if (madvise) {
      parts.push(`madvise(MADV_DONTNEED) hands back ${humanSize(argInt(madvise, 1) ?? 0n)} of its stack`);
      cites.push(thread.cite(madvise));
    }
    const exitCall = thread.first(['exit', 'exit_group'], () => true, tc.child);
    if (exitCall) {
      parts.push(`it calls ${exitCall.name}(${exitCall.argsText})${exitCall.name === 'exit' ? ', ending only this thread' : ', ending the whole process'}`);
      cites.push(thread.cite(exitCall));
    }
    const clearTid = toBigInt(field(tc.call, 'child_tid') ?? field(tc.call, 'child_tidptr'));
    const wait =
      clearTid === undefined
        ? undefined
        : thread.first('futex', (e) => argInt(e, 0) === clearTid && /FUTEX_WAIT/.test(argText(e, 1)) && e.line > tc.call.line, tc.creator);
    if (wait && clearTid !== undefined) {
      parts.push(
        `the kernel clears the TID word at ${hex(clearTid)} (CLONE_CHILD_CLEARTID) and wakes it: ${tc.creator}'s futex(${hex(clearTid)}, ${argText(wait, 1)}, ${argText(wait, 2)}) returns ${wait.ret?.value ?? '?'}, which is pthread_join`,
      );
      cites.push(thread.cite(wait));
    } else if (clearTid !== undefined) {
      parts.push(`no futex wait on ${hex(clearTid)}: the thread had already ended when pthread_join looked, so the word was already 0`);
    }
    const sigchld = thread.signals('SIGCHLD');
    parts.push(sigchld.length === 0 ? `no SIGCHLD (exit signal ${tc.exitSignal})` : `${sigchld.length} SIGCHLD deliveries`);
    return {
      program: thread.program,
      says: parts.join('; '),
      values: { exitCall: exitCall?.name, clearTid: clearTid === undefined ? undefined : hex(clearTid), joinedByFutex: wait !== undefined, sigchld: sigchld.length },
      cites: cites.sort((a, b) => a.line - b.line),
    };
  };
  const forkSide = (): LabSide => {
    if (!fc) return missing(fork, 'the child');
    const cites: Citation[] = [];
    const parts: string[] = [];
    const exitCall = fork.first(['exit', 'exit_group'], () => true, fc.child);
    if (exitCall) {
      parts.push(`the child calls ${exitCall.name}(${exitCall.argsText})`);
      cites.push(fork.cite(exitCall));
    }
    const wait = fork.first(['wait4', 'waitid'], (e) => returned(e) === BigInt(fc.child), fc.creator);
    if (wait) {
      parts.push(`${fc.creator}'s ${wait.name}(${argText(wait, 0)}) returns ${wait.ret?.value} with status ${argText(wait, 1)}`);
      cites.push(fork.cite(wait));
    }
    const sigchld = fork.signals('SIGCHLD', fc.creator).find((s) => structInt(s.siginfo, 'si_pid') === BigInt(fc.child));
    if (sigchld) {
      const code = (factOf(sigchld) as SignalDeliveryFact).code;
      parts.push(`SIGCHLD arrives with si_pid=${fc.child}${code ? `, si_code=${code}` : ''}`);
      cites.push(fork.cite(sigchld));
    } else {
      parts.push('no SIGCHLD delivery was traced');
    }
    return {
      program: fork.program,
      says: parts.join('; '),
      values: { exitCall: exitCall?.name, reapedBy: wait?.name, sigchld: sigchld !== undefined },
      cites: cites.sort((a, b) => a.line - b.line),
    };
  };
  return {
    id: 'ending',
    title: 'How each ends and is waited for',
    sides: [threadSide(), forkSide()],
    why:
      'A thread ends with exit (exit_group would take the whole process down). Nobody is signalled: pthread_join sleeps on the TID word the kernel clears and futex-wakes (CLONE_CHILD_CLEARTID). ' +
      'A process ends with exit_group; its parent learns of it through SIGCHLD and collects the status with wait4, which also frees the zombie.',
  };
}

function costPoint(thread: LabTrace, fork: LabTrace, tc: Creation | undefined, fc: Creation | undefined): LabPoint {
  const side = (t: LabTrace, c: Creation | undefined): LabSide => {
    if (!c) return missing(t, 'the creating call');
    const seconds = c.call.durationSec;
    return {
      program: t.program,
      says: seconds === undefined ? `${c.call.name}: no -T time in this log` : `${c.call.name} took ${humanDuration(seconds)}`,
      values: { syscall: c.call.name, seconds },
      cites: [t.cite(c.call)],
    };
  };
  return {
    id: 'cost',
    title: 'Time inside the creating call',
    sides: [side(thread, tc), side(fork, fc)],
    why:
      'Measured under strace (-T), which stops every task at each call, so only the order of magnitude means something. fork must copy the page tables and mark memory copy-on-write; ' +
      'a thread shares what exists.',
  };
}

/** The points worth noticing, computed from the `thread` and `fork` runs. */
export function analyseThreadVsProcess(runs: ProgramRun[]): LabPoint[] {
  const byName = new Map(runs.map((r) => [r.program.name, new LabTrace(r)]));
  const thread = byName.get('thread');
  const fork = byName.get('fork');
  if (!thread || !fork) throw new Error('thread-vs-process needs the thread and fork programs');
  const tc = creation(thread);
  const fc = creation(fork);
  return [creationPoint, identityPoint, stackPoint, signalsPoint, firstCallsPoint, endingPoint, costPoint].map((make) => make(thread, fork, tc, fc));
}
