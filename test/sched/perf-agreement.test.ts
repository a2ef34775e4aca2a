/**
 * The correctness test of `tasklens sched`: a real workload recorded in the test, analysed by
 * tasklens (through perf script) and by `perf sched latency -p` on the same perf.data; per TID the
 * switch counts, average and maximum delay must agree within 1% or 1 µs.
 *
 * perf 6.1 (this machine's) reads `prev_state` `R` only as runnable and ignores `sched_waking`, which
 * `perf sched record` records: the comparison uses the analysis switches that reproduce that
 * (runnableStates, wakeupEvents) and, on a second recording with `sched_wakeup`, the wakeup path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePerfData, type SchedAnalysis } from '../../src/sched/index.js';
import { repoRoot } from '../support/paths.js';
import { close, parsePerfCommLatency, parsePerfLatency } from './perf-latency-text.js';

const WORKLOAD = /^(spin-\d+|waker|latency)$/;

function build(dir: string): string {
  const binary = join(dir, 'latency');
  execFileSync('gcc', ['-O2', '-pthread', '-o', binary, join(repoRoot, 'labs', 'sched-latency', 'latency.c')]);
  return binary;
}

function compare(ours: SchedAnalysis, perfText: string): number {
  const rows = parsePerfLatency(perfText).filter((r) => WORKLOAD.test(r.comm));
  assert.ok(rows.some((r) => r.comm === 'waker') && rows.some((r) => r.comm.startsWith('spin-')), `workload rows in:\n${perfText}`);
  for (const row of rows) {
    const t = ours.tasks.find((x) => x.tid === row.tid);
    assert.ok(t, `${row.comm}:${row.tid} missing from tasklens`);
    assert.equal(t.switches, row.switches, `${row.comm}:${row.tid} switches`);
    assert.ok(close(t.avgDelayNs, row.avgNs), `${row.comm}:${row.tid} avg ${t.avgDelayNs} ns vs perf ${row.avgNs}`);
    assert.ok(close(t.maxDelayNs, row.maxNs), `${row.comm}:${row.tid} max ${t.maxDelayNs} ns vs perf ${row.maxNs}`);
  }
  return rows.length;
}

test('perf sched record of a real workload: tasklens agrees with perf sched latency -p per TID', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-sched-'));
  try {
    const binary = build(dir);
    const data = join(dir, 'perf.data');
    execFileSync('perf', ['sched', 'record', '-o', data, '--', binary, '400', '3'], { stdio: 'ignore' });
    const perfText = execFileSync('perf', ['sched', 'latency', '-p', '-i', data], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    const compat = await analyzePerfData(data, { runnableStates: ['R'], wakeupEvents: ['sched_wakeup', 'sched_wakeup_new'] });
    assert.ok(compare(compat, perfText) >= 5);
    // By default the waker's wakeups (sched_waking) are waits too: more of them than perf 6.1 counts.
    const full = await analyzePerfData(data);
    const waker = full.tasks.find((t) => t.comm === 'waker')!;
    assert.ok(waker.wakeupWaits > 10, `waker wakeup waits: ${waker.wakeupWaits}`);
    assert.ok(waker.switches > compat.tasks.find((t) => t.tid === waker.tid)!.switches);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a recording with sched_wakeup: the wakeup waits agree with perf sched latency -p too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-sched-'));
  try {
    const binary = build(dir);
    const data = join(dir, 'perf.data');
    const events = ['sched_switch', 'sched_wakeup', 'sched_wakeup_new', 'sched_stat_runtime', 'sched_migrate_task'].flatMap((e) => ['-e', `sched:${e}`]);
    execFileSync('perf', ['record', '-q', '-a', ...events, '-o', data, '--', binary, '400', '3'], { stdio: 'ignore' });
    const perfText = execFileSync('perf', ['sched', 'latency', '-p', '-i', data], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    const ours = await analyzePerfData(data, { runnableStates: ['R'] });
    assert.ok(compare(ours, perfText) >= 5);
    const waker = ours.tasks.find((t) => t.comm === 'waker')!;
    assert.ok(waker.wakeupWaits > 10, `waker wakeup waits: ${waker.wakeupWaits}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('per comm: two copies of the workload run at once, merged by name, agree with perf sched latency (no -p)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-sched-'));
  try {
    const binary = build(dir);
    const data = join(dir, 'perf.data');
    // Each copy has threads named latency, spin-N and waker: every workload comm merges two threads or more.
    execFileSync('perf', ['sched', 'record', '-o', data, '--', 'sh', '-c', '"$0" 400 3 & "$0" 400 3; wait', binary], { stdio: 'ignore' });
    const perfText = execFileSync('perf', ['sched', 'latency', '-i', data], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    const ours = await analyzePerfData(data, { runnableStates: ['R'], wakeupEvents: ['sched_wakeup', 'sched_wakeup_new'] });
    const rows = parsePerfCommLatency(perfText).filter((r) => WORKLOAD.test(r.comm));
    assert.ok(rows.some((r) => r.comm === 'waker' && r.threads === 2) && rows.some((r) => r.comm.startsWith('spin-') && r.threads === 2), `merged workload rows in:\n${perfText}`);
    for (const row of rows) {
      const c = ours.comms.find((x) => x.comm === row.comm);
      assert.ok(c, `${row.comm} missing from tasklens's comms`);
      assert.equal(c.threads, row.threads, `${row.comm} threads merged`);
      assert.equal(c.switches, row.switches, `${row.comm} switches`);
      assert.ok(close(c.avgDelayNs, row.avgNs), `${row.comm} avg ${c.avgDelayNs} ns vs perf ${row.avgNs}`);
      assert.ok(close(c.maxDelayNs, row.maxNs), `${row.comm} max ${c.maxDelayNs} ns vs perf ${row.maxNs}`);
      // The row is the sum of its threads in the per-thread table.
      const threads = ours.tasks.filter((t) => t.comm === row.comm);
      assert.deepEqual(c.tids, threads.map((t) => t.tid).sort((a, b) => a - b));
      assert.equal(c.switches, threads.reduce((n, t) => n + t.switches, 0));
      assert.equal(c.maxDelayNs, Math.max(...threads.map((t) => t.maxDelayNs)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
