/**
 * The report's data from real strace logs (the fixture corpus): lanes in tree order, lifecycle markers,
 * fork and signal arrows pointing at the right lines, times from -ttt/-tt/-r and durations from -T,
 * line order for logs without timestamps, and the detail budget.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseFileSync, parseText } from '../../src/parse/index.js';
import type { TraceEvent } from '../../src/parse/types.js';
import { reportFromEvents, buildReport } from '../../src/report/index.js';
import type { ProcessNode } from '../../src/render/tree/build.js';
import { straceFixtures } from '../support/paths.js';

const fixture = (name: string): TraceEvent[] => [...parseFileSync(join(straceFixtures, name))];

/** Task keys of a tree, depth first, leader first within each process. */
function treeOrder(nodes: ProcessNode[]): string[] {
  const out: string[] = [];
  const walk = (n: ProcessNode): void => {
    const threads = [...n.threads].sort((a, b) => Number(b.leader) - Number(a.leader));
    out.push(...threads.map((t) => t.key));
    n.children.forEach(walk);
  };
  nodes.forEach(walk);
  return out;
}

test('one lane per task of the tree, in tree order, grouped per process', () => {
  for (const name of ['signals.f_o.strace', 'threads.f_o.strace', 'forkexec.f_o.strace', 'pipeline.f_o.strace', 'thread_exec.f_o.strace']) {
    const data = reportFromEvents(fixture(name));
    assert.deepEqual(data.lanes.map((l) => l.key), treeOrder(data.tree.roots), name);
    assert.equal(data.lanes.length, data.tree.summary.tasks, name);
    for (const [pi, p] of data.processes.entries()) for (const lane of p.lanes) assert.equal(data.lanes[lane].process, pi, `${name}: lane ${lane} in process ${pi}`);
    // Every lane has its birth marker; every call sits on a lane.
    assert.equal(data.markers.filter((m) => m.kind === 'birth').length, data.lanes.length, name);
    for (let i = 0; i < data.calls.count; i++) assert.ok(data.calls.lane[i] >= 0 && data.calls.lane[i] < data.lanes.length, `${name}: call ${i} has a lane`);
  }
});

test('signals.f_o: fork arrows from the parent, the SIGTERM arrow from its kill() line to its delivery line', () => {
  const events = fixture('signals.f_o.strace');
  const data = reportFromEvents(events);
  const lane = (tid: number): number => data.lanes.findIndex((l) => l.tid === tid);
  const forks = data.arrows.filter((a) => a.kind === 'fork');
  assert.deepEqual(forks.map((a) => [data.lanes[a.from].tid, data.lanes[a.to].tid]), [[10001, 10002], [10001, 10003], [10001, 10004]]);
  // The lines, from the parser's typed events (not from the text).
  const delivery = events.find((e) => e.kind === 'signal' && e.signal === 'SIGTERM')!;
  const kill = events.find((e) => e.kind === 'syscall' && e.name === 'kill' && e.argsText.includes('SIGTERM'))!;
  const term = data.arrows.find((a) => a.kind === 'signal' && a.label === 'SIGTERM');
  assert.ok(term, 'a SIGTERM arrow');
  assert.equal(term.from, lane(10001));
  assert.equal(term.to, lane(delivery.prefix.pid!));
  assert.equal(term.line, delivery.line);
  assert.equal(term.fromLine, kill.line);
  assert.equal(data.details[term.detail!].line, delivery.line);
  assert.match(data.details[term.detail!].raw, /SIGTERM/);
  // SIGCHLD arrows come from each child's end.
  const chld = data.arrows.filter((a) => a.label === 'SIGCHLD');
  assert.deepEqual(chld.map((a) => data.lanes[a.from].tid).sort(), [10002, 10003, 10004]);
  // Exit markers say how each task ended, as the model has it.
  const exits = Object.fromEntries(data.markers.filter((m) => m.kind === 'exit').map((m) => [data.lanes[m.lane].tid, m.label]));
  assert.deepEqual(exits, { 10001: 'exit 0', 10002: 'killed by SIGTERM', 10003: 'killed by SIGKILL', 10004: 'killed by SIGABRT (core dumped)' });
});

test('a log without timestamps: line order is the axis, with a note', () => {
  const data = reportFromEvents(fixture('signals.f_o.strace'));
  assert.equal(data.timeUnit, 'event');
  assert.equal(data.hasDurations, false);
  assert.ok(data.notes.some((n) => n.includes('no timestamps')));
  for (let i = 1; i < data.calls.count; i++) assert.ok(data.calls.start[i] > data.calls.start[i - 1], 'calls in log order');
});

test('-tt with -T: microseconds since the first line, durations from -T', () => {
  const events = fixture('vfork.tt_n_i_T.strace');
  const data = reportFromEvents(events);
  assert.equal(data.timeUnit, 'us');
  assert.equal(data.hasDurations, true);
  assert.equal(data.calls.start[0], 0);
  const calls = events.filter((e) => e.kind === 'syscall');
  assert.equal(data.calls.count, calls.length);
  for (let i = 0; i < calls.length; i++) {
    const e = calls[i];
    if (e.kind !== 'syscall' || e.durationSec === undefined) continue;
    assert.equal(data.calls.dur[i], Math.round(e.durationSec * 1e9) / 1000, `call ${i} duration`);
    assert.equal(data.calls.line[i], e.line);
  }
  assert.ok(data.span > 0 && data.span >= data.lanes[0].end);
});

test('-r and -ttt logs give the same relative times as the model', () => {
  for (const name of ['vfork.r.strace', 'vfork.ttt.strace', 'vfork.absolute_timestamps_format_unix_precision_ns.strace']) {
    const data = reportFromEvents(fixture(name));
    assert.equal(data.timeUnit, 'us', name);
    // The tree's times (seconds since its origin) and the lanes' (µs since the report's origin) agree.
    const root = data.tree.roots[0];
    const lane = data.lanes[0];
    assert.ok(Math.abs((root.start ?? 0) * 1e6 - lane.start) < 1, `${name}: ${root.start} s vs ${lane.start} µs`);
    for (let i = 1; i < data.calls.count; i++) assert.ok(data.calls.start[i] >= 0, `${name}: call ${i} at or after the origin`);
  }
});

test('detail budget: lifecycle lines always keep their text, ordinary calls only within the budget', async () => {
  const events = fixture('forkexec.f_o.strace');
  const all = await buildReport(events);
  assert.equal(all.stats.detailsOmitted, 0);
  // Half the budget for ordinary calls (they come first and use it up), the rest for key lines.
  const small = await buildReport(events, { detailBudget: 20_000 });
  assert.ok(small.stats.detailsOmitted > 0);
  for (let i = 0; i < small.calls.count; i++) {
    const name = small.names[small.calls.name[i]];
    if (['clone', 'execve', 'wait4', 'exit_group'].includes(name)) assert.ok(small.calls.detail[i] >= 0, `${name} keeps its text`);
  }
  assert.ok(small.notes.some((n) => n.includes('without their text')));
});

test('untrusted text stays data: raw lines are terminal-safe, nothing is dropped', () => {
  const log = '100 execve("/bin/\\33]2;x\\7evil", ["evil", "</script><script>alert(1)</script>"], 0x1 /* 0 vars */) = 0\n100 exit_group(0) = ?\n100 +++ exited with 0 +++\n';
  const data = reportFromEvents(parseText(log));
  const exec = data.markers.find((m) => m.kind === 'exec')!;
  assert.ok(exec.label.includes('</script><script>alert(1)</script>'), 'argv kept as text');
  const raw = data.details[exec.detail!].raw;
  assert.ok(!/[\x00-\x1f\x7f]/.test(raw), 'no control characters in the raw text');
});

test('a findings source (the doctor) sees every event and its findings fill the panel, lines mapped to the sources', () => {
  const events = fixture('signals.f_o.strace');
  const delivery = events.find((e) => e.kind === 'signal' && e.signal === 'SIGTERM')!;
  let seen = 0;
  const doctor = {
    push: () => void seen++,
    end: () => ({
      findings: [{ rule: 'sigterm-ignored', severity: 'warning' as const, message: 'worker ignored SIGTERM', fix: 'handle it', tasks: [{ tid: 10002 }], lines: [{ source: delivery.source, line: delivery.line, role: 'delivered' }] }],
      skipped: [{ rule: 'slow-call', reason: 'no -T', flags: ['-T'] }],
    }),
  };
  const data = reportFromEvents(events, { doctor });
  assert.equal(seen, events.length);
  assert.equal(data.findings.available, true);
  assert.deepEqual(data.findings.items, [{ rule: 'sigterm-ignored', severity: 'warning', title: 'sigterm-ignored', message: 'worker ignored SIGTERM', fix: 'handle it', lines: [{ line: delivery.line, role: 'delivered' }], tids: [10002] }]);
  assert.match(data.findings.note ?? '', /slow-call \(no -T; needs -T\)/);
  // Without a doctor the panel says so.
  assert.equal(reportFromEvents(events).findings.available, false);
});

test('past maxCalls the calls are not drawn, the model still sees everything, and a note says where they stop', () => {
  const events = fixture('forkexec.f_o.strace');
  const full = reportFromEvents(events);
  const capped = reportFromEvents(events, { maxCalls: 10 });
  assert.equal(capped.calls.count, 10);
  assert.deepEqual(capped.lanes.map((l) => [l.key, l.endText]), full.lanes.map((l) => [l.key, l.endText]));
  assert.equal(capped.markers.length, full.markers.length);
  const eleventh = events.filter((e) => e.kind === 'syscall')[10];
  assert.ok(capped.notes.some((n) => n.includes(`${full.calls.count - 10} later calls`) && n.includes(`${eleventh.line} on`)), capped.notes.join('\n'));
});
