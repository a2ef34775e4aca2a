/**
 * `doctor PID`: live checks of a running process from /proc, in the same finding format as the log
 * rules (the cited "lines" are /proc files and line numbers): zombie children and why they are not
 * reaped (from findZombies), threads in uninterruptible sleep (D) on two samples `sampleMs` apart,
 * signals pending on a thread that blocks them (and not being waited for), use near a limit
 * (threads of the user vs RLIMIT_NPROC, open descriptors vs RLIMIT_NOFILE, main stack vs
 * RLIMIT_STACK), a main thread that exited while others run, a tracer holding the process stopped.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { findZombies } from '../procfs/zombies.js';
import { readProcessLimits } from '../procfs/limit-usage.js';
import { parseStatus, type TaskStatus } from '../procfs/status.js';
import { parseSyscall } from '../procfs/syscall.js';
import { readFds } from '../procfs/fds.js';
import { listTids } from '../procfs/listing.js';
import { isUnavailable } from '../procfs/files.js';
import { signalsInMask, signalName } from '../kb/signals.js';
import { noSuchProcess } from '../errors.js';
import type { Citation, DoctorReport, Finding, RuleId, Severity, TaskRef } from './types.js';
import { SEVERITIES } from './types.js';

export interface LiveOptions {
  /** Time between the two samples of thread states (default 1000 ms). */
  sampleMs?: number;
  /** /proc (tests may point elsewhere for the static checks). */
  root?: string;
}

const FIXES: Partial<Record<RuleId, string>> = {
  'never-reaped': 'the parent must wait for its children (a SIGCHLD handler looping waitpid(-1, WNOHANG), or a pidfd); killing the parent hands the zombies to init, which reaps them',
  'stuck-uninterruptible': 'look at what the kernel function (wchan) waits for: a slow or hung disk or network file system (NFS, FUSE), or a driver; the process cannot be killed until the call returns',
  'signal-lost-blocked': 'unblock the signal in one thread that handles it, or consume it with signalfd or sigwaitinfo; never leave it blocked everywhere',
  'near-limit': 'raise the limit (ulimit, prlimit, LimitNOFILE=/LimitNPROC=/LimitSTACK= in a unit) or find what keeps growing (descriptor leak, thread leak, deep recursion)',
  'main-thread-exited': 'the main thread called pthread_exit (or the leader ended) while other threads run: ps shows the process as defunct and a parent\'s waitpid will not return until the last thread ends; end the process from main or join the threads first',
  'held-by-tracer': 'the tracer (a debugger, strace, a crashed tracer) keeps the process stopped: detach it or let it continue (in gdb: continue or detach); killing the tracer ends its ptrace stop',
};

function cite(path: string, text: string | undefined, key: string, role: string): Citation {
  const lines = text?.split('\n') ?? [];
  const index = lines.findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(key));
  return { source: path, line: index < 0 ? 1 : index + 1, role, ...(index >= 0 ? { text: lines[index] } : {}) };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function live(rule: RuleId, severity: Severity, tasks: TaskRef[], lines: Citation[], message: string, details?: Finding['details']): Finding {
  return { rule, severity, tasks, lines, message, fix: FIXES[rule] ?? '', ...(details ? { details } : {}) };
}

const SIGNALFD_TARGET = 'anon_inode:[signalfd]';
const RT_SIGTIMEDWAIT = 128;

/** Live checks of process `pid`. Throws no-such-process when it is gone. */
export async function diagnoseProcess(pid: number, options: LiveOptions = {}): Promise<DoctorReport> {
  const root = options.root ?? '/proc';
  const dir = `${root}/${pid}`;
  const statusText = read(`${dir}/status`);
  if (statusText === undefined) throw noSuchProcess('procfs', pid, 'it may have exited; list processes with: tasklens ps');
  const status = parseStatus(statusText);
  const comm = status.name;
  const me: TaskRef = { tgid: status.tgid || pid, tid: status.tgid || pid, command: comm };
  const findings: Finding[] = [];
  const tids = (): number[] => listTids(me.tgid, root) ?? [];
  const threads = (): Map<number, { text: string; status: TaskStatus }> => {
    const out = new Map<number, { text: string; status: TaskStatus }>();
    for (const tid of tids()) {
      const text = read(`${dir}/task/${tid}/status`);
      if (text !== undefined) out.set(tid, { text, status: parseStatus(text) });
    }
    return out;
  };

  // Zombie children (and the target itself, if it is one).
  const zombies = findZombies({ root });
  for (const group of zombies.groups) {
    if (group.parent.pid !== me.tgid) continue;
    findings.push(live('never-reaped', 'warning', [me, ...group.zombies.map((z) => ({ tgid: z.pid, tid: z.pid, command: z.comm }))],
      group.zombies.slice(0, 5).map((z) => cite(`${root}/${z.pid}/status`, read(`${root}/${z.pid}/status`), 'State', 'zombie')),
      `${group.zombies.length} zombie ${group.zombies.length === 1 ? 'child' : 'children'} (${group.zombies.map((z) => z.pid).join(', ')}) not reaped: ${group.findings.map((f) => f.message).join('; ')}`,
      { zombies: group.zombies.map((z) => z.pid) }));
  }
  const leader = zombies.leaderExited.find((l) => l.pid === me.tgid);
  if (leader) {
    findings.push(live('main-thread-exited', 'warning', [me], [cite(`${dir}/status`, statusText, 'State', 'main thread is a zombie')],
      `the main thread of ${me.tgid} (${comm}) has exited while ${leader.liveThreads.length} other thread${leader.liveThreads.length === 1 ? '' : 's'} still run (${leader.liveThreads.map((t) => t.tid).join(', ')})`,
      { liveThreads: leader.liveThreads.map((t) => t.tid) }));
  } else if (status.state.startsWith('Z')) {
    findings.push(live('never-reaped', 'warning', [me, { tgid: status.ppid, tid: status.ppid }], [cite(`${dir}/status`, statusText, 'State', 'zombie')],
      `process ${me.tgid} (${comm}) is a zombie: it has exited and its parent ${status.ppid} has not waited for it`, { parent: status.ppid }));
  }

  // First sample of thread states, then the static checks, then the second sample.
  const first = threads();
  const started = performance.now();

  // Signals pending on threads that block them, not being waited for.
  const allBlocked = [...first.values()].reduce((m, t) => m & t.status.signals.blocked, ~0n);
  const waiting = [...first.keys()].some((tid) => {
    const sc = read(`${dir}/task/${tid}/syscall`);
    const state = sc === undefined ? undefined : parseSyscall(sc);
    if (state?.state !== 'in-syscall') return false;
    if (state.nr === RT_SIGTIMEDWAIT) return true;
    return false;
  }) || (() => {
    const fds = readFds(me.tgid, root);
    return !isUnavailable(fds) && fds.some((f) => f.target === SIGNALFD_TARGET);
  })();
  if (!waiting) {
    const shared = status.signals.sharedPending & allBlocked;
    const perThread = [...first].filter(([, t]) => (t.status.signals.pending & t.status.signals.blocked) !== 0n);
    const names = (m: bigint): string[] => signalsInMask(m).map((n) => signalName(n));
    if (shared !== 0n) {
      findings.push(live('signal-lost-blocked', 'warning', [me], [cite(`${dir}/status`, statusText, 'ShdPnd', 'pending for the process'), ...[...first].slice(0, 3).map(([tid, t]) => cite(`${dir}/task/${tid}/status`, t.text, 'SigBlk', `blocked by thread ${tid}`))],
        `${names(shared).join(', ')} ${signalsInMask(shared).length === 1 ? 'is' : 'are'} pending for process ${me.tgid} (${comm}) and every thread blocks ${signalsInMask(shared).length === 1 ? 'it' : 'them'}, and no thread waits for signals (sigtimedwait, signalfd): ${signalsInMask(shared).length === 1 ? 'it' : 'they'} will not be acted on`,
        { signals: names(shared) }));
    }
    for (const [tid, t] of perThread.slice(0, 5)) {
      const m = t.status.signals.pending & t.status.signals.blocked;
      findings.push(live('signal-lost-blocked', 'warning', [{ ...me, tid }], [cite(`${dir}/task/${tid}/status`, t.text, 'SigPnd', 'pending for this thread'), cite(`${dir}/task/${tid}/status`, t.text, 'SigBlk', 'blocked by it')],
        `${names(m).join(', ')} ${signalsInMask(m).length === 1 ? 'is' : 'are'} pending for thread ${tid} of ${me.tgid} (${comm}), which blocks ${signalsInMask(m).length === 1 ? 'it' : 'them'}`,
        { signals: names(m) }));
    }
  }

  // Use near limits.
  try {
    const limits = readProcessLimits(me.tgid);
    const checks: Array<[string, string]> = [['RLIMIT_NPROC', 'threads of its user'], ['RLIMIT_NOFILE', 'open descriptors'], ['RLIMIT_STACK', 'main thread stack']];
    const limitsText = read(`${dir}/limits`);
    for (const [resource, what] of checks) {
      if (resource === 'RLIMIT_NPROC' && limits.realUid === 0) continue; // not enforced for root
      const limit = limits.limits.find((l) => l.resource === resource);
      const use = limits.use.get(resource);
      if (!limit || !use || limit.soft === 'unlimited' || limit.soft === 0n) continue;
      const percent = Number((use.value * 100n) / limit.soft);
      if (percent < 75) continue;
      findings.push(live('near-limit', percent >= 90 ? 'warning' : 'info', [me], [cite(`${dir}/limits`, limitsText, limit.label, `${resource} soft limit`)],
        `process ${me.tgid} (${comm}) uses ${use.value} of its ${limit.soft} ${what} allowed by ${resource} (${percent}%, ${use.source}); at the limit ${resource === 'RLIMIT_NPROC' ? 'fork and pthread_create fail with EAGAIN' : resource === 'RLIMIT_NOFILE' ? 'open, socket and accept fail with EMFILE' : 'the next stack growth is a SIGSEGV'}`,
        { resource, use: use.value.toString(), limit: limit.soft.toString(), percent }));
    }
  } catch {
    // The process ended during the checks: the other findings stand.
  }

  // Second sample: D state and tracer stops that lasted.
  const wait = (options.sampleMs ?? 1000) - (performance.now() - started);
  if (wait > 0) await sleep(wait);
  const second = threads();
  const stuck: number[] = [];
  const stopped: number[] = [];
  for (const [tid, t] of second) {
    const before = first.get(tid);
    if (!before) continue;
    if (before.status.state.startsWith('D') && t.status.state.startsWith('D')) stuck.push(tid);
    if (before.status.state.startsWith('t') && t.status.state.startsWith('t')) stopped.push(tid);
  }
  if (stuck.length > 0) {
    const wchan = stuck.map((tid) => read(`${dir}/task/${tid}/wchan`)?.trim() || '?');
    findings.push(live('stuck-uninterruptible', 'warning', stuck.slice(0, 8).map((tid) => ({ ...me, tid })),
      stuck.slice(0, 5).map((tid) => cite(`${dir}/task/${tid}/status`, second.get(tid)!.text, 'State', 'uninterruptible sleep')),
      `${stuck.length} thread${stuck.length === 1 ? '' : 's'} of ${me.tgid} (${comm}) stayed in uninterruptible sleep (D) for at least ${options.sampleMs ?? 1000} ms, in ${[...new Set(wchan)].join(', ')}`,
      { threads: stuck, wchan }));
  }
  if (stopped.length > 0 && status.tracerPid !== 0) {
    const tracer = read(`${root}/${status.tracerPid}/comm`)?.trim();
    findings.push(live('held-by-tracer', 'warning', [me, { tgid: status.tracerPid, tid: status.tracerPid, ...(tracer ? { command: tracer } : {}) }],
      [cite(`${dir}/status`, statusText, 'TracerPid', 'traced by'), ...stopped.slice(0, 3).map((tid) => cite(`${dir}/task/${tid}/status`, second.get(tid)!.text, 'State', 'tracing stop'))],
      `${stopped.length} thread${stopped.length === 1 ? '' : 's'} of ${me.tgid} (${comm}) stayed stopped by tracer ${status.tracerPid}${tracer ? ` (${tracer})` : ''} for at least ${options.sampleMs ?? 1000} ms`,
      { tracer: status.tracerPid, threads: stopped }));
  }
  findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  return {
    findings,
    skipped: [],
    ran: ['never-reaped', 'main-thread-exited', 'signal-lost-blocked', 'near-limit', 'stuck-uninterruptible', 'held-by-tracer'],
    profile: { events: 0, syscalls: 0, tasks: second.size || first.size, processes: 1, followMissing: false, allSyscalls: false, failedOnly: false, timestamps: false, durations: false, fdPaths: false, sources: [] },
  };
}

