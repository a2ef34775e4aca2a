/**
 * The tree as text: one line per process (pid, program, how it was born, lifetime, how it ended,
 * reaping), detail lines under it (exec history, threads, signals), and a legend of the words used.
 */
import { palette as makePalette, type Palette } from '../color.js';
import type { TaskGraph } from '../../model/graph.js';
import type { BirthKind } from '../../model/types.js';
import { termSafe } from '../escape.js';
import { buildTree, type EndNode, type ExecNode, type ProcessNode, type ThreadNode, type TreeDocument } from './build.js';

export interface TreeTextOptions {
  /** List the threads of each process (default true). */
  threads?: boolean;
  /** Colours: a palette, or true/false; default: none (plain text). */
  color?: boolean | Palette;
  /** Print the legend (default true). */
  legend?: boolean;
  /** Print the summary header line (default true). */
  header?: boolean;
}

/** What each birth kind is called in the tree and what it means (the legend). */
export const BIRTH_LABELS: Record<BirthKind, { label: string; meaning: string }> = {
  root: { label: 'root', meaning: 'started (or attached to) by strace' },
  fork: { label: 'fork', meaning: 'new process with a copy of its parent\'s memory' },
  vfork: { label: 'vfork', meaning: 'new process sharing memory; the parent waits until it execs or exits' },
  spawn: { label: 'spawn', meaning: 'clone(CLONE_VM|CLONE_VFORK), the posix_spawn way' },
  clone: { label: 'clone', meaning: 'new process sharing its parent\'s memory (CLONE_VM) without being a thread' },
  namespaces: { label: 'ns', meaning: 'new process in new namespaces (CLONE_NEW*)' },
  thread: { label: 'thread', meaning: 'CLONE_THREAD: same process (TGID), own TID' },
  'exec-takeover': { label: 'takeover', meaning: 'the leader TID continuing after another thread called execve' },
  attached: { label: 'attached', meaning: 'already running when strace attached (-p): created before the log starts' },
  unknown: { label: '?', meaning: 'no creation line in the log (filtered, attached, or not traced with -f)' },
};

const SOURCE_NOTES: Record<EndNode['source'], string> = {
  trace: '',
  wait: 'per wait status',
  'exit-call': 'per its exit call',
  'group-exit': "per a thread's exit_group",
  'group-signal': 'a fatal signal ends the whole process',
  exec: "another thread's execve",
  join: 'joined by another thread',
  'leader-end': "gone before its leader's end",
  sigchld: 'per SIGCHLD',
  'end-of-log': '',
};

/** Renders the process/thread tree of a graph (call `graph.finish()` first). */
export function renderTreeText(graph: TaskGraph, options: TreeTextOptions = {}): string {
  return renderTreeDocument(buildTree(graph), options);
}

/** Renders an already built tree document. */
export function renderTreeDocument(doc: TreeDocument, options: TreeTextOptions = {}): string {
  const c = typeof options.color === 'object' ? options.color : makePalette(options.color === true);
  const showThreads = options.threads ?? true;
  const out: string[] = [];
  const kinds = new Set<BirthKind>();
  const s = doc.summary;
  if (options.header ?? true) {
    const parts = [plural(s.processes, 'process', 'processes'), plural(s.threads, 'thread')];
    if (s.ungrouped > 0) parts.push(`${plural(s.ungrouped, 'task')} of unknown membership`);
    if (s.zombies > 0) parts.push(c.yellow(plural(s.zombies, 'zombie')));
    if (s.sources.length > 0) parts.push(s.sources.length === 1 ? termSafe(s.sources[0]) : `${s.sources.length} files`);
    out.push(c.bold(`process tree: ${parts.join(', ')}`));
    if (!s.orderKnown) out.push(c.dim('(several files without timestamps: the order of events across files is unknown)'));
  }

  let inheritedShown = false;
  const visit = (node: ProcessNode, lead: string, last: boolean, isRoot: boolean): void => {
    kinds.add(node.birth.kind);
    if (!node.command && node.inheritedCommand) inheritedShown = true;
    const branch = isRoot ? '' : last ? '└─ ' : '├─ ';
    out.push(lead + branch + processLine(node, c));
    const inner = isRoot ? lead : lead + (last ? '   ' : '│  ');
    const detail = inner + (node.children.length > 0 ? '│  ' : '   ');
    for (const line of processDetails(node, showThreads, c, kinds)) out.push(detail + line);
    node.children.forEach((child, i) => visit(child, inner, i === node.children.length - 1, false));
  };
  doc.roots.forEach((root) => visit(root, '', true, true));
  if (doc.roots.length === 0) out.push(c.dim('(no process in the log)'));

  if (options.legend ?? true) {
    const entries: Array<[string, string]> = [...kinds].map((k) => [`[${BIRTH_LABELS[k].label}]`, BIRTH_LABELS[k].meaning]);
    if (s.ungrouped > 0) entries.push(['process or thread?', 'no creation line and nothing tying it to a thread group (tgkill, getpid, exec, wait): it may be a thread of another process']);
    if (inheritedShown) entries.push(['(program)', "no exec of its own: runs its parent's program"]);
    if (s.timeBase !== 'none') entries.push(['0.000–0.000s', 'first and last time seen, in seconds from the first line']);
    const width = Math.max(...entries.map(([k]) => k.length));
    out.push('');
    out.push(c.dim('legend:'));
    for (const [key, meaning] of entries) out.push(c.dim(`  ${key.padEnd(width)}  ${meaning}`));
  }
  return out.join('\n') + '\n';
}

function processLine(node: ProcessNode, c: Palette): string {
  const parts: string[] = [c.bold(node.pidUnknown ? 'the traced process' : String(node.pid))];
  if (node.command) parts.push(c.cyan(commandText(node.command)));
  else if (node.inheritedCommand) parts.push(c.dim(`(${commandText(node.inheritedCommand)})`));
  else if (node.comm) parts.push(c.dim(`<${termSafe(node.comm)}>`));
  parts.push(c.magenta(`[${birthText(node.birth.kind, node.birth.namespaces)}]`));
  if (node.membershipUnknown) parts.push(c.yellow('process or thread?'));
  const life = lifetime(node.start, node.end);
  if (life) parts.push(c.dim(life));
  if (node.status) parts.push(endText(node.status, c));
  if (node.reaped) {
    const by = node.reaped.byPid !== undefined ? `reaped by ${node.reaped.byPid} (${node.reaped.syscall})` : `reaped ${node.reaped.syscall}`;
    parts.push(c.dim(by));
  }
  if (node.unreaped) parts.push(c.yellow(unreapedText(node)));
  else if (node.orphaned) parts.push(c.yellow('orphaned: its parent exited first, reparented to init/subreaper'));
  return parts.join('  ');
}

function processDetails(node: ProcessNode, showThreads: boolean, c: Palette, kinds: Set<BirthKind>): string[] {
  const lines: string[] = [];
  const execs = foldPathSearches(node.execs);
  const only = execs.length === 1 ? execs[0] : undefined;
  const onlyExecMatchesCommand = only !== undefined && only.misses.length === 0 && only.exec.result === 'ok' && only.exec.tookOverTid === undefined;
  if (!onlyExecMatchesCommand) for (const e of execs) lines.push(e.misses.length > 0 ? searchText(e, c) : execText(e.exec, c));
  if (onlyExecMatchesCommand && only.exec.path && node.command && only.exec.path !== node.command[0]) {
    lines.push(c.dim(`exec ${termSafe(only.exec.path)}`));
  }
  const multi = node.threads.length > 1;
  if (showThreads && multi) {
    for (const t of node.threads) {
      kinds.add(t.birth.kind);
      lines.push(threadText(t, c));
    }
  } else if (!multi && node.threads[0]) {
    const open = openText(node.threads[0]);
    if (open) lines.push(c.dim(open));
  } else if (!showThreads && multi) {
    lines.push(c.dim(`${node.threads.length - 1} more thread${node.threads.length > 2 ? 's' : ''}`));
  }
  const received = node.signals.filter((s) => !s.stopped);
  if (received.length > 0) lines.push(`signals received: ${signalSummary(received, c)}`);
  if (node.sent.length > 0) {
    const sent = node.sent.map((s) => termSafe(`${s.syscall}(${s.target}${s.thread !== undefined ? `, ${s.thread}` : ''}, ${s.signal})${s.ok ? '' : ` ${s.errno ?? 'failed'}`}`));
    lines.push(`signals sent: ${summariseList(sent)}`);
  }
  return lines;
}

function threadText(t: ThreadNode, c: Palette): string {
  const role = t.leader ? 'leader' : 'thread';
  const parts = [`${role} ${c.bold(t.tid === 0 ? '(pid not in the log)' : String(t.tid))}`, c.magenta(`[${birthText(t.birth.kind)}${t.birth.by !== undefined && t.birth.kind !== 'root' ? ` by ${t.birth.by}` : ''}]`)];
  const life = lifetime(t.start, t.end);
  if (life) parts.push(c.dim(life));
  if (t.status) parts.push(endText(t.status, c));
  const open = openText(t);
  if (open) parts.push(c.dim(open));
  return parts.join('  ');
}

function openText(t: ThreadNode): string | undefined {
  if (t.openCalls.length === 0) return undefined;
  const why: Record<string, string> = { death: 'died in', exec: 'replaced by exec in', detach: 'detached in', 'end-of-log': 'blocked at end of log in', pending: 'in' };
  return termSafe(t.openCalls.map((o) => `${why[o.closedBy] ?? 'in'} ${o.name}()`).join(', '));
}

function execText(e: ExecNode, c: Palette): string {
  const what = e.argv ? commandText(e.argv) : '';
  const path = termSafe(e.path ?? '?');
  const result = e.result === 'ok' ? c.green('ok') : e.result === 'failed' ? c.red(termSafe(`failed ${e.errno ?? ''}`.trim())) : c.dim('result not in log');
  const from = e.tookOverTid !== undefined ? c.yellow(`  from thread ${e.tid}, which took over TID ${e.tookOverTid}`) : '';
  return `exec ${path}${what && what !== path ? `  ${c.dim(what)}` : ''}  ${result}${from}`;
}

/** Errors on which execvp goes on to the next PATH directory (glibc's list). */
const SEARCH_GOES_ON = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'ENODEV', 'ETIMEDOUT', 'ESTALE']);

/** An exec, with the failed attempts of an execvp PATH search that led to it (or, when all failed, the last one). */
interface FoldedExec {
  exec: ExecNode;
  misses: ExecNode[];
}

const baseName = (path: string | undefined): string | undefined => (path === undefined || !path.includes('/') ? undefined : path.slice(path.lastIndexOf('/') + 1));
const sameArgv = (a: ExecNode, b: ExecNode): boolean => JSON.stringify(a.argv ?? null) === JSON.stringify(b.argv ?? null);

/**
 * Folds execvp PATH searches: consecutive execs by one thread of the same file name in different
 * directories with the same argv, each failing with an error the search skips, then the one that
 * worked (or the last failure).
 */
function foldPathSearches(execs: ExecNode[]): FoldedExec[] {
  const out: FoldedExec[] = [];
  let i = 0;
  while (i < execs.length) {
    const first = execs[i];
    const name = baseName(first.path);
    let j = i;
    while (
      j + 1 < execs.length &&
      execs[j].result === 'failed' &&
      SEARCH_GOES_ON.has(execs[j].errno ?? '') &&
      execs[j + 1].tid === first.tid &&
      name !== undefined &&
      baseName(execs[j + 1].path) === name &&
      sameArgv(execs[j + 1], first)
    ) j++;
    out.push({ exec: execs[j], misses: execs.slice(i, j) });
    i = j + 1;
  }
  return out;
}

function searchText(e: FoldedExec, c: Palette): string {
  const n = e.misses.length;
  const misses = `${n} miss${n === 1 ? '' : 'es'}`;
  if (e.exec.result !== 'failed') return `${execText(e.exec, c)}  ${c.dim(`(found after ${misses})`)}`;
  const all = [...e.misses, e.exec];
  const dirs = all.map((x) => x.path!.slice(0, x.path!.lastIndexOf('/')) || '/');
  const errnos = [...new Set(all.map((x) => x.errno ?? '?'))].join('/');
  const name = termSafe(baseName(e.exec.path)!);
  const what = e.exec.argv && commandText(e.exec.argv) !== name ? `  ${c.dim(commandText(e.exec.argv))}` : '';
  return `exec ${name}${what}  ${c.red(termSafe(`not found: ${errnos} in ${all.length} PATH directories`))} ${c.dim(termSafe(`(${summariseList(dirs, 4)})`))}`;
}

function endText(end: EndNode, c: Palette): string {
  const note = SOURCE_NOTES[end.source] ? c.dim(` (${SOURCE_NOTES[end.source]})`) : '';
  switch (end.kind) {
    case 'exited':
      return (end.code === 0 ? c.green('exited 0') : end.code === undefined ? c.green('exited') : c.red(`exited ${end.code}`)) + note;
    case 'killed':
      return c.red(termSafe(`killed by ${end.signal ?? '?'}${end.coreDumped ? ' (core dumped)' : ''}`)) + note;
    case 'ended':
      return c.dim(end.source === 'wait' ? 'ended (reaped, status not collected)' : `ended, how unknown${note}`);
    case 'superseded':
      return c.yellow(`superseded by execve in thread ${end.byTid}`);
    case 'became-leader':
      return c.yellow(`execve succeeded: continues as TID ${end.asTid}`);
    case 'detached':
      return c.dim('detached');
    case 'running':
      return c.yellow('still running at end of log');
    case 'unknown':
      return c.dim('not traced, end unknown');
  }
}

function unreapedText(node: ProcessNode): string {
  const u = node.unreaped!;
  if (u.zombieAtEnd) return u.parentState === 'unknown' ? 'ZOMBIE at end of log (never reaped; parent detached)' : 'ZOMBIE at end of log: its parent never waited for it';
  if (u.zombieWhileParentLived) return 'never reaped: a zombie until its parent exited, then reparented to init/subreaper';
  return 'never reaped in the trace: its parent exited first, reparented to init/subreaper';
}

function birthText(kind: BirthKind, namespaces?: string[]): string {
  const label = BIRTH_LABELS[kind].label;
  return namespaces && namespaces.length > 0 ? `${label} ${namespaces.map((n) => n.replace('CLONE_NEW', '').toLowerCase()).join(',')}` : label;
}

function signalSummary(signals: Array<{ signal: string; from?: number; code?: string }>, c: Palette): string {
  const counts = new Map<string, { n: number; from: Set<number> }>();
  for (const s of signals) {
    const entry = counts.get(s.signal) ?? { n: 0, from: new Set<number>() };
    entry.n++;
    if (s.from !== undefined) entry.from.add(s.from);
    counts.set(s.signal, entry);
  }
  return [...counts]
    .map(([sig, { n, from }]) => `${c.yellow(termSafe(sig))}${n > 1 ? `×${n}` : ''}${from.size > 0 ? c.dim(` from ${[...from].slice(0, 4).join(',')}${from.size > 4 ? ',…' : ''}`) : ''}`)
    .join(', ');
}

function summariseList(items: string[], max = 6): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')}, … (${items.length} in all)`;
}

function lifetime(start: number | undefined, end: number | undefined): string | undefined {
  if (start === undefined) return undefined;
  return `${start.toFixed(3)}–${(end ?? start).toFixed(3)}s`;
}

/** argv as a shell-like command line: words with spaces or quotes are quoted; escaped for a terminal. */
export function commandText(argv: string[]): string {
  return termSafe(argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' '));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
