/**
 * `tasklens ps` output: a process tree (or flat list) with optional thread rows, as an aligned table
 * or as JSON Lines (one record per process, each followed by its thread records with --threads).
 */
import type { Palette } from '../color.js';
import type { ProcessEntry, ThreadEntry } from '../../procfs/listing.js';
import { buildProcessTree, walkTree } from '../../procfs/tree.js';
import { taskStateInfo } from '../../procfs/states.js';
import { ageSeconds } from '../../procfs/system.js';
import { USER_HZ } from '../../procfs/stat.js';
import { formatAge, formatCpu, renderTable, type Column } from './table.js';
import { cut } from '../text.js';
import { termSafe } from '../escape.js';
import type { ThreadWait } from '../../sched/schedstat-sample.js';

export interface PsRenderOptions {
  threads: boolean;
  /** Draw the parent/child tree (default) or list by PID. */
  tree: boolean;
  palette: Palette;
  /** Seconds since boot, to turn start ticks into ages. */
  uptime: number;
  users: Map<number, string>;
  /** Cut lines to this many columns (a terminal's width); undefined = never cut. */
  width?: number;
  /** Run-queue waits per TID sampled over an interval (`ps --sample`): adds a WAIT% column. */
  waits?: Map<number, ThreadWait>;
}

/** A process's wait over the sample: its threads' waits summed, as a share of the interval (a process of N threads can reach N x 100%). */
function processWaitPercent(p: ProcessEntry, waits: Map<number, ThreadWait>): number | undefined {
  const tids = p.threads?.map((t) => t.tid) ?? [p.pid];
  let total = 0;
  let interval = 0;
  let seen = false;
  for (const tid of tids) {
    const w = waits.get(tid);
    if (!w) continue;
    seen = true;
    total += Number(w.waitNs);
    interval = Number(w.intervalNs);
  }
  return seen && interval > 0 ? (total / interval) * 100 : undefined;
}

const LEADER_EXITED = 'main-exited';

/** What to show in the STATE column for a process. */
export function processStateWord(p: ProcessEntry): string {
  return p.leaderExited ? LEADER_EXITED : taskStateInfo(p.state).word;
}

/** The COMMAND cell, escaped: comm and argv are chosen by the process itself. */
function commandText(p: ProcessEntry): string {
  if (p.kernelThread) return `[${termSafe(p.comm)}]`;
  if (p.cmdline && p.cmdline.length) return termSafe(p.cmdline.join(' '));
  return p.state === 'Z' && !p.leaderExited ? `${termSafe(p.comm)} <defunct>` : termSafe(p.comm);
}

function userText(p: ProcessEntry, users: Map<number, string>): string {
  return p.uid === undefined ? '?' : termSafe(users.get(p.uid) ?? String(p.uid));
}

/**
 * Processes in display order with their tree prefix. `lastAtLevel[j]` says whether the ancestor at
 * depth j+1 (the node itself for the last entry) is its parent's last child: that decides between a
 * continuing bar and blank space. `threadPrefix` indents the thread rows under their process.
 */
function ordered(processes: readonly ProcessEntry[], tree: boolean): Array<{ p: ProcessEntry; prefix: string; threadPrefix: string }> {
  if (!tree) return [...processes].sort((a, b) => a.pid - b.pid).map((p) => ({ p, prefix: '', threadPrefix: '  ' }));
  const out: Array<{ p: ProcessEntry; prefix: string; threadPrefix: string }> = [];
  for (const { node, lastAtLevel } of walkTree(buildProcessTree(processes))) {
    const depth = lastAtLevel.length;
    let ancestors = '';
    for (let j = 0; j < depth - 1; j++) ancestors += lastAtLevel[j] ? '   ' : '│  ';
    const prefix = depth === 0 ? '' : ancestors + (lastAtLevel[depth - 1] ? '└─ ' : '├─ ');
    const own = depth === 0 ? '' : ancestors + (lastAtLevel[depth - 1] ? '   ' : '│  ');
    out.push({ p: node.process, prefix, threadPrefix: own + (node.children.length ? '│ ' : '  ') });
  }
  return out;
}

/** One table row; CPU and AGE are formatted once here because the table asks for each cell twice. */
type DisplayRow =
  | { thread: false; p: ProcessEntry; prefix: string; cpu: string; age: string }
  | { thread: true; p: ProcessEntry; t: ThreadEntry; prefix: string; cpu: string; age: string };

export function renderPsText(processes: readonly ProcessEntry[], options: PsRenderOptions): string {
  const c = options.palette;
  const { uptime, users } = options;
  const rows: DisplayRow[] = [];
  for (const { p, prefix, threadPrefix } of ordered(processes, options.tree)) {
    rows.push({ thread: false, p, prefix, cpu: formatCpu(p.utime + p.stime), age: formatAge(ageSeconds(p.startTicks, uptime)) });
    if (options.threads && p.threads && p.threads.length > 1) {
      for (const t of p.threads) {
        rows.push({ thread: true, p, t, prefix: threadPrefix, cpu: formatCpu(t.utime + t.stime), age: formatAge(ageSeconds(t.startTicks, uptime)) });
      }
    }
  }
  const stateColour = (letter: string) => (letter === 'Z' ? c.red : letter === 'R' ? c.green : letter === 'D' ? c.yellow : undefined);
  const columns: Array<Column<DisplayRow>> = [
    { header: 'PID', align: 'right', value: (r) => (r.thread ? '' : String(r.p.pid)), paint: () => c.bold },
    ...(options.threads ? [{ header: 'TID', align: 'right', value: (r) => (r.thread ? String(r.t.tid) : '') } as Column<DisplayRow>] : []),
    { header: 'PPID', align: 'right', value: (r) => (r.thread ? '' : String(r.p.ppid)) },
    { header: 'USER', value: (r) => (r.thread ? '' : userText(r.p, users)) },
    {
      header: 'STATE',
      value: (r) => (r.thread ? taskStateInfo(r.t.state).word : processStateWord(r.p)),
      paint: (r) => (r.thread ? stateColour(r.t.state) : r.p.leaderExited ? c.cyan : stateColour(r.p.state)),
    },
    { header: 'THR', align: 'right', value: (r) => (r.thread ? '' : String(r.p.numThreads)) },
    { header: 'CPU', align: 'right', value: (r) => r.cpu },
    { header: 'AGE', align: 'right', value: (r) => r.age },
    ...(options.waits ? [waitColumn(options.waits, c)] : []),
    {
      header: options.tree ? 'COMMAND (tree)' : 'COMMAND',
      value: (r) =>
        r.thread
          ? `${r.prefix}{${termSafe(r.t.comm)}}`
          : r.prefix + commandText(r.p) + (r.p.leaderExited ? '  [main thread exited; other threads run: not a zombie]' : ''),
      paint: (r) => (r.thread ? c.dim : undefined),
    },
  ];
  let text = renderTable(columns, rows, c.bold);
  if (options.width !== undefined) text = text.split('\n').map((line) => cut(line, options.width)).join('\n');
  return text;
}

function waitColumn(waits: Map<number, ThreadWait>, c: Palette): Column<DisplayRow> {
  const percent = (r: DisplayRow) => (r.thread ? waits.get(r.t.tid)?.waitPercent : processWaitPercent(r.p, waits));
  return {
    header: 'WAIT%',
    align: 'right',
    value: (r) => {
      const p = percent(r);
      return p === undefined ? '-' : `${p.toFixed(1)}%`;
    },
    paint: (r) => {
      const p = percent(r) ?? 0;
      return p >= 20 ? c.red : p >= 5 ? c.yellow : undefined;
    },
  };
}

export interface PsProcessRecord {
  kind: 'process';
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  uid?: number;
  user?: string;
  /** Kernel state letter of the main thread. */
  state: string;
  /** STATE column text: a word, or `main-exited` for a live process whose main thread exited. */
  stateWord: string;
  leaderExited: boolean;
  kernelThread: boolean;
  threads: number;
  cpuSeconds: number;
  ageSeconds: number;
  nice: number;
  rssPages: number;
  comm: string;
  cmdline?: string[];
  /** Tree depth (0 for roots); present in tree order. */
  depth?: number;
  /** With `--sample`: the threads' summed wait for a CPU as a share of the sample. */
  waitPercent?: number;
}

export interface PsThreadRecord {
  kind: 'thread';
  pid: number;
  tid: number;
  comm: string;
  state: string;
  stateWord: string;
  cpuSeconds: number;
  ageSeconds: number;
  processor: number;
  /** With `--sample`: share of the sample spent waiting for a CPU, and that wait in ns. */
  waitPercent?: number;
  runqWaitNs?: bigint;
}

/** JSON Lines records in display order: each process, then (with --threads) each of its threads. */
export function* psJsonRecords(processes: readonly ProcessEntry[], options: Omit<PsRenderOptions, 'palette' | 'width'>): Generator<PsProcessRecord | PsThreadRecord> {
  const list: Array<{ p: ProcessEntry; depth?: number }> = options.tree
    ? [...walkTree(buildProcessTree(processes))].map(({ node, depth }) => ({ p: node.process, depth }))
    : [...processes].sort((a, b) => a.pid - b.pid).map((p) => ({ p }));
  for (const { p, depth } of list) {
    const record: PsProcessRecord = {
      kind: 'process',
      pid: p.pid,
      ppid: p.ppid,
      pgrp: p.pgrp,
      session: p.session,
      state: p.state,
      stateWord: processStateWord(p),
      leaderExited: p.leaderExited,
      kernelThread: p.kernelThread,
      threads: p.numThreads,
      cpuSeconds: (p.utime + p.stime) / USER_HZ,
      ageSeconds: Math.round(ageSeconds(p.startTicks, options.uptime) * 100) / 100,
      nice: p.nice,
      rssPages: p.rssPages,
      comm: p.comm,
    };
    if (p.uid !== undefined) {
      record.uid = p.uid;
      const user = options.users.get(p.uid);
      if (user !== undefined) record.user = user;
    }
    if (p.cmdline) record.cmdline = p.cmdline;
    if (depth !== undefined) record.depth = depth;
    if (options.waits) {
      const w = processWaitPercent(p, options.waits);
      if (w !== undefined) record.waitPercent = Math.round(w * 10) / 10;
    }
    yield record;
    if (options.threads && p.threads) {
      for (const t of p.threads) {
        yield {
          kind: 'thread',
          pid: p.pid,
          tid: t.tid,
          comm: t.comm,
          state: t.state,
          stateWord: taskStateInfo(t.state).word,
          cpuSeconds: (t.utime + t.stime) / USER_HZ,
          ageSeconds: Math.round(ageSeconds(t.startTicks, options.uptime) * 100) / 100,
          processor: t.processor,
          ...(options.waits?.has(t.tid) ? { waitPercent: Math.round(options.waits.get(t.tid)!.waitPercent * 10) / 10, runqWaitNs: options.waits.get(t.tid)!.waitNs } : {}),
        };
      }
    }
  }
}
