/**
 * One process in depth, the data behind `tasklens inspect PID`: identity, credentials, capabilities,
 * limits, namespaces, OOM score, signal dispositions, and every thread with its own state, masks,
 * blocked syscall, wchan, scheduling delay and stack.
 *
 * Per-thread facts come from task/TID/*, never from the process-level files (those show the main
 * thread only). Files that need ptrace access give `{ unavailable: 'not-permitted' }`; a thread that
 * exits during the read is dropped; a process that is gone before we start is a `no-such-pid` error.
 */
import { TasklensError, noSuchProcess as noSuchProcessError } from '../errors.js';
import { isUnavailable, numericEntries, tryListDir, tryReadLink, tryReadProcText, type Maybe, type Unavailable } from './files.js';
import { readFdsIn, type OpenFd } from './fds.js';
import { specialProcess, type SpecialProcess } from './special.js';
import { parseLimits, type ResourceLimit } from './limits.js';
import { parseMaps, stackOf, type Mapping, type ThreadStack } from './maps.js';
import { readNamespaces, type NamespaceLink } from './namespaces.js';
import { parseSchedStat, type SchedStat } from './schedstat.js';
import { parseStat, type TaskStat } from './stat.js';
import { parseStatus, type TaskStatus } from './status.js';
import { parseSyscall, stackPointer, type SyscallState } from './syscall.js';
import { splitCmdline } from './listing.js';
import { ageSeconds, bootTimeSeconds, uptimeSeconds } from './system.js';

export interface ThreadDetail {
  tid: number;
  /** Thread name from task/TID/comm (what pthread_setname_np set). */
  name: string;
  stat: TaskStat;
  /** task/TID/status: this thread's own masks, capabilities, ctx switches. */
  status: TaskStatus;
  /** What the thread is blocked in; needs ptrace-attach access. */
  syscall: Maybe<SyscallState>;
  /**
   * Kernel function the thread sleeps in, '' when it is not blocked. The kernel prints `0` both for
   * "not blocked" and for "ptrace check failed", so when syscall is not permitted a `0` becomes
   * not-permitted rather than a false "not blocked".
   */
  wchan: Maybe<string>;
  schedstat: Maybe<SchedStat>;
  /** The stack mapping the thread's stack pointer is in, when the SP is known (from syscall) and maps is readable. */
  stack: Maybe<ThreadStack> | undefined;
  ageSeconds: number;
}

export interface ProcessDetail {
  pid: number;
  comm: string;
  cmdline: string[];
  exe: Maybe<string>;
  cwd: Maybe<string>;
  stat: TaskStat;
  /** Main thread's status: credentials, process-wide dispositions (SigIgn/SigCgt/ShdPnd), Threads. */
  status: TaskStatus;
  leaderExited: boolean;
  /** Set for a kernel thread (no user space) and a zombie (exited: its parent and exit status). */
  special?: SpecialProcess;
  /** Wall-clock start, ISO 8601. */
  started: string;
  ageSeconds: number;
  limits: Maybe<ResourceLimit[]>;
  namespaces: Maybe<NamespaceLink[]>;
  oomScore: Maybe<number>;
  oomScoreAdj: Maybe<number>;
  fds: Maybe<OpenFd[]>;
  /** Number of memory mappings, when maps was readable. */
  mappings: Maybe<number>;
  threads: ThreadDetail[];
}

export interface InspectOptions {
  root?: string;
  /** Also list open file descriptors (default true). */
  fds?: boolean;
}

function noSuchProcess(pid: number): TasklensError {
  return noSuchProcessError('procfs', pid);
}

function readNumber(path: string): Maybe<number> {
  const text = tryReadProcText(path);
  if (isUnavailable(text)) return text;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : { unavailable: 'unsupported' };
}

/** Reads a process (a TID resolves to its thread group). Throws no-such-pid when it does not exist. */
export function inspectProcess(id: number, options: InspectOptions = {}): ProcessDetail {
  const root = options.root ?? '/proc';
  const statusText = tryReadProcText(`${root}/${id}/status`);
  if (isUnavailable(statusText)) throw noSuchProcess(id);
  const pid = parseStatus(statusText).tgid || id;
  const dir = `${root}/${pid}`;
  const statText = tryReadProcText(`${dir}/stat`);
  const mainStatusText = pid === id ? statusText : tryReadProcText(`${dir}/status`);
  if (isUnavailable(statText) || isUnavailable(mainStatusText)) throw noSuchProcess(id);
  const leaderStat = parseStat(statText);
  const leaderStatus = parseStatus(mainStatusText);
  const uptime = uptimeSeconds(root);
  const cmdline = tryReadProcText(`${dir}/cmdline`);
  const special = specialProcess(pid, root);
  // What a kernel thread never had, or a zombie has released, is said as such rather than "gone".
  const none: Unavailable | undefined = special && { unavailable: special.kind === 'kernel-thread' ? 'kernel-thread' : 'exited' };
  const view = viewDir(dir, leaderStat);
  // The process's memory and umask as a live thread shows them when the leader has exited.
  const { stat, status } = view === dir ? { stat: leaderStat, status: leaderStatus } : withLiveMemory(leaderStat, leaderStatus, view);
  const mapsText = none ?? tryReadProcText(`${view}/maps`);
  const maps: Maybe<Mapping[]> = isUnavailable(mapsText) ? mapsText : parseMaps(mapsText);
  const threads = readThreads(dir, maps, uptime);
  const age = ageSeconds(stat.startTicks, uptime);
  return {
    pid,
    comm: stat.comm,
    cmdline: isUnavailable(cmdline) ? [] : splitCmdline(cmdline),
    exe: none ?? tryReadLink(`${view}/exe`),
    cwd: special?.kind === 'zombie' ? none! : tryReadLink(`${view}/cwd`),
    stat,
    status,
    leaderExited: stat.state === 'Z' && threads.some((t) => t.tid !== pid && t.stat.state !== 'Z' && t.stat.state !== 'X'),
    ...(special ? { special } : {}),
    started: new Date((bootTimeSeconds(root) + stat.startTicks / 100) * 1000).toISOString(),
    ageSeconds: age,
    limits: mapText(tryReadProcText(`${dir}/limits`), parseLimits),
    namespaces: special?.kind === 'zombie' ? none! : readNamespaces(pid, root, view),
    oomScore: readNumber(`${dir}/oom_score`),
    oomScoreAdj: readNumber(`${dir}/oom_score_adj`),
    fds: options.fds === false ? { unavailable: 'unsupported' } : special?.kind === 'zombie' ? none! : readFdsIn(view),
    mappings: isUnavailable(maps) ? maps : maps.length,
    threads,
  };
}

/**
 * Where process-wide files are read: the process's own directory, or, when the main thread has
 * exited (pthread_exit) while others run, a live thread's: the exited leader has released its memory
 * map, executable link, descriptors and namespaces, the process has not.
 */
function viewDir(dir: string, stat: TaskStat): string {
  if (stat.state !== 'Z' && stat.state !== 'X') return dir;
  const names = tryListDir(`${dir}/task`);
  if (isUnavailable(names)) return dir;
  for (const tid of numericEntries(names)) {
    const text = tryReadProcText(`${dir}/task/${tid}/stat`);
    if (isUnavailable(text)) continue;
    const state = parseStat(text).state;
    if (state !== 'Z' && state !== 'X') return `${dir}/task/${tid}`;
  }
  return dir;
}

function withLiveMemory(stat: TaskStat, status: TaskStatus, view: string): { stat: TaskStat; status: TaskStatus } {
  const liveStat = tryReadProcText(`${view}/stat`);
  const liveStatus = tryReadProcText(`${view}/status`);
  if (isUnavailable(liveStat) || isUnavailable(liveStatus)) return { stat, status };
  const { vsizeBytes, rssPages } = parseStat(liveStat);
  const { memoryKiB, umask } = parseStatus(liveStatus);
  return { stat: { ...stat, vsizeBytes, rssPages }, status: { ...status, memoryKiB, umask } };
}

function mapText<T>(text: Maybe<string>, parse: (text: string) => T): Maybe<T> {
  return isUnavailable(text) ? text : parse(text);
}

function readThreads(dir: string, maps: Maybe<Mapping[]>, uptime: number): ThreadDetail[] {
  const names = tryListDir(`${dir}/task`);
  if (isUnavailable(names)) return [];
  const out: ThreadDetail[] = [];
  for (const tid of numericEntries(names)) {
    const thread = readThread(`${dir}/task/${tid}`, tid, maps, uptime);
    if (thread) out.push(thread);
  }
  return out;
}

/** One thread, or undefined when it exited while we read it. */
export function readThread(dir: string, tid: number, maps: Maybe<Mapping[]>, uptime: number): ThreadDetail | undefined {
  const statText = tryReadProcText(`${dir}/stat`);
  const statusText = tryReadProcText(`${dir}/status`);
  if (isUnavailable(statText) || isUnavailable(statusText)) return undefined;
  const stat = parseStat(statText);
  const comm = tryReadProcText(`${dir}/comm`);
  const syscallText = tryReadProcText(`${dir}/syscall`);
  const syscall: Maybe<SyscallState> = isUnavailable(syscallText)
    ? syscallText
    : parseSyscall(syscallText) ?? { unavailable: 'unsupported' };
  const wchanText = tryReadProcText(`${dir}/wchan`);
  let wchan: Maybe<string>;
  if (isUnavailable(wchanText)) wchan = wchanText;
  else if (wchanText.trim() === '0' || wchanText.trim() === '') {
    const denied: Unavailable = { unavailable: 'not-permitted', errno: 'EPERM' };
    wchan = isUnavailable(syscall) && syscall.unavailable === 'not-permitted' && stat.state !== 'R' ? denied : '';
  } else wchan = wchanText.trim();
  const sp = isUnavailable(syscall) ? undefined : stackPointer(syscall);
  let stack: Maybe<ThreadStack> | undefined;
  if (isUnavailable(maps)) stack = maps;
  else if (isUnavailable(syscall)) stack = syscall;
  else if (sp !== undefined) stack = stackOf(maps, sp);
  return {
    tid,
    name: isUnavailable(comm) ? stat.comm : comm.replace(/\n$/, ''),
    stat,
    status: parseStatus(statusText),
    syscall,
    wchan,
    schedstat: mapText(tryReadProcText(`${dir}/schedstat`), (t) => parseSchedStat(t) ?? ({ unavailable: 'unsupported' } as Unavailable)),
    stack,
    ageSeconds: ageSeconds(stat.startTicks, uptime),
  };
}
