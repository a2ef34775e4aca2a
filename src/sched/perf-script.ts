/**
 * Parser of `perf script --ns -F pid,tid,cpu,time,event,trace` lines (see PERF_SCRIPT_FIELDS), one
 * line at a time: `31830/31830 [000]  3129.782339470: sched:sched_switch: prev_comm=perf prev_pid=31830 ...`
 * (`-F tid,...` without the pid is read too).
 * Pure and synchronous; a line it cannot read becomes an `unknown` record with the reason.
 */
import { intField, traceField } from './fields.js';
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

function parseTime(text: string): TraceTime | undefined {
  const dot = text.indexOf('.');
  if (dot <= 0) return undefined;
  const secText = text.slice(0, dot);
  let fracText = text.slice(dot + 1);
  if (!digits(secText) || !digits(fracText) || fracText.length > 9) return undefined;
  fracText = fracText.padEnd(9, '0'); // perf without --ns prints microseconds
  return { sec: Number(secText), nsec: Number(fracText) };
}

/** One line of perf script output; `line` is its 1-based number. Blank lines give undefined. */
export function parsePerfScriptLine(text: string, line: number): SchedRecord | undefined {
  if (text.length === 0 || text.trim() === '') return undefined;
  const unknown = (reason: string): SchedRecord => ({ kind: 'unknown', line, text, reason });
  // Prefix: TID, [CPU], time, event name; each ends at a known delimiter.
  const open = text.indexOf('[');
  const close = text.indexOf(']', open);
  if (open < 0 || close < 0) return unknown('no [cpu] column (was perf script run with -F tid,cpu,time,event,trace?)');
  const cpuText = text.slice(open + 1, close);
  if (!digits(cpuText)) return unknown(`bad cpu "${cpuText}"`);
  const timeEnd = text.indexOf(':', close);
  if (timeEnd < 0) return unknown('no timestamp');
  const time = parseTime(text.slice(close + 1, timeEnd).trim());
  if (!time) return unknown('bad timestamp');
  // The event is `system:name:`; the fields follow after one more space.
  const eventStart = timeEnd + 1;
  const colon1 = text.indexOf(':', eventStart);
  const colon2 = colon1 < 0 ? -1 : text.indexOf(':', colon1 + 1);
  if (colon2 < 0) return unknown('no event name');
  const system = text.slice(eventStart, colon1).trim();
  const name = text.slice(colon1 + 1, colon2);
  const cpu = Number(cpuText);
  const ids = text.slice(0, open).trim();
  const slash = ids.indexOf('/');
  const pid = slash > 0 ? Number(ids.slice(0, slash)) : undefined;
  const tid = ids === '' ? undefined : Number(slash > 0 ? ids.slice(slash + 1) : ids);
  // Fields shared by every record; filled in place (object spreads cost a third of the parse time).
  const common: { line: number; cpu: number; time: TraceTime; currentPid?: number; currentTid?: number } = { line, cpu, time };
  if (pid !== undefined && Number.isInteger(pid)) common.currentPid = pid;
  if (tid !== undefined && Number.isInteger(tid)) common.currentTid = tid;
  if (system !== 'sched') return Object.assign(common, { kind: 'other' as const, event: `${system}:${name}` });
  const body = text.slice(colon2 + 1).trim();
  if (name === 'sched_switch') {
    const prevPid = intField(body, 'prev_pid');
    const nextPid = intField(body, 'next_pid');
    const prevState = traceField(body, 'prev_state');
    if (prevPid === undefined || nextPid === undefined || prevState === undefined) return unknown('sched_switch without prev_pid, next_pid or prev_state');
    return Object.assign(common, { kind: 'switch' as const, prevComm: traceField(body, 'prev_comm') ?? '', prevPid, prevState, nextComm: traceField(body, 'next_comm') ?? '', nextPid });
  }
  if (WAKEUPS.has(name)) {
    const pid = intField(body, 'pid');
    if (pid === undefined) return unknown(`${name} without pid`);
    return Object.assign(common, { kind: 'wakeup' as const, event: name as 'sched_waking', comm: traceField(body, 'comm') ?? '', pid, targetCpu: intField(body, 'target_cpu') });
  }
  if (name === 'sched_migrate_task') {
    const pid = intField(body, 'pid');
    const origCpu = intField(body, 'orig_cpu');
    const destCpu = intField(body, 'dest_cpu');
    if (pid === undefined || origCpu === undefined || destCpu === undefined) return unknown('sched_migrate_task without pid, orig_cpu or dest_cpu');
    return Object.assign(common, { kind: 'migrate' as const, comm: traceField(body, 'comm') ?? '', pid, origCpu, destCpu });
  }
  if (name === 'sched_stat_runtime') {
    const pid = intField(body, 'pid');
    const runtime = traceField(body, 'runtime');
    if (pid === undefined || runtime === undefined || !digits(runtime)) return unknown('sched_stat_runtime without pid or runtime');
    return Object.assign(common, { kind: 'runtime' as const, comm: traceField(body, 'comm') ?? '', pid, runtimeNs: runtime });
  }
  if (name === 'sched_process_fork') {
    // The print format names the parent `comm`/`pid` (the fields are parent_comm/parent_pid).
    const parentPid = intField(body, 'parent_pid') ?? intField(body, 'pid');
    const childPid = intField(body, 'child_pid');
    if (parentPid === undefined || childPid === undefined) return unknown('sched_process_fork without parent_pid or child_pid');
    return Object.assign(common, { kind: 'fork' as const, parentPid, childPid, childComm: traceField(body, 'child_comm') ?? '' });
  }
  return Object.assign(common, { kind: 'other' as const, event: `${system}:${name}` });
}
