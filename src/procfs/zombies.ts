/**
 * Zombies and why nobody reaps them, from /proc alone (reference §5, the observed matrix).
 *
 * For each parent of zombies we read every thread's status and syscall: SIGCHLD disposition
 * (ignored / handler / default), SIGCHLD blocked or pending, which thread is in wait4/waitid and for
 * which child, whether the parent is stopped, PID 1, or a known subreaper. A rule table turns those
 * facts into findings and one sentence of advice. What /proc cannot show (SA_NOCLDWAIT, the subreaper
 * flag) is said, not guessed.
 *
 * A process whose main thread exited (pthread_exit) while others run shows state Z too, but it is
 * alive: it is reported separately, never as a zombie.
 */
import { maskOfSignals, signalByName } from '../kb/signals.js';
import { syscallByName } from '../kb/syscalls.js';
import { isUnavailable, tryReadProcText } from './files.js';
import { listProcesses, listTids, type ProcessEntry } from './listing.js';
import { readThread, type ThreadDetail } from './process.js';
import { parseStat } from './stat.js';
import { decodeWaitStatus, WAITID_IDTYPE, type WaitStatus } from '../kb/flags/wait.js';
import { ageSeconds, uptimeSeconds } from './system.js';

export interface Zombie {
  pid: number;
  comm: string;
  /** Seconds since the process STARTED (the kernel does not export when it exited): an upper bound on its time as a zombie. */
  startedSecondsAgo: number;
  /** How it ended, from stat exit_code; absent when the reader may not see it (it then reads 0). */
  exit?: WaitStatus;
}

export type SigchldDisposition = 'default' | 'ignored' | 'handler';

/** What one parent thread is waiting for, decoded from wait4/waitid arguments. */
export interface WaitCall {
  tid: number;
  syscall: 'wait4' | 'waitid';
  /** `any` child, a specific `pid`, a process group (`pgid`; 0 means the caller's own group), or a pidfd. */
  target: { kind: 'any' } | { kind: 'pid'; pid: number } | { kind: 'pgid'; pgid: number } | { kind: 'pidfd'; fd: number };
}

export interface ParentFacts {
  pid: number;
  comm: string;
  cmdline: string[];
  state: string;
  sigchld: SigchldDisposition;
  /** TIDs of parent threads that block SIGCHLD. */
  blockingThreads: number[];
  threadCount: number;
  /** SIGCHLD pending for the process (ShdPnd) or for one of its threads (SigPnd). */
  sigchldPending: boolean;
  /** Threads currently in wait4/waitid. Empty when none is, or when syscall files are not permitted. */
  waits: WaitCall[];
  /** False when the parent's task/TID/syscall files were not readable (needs ptrace access). */
  syscallsVisible: boolean;
  /** Name-based guess: a program known to set PR_SET_CHILD_SUBREAPER. /proc does not show the flag. */
  knownSubreaper: boolean;
}

export type FindingCode =
  | 'parent-stopped'
  | 'waiting-for-other-child'
  | 'waiting-for-other-group'
  | 'waiting-now'
  | 'sigchld-blocked'
  | 'sigchld-pending'
  | 'sigchld-ignored'
  | 'never-waits'
  | 'handler-not-reaping'
  | 'parent-is-init'
  | 'parent-is-subreaper'
  | 'parent-syscalls-hidden';

export interface Finding {
  code: FindingCode;
  message: string;
}

export interface ZombieGroup {
  parent: ParentFacts;
  zombies: Zombie[];
  findings: Finding[];
  /** One sentence: what to do. */
  fix: string;
}

export interface LeaderExited {
  pid: number;
  comm: string;
  /** Threads still running (the main thread is gone). */
  liveThreads: Array<{ tid: number; name: string; state: string }>;
}

export interface ZombieReport {
  groups: ZombieGroup[];
  /** Processes the kernel shows as Z whose other threads still run: alive, not zombies. */
  leaderExited: LeaderExited[];
}

/** Programs that make themselves child subreapers (PR_SET_CHILD_SUBREAPER) or run as container init. */
const KNOWN_SUBREAPERS = new Set(['systemd', 'tini', 'dumb-init', 'catatonit', 'docker-init', 's6-svscan', 'runsvdir', 'containerd-shim', 'conmon', 'supervisord']);

/** The wait calls' x86-64 numbers, from the knowledge base's syscall table (/proc/PID/syscall gives numbers). */
const syscallNumber = (name: string): number => syscallByName(name)?.number ?? -1;
const WAIT4 = syscallNumber('wait4');
const WAITID = syscallNumber('waitid');
/** waitid idtype values, from the knowledge base's table. */
const idtype = (name: string): number => Number(WAITID_IDTYPE.values.find((v) => v.name === name)?.value ?? -1);
const P_ALL = idtype('P_ALL');
const P_PID = idtype('P_PID');
const P_PGID = idtype('P_PGID');
const P_PIDFD = idtype('P_PIDFD');

/** Decodes a blocked wait4/waitid from a thread's syscall file. */
export function waitCallOf(thread: ThreadDetail): WaitCall | undefined {
  const call = thread.syscall;
  if (isUnavailable(call) || call.state !== 'in-syscall') return undefined;
  const int32 = (value: bigint) => Number(BigInt.asIntN(32, value));
  if (call.nr === WAIT4) {
    const pid = int32(call.args[0]);
    const target: WaitCall['target'] = pid === -1 ? { kind: 'any' } : pid > 0 ? { kind: 'pid', pid } : { kind: 'pgid', pgid: -pid };
    return { tid: thread.tid, syscall: 'wait4', target };
  }
  if (call.nr === WAITID) {
    const type = int32(call.args[0]);
    const id = int32(call.args[1]);
    const targets: Record<number, WaitCall['target']> = {
      [P_ALL]: { kind: 'any' },
      [P_PID]: { kind: 'pid', pid: id },
      [P_PGID]: { kind: 'pgid', pgid: id },
      [P_PIDFD]: { kind: 'pidfd', fd: id },
    };
    const target = targets[type];
    return target ? { tid: thread.tid, syscall: 'waitid', target } : undefined;
  }
  return undefined;
}

interface RuleContext {
  parent: ParentFacts;
  zombies: Zombie[];
  /** Process group of each zombie, for wait(0)/wait(-pgid). */
  zombiePgrps: Map<number, number>;
  parentPgrp: number;
}

interface Rule {
  code: FindingCode;
  applies: (c: RuleContext) => boolean;
  message: (c: RuleContext) => string;
  /** Advice when this is the most important finding (rules are in priority order). */
  fix?: (c: RuleContext) => string;
}

const waitsFor = (w: WaitCall, pid: number, c: RuleContext): boolean =>
  w.target.kind === 'any' ||
  (w.target.kind === 'pid' && w.target.pid === pid) ||
  (w.target.kind === 'pgid' && (w.target.pgid === 0 ? c.parentPgrp : w.target.pgid) === c.zombiePgrps.get(pid));

function describeTarget(w: WaitCall): string {
  switch (w.target.kind) {
    case 'any':
      return 'any child';
    case 'pid':
      return `child ${w.target.pid} only`;
    case 'pgid':
      return `process group ${w.target.pgid === 0 ? '(its own)' : w.target.pgid} only`;
    case 'pidfd':
      return `the child behind pidfd ${w.target.fd} only`;
  }
}

const killParent = (c: RuleContext) => `ending the parent (kill ${c.parent.pid}) hands the zombies to a reaper (PID 1 or a subreaper), which collects them`;

/** In priority order: the first rule that applies and has a fix gives the advice. */
const RULES: readonly Rule[] = [
  {
    code: 'parent-stopped',
    applies: (c) => c.parent.state === 'T' || c.parent.state === 't',
    message: (c) => `the parent is ${c.parent.state === 't' ? 'stopped by a tracer' : 'stopped (SIGSTOP/SIGTSTP)'}: it cannot run, so it cannot reap`,
    fix: (c) => (c.parent.state === 't' ? `Detach the tracer from ${c.parent.pid} so it runs again.` : `Resume the parent: kill -CONT ${c.parent.pid}.`),
  },
  {
    code: 'waiting-now',
    applies: (c) => c.parent.waits.some((w) => c.zombies.every((z) => waitsFor(w, z.pid, c))),
    message: (c) => `thread ${c.parent.waits[0].tid} of the parent is in ${c.parent.waits[0].syscall}() for ${describeTarget(c.parent.waits[0])} right now`,
    fix: () => 'Nothing yet: the parent is waiting for these children now, so they should be reaped in a moment; if they stay, wait uses WNOWAIT or the zombies belong to another process group.',
  },
  {
    code: 'waiting-for-other-child',
    applies: (c) => c.parent.waits.length > 0 && c.parent.waits.every((w) => w.target.kind === 'pid' || w.target.kind === 'pidfd') && c.zombies.some((z) => !c.parent.waits.some((w) => waitsFor(w, z.pid, c))),
    message: (c) =>
      c.parent.waits.map((w) => `thread ${w.tid} of the parent is blocked in ${w.syscall}() for ${describeTarget(w)}`).join('; ') +
      ': the other children stay zombies until that wait returns and the parent waits again',
    fix: (c) => {
      const w = c.parent.waits[0];
      const other = w.target.kind === 'pid' ? String(w.target.pid) : 'it waits for';
      return `The parent waits for child ${other} only: make it reap any child (waitpid(-1, &status, WNOHANG) in a loop), or end child ${other} so its wait returns; ${killParent(c)}.`;
    },
  },
  {
    code: 'waiting-for-other-group',
    applies: (c) => c.parent.waits.some((w) => w.target.kind === 'pgid') && c.zombies.some((z) => !c.parent.waits.some((w) => waitsFor(w, z.pid, c))),
    message: () => 'the parent waits only for children in one process group, and these zombies are in another',
    fix: (c) => `The parent waits for one process group only: make it also reap the others (waitpid(-1, ..., WNOHANG)), or ${killParent(c)}.`,
  },
  {
    code: 'sigchld-blocked',
    applies: (c) => c.parent.blockingThreads.length > 0 && c.parent.blockingThreads.length === c.parent.threadCount,
    message: (c) =>
      `every thread of the parent blocks SIGCHLD${c.parent.threadCount > 1 ? ` (${c.parent.threadCount} threads)` : ''}: the signal stays pending and no handler runs`,
    fix: (c) =>
      `The parent blocks SIGCHLD and never waits: unblock it (or call waitpid(-1, &status, WNOHANG) from its main loop or a signalfd); kill -CHLD cannot help; ${killParent(c)}.`,
  },
  {
    code: 'sigchld-pending',
    applies: (c) => c.parent.sigchldPending,
    message: () => 'SIGCHLD is pending for the parent and has not been delivered',
  },
  {
    code: 'sigchld-ignored',
    applies: (c) => c.parent.sigchld === 'ignored',
    message: () =>
      'the parent ignores SIGCHLD (SIG_IGN), so its new children are reaped automatically: these zombies were created before it set SIG_IGN (setting it does not reap existing zombies)',
    fix: (c) => `These zombies predate the parent's SIG_IGN: one waitpid(-1, &status, WNOHANG) loop in the parent reaps them, or ${killParent(c)}.`,
  },
  {
    code: 'parent-is-init',
    applies: (c) => c.parent.pid === 1,
    message: () => 'the parent is PID 1: the original parent died and init adopted these; init is expected to reap them (some do so only periodically)',
    fix: () => 'PID 1 is not reaping adopted children: if this lasts, run a real init as PID 1 (tini, dumb-init, docker run --init) or fix the program running as PID 1.',
  },
  {
    code: 'parent-is-subreaper',
    applies: (c) => c.parent.pid !== 1 && c.parent.knownSubreaper,
    message: (c) => `the parent (${c.parent.comm}) is a program known to act as a child subreaper: these are probably orphans it adopted (/proc does not show the PR_SET_CHILD_SUBREAPER flag)`,
  },
  {
    code: 'never-waits',
    applies: (c) =>
      c.parent.sigchld === 'default' && c.parent.syscallsVisible && c.parent.waits.length === 0 && c.parent.blockingThreads.length < c.parent.threadCount,
    message: () => 'SIGCHLD is at its default disposition (discarded) and no thread of the parent is in wait(): nothing will ever reap these children',
    fix: (c) =>
      `The parent never calls wait(): fix it to reap children (waitpid(-1, &status, WNOHANG) in a loop, or SIGCHLD=SIG_IGN if it never needs exit codes); kill -CHLD ${c.parent.pid} cannot help because the signal is discarded; ${killParent(c)}.`,
  },
  {
    code: 'handler-not-reaping',
    applies: (c) => c.parent.sigchld === 'handler' && c.parent.waits.length === 0,
    message: () =>
      'the parent has a SIGCHLD handler but these children are not reaped: the handler does not call wait for them (a common bug: one wait() per signal, but SIGCHLDs coalesce)',
    fix: (c) => `The SIGCHLD handler does not reap these: make it loop on waitpid(-1, &status, WNOHANG) until it returns 0; ${killParent(c)}.`,
  },
  {
    code: 'parent-syscalls-hidden',
    applies: (c) => !c.parent.syscallsVisible,
    message: () => "cannot see what the parent's threads are blocked on: task/*/syscall needs ptrace access (run tasklens as root or as the parent's owner)",
    fix: (c) => `The parent (${c.parent.pid}) is not reaping these children; run tasklens as root to see why, or ${killParent(c)}.`,
  },
];

const SIGCHLD_BIT = maskOfSignals([signalByName('SIGCHLD')?.number ?? 17]);

function parentFacts(pid: number, root: string, uptime: number): { facts: ParentFacts; pgrp: number } | undefined {
  const dir = `${root}/${pid}`;
  const stat = tryReadProcText(`${dir}/stat`);
  if (isUnavailable(stat)) return undefined;
  const parsed = parseStat(stat);
  const cmdline = tryReadProcText(`${dir}/cmdline`);
  const threads: ThreadDetail[] = [];
  for (const tid of listTids(pid, root) ?? []) {
    const thread = readThread(`${dir}/task/${tid}`, tid, { unavailable: 'unsupported' }, uptime);
    if (thread) threads.push(thread);
  }
  const live = threads.filter((t) => t.stat.state !== 'Z' && t.stat.state !== 'X');
  const main = threads[0]?.status;
  const ignored = main ? (main.signals.ignored & SIGCHLD_BIT) !== 0n : false;
  const caught = main ? (main.signals.caught & SIGCHLD_BIT) !== 0n : false;
  const waits: WaitCall[] = [];
  for (const t of live) {
    const w = waitCallOf(t);
    if (w) waits.push(w);
  }
  const syscallsVisible = live.length > 0 && live.every((t) => !isUnavailable(t.syscall));
  return {
    pgrp: parsed.pgrp,
    facts: {
      pid,
      comm: parsed.comm,
      cmdline: isUnavailable(cmdline) ? [] : cmdline.split('\0').filter(Boolean),
      state: parsed.state === 'Z' && live.length ? live[0].stat.state : parsed.state,
      sigchld: ignored ? 'ignored' : caught ? 'handler' : 'default',
      blockingThreads: live.filter((t) => (t.status.signals.blocked & SIGCHLD_BIT) !== 0n).map((t) => t.tid),
      threadCount: live.length,
      sigchldPending: threads.some((t) => ((t.status.signals.pending | t.status.signals.sharedPending) & SIGCHLD_BIT) !== 0n),
      waits,
      syscallsVisible,
      knownSubreaper: KNOWN_SUBREAPERS.has(parsed.comm),
    },
  };
}

/** True when the process has a live thread other than its (zombie) leader. */
function liveThreadsOf(p: ProcessEntry, root: string): LeaderExited['liveThreads'] {
  const out: LeaderExited['liveThreads'] = [];
  for (const tid of listTids(p.pid, root) ?? []) {
    if (tid === p.pid) continue;
    const stat = tryReadProcText(`${root}/${p.pid}/task/${tid}/stat`);
    if (isUnavailable(stat)) continue;
    const s = parseStat(stat);
    if (s.state !== 'Z' && s.state !== 'X') out.push({ tid, name: s.comm, state: s.state });
  }
  return out;
}

export interface ZombieScanOptions {
  root?: string;
  /** Effective UID of the reader; exit statuses of other users' zombies read as 0 without ptrace access. */
  readerUid?: number;
}

export function findZombies(options: ZombieScanOptions = {}): ZombieReport {
  const root = options.root ?? '/proc';
  const readerUid = options.readerUid ?? process.geteuid?.() ?? -1;
  const uptime = uptimeSeconds(root);
  const all = listProcesses({ root, cmdline: false, owner: true });
  const leaderExited: LeaderExited[] = [];
  const byParent = new Map<number, { zombies: Zombie[]; pgrps: Map<number, number> }>();
  for (const p of all) {
    if (p.state !== 'Z') continue;
    const live = liveThreadsOf(p, root);
    if (live.length) {
      leaderExited.push({ pid: p.pid, comm: p.comm, liveThreads: live });
      continue;
    }
    const zombie: Zombie = { pid: p.pid, comm: p.comm, startedSecondsAgo: Math.round(ageSeconds(p.startTicks, uptime)) };
    const raw = p.exitCode;
    if (raw !== undefined && (raw !== 0 || readerUid === 0 || readerUid === p.uid)) zombie.exit = decodeWaitStatus(raw);
    const group = byParent.get(p.ppid) ?? { zombies: [] as Zombie[], pgrps: new Map<number, number>() };
    group.zombies.push(zombie);
    group.pgrps.set(p.pid, p.pgrp);
    byParent.set(p.ppid, group);
  }
  const groups: ZombieGroup[] = [];
  for (const [ppid, { zombies, pgrps }] of byParent) {
    const read = parentFacts(ppid, root, uptime);
    if (!read) continue; // the parent exited during the scan: its zombies are being re-parented
    const context: RuleContext = { parent: read.facts, zombies, zombiePgrps: pgrps, parentPgrp: read.pgrp };
    const applicable = RULES.filter((rule) => rule.applies(context));
    const withFix = applicable.find((rule) => rule.fix);
    groups.push({
      parent: read.facts,
      zombies,
      findings: applicable.map((rule) => ({ code: rule.code, message: rule.message(context) })),
      fix: withFix?.fix?.(context) ?? `The parent (${ppid}) is not reaping these children; ${killParent(context)}.`,
    });
  }
  return { groups: groups.sort((a, b) => a.parent.pid - b.parent.pid), leaderExited };
}

