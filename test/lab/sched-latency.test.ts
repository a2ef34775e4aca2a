/**
 * The sched-latency lab: points computed from a perf script text, each citing lines whose text is the
 * file's own; and the lab end to end (real gcc, real perf) through the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schedLatencyPoints } from '../../src/lab/index.js';
import { analyzePerfScriptFile } from '../../src/sched/index.js';
import { runCli } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';
import { tempCache } from './support.js';

type Cited = { sides: Array<{ cites: Array<{ line: number; raw: string }> }>; id: string };

function checkCitations(points: Cited[], file: string): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const p of points) {
    const cites = p.sides.flatMap((s) => s.cites);
    assert.ok(cites.length > 0, `point ${p.id} cites nothing`);
    for (const c of cites) assert.equal(c.raw, lines[c.line - 1].trim(), `${p.id} line ${c.line}`);
  }
}

test('points from a recorded perf script: the waker, who ran instead, the spinners, CPU use, each cited', async () => {
  const file = join(repoRoot, 'test', 'fixtures', 'sched', 'latency.perf-script.txt');
  const text = readFileSync(file, 'utf8');
  const pid = Number(/comm=latency pid=(\d+)/.exec(text)![1]);
  const analysis = await analyzePerfScriptFile(file, { follow: [pid] });
  const points = await schedLatencyPoints(analysis, file);
  assert.deepEqual(points.map((p) => p.id), ['waker-latency', 'ran-instead', 'spinners', 'cpu-busy']);
  checkCitations(points, file);
  const waker = analysis.tasks.find((t) => t.comm === 'waker')!;
  assert.match(points[0].sides[0].says, new RegExp(`^${waker.switches} waits .* longest ${(waker.maxDelayNs / 1e6).toFixed(3)} ms`));
  // The longest wait's citations are the line that began it and the switch-in that ended it.
  const [start, end] = points[0].sides[0].cites;
  assert.match(start.raw, new RegExp(`sched_(waking|wakeup|wakeup_new): comm=\\S+ pid=${waker.tid} |prev_pid=${waker.tid} `));
  assert.match(end.raw, new RegExp(`sched_switch: .* next_pid=${waker.tid} `));
  assert.equal(points[2].sides.length, 3, 'three spinners in the fixture');
});

test('tasklens lab sched-latency: built, recorded with perf, points cite the kept perf script text', () => {
  const cacheDir = tempCache();
  const r = runCli(['lab', 'sched-latency', '--json', '--cache-dir', cacheDir]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.lab.id, 'sched-latency');
  assert.deepEqual(doc.points.map((p: { id: string }) => p.id), ['waker-latency', 'ran-instead', 'spinners', 'cpu-busy']);
  checkCitations(doc.points, doc.programs[0].scriptLog);
  const waker = doc.analysis.tasks.find((t: { comm: string }) => t.comm === 'waker');
  assert.ok(waker.wakeupWaits > 200, `waker woke ${waker.wakeupWaits} times`);
  assert.ok(doc.analysis.tasks.every((t: { tgid: number }) => t.tgid === doc.programs[0].pid));
  const text = runCli(['lab', 'sched-latency', '--cache-dir', cacheDir]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /binary .*\(cached\)/);
  assert.match(text.stdout, /1\. The periodic waker waits for a CPU every time it wakes/);
  assert.match(text.stdout, /latency:\d+ +\d+\/\d+ +\[\d+\] +\d+\.\d+: +sched:sched_switch: /);
});
