/** The perf script line parser: each tracepoint read by field name, prefixes, bad lines kept with a reason. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePerfScriptLine, traceFields } from '../../src/sched/index.js';
import { repoRoot } from '../support/paths.js';

const fixture = join(repoRoot, 'test', 'fixtures', 'sched', 'latency.perf-script.txt');

test('sched_switch: pids, states (R+ kept), comms, pid/tid of the current task, nanosecond time', () => {
  const r = parsePerfScriptLine(
    '24244/24244 [001]  3129.785783706:       sched:sched_switch: prev_comm=yes prev_pid=24244 prev_prio=120 prev_state=R+ ==> next_comm=node next_pid=31806 next_prio=120',
    7,
  );
  assert.deepEqual(r, {
    kind: 'switch', line: 7, cpu: 1, time: { sec: 3129, nsec: 785783706 }, currentPid: 24244, currentTid: 24244,
    prevComm: 'yes', prevPid: 24244, prevState: 'R+', nextComm: 'node', nextPid: 31806,
  });
});

test('fields are read by name, whatever their order, and a comm may hold spaces', () => {
  const r = parsePerfScriptLine('   5/7 [000]  1.000000001: sched:sched_switch: next_pid=9 prev_state=S prev_comm=Web Content prev_pid=7 ==> next_comm=kworker/0:1 H', 1);
  assert.equal(r?.kind, 'switch');
  if (r?.kind !== 'switch') return;
  assert.equal(r.prevComm, 'Web Content');
  assert.equal(r.nextComm, 'kworker/0:1 H');
  assert.equal(r.nextPid, 9);
  assert.equal(r.prevState, 'S');
  assert.equal(traceFields('comm=perf pid=25320 runtime=42273 [ns]').get('runtime'), '42273');
});

test('wakeups, migration, fork (print-format names comm/pid for the parent), runtime', () => {
  const w = parsePerfScriptLine('18/18 [000]  3073.153334000: sched:sched_waking: comm=perf pid=25320 prio=120 target_cpu=001', 1);
  assert.deepEqual(w && w.kind === 'wakeup' && [w.event, w.pid, w.comm, w.targetCpu], ['sched_waking', 25320, 'perf', 1]);
  const n = parsePerfScriptLine('1/1 [001]  5.5: sched:sched_wakeup_new: comm=a b pid=3 prio=120 target_cpu=000', 2);
  assert.deepEqual(n && n.kind === 'wakeup' && [n.event, n.pid, n.comm, n.time], ['sched_wakeup_new', 3, 'a b', { sec: 5, nsec: 500000000 }]);
  const m = parsePerfScriptLine('18/18 [000]  3073.153335: sched:sched_migrate_task: comm=perf pid=25320 prio=120 orig_cpu=0 dest_cpu=1', 3);
  assert.deepEqual(m && m.kind === 'migrate' && [m.pid, m.origCpu, m.destCpu], [25320, 0, 1]);
  const f = parsePerfScriptLine('31832/31832 [000]  3129.795019044: sched:sched_process_fork: comm=hog pid=31832 child_comm=hog child_pid=31834', 4);
  assert.deepEqual(f && f.kind === 'fork' && [f.parentPid, f.childPid, f.childComm], [31832, 31834, 'hog']);
  const rt = parsePerfScriptLine('31830/31830 [000]  3129.782339470: sched:sched_stat_runtime: comm=perf pid=31830 runtime=30305 [ns]', 5);
  assert.deepEqual(rt && rt.kind === 'runtime' && [rt.pid, rt.runtimeNs], [31830, '30305']);
});

test('bad lines become unknown records with their line number and reason; blank lines are skipped', () => {
  assert.equal(parsePerfScriptLine('   ', 1), undefined);
  const bad = [
    ['garbage', 'no [cpu] column'],
    ['1/1 [0x] 1.0: sched:sched_switch: prev_pid=1', 'bad cpu'],
    ['1/1 [000] yesterday: sched:sched_switch: prev_pid=1', 'bad timestamp'],
    ['1/1 [000] 1.000000001: sched:sched_switch: prev_comm=a prev_state=S next_pid=2', 'sched_switch without prev_pid'],
    ['1/1 [000] 1.000000001: sched:sched_wakeup: comm=a pid=x', 'sched_wakeup without pid'],
  ];
  for (const [line, reason] of bad) {
    const r = parsePerfScriptLine(line, 42);
    assert.equal(r?.kind, 'unknown', line);
    if (r?.kind === 'unknown') {
      assert.equal(r.line, 42);
      assert.ok(r.reason.startsWith(reason), r.reason);
    }
  }
});

test('a real recording (6.18 kernel, perf 6.1) parses with no unknown line, every kind seen', () => {
  const lines = readFileSync(fixture, 'utf8').split('\n');
  const kinds = new Map<string, number>();
  lines.forEach((text, i) => {
    const r = parsePerfScriptLine(text, i + 1);
    if (r) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  });
  assert.equal(kinds.get('unknown'), undefined);
  for (const kind of ['switch', 'wakeup', 'runtime', 'fork']) assert.ok((kinds.get(kind) ?? 0) > 0, kind);
  assert.equal(kinds.get('switch'), lines.filter((l) => l.includes('sched:sched_switch:')).length);
});
