/**
 * Every process (and optionally every thread) on the machine, fast: the data behind `tasklens ps`.
 *
 * Cost model (reference §3): what dominates is files opened per task. By default we read ONE file per
 * task (stat), plus per process one stat() of its directory for the owner and its cmdline. status,
 * schedstat, wchan and the rest are left to `inspect`. A task that vanishes mid-scan is skipped.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, TasklensError } from '../errors.js';
import { isUnavailable, numericEntries, readProcRecord, tryListDir, tryReadProcText } from './files.js';
import { parseStat, parseStatBrief, type TaskStat } from './stat.js';

export interface ListOptions {
  /** procfs mount point; fixture trees in tests use another directory. */
  root?: string;
  /** Also read every thread (task/TID/stat). */
  threads?: boolean;
  /** Read each process's owner UID (one stat() of /proc/PID). Default true. */
  owner?: boolean;
  /** Read each process's command line. Default true. */
  cmdline?: boolean;
  /** Only these PIDs (no scan of the whole of /proc). Missing ones are skipped. */
  pids?: readonly number[];
}

export interface ThreadEntry {
  tid: number;
  /** Thread name (pthread_setname_np / prctl PR_SET_NAME). */
  comm: string;
  state: string;
  /** CPU time of this thread alone, in ticks. */
  utime: number;
  stime: number;
  processor: number;
  startTicks: number;
}

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  comm: string;
  /** The main thread's state letter, as the kernel reports it for the process. */
  state: string;
  /**
   * The main thread exited (pthread_exit) while other threads still run. The kernel then shows the
   * process as `Z`, and ps/top/psutil call it a zombie; it is not one.
   */
  leaderExited: boolean;
  kernelThread: boolean;
  numThreads: number;
  /** CPU time of all threads together, in ticks. */
  utime: number;
  stime: number;
  startTicks: number;
  nice: number;
  rssPages: number;
  vsizeBytes: bigint;
  /** Raw wait status of a zombie (stat exit_code): see TaskStat.exitCode. */
  exitCode?: number;
  /** Owner (effective UID of the process), when `owner` was requested and the process still existed. */
  uid?: number;
  /** argv; empty for kernel threads and zombies. */
  cmdline?: string[];
  /** Present when `threads` was requested: every thread including the main one, by TID. */
  threads?: ThreadEntry[];
}

/** PIDs of all processes visible in this procfs. */
export function listPids(root = '/proc'): number[] {
  const names = tryListDir(root);
  if (isUnavailable(names)) {
    throw new TasklensError('procfs', 'proc-unreadable', `cannot list ${root} (${names.errno ?? names.unavailable})`, {
      hint: 'tasklens needs a mounted procfs: mount -t proc proc /proc',
      exitCode: ExitCode.permission,
    });
  }
  return numericEntries(names);
}

/** TIDs of one process, or undefined when it is gone. */
export function listTids(pid: number, root = '/proc'): number[] | undefined {
  const names = tryListDir(join(root, String(pid), 'task'));
  return isUnavailable(names) ? undefined : numericEntries(names);
}

/** One process's stat, or undefined when it is gone. */
export function readStat(path: string): TaskStat | undefined {
  const text = tryReadProcText(path);
  if (isUnavailable(text)) return undefined;
  return parseStat(text);
}

/** Splits a NUL-separated cmdline. */
export function splitCmdline(text: string): string[] {
  if (!text) return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export function listProcesses(options: ListOptions = {}): ProcessEntry[] {
  const root = options.root ?? '/proc';
  const owner = options.owner ?? true;
  const cmdline = options.cmdline ?? true;
  const pids = options.pids ?? listPids(root);
  const out: ProcessEntry[] = [];
  for (const pid of pids) {
    const entry = readProcess(root, pid, owner, cmdline, options.threads === true);
    if (entry) out.push(entry);
  }
  return out;
}

function readProcess(root: string, pid: number, owner: boolean, cmdline: boolean, threads: boolean): ProcessEntry | undefined {
  const dir = `${root}/${pid}`;
  let stat: TaskStat;
  try {
    stat = parseStat(readProcRecord(`${dir}/stat`));
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
  const entry: ProcessEntry = {
    pid,
    ppid: stat.ppid,
    pgrp: stat.pgrp,
    session: stat.session,
    comm: stat.comm,
    state: stat.state,
    leaderExited: stat.state === 'Z' && stat.numThreads > 1,
    kernelThread: stat.kernelThread,
    numThreads: stat.numThreads,
    utime: stat.utime,
    stime: stat.stime,
    startTicks: stat.startTicks,
    nice: stat.nice,
    rssPages: stat.rssPages,
    vsizeBytes: stat.vsizeBytes,
  };
  if (stat.exitCode !== undefined) entry.exitCode = stat.exitCode;
  if (owner) {
    try {
      entry.uid = statSync(dir).uid;
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }
  if (cmdline && !stat.kernelThread) {
    const text = tryReadProcText(`${dir}/cmdline`);
    entry.cmdline = isUnavailable(text) ? [] : splitCmdline(text);
  }
  if (threads) {
    entry.threads = readThreads(dir);
    // With the thread list in hand, "leader exited" is exact: the leader is Z but another thread lives.
    if (stat.state === 'Z') entry.leaderExited = entry.threads.some((t) => t.tid !== pid && t.state !== 'Z' && t.state !== 'X');
  }
  return entry;
}

function readThreads(dir: string): ThreadEntry[] {
  const names = tryListDir(`${dir}/task`);
  if (isUnavailable(names)) return [];
  const out: ThreadEntry[] = [];
  for (const tid of numericEntries(names)) {
    let text: string;
    try {
      text = readProcRecord(`${dir}/task/${tid}/stat`);
    } catch (error) {
      if (isGone(error)) continue;
      throw error;
    }
    const s = parseStatBrief(text);
    out.push({ tid, comm: s.comm, state: s.state, utime: s.utime, stime: s.stime, processor: s.processor, startTicks: s.startTicks });
  }
  return out;
}

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ESRCH';
}
