/**
 * Parser of `perf script --ns -F pid,tid,cpu,time,event,trace` lines (see PERF_SCRIPT_FIELDS), one
 * line at a time: `31830/31830 [000]  3129.782339470: sched:sched_switch: prev_comm=perf prev_pid=31830 ...`
 * (`-F tid,...` without the pid is read too).
 * Pure and synchronous; a line it cannot read becomes an `unknown` record with the reason.
 */
import { fieldInt, fieldText } from './fields.js';
import type { SchedRecord, TraceTime } from './records.js';

/**
 * The `perf script` arguments whose output this parser reads: nanosecond timestamps, `pid/tid` of the
 * current task, no comm column (a comm may hold spaces; comms come from the tracepoint fields).
 */
export const PERF_SCRIPT_FIELDS = ['--ns', '-F', 'pid,tid,cpu,time,event,trace'] as const;

const WAKEUPS = new Set(['sched_waking', 'sched_wakeup', 'sched_wakeup_new']);

function digits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Digits text[from..to) as a number, or -1 when empty or anything else is there. */
function digitsAt(text: string, from: number, to: number): number {
  if (to <= from) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const NSEC_SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/** `sec.frac` in text[from..to) (spaces around allowed); perf without --ns prints microseconds. */
function parseTime(text: string, from: number, to: number): TraceTime | undefined {
  while (from < to && text.charCodeAt(from) === 32) from++;
  while (to > from && text.charCodeAt(to - 1) === 32) to--;
  const dot = text.indexOf('.', from);
  if (dot <= from || dot >= to) return undefined;
  const fracLength = to - dot - 1;
  if (fracLength > 9) return undefined;
  const sec = digitsAt(text, from, dot);
  const frac = digitsAt(text, dot + 1, to);
  if (sec < 0 || frac < 0) return undefined;
  return { sec, nsec: frac * NSEC_SCALE[fracLength] };
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 11 && c !== 12) return text.trim() === '';
  }
  return true;
}

// Field keys, built once (the parser runs once per line of a recording of millions of lines).
const K = {
  prevPid: 'prev_pid=', nextPid: 'next_pid=', prevState: 'prev_state=', prevComm: 'prev_comm=', nextComm: 'next_comm=',
  pid: 'pid=', comm: 'comm=', targetCpu: 'target_cpu=', origCpu: 'orig_cpu=', destCpu: 'dest_cpu=', runtime: 'runtime=',
  parentPid: 'parent_pid=', childPid: 'child_pid=', childComm: 'child_comm=',
} as const;

/** `pid/tid` (or `tid`) before the `[cpu]` column; a malformed id is left out, as Number() would make it NaN. */
function idsOf(text: string, open: number): { pid?: number; tid?: number } {
  let from = 0;
  let to = open;
  while (from < to && text.charCodeAt(from) <= 32) from++;
  while (to > from && text.charCodeAt(to - 1) <= 32) to--;
  if (from === to) return {};
  const slash = text.indexOf('/', from);
  if (slash > from && slash < to) {
    const pid = digitsAt(text, from, slash);
    const tid = digitsAt(text, slash + 1, to);
    if (pid >= 0 && tid >= 0) return { pid, tid };
  } else {
    const tid = digitsAt(text, from, to);
    if (tid >= 0) return { tid };
  }
  // Anything unusual: the string rules this parser has always used.
  const ids = text.slice(0, open).trim();
  const at = ids.indexOf('/');
  return { pid: at > 0 ? Number(ids.slice(0, at)) : undefined, tid: Number(at > 0 ? ids.slice(at + 1) : ids) };
}

/** One line of perf script output; `line` is its 1-based number. Blank lines give undefined. */
export function parsePerfScriptLine(text: string, line: number): SchedRecord | undefined {
  if (text.length === 0 || isBlank(text)) return undefined;
  const unknown = (reason: string): SchedRecord => ({ kind: 'unknown', line, text, reason });
  // Prefix: TID, [CPU], time, event name; each ends at a known delimiter.
  const open = text.indexOf('[');
  const close = text.indexOf(']', open);
  if (open < 0 || close < 0) return unknown('no [cpu] column (was perf script run with -F tid,cpu,time,event,trace?)');
  const cpu = digitsAt(text, open + 1, close);
  if (cpu < 0) return unknown(`bad cpu "${text.slice(open + 1, close)}"`);
  const timeEnd = text.indexOf(':', close);
  if (timeEnd < 0) return unknown('no timestamp');
  const time = parseTime(text, close + 1, timeEnd);
  if (!time) return unknown('bad timestamp');
  // The event is `system:name:`; the fields follow after one more space.
  const eventStart = timeEnd + 1;
  const colon1 = text.indexOf(':', eventStart);
  const colon2 = colon1 < 0 ? -1 : text.indexOf(':', colon1 + 1);
  if (colon2 < 0) return unknown('no event name');
  const system = text.slice(eventStart, colon1).trim();
  const name = text.slice(colon1 + 1, colon2);
  const { pid, tid } = idsOf(text, open);
  // Fields shared by every record; filled in place (object spreads cost a third of the parse time).
  const common: { line: number; cpu: number; time: TraceTime; currentPid?: number; currentTid?: number } = { line, cpu, time };
  if (pid !== undefined && Number.isInteger(pid)) common.currentPid = pid;
  if (tid !== undefined && Number.isInteger(tid)) common.currentTid = tid;
  if (system !== 'sched') return Object.assign(common, { kind: 'other' as const, event: `${system}:${name}` });
  // The fields start after the event's colon and its spaces; they are read in place (no copy of the body).
  let b = colon2 + 1;
  while (b < text.length && text.charCodeAt(b) <= 32) b++;
  if (name === 'sched_switch') {
    const prevPid = fieldInt(text, K.prevPid, b);
    const nextPid = fieldInt(text, K.nextPid, b);
    const prevState = fieldText(text, K.prevState, b);
    if (prevPid === undefined || nextPid === undefined || prevState === undefined) return unknown('sched_switch without prev_pid, next_pid or prev_state');
    return Object.assign(common, { kind: 'switch' as const, prevComm: fieldText(text, K.prevComm, b) ?? '', prevPid, prevState, nextComm: fieldText(text, K.nextComm, b) ?? '', nextPid });
  }
  if (WAKEUPS.has(name)) {
    const pid = fieldInt(text, K.pid, b);
    if (pid === undefined) return unknown(`${name} without pid`);
    return Object.assign(common, { kind: 'wakeup' as const, event: name as 'sched_waking', comm: fieldText(text, K.comm, b) ?? '', pid, targetCpu: fieldInt(text, K.targetCpu, b) });
  }
  if (name === 'sched_migrate_task') {
    const pid = fieldInt(text, K.pid, b);
    const origCpu = fieldInt(text, K.origCpu, b);
    const destCpu = fieldInt(text, K.destCpu, b);
    if (pid === undefined || origCpu === undefined || destCpu === undefined) return unknown('sched_migrate_task without pid, orig_cpu or dest_cpu');
    return Object.assign(common, { kind: 'migrate' as const, comm: fieldText(text, K.comm, b) ?? '', pid, origCpu, destCpu });
  }
  if (name === 'sched_stat_runtime') {
    const pid = fieldInt(text, K.pid, b);
    const runtime = fieldText(text, K.runtime, b);
    if (pid === undefined || runtime === undefined || !digits(runtime)) return unknown('sched_stat_runtime without pid or runtime');
    return Object.assign(common, { kind: 'runtime' as const, comm: fieldText(text, K.comm, b) ?? '', pid, runtimeNs: runtime });
  }
  if (name === 'sched_process_fork') {
    // The print format names the parent `comm`/`pid` (the fields are parent_comm/parent_pid).
    const parentPid = fieldInt(text, K.parentPid, b) ?? fieldInt(text, K.pid, b);
    const childPid = fieldInt(text, K.childPid, b);
    if (parentPid === undefined || childPid === undefined) return unknown('sched_process_fork without parent_pid or child_pid');
    return Object.assign(common, { kind: 'fork' as const, parentPid, childPid, childComm: fieldText(text, K.childComm, b) ?? '' });
  }
  return Object.assign(common, { kind: 'other' as const, event: `${system}:${name}` });
}
