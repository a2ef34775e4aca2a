/**
 * The wait analysis: hand-made event sequences with the delays worked out by hand, and a real
 * recording whose per-TID figures must equal `perf sched latency -p` on the same perf.data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePerfScriptText, latencyByComm } from '../../src/sched/index.js';
import { repoRoot } from '../support/paths.js';
import { close, parsePerfLatency } from './perf-latency-text.js';

const dir = join(repoRoot, 'test', 'fixtures', 'sched');
const sw = (pidTid: string, cpu: number, t: string, prev: [string, number, string], next: [string, number]) =>
  `${pidTid} [00${cpu}]  ${t}: sched:sched_switch: prev_comm=${prev[0]} prev_pid=${prev[1]} prev_prio=120 prev_state=${prev[2]} ==> next_comm=${next[0]} next_pid=${next[1]} next_prio=120`;
const wake = (pidTid: string, cpu: number, t: string, comm: string, pid: number, event = 'sched_waking') =>
  `${pidTid} [00${cpu}]  ${t}: sched:${event}: comm=${comm} pid=${pid} prio=120 target_cpu=000`;

// CPU 0: idle -> A (first seen), B woken at +100 µs, A preempted by B at +300 µs, B sleeps at +1300 µs and A runs.
const SCENARIO = [
  sw('0/0', 0, '1.000000000', ['swapper/0', 0, 'R'], ['a', 10]),
  wake('10/10', 0, '1.000100000', 'b', 20),
  wake('10/10', 0, '1.000150000', 'b', 20, 'sched_wakeup'), // same wakeup, second tracepoint: ignored
  sw('10/10', 0, '1.000300000', ['a', 10, 'R+'], ['b', 20]),
  sw('20/20', 0, '1.001300000', ['b', 20, 'S'], ['a', 10]),
].join('\n');

test('waits: wakeup -> switch-in, preempted -> switch-in, a first-seen task counts one wait of 0 (as perf does)', () => {
  const a = analyzePerfScriptText(SCENARIO);
  const b = a.tasks.find((t) => t.tid === 20)!;
  const aa = a.tasks.find((t) => t.tid === 10)!;
  assert.deepEqual([b.switches, b.wakeupWaits, b.maxDelayNs, b.avgDelayNs, b.maxDelayStart, b.maxDelayEnd], [1, 1, 200_000, 200_000, '1.000100000', '1.000300000']);
  assert.deepEqual(b.maxDelayLines, { start: 2, end: 4 }, 'the sched_waking line, not the later sched_wakeup');
  assert.deepEqual([aa.switches, aa.preemptedWaits, aa.maxDelayNs, aa.avgDelayNs], [2, 1, 1_000_000, 500_000]);
  assert.equal(b.tgid, 20, 'B is switched out in its own context: its thread group is known');
  assert.equal(b.runtimeNs, 1_000_000);
  assert.equal(aa.runtimeNs, 300_000);
  assert.equal(b.histogram[8], 1, '200 µs falls in [128, 256) µs');
  assert.equal(aa.histogram[10], 1, '1000 µs falls in [512, 1024) µs');
  assert.equal(aa.histogram[0], 1, 'the first-seen wait of 0');
  assert.deepEqual(a.tasks.map((t) => t.tid), [10, 20], 'sorted by max delay; the idle task is not a task');
});

test('top waits name what ran on that CPU instead, oldest first', () => {
  const a = analyzePerfScriptText(SCENARIO, { top: 2 });
  assert.equal(a.top.length, 2);
  assert.deepEqual(
    a.top.map((w) => [w.tid, w.delayNs, w.cause, w.cpu, w.start, w.end, w.startLine, w.endLine, w.ranInstead, w.ranInsteadComplete]),
    [
      [10, 1_000_000, 'preempted', 0, '1.000300000', '1.001300000', 4, 5, [{ tid: 20, tgid: 20, comm: 'b', ns: 1_000_000 }], true],
      [20, 200_000, 'wakeup', 0, '1.000100000', '1.000300000', 2, 4, [{ tid: 10, tgid: 10, comm: 'a', ns: 200_000 }], true],
    ],
  );
});

test('per-CPU utilisation over the window; perf 6.1 compatibility switches', () => {
  const a = analyzePerfScriptText(SCENARIO);
  assert.deepEqual(a.cpus, [{ cpu: 0, spanNs: 1_300_000, busyNs: 1_300_000, utilisation: 1, switches: 3 }]);
  // perf 6.1 reads only `R` as runnable and ignores sched_waking: A's preemption and B's wakeup vanish.
  const old = analyzePerfScriptText(SCENARIO, { runnableStates: ['R'], wakeupEvents: ['sched_wakeup', 'sched_wakeup_new'] });
  const b = old.tasks.find((t) => t.tid === 20)!;
  assert.deepEqual([b.switches, b.maxDelayNs], [1, 150_000], 'B waits from sched_wakeup');
  assert.equal(old.tasks.find((t) => t.tid === 10)!.switches, 1);
});

test('follow keeps a process and what it forks; a sleeping task switched in without a wakeup is not a wait', () => {
  const text = [
    SCENARIO,
    '20/20 [000]  1.001400000: sched:sched_process_fork: comm=b pid=20 child_comm=b child_pid=21',
    sw('10/10', 0, '1.001500000', ['a', 10, 'S'], ['b', 21]),
    sw('21/21', 0, '1.001600000', ['b', 21, 'S'], ['b', 20]),
  ].join('\n');
  const a = analyzePerfScriptText(text, { follow: [20] });
  assert.deepEqual(a.tasks.map((t) => t.tid).sort(), [20, 21]);
  assert.equal(a.tasks.find((t) => t.tid === 20)!.switches, 1, 'the switch-in at 1.0016 had no wakeup');
  assert.ok(a.top.every((w) => w.tid !== 10));
});

test('unreadable lines are counted with their line numbers, the rest still analysed', () => {
  const a = analyzePerfScriptText(`${SCENARIO}\nnot a perf line\n`);
  assert.equal(a.unknownLines, 1);
  assert.deepEqual(a.unknownSamples, [{ line: 6, reason: 'no [cpu] column (was perf script run with -F tid,cpu,time,event,trace?)' }]);
  assert.equal(a.tasks.length, 2);
});

test('an over-long line is not held whole: it becomes one unreadable line with its number', () => {
  const a = analyzePerfScriptText(`${'x'.repeat(200_000)}\n${SCENARIO}\n`);
  assert.equal(a.unknownLines, 1);
  assert.equal(a.unknownSamples[0].line, 1);
  assert.deepEqual(a.tasks.map((t) => t.tid), [10, 20]);
});

test('a real recording: every task agrees with perf sched latency -p on the same perf.data', () => {
  const ours = analyzePerfScriptText(readFileSync(join(dir, 'latency.perf-script.txt'), 'utf8'), { runnableStates: ['R'] });
  const perf = parsePerfLatency(readFileSync(join(dir, 'latency.perf-sched-latency.txt'), 'utf8'));
  assert.ok(perf.length > 10);
  for (const row of perf) {
    const t = ours.tasks.find((x) => x.tid === row.tid);
    assert.ok(t, `${row.comm}:${row.tid} missing`);
    assert.equal(t.switches, row.switches, `${row.comm}:${row.tid} switches`);
    assert.ok(close(t.avgDelayNs, row.avgNs), `${row.comm}:${row.tid} avg ${t.avgDelayNs} vs ${row.avgNs}`);
    assert.ok(close(t.maxDelayNs, row.maxNs), `${row.comm}:${row.tid} max ${t.maxDelayNs} vs ${row.maxNs}`);
  }
  assert.ok(perf.some((r) => r.comm === 'waker'));
});

test('text output: a comm with control characters is shown escaped, never raw', async () => {
  const { renderSchedText } = await import('../../src/render/sched/text.js');
  const { palette } = await import('../../src/render/color.js');
  const evil = SCENARIO.replaceAll('comm=b', 'comm=b\x07\x9b2J').replaceAll("prev_comm=b ", 'prev_comm=b\x07\x9b2J ').replaceAll('next_comm=b ', 'next_comm=b\x07\x9b2J ');
  const text = renderSchedText(analyzePerfScriptText(evil), { palette: palette(false), source: 'test \x1b]2;x\x07' });
  assert.ok(!/[\x07\x1b\x9b]/.test(text), text);
  assert.match(text, /b\\x07\\x9b2J/);
});

test('latencyByComm merges threads of one name: sums, the largest maximum with its thread, average over all waits', () => {
  const base = { runtimeNs: 0, wakeupWaits: 0, preemptedWaits: 0, migrations: 0 };
  const tasks = [
    { ...base, tid: 11, tgid: 10, comm: 'pool', runtimeNs: 5, switches: 2, totalDelayNs: 300, avgDelayNs: 150, maxDelayNs: 200, maxDelayEnd: '1.000000200', histogram: [1, 1] },
    { ...base, tid: 12, tgid: 10, comm: 'pool', runtimeNs: 7, switches: 1, totalDelayNs: 900, avgDelayNs: 900, maxDelayNs: 900, maxDelayEnd: '1.000000900', histogram: [0, 0, 1] },
    { ...base, tid: 20, tgid: 20, comm: 'solo', runtimeNs: 1, switches: 4, totalDelayNs: 40, avgDelayNs: 10, maxDelayNs: 20, histogram: [4] },
  ];
  const [pool, solo] = latencyByComm(tasks);
  assert.deepEqual(
    { comm: pool.comm, threads: pool.threads, tids: pool.tids, tgids: pool.tgids, runtimeNs: pool.runtimeNs, switches: pool.switches, avg: pool.avgDelayNs, max: pool.maxDelayNs, in: pool.maxDelayTid, end: pool.maxDelayEnd, histogram: pool.histogram },
    { comm: 'pool', threads: 2, tids: [11, 12], tgids: [10], runtimeNs: 12, switches: 3, avg: 400, max: 900, in: 12, end: '1.000000900', histogram: [1, 1, 1] },
  );
  assert.equal(solo.comm, 'solo');
  assert.equal(solo.avgDelayNs, 10);
});
