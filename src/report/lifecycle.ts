/**
 * The lifecycle layer of a report, from the task model: markers on the lanes (birth, exec, exit,
 * signal delivery) and arrows between them (creator → child, sender → receiver of a signal).
 */
import type { TaskGraph } from '../model/graph.js';
import type { Moment, SignalSent, Task, TaskEnd } from '../model/types.js';
import { BIRTH_LABELS } from '../render/tree/text.js';
import type { ReportArrow, ReportLane, ReportMarker } from './types.js';

export interface LifecycleContext {
  graph: TaskGraph;
  /** A moment on the report's axis; undefined when the moment has no time in a timed log. */
  axis(m: Moment | undefined): number | undefined;
  laneOf(task: Task | undefined): number | undefined;
  /** The detail (raw line + explanation) of a key line, when embedded. */
  lineDetail(m: Moment | undefined): number | undefined;
  fileOf(m: Moment): number;
}

/** Birth kinds that have a creator task in the log. */
const CREATED = new Set(['thread', 'fork', 'vfork', 'spawn', 'clone', 'namespaces', 'exec-takeover']);
/** Ends that happen at a point in the log (running/unknown only say the log stopped). */
const POINT_ENDS = new Set<TaskEnd['kind']>(['exited', 'killed', 'ended', 'superseded', 'became-leader', 'detached']);
/** si_code values that mean a process sent the signal (kill, tkill/tgkill, sigqueue). */
const SENT_BY_PROCESS = new Set(['SI_USER', 'SI_TKILL', 'SI_QUEUE']);

/** How a task ended, in a few words. */
export function endText(end: TaskEnd | undefined): string {
  switch (end?.kind) {
    case 'exited':
      return end.code === undefined ? 'exited' : `exit ${end.code}`;
    case 'killed':
      return `killed by ${end.signal ?? '?'}${end.coreDumped ? ' (core dumped)' : ''}`;
    case 'superseded':
      return `replaced by the execve of ${end.byTid ?? '?'}`;
    case 'became-leader':
      return `execve: continues as ${end.asTid ?? '?'}`;
    case 'detached':
      return 'detached';
    case 'ended':
      return 'ended';
    case 'running':
      return 'running at end of log';
    default:
      return 'end unknown';
  }
}

function where(ctx: LifecycleContext, m: Moment | undefined): { line?: number; file?: number; detail?: number } {
  if (m === undefined || m.line <= 0) return {};
  const detail = ctx.lineDetail(m);
  const file = ctx.fileOf(m);
  return { line: m.line, ...(file > 0 ? { file } : {}), ...(detail !== undefined ? { detail } : {}) };
}

/** Birth, exec, exit and signal markers of every lane, in lane order then time. */
export function markersOf(ctx: LifecycleContext, lanes: ReportLane[]): ReportMarker[] {
  const out: ReportMarker[] = [];
  for (let lane = 0; lane < lanes.length; lane++) {
    const task = ctx.graph.task(lanes[lane].key);
    if (!task) continue;
    const b = task.birth;
    const birthLabel = `${BIRTH_LABELS[b.kind]?.label ?? b.kind}${b.syscall ? ` (${b.syscall})` : ''}`;
    out.push({ kind: 'birth', lane, t: lanes[lane].start, label: birthLabel, ...where(ctx, b.at) });
    for (const e of task.execs) {
      const t = ctx.axis(e.at);
      if (t === undefined) continue;
      const program = e.argv && e.argv.length > 0 ? e.argv.join(' ') : e.path ?? '?';
      const label = e.result === 'failed' ? `exec failed ${e.errno ?? ''}: ${program}`.trim() : `exec ${program}`;
      out.push({ kind: 'exec', lane, t, label: clip(label, 300), ...where(ctx, e.at), ...(e.result === 'failed' ? { alert: true } : {}) });
    }
    for (const s of task.signalsReceived) {
      const t = ctx.axis(s.at);
      if (t === undefined) continue;
      out.push({ kind: 'signal', lane, t, label: s.stopped ? `stopped by ${s.signal}` : s.signal, ...where(ctx, s.at), ...(s.stopped ? { alert: true } : {}) });
    }
    const end = task.end;
    if (end && POINT_ENDS.has(end.kind)) {
      const t = ctx.axis(end.at) ?? lanes[lane].end;
      const abnormal = end.kind === 'killed' || (end.kind === 'exited' && end.code !== undefined && end.code !== 0);
      out.push({ kind: 'exit', lane, t, label: endText(end), ...where(ctx, end.at), ...(abnormal ? { alert: true } : {}) });
    }
  }
  return out;
}

/** Creator → child arrows, from the creating call's entry to the child's first line. */
export function forkArrows(ctx: LifecycleContext, creationStart: (creator: Task, childTid: number) => { t: number; line: number } | undefined): ReportArrow[] {
  const out: ReportArrow[] = [];
  for (const task of ctx.graph.tasks()) {
    const b = task.birth;
    if (!CREATED.has(b.kind) || b.creator === undefined) continue;
    const creator = ctx.graph.task(b.creator);
    const from = ctx.laneOf(creator);
    const to = ctx.laneOf(task);
    if (from === undefined || to === undefined || from === to || !creator) continue;
    const call = creationStart(creator, task.tid);
    const fromT = call?.t ?? ctx.axis(b.at);
    const toT = ctx.axis(task.firstSeen);
    if (fromT === undefined || toT === undefined) continue;
    out.push({ kind: 'fork', from, fromT, to, toT, label: BIRTH_LABELS[b.kind]?.label ?? b.kind, ...where(ctx, b.at), ...(call ? { fromLine: call.line } : {}) });
  }
  return out;
}

/**
 * Signal arrows: from the kill/tkill/tgkill call that sent a signal to its delivery, when siginfo
 * names the sender (si_pid with SI_USER, SI_TKILL or SI_QUEUE) and the sender's call is in the log;
 * and for SIGCHLD, from the child's end to the parent's delivery.
 */
export function signalArrows(ctx: LifecycleContext): ReportArrow[] {
  const tasks = ctx.graph.tasks();
  // Sends by the sender's TGID and TID, in log order.
  const sends = new Map<number, Array<{ task: Task; sent: SignalSent }>>();
  const add = (id: number, entry: { task: Task; sent: SignalSent }): void => {
    const list = sends.get(id) ?? [];
    list.push(entry);
    sends.set(id, list);
  };
  for (const task of tasks) {
    const tgid = ctx.graph.processOf(task).tgid;
    for (const sent of task.signalsSent) {
      if (!sent.ok) continue;
      add(tgid, { task, sent });
      if (task.tid !== tgid) add(task.tid, { task, sent });
    }
  }
  for (const list of sends.values()) list.sort((a, b) => a.sent.at.seq - b.sent.at.seq);
  // Ends by TID, for SIGCHLD.
  const endsByTid = new Map<number, Task[]>();
  for (const task of tasks) {
    if (!task.end?.at) continue;
    const list = endsByTid.get(task.tid) ?? [];
    list.push(task);
    endsByTid.set(task.tid, list);
  }

  const out: ReportArrow[] = [];
  for (const receiver of tasks) {
    const to = ctx.laneOf(receiver);
    if (to === undefined) continue;
    for (const s of receiver.signalsReceived) {
      if (s.stopped || s.senderPid === undefined) continue;
      const toT = ctx.axis(s.at);
      if (toT === undefined) continue;
      let fromTask: Task | undefined;
      let fromMoment: Moment | undefined;
      if (s.signal === 'SIGCHLD' && s.code?.startsWith('CLD_')) {
        // The child the news is about: the latest task with that TID that ended by then.
        const ended = (endsByTid.get(s.senderPid) ?? []).filter((t) => t.end!.at!.seq <= s.at.seq);
        fromTask = ended[ended.length - 1];
        fromMoment = fromTask?.end?.at;
      } else if (s.code !== undefined && SENT_BY_PROCESS.has(s.code)) {
        const list = sends.get(s.senderPid) ?? [];
        for (let i = list.length - 1; i >= 0; i--) {
          const { task, sent } = list[i];
          if (sent.at.seq <= s.at.seq && sent.signal === s.signal) {
            fromTask = task;
            fromMoment = sent.at;
            break;
          }
        }
      }
      const from = ctx.laneOf(fromTask);
      const fromT = ctx.axis(fromMoment);
      if (from === undefined || fromT === undefined || from === to) continue;
      out.push({ kind: 'signal', from, fromT, to, toT, label: s.signal, ...where(ctx, s.at), ...(fromMoment && fromMoment.line > 0 ? { fromLine: fromMoment.line } : {}) });
    }
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
