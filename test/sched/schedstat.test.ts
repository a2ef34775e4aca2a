/**
 * The unprivileged source: schedstat deltas per thread, and the WAIT% of `ps --sample` and
 * `inspect --sample` on a workload with twice as many spinning threads as CPUs (they must wait).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schedstatDeltas, type SchedstatReading } from '../../src/sched/index.js';
import { runCliInProcess } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';

const reading = (tid: number, run: bigint, wait: bigint, slices: number): [number, SchedstatReading] => [tid, { pid: 1, tid, comm: `t${tid}`, stat: { runNs: run, waitNs: wait, timeslices: slices } }];

test('schedstat deltas: wait share of the interval and average wait per slice; threads gone or new are left out', () => {
  const before = new Map([reading(1, 0n, 1_000_000n, 10), reading(2, 0n, 0n, 0), reading(3, 5n, 5n, 1)]);
  const after = new Map([reading(1, 300_000_000n, 101_000_000n, 60), reading(2, 1n, 0n, 0), reading(4, 9n, 9n, 9)]);
  const d = schedstatDeltas(before, after, 500_000_000n, () => 'S');
  assert.deepEqual(
    d.map((w) => [w.tid, w.waitNs, w.slices, w.waitPercent, w.avgWaitNs]),
    [
      [1, 100_000_000n, 50, 20, 2_000_000],
      [2, 0n, 0, 0, undefined],
    ],
  );
});

test('a runnable thread that never ran during the sample waited all of it (its counters only move when it runs)', () => {
  const before = new Map([reading(5, 7n, 9n, 3)]);
  const after = new Map([reading(5, 7n, 9n, 3)]);
  const asked: number[] = [];
  const [w] = schedstatDeltas(before, after, 400_000_000n, (_pid, tid) => (asked.push(tid), 'R'));
  assert.deepEqual([w.waitNs, w.waitPercent, w.waitedWholeSample], [400_000_000n, 100, true]);
  assert.deepEqual(asked, [5]);
  const [sleeping] = schedstatDeltas(before, after, 400_000_000n, () => 'S');
  assert.deepEqual([sleeping.waitNs, sleeping.waitPercent, sleeping.waitedWholeSample], [0n, 0, undefined]);
});

async function namedThreads(pid: number, names: string[]): Promise<void> {
  const end = Date.now() + 10_000;
  for (;;) {
    const comms: string[] = [];
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) comms.push(readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim());
    } catch {
      // starting
    }
    if (names.every((n) => comms.includes(n))) return;
    if (Date.now() > end) throw new Error(`threads ${names} not seen in ${pid}: ${comms}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('ps --sample and inspect --sample show each thread\'s wait share; plain ps has no WAIT% column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-schedstat-'));
  const binary = join(dir, 'latency');
  execFileSync('gcc', ['-O2', '-pthread', '-o', binary, join(repoRoot, 'labs', 'sched-latency', 'latency.c')]);
  const workload = spawn(binary, ['30000'], { stdio: 'ignore' });
  try {
    const pid = workload.pid!;
    await namedThreads(pid, ['spin-0', 'spin-1', 'waker']);
    const plain = await runCliInProcess(['ps', '--threads', String(pid)]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /WAIT%/);
    const json = await runCliInProcess(['ps', '--threads', '--json', '--sample', '400ms', String(pid)]);
    assert.equal(json.status, 0, json.stderr);
    const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const spinners = records.filter((r) => r.kind === 'thread' && /^spin-/.test(r.comm));
    assert.ok(spinners.length >= 2);
    assert.ok(spinners.every((r) => r.waitPercent > 0 && BigInt(r.runqWaitNs) > 0n), JSON.stringify(spinners));
    const proc = records.find((r) => r.kind === 'process');
    assert.ok(proc.waitPercent >= Math.max(...spinners.map((r) => r.waitPercent)));
    const text = await runCliInProcess(['ps', '--threads', '--sample', '300ms', String(pid)]);
    assert.match(text.stdout, /AGE\s+WAIT%\s+COMMAND/);
    assert.match(text.stdout, /\d+\.\d%\s+\{spin-0\}/);
    const inspect = await runCliInProcess(['inspect', '--sample', '300ms', String(pid)]);
    assert.equal(inspect.status, 0, inspect.stderr);
    assert.match(inspect.stdout, /RUNQ WAIT\s+WAIT %\s+AVG WAIT/);
    assert.match(inspect.stdout, /spin-1 .* \d+\.\d%\s+([\d.]+(µs|ms)|-)/);
    const doc = JSON.parse((await runCliInProcess(['inspect', '--json', '--sample', '300ms', String(pid)])).stdout);
    assert.ok(BigInt(doc.schedSample.intervalNs) >= 300_000_000n);
    assert.ok(doc.schedSample.threads.some((t: { comm: string; waitPercent: number }) => t.comm === 'spin-0' && t.waitPercent > 0));
  } finally {
    workload.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
