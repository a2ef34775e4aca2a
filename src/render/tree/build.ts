/**
 * The process/thread tree as a document: plain data shared by the text and JSON renderers. Times are
 * seconds since the first timestamp of the log (absent when the log has none); every node also keeps
 * the line numbers it comes from.
 */
import type { TaskGraph } from '../../model/graph.js';
import { compareMoments } from '../../model/clock.js';
import type { BirthKind, EndKind, ExecRecord, Moment, Process, Task, TaskEnd, TimeBase } from '../../model/types.js';

export interface TreeDocument {
  tasklens: 'tree';
  version: 1;
  summary: {
    /** Processes whose grouping the log shows (see `ungrouped`). */
    processes: number;
    /** Tasks that are not the first leader of their process. */
    threads: number;
    /**
     * Tasks seen without a creation line and with nothing tying them to a thread group: each may be a
     * process or a thread of another process (shown as a process of its own, `membershipUnknown`).
     */
    ungrouped: number;
    tasks: number;
    /** Processes still zombies at the end of the log. */
    zombies: number;
    /** Processes that ended and were never reaped in the trace. */
    unreaped: number;
    unknownLines: number;
    sources: string[];
    timeBase: TimeBase;
    /** Epoch or midnight-relative time of "0" in this document, when the log has times. */
    timeOrigin?: number;
    orderKnown: boolean;
    /** False for filtered logs that may hide wait calls (no process is then called unreaped). */
    waitsVisible: boolean;
  };
  roots: ProcessNode[];
}

export interface EndNode {
  kind: EndKind;
  code?: number;
  signal?: string;
  coreDumped?: boolean;
  byTid?: number;
  asTid?: number;
  source: TaskEnd['source'];
  line?: number;
  time?: number;
}

export interface BirthNode {
  kind: BirthKind;
  syscall?: string;
  flags?: string[];
  namespaces?: string[];
  /** TID of the creating task. */
  by?: number;
  line?: number;
}

export interface ExecNode {
  tid: number;
  path?: string;
  argv?: string[];
  argvTruncated?: boolean;
  result: ExecRecord['result'];
  errno?: string;
  tookOverTid?: number;
  line: number;
  time?: number;
}

export interface ThreadNode {
  tid: number;
  key: string;
  leader: boolean;
  traced: boolean;
  birth: BirthNode;
  start?: number;
  end?: number;
  firstLine: number;
  lastLine: number;
  status?: EndNode;
  /** Syscalls it was inside when it died, was detached, or when the log ended. */
  openCalls: Array<{ name: string; closedBy: string; line: number }>;
  syscalls: number;
}

export interface SignalNode {
  tid: number;
  signal: string;
  stopped?: boolean;
  code?: string;
  from?: number;
  line: number;
  time?: number;
}

export interface SentNode {
  tid: number;
  syscall: string;
  target: string;
  /** tgkill/rt_tgsigqueueinfo: the thread within the group `target`. */
  thread?: number;
  signal: string;
  ok: boolean;
  errno?: string;
  line: number;
}

export interface ProcessNode {
  /** 0 when the log never shows it (strace without -f prints no pids): see `pidUnknown`. */
  pid: number;
  /** The pid is not in the log (no prefix, no set_tid_address/getpid/gettid result to learn it from). */
  pidUnknown?: true;
  key: string;
  /** argv of the last successful exec; null when the process never exec'd in the log. */
  command: string[] | null;
  /** Nothing in the log says whether it is a process or a thread of another process. */
  membershipUnknown?: true;
  /** The program it runs without an exec of its own: its nearest ancestor's command. */
  inheritedCommand?: string[];
  /** `-Y` command name. */
  comm?: string;
  birth: BirthNode;
  start?: number;
  end?: number;
  firstLine: number;
  lastLine: number;
  status?: EndNode;
  reaped?: { byPid?: number; syscall: string; status?: { kind: string; code?: number; signal?: string; coreDumped?: boolean }; line: number };
  unreaped?: { zombieAtEnd: boolean; zombieWhileParentLived: boolean; reparented: boolean; parentState: string; line?: number };
  orphaned?: boolean;
  execs: ExecNode[];
  threads: ThreadNode[];
  signals: SignalNode[];
  sent: SentNode[];
  children: ProcessNode[];
}

/** Builds the tree document of a graph (finish the graph first for ends and zombies). */
export function buildTree(graph: TaskGraph): TreeDocument {
  const processes = graph.processes();
  const tasks = graph.tasks();
  const origin = timeOrigin(tasks);
  const rel = (m: Moment | undefined): number | undefined => (m?.time === undefined || origin === undefined ? undefined : round6(m.time - origin));
  const tidOf = (key: string | undefined): number | undefined => (key === undefined ? undefined : graph.task(key)?.tid);

  const birthNode = (task: Task): BirthNode => {
    const b = task.birth;
    return {
      kind: b.kind,
      ...(b.syscall ? { syscall: b.syscall } : {}),
      ...(b.flags && b.flags.length > 0 ? { flags: b.flags } : {}),
      ...(b.namespaces ? { namespaces: b.namespaces } : {}),
      ...(b.creator !== undefined ? { by: tidOf(b.creator) } : {}),
      ...(b.at ? { line: b.at.line } : {}),
    };
  };
  const endNode = (end: TaskEnd | undefined): EndNode | undefined => {
    if (!end) return undefined;
    const { at, ...rest } = end;
    const time = rel(at);
    return { ...rest, ...(at ? { line: at.line } : {}), ...(time !== undefined ? { time } : {}) };
  };

  const birthMoment = (process: Process): Moment | undefined => {
    const members = graph.tasksOf(process);
    return (members.find((t) => t.tid === process.tgid) ?? members[0])?.birth.at;
  };

  const build = (process: Process, inherited: string[] | undefined, seen: Set<string>): ProcessNode => {
    seen.add(process.key);
    const members = graph.tasksOf(process);
    const first = members[0];
    const leader = (process.leader !== undefined ? graph.task(process.leader) : undefined) ?? first;
    const founder = members.find((t) => t.tid === process.tgid) ?? first;
    const life = graph.lifetime(process);
    const command = graph.command(process) ?? null;
    const node: ProcessNode = {
      pid: process.tgid,
      ...(process.tgid === 0 ? { pidUnknown: true as const } : {}),
      key: process.key,
      command,
      ...(process.membershipUnknown ? { membershipUnknown: true as const } : {}),
      ...(command === null && inherited ? { inheritedCommand: inherited } : {}),
      ...(leader.comm ?? founder.comm ? { comm: leader.comm ?? founder.comm } : {}),
      birth: birthNode(founder),
      ...(rel(life.start) !== undefined ? { start: rel(life.start) } : {}),
      ...(rel(life.end) !== undefined ? { end: rel(life.end) } : {}),
      firstLine: life.start.line,
      lastLine: life.end.line,
      ...(endNode(graph.processEnd(process)) ? { status: endNode(graph.processEnd(process)) } : {}),
      execs: process.execs.map((e) => ({
        tid: e.tid,
        ...(e.path !== undefined ? { path: e.path } : {}),
        ...(e.argv ? { argv: e.argv } : {}),
        ...(e.argvTruncated ? { argvTruncated: true } : {}),
        result: e.result,
        ...(e.errno ? { errno: e.errno } : {}),
        ...(e.tookOverTid !== undefined ? { tookOverTid: e.tookOverTid } : {}),
        line: e.at.line,
        ...(rel(e.at) !== undefined ? { time: rel(e.at) } : {}),
      })),
      threads: members.map((t) => ({
        tid: t.tid,
        key: t.key,
        leader: t.tid === process.tgid,
        traced: t.traced,
        birth: birthNode(t),
        ...(rel(t.firstSeen) !== undefined ? { start: rel(t.firstSeen) } : {}),
        ...(rel(t.lastSeen) !== undefined ? { end: rel(t.lastSeen) } : {}),
        firstLine: t.firstSeen.line,
        lastLine: t.lastSeen.line,
        ...(endNode(t.end) ? { status: endNode(t.end) } : {}),
        openCalls: t.openCalls.map((c) => ({ name: c.name, closedBy: c.closedBy, line: c.at.line })),
        syscalls: t.syscalls,
      })),
      signals: members
        .flatMap((t) => t.signalsReceived.map((s) => ({ task: t, s })))
        .sort((a, b) => a.s.at.seq - b.s.at.seq)
        .map(({ task, s }) => ({
          tid: task.tid,
          signal: s.signal,
          ...(s.stopped ? { stopped: true } : {}),
          ...(s.code ? { code: s.code } : {}),
          ...(s.senderPid !== undefined ? { from: s.senderPid } : {}),
          line: s.at.line,
          ...(rel(s.at) !== undefined ? { time: rel(s.at) } : {}),
        })),
      sent: members
        .flatMap((t) => t.signalsSent.map((s) => ({ task: t, s })))
        .sort((a, b) => a.s.at.seq - b.s.at.seq)
        .map(({ task, s }) => ({ tid: task.tid, syscall: s.syscall, target: s.target, ...(s.thread !== undefined ? { thread: s.thread } : {}), signal: s.signal, ok: s.ok, ...(s.errno ? { errno: s.errno } : {}), line: s.at.line })),
      children: [],
    };
    if (process.reaped) {
      const r = process.reaped;
      node.reaped = { ...(r.byTid !== undefined ? { byPid: r.byTid } : {}), syscall: r.syscall, ...(r.status ? { status: r.status } : {}), line: r.at.line };
    }
    if (process.unreaped) {
      const { since, ...rest } = process.unreaped;
      node.unreaped = { ...rest, ...(since ? { line: since.line } : {}) };
    }
    if (process.orphaned) node.orphaned = true;
    // A child runs the program its parent ran when it was forked, not the one the parent exec'd later.
    node.children = graph
      .childrenOf(process)
      .filter((c) => !seen.has(c.key))
      .map((c) => build(c, programAt(process, birthMoment(c), inherited), seen));
    return node;
  };

  const seen = new Set<string>();
  const roots = graph.roots().map((p) => build(p, undefined, seen));
  const zombies = processes.filter((p) => p.unreaped?.zombieAtEnd).length;
  return {
    tasklens: 'tree',
    version: 1,
    summary: {
      processes: processes.filter((p) => !p.membershipUnknown).length,
      threads: processes.reduce((n, p) => n + Math.max(0, p.tasks.length - 1), 0),
      ungrouped: processes.filter((p) => p.membershipUnknown && p.tasks.length > 0).length,
      tasks: tasks.length,
      zombies,
      unreaped: processes.filter((p) => p.unreaped).length,
      unknownLines: graph.stats.unknownLines,
      sources: graph.stats.sources,
      timeBase: graph.timeBase,
      ...(origin !== undefined ? { timeOrigin: origin } : {}),
      orderKnown: graph.orderKnown,
      waitsVisible: graph.waitsVisible,
    },
    roots,
  };
}

/**
 * The program a process ran at a moment: its last successful exec before then, else what it inherited
 * at its own birth. Without a moment, its current program.
 */
function programAt(process: Process, at: Moment | undefined, inherited: string[] | undefined): string[] | undefined {
  let program = inherited;
  for (const e of process.execs) {
    if (e.result !== 'ok' || (at !== undefined && compareMoments(e.at, at) >= 0)) continue;
    if (e.argv && e.argv.length > 0) program = e.argv;
    else if (e.path !== undefined) program = [e.path];
  }
  return program;
}

function timeOrigin(tasks: Task[]): number | undefined {
  let min: number | undefined;
  for (const t of tasks) {
    const time = t.firstSeen.time;
    if (time !== undefined && (min === undefined || time < min)) min = time;
  }
  return min;
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
