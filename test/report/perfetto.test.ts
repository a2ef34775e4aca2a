/**
 * The Perfetto / Chrome Trace Event export: structurally valid for Perfetto's JSON importer on every
 * fixture log, and the same story as the tree: same tasks, same parent links (fork flows), same exits.
 * Also the checker itself: it must catch what Perfetto silently drops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFilesSync, parseText } from '../../src/parse/index.js';
import { resolveLogPaths } from '../../src/cli/log-paths.js';
import { reportFromEvents, perfettoJson, checkTraceJson, checkTraceEvents, INCARNATION_STRIDE, type TraceEventRecord } from '../../src/report/index.js';
import { straceFixtures } from '../support/paths.js';

interface Trace {
  traceEvents: TraceEventRecord[];
}

/** Every fixture log (the -ff sets as one log each). */
function fixtureLogs(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(straceFixtures)) {
    const m = /^(.*\.strace)(\.\d+)?$/.exec(file);
    if (m) names.add(m[1]);
  }
  return [...names].sort();
}

test('every fixture log exports a trace the checker finds nothing wrong with', () => {
  const logs = fixtureLogs();
  assert.ok(logs.length > 40);
  for (const log of logs) {
    const data = reportFromEvents(parseFilesSync(resolveLogPaths([join(straceFixtures, log)])));
    const text = perfettoJson(data);
    const check = checkTraceJson(text);
    assert.deepEqual(check.problems, [], log);
    assert.equal(check.counts.slices >= data.calls.count, true, `${log}: one slice per call at least`);
  }
});

test('the trace tells what the tree tells: tasks, parent links, exits', () => {
  for (const log of ['signals.f_o.strace', 'threads.f_o.strace', 'forkexec.f_o.strace', 'pipeline.ff.strace', 'vfork.tt_n_i_T.strace']) {
    const data = reportFromEvents(parseFilesSync(resolveLogPaths([join(straceFixtures, log)])));
    const trace = JSON.parse(perfettoJson(data)) as Trace;
    const events = trace.traceEvents;
    // Tasks: one named thread per lane, pid = TGID, tid = TID.
    const threads = events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => `${e.pid}/${e.tid}`);
    const expected = data.lanes.map((l) => `${data.processes[l.process].pid}/${l.tid}`);
    assert.deepEqual(threads, expected, log);
    // Parent links: each fork flow goes from a slice of the creator to a slice of the child.
    const outs = new Map(events.filter((e) => e.flow_out).map((e) => [e.bind_id, e]));
    const ins = new Map(events.filter((e) => e.flow_in).map((e) => [e.bind_id, e]));
    const links = new Set<string>();
    for (const [id, src] of outs) {
      const dst = ins.get(id)!;
      links.add(`${src.tid}->${dst.tid}`);
    }
    const walk = (n: (typeof data.tree.roots)[number]): void => {
      for (const t of n.threads) if (t.birth.by !== undefined && ['thread', 'fork', 'vfork', 'spawn', 'clone'].includes(t.birth.kind)) assert.ok(links.has(`${t.birth.by}->${t.tid}`), `${log}: flow ${t.birth.by} -> ${t.tid}`);
      n.children.forEach(walk);
    };
    data.tree.roots.forEach(walk);
    // Exits: the instant (or flow anchor) on each ended task's thread names how it ended.
    const walkExits = (n: (typeof data.tree.roots)[number]): void => {
      for (const t of n.threads) {
        if (t.status?.kind !== 'exited' && t.status?.kind !== 'killed') continue;
        const label = t.status.kind === 'exited' ? (t.status.code === undefined ? 'exited' : `exit ${t.status.code}`) : `killed by ${t.status.signal}`;
        assert.ok(events.some((e) => e.tid === t.tid && (e.cat === 'exit' || e.cat === 'lifecycle' || e.cat === 'signal') && e.name.startsWith(label)), `${log}: ${t.tid} ${label}`);
      }
      n.children.forEach(walkExits);
    };
    data.tree.roots.forEach(walkExits);
  }
});

test('signal send -> delivery is a flow from the kill() slice', () => {
  const data = reportFromEvents(parseFilesSync([join(straceFixtures, 'signals.f_o.strace')]));
  const events = (JSON.parse(perfettoJson(data)) as Trace).traceEvents;
  const kill = events.find((e) => e.ph === 'X' && e.name === 'kill' && e.flow_out);
  assert.ok(kill, 'a kill slice starts a flow');
  const end = events.find((e) => e.flow_in && e.bind_id === kill.bind_id)!;
  assert.equal(end.tid, 10002);
  assert.equal(end.cat, 'signal');
});

test('a reused pid is a new JSON process; a log without timestamps still gets valid, increasing ts', () => {
  const log = [
    '300 clone(child_stack=NULL, flags=SIGCHLD) = 301',
    '301 exit_group(0) = ?',
    '301 +++ exited with 0 +++',
    '300 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 301',
    '300 clone(child_stack=NULL, flags=SIGCHLD) = 301',
    '301 exit_group(1) = ?',
    '301 +++ exited with 1 +++',
    '300 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 301',
    '300 exit_group(0) = ?',
    '300 +++ exited with 0 +++',
  ].join('\n');
  const data = reportFromEvents(parseText(log));
  const text = perfettoJson(data);
  assert.deepEqual(checkTraceJson(text).problems, []);
  const names = (JSON.parse(text) as Trace).traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name');
  assert.deepEqual(names.map((e) => e.pid), [300, 301, 301 + INCARNATION_STRIDE]);
});

test('the checker catches what Perfetto drops or misreads', () => {
  const bad = checkTraceEvents([
    { ph: 'X', name: 'a', pid: 1, tid: 1, ts: 0, dur: 10 },
    { ph: 'X', name: 'b', pid: 1, tid: 1, ts: 5, dur: 10 }, // overlaps a without nesting
    { ph: 'X', name: 'c', pid: 1, tid: 1, ts: 20, dur: 1, bind_id: 7, flow_out: true }, // flow with no end
    { ph: 'X', name: 'd', pid: 1, tid: 1, ts: 20, dur: 0 }, // same start as c
    { ph: 'i', name: 'e', pid: 1, tid: 1, ts: -1 }, // negative
    { ph: 'M', name: 'process_labels', pid: 1, args: {} }, // not read
    { ph: 'E', name: 'f', pid: 2, tid: 2, ts: 3 }, // E without B
    { ph: 'X', name: 'g', pid: '3', tid: 3, ts: 1, dur: 1 }, // string pid
  ]);
  const text = bad.problems.join('\n');
  for (const want of ['overlaps', 'flow 7', 'same ts', 'negative ts', 'process_labels', 'E without a B', 'pid "3"']) assert.ok(text.includes(want), `reports ${want}: ${text}`);
  assert.match(checkTraceJson('[]').problems[0], /must start with/);
});

test('doctor findings are global instants at their first cited line', () => {
  const events = [...parseFilesSync([join(straceFixtures, 'signals.f_o.strace')])];
  const kill = events.find((e) => e.kind === 'syscall' && e.name === 'kill' && e.argsText.includes('SIGTERM'))!;
  const doctor = { push: () => undefined, end: () => ({ findings: [{ rule: 'sigkill-no-sender', severity: 'error' as const, message: 'm', fix: 'f', tasks: [{ tid: 10001 }], lines: [{ source: kill.source, line: kill.line }] }] }) };
  const text = perfettoJson(reportFromEvents(events, { doctor }));
  assert.deepEqual(checkTraceJson(text).problems, []);
  const trace = (JSON.parse(text) as Trace).traceEvents;
  const finding = trace.find((e) => e.cat === 'finding')!;
  assert.equal(finding.s, 'g');
  assert.deepEqual(finding.args, { rule: 'sigkill-no-sender', message: 'm', fix: 'f', lines: [kill.line] });
  const killSlice = trace.find((e) => e.ph === 'X' && e.name === 'kill' && e.args?.line === kill.line)!;
  assert.ok(Math.abs(finding.ts! - killSlice.ts!) <= 0.01, 'at the kill call');
});
