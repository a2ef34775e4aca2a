/**
 * The process-family and signal labs end to end (real gcc, real strace, the lab sending SIGTERM and
 * reading /proc itself): each computed point is checked against what the program printed and what
 * the task model says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLab } from '../../src/lab/index.js';
import { checkCitations, point, side, tempCache } from './support.js';

const cacheDir = tempCache();

test('four-children: reaped in exit order, each with its own exit code', async () => {
  const run = await runLab('four-children', { cacheDir });
  assert.equal(run.runs[0].trace.exitCode, 0);
  const births = side(point(run, 'births'), 'four').values!;
  const children = births.children as number[];
  assert.equal(children.length, 4);
  assert.equal(new Set(children).size, 4);
  const reaps = side(point(run, 'reaping'), 'four', 'reaps').values!;
  assert.equal(reaps.sameOrder, true);
  assert.deepEqual(reaps.reapOrder, reaps.exitOrder);
  // The program printed each reap with the exit code; the child born i-th exits with 11 + i.
  const printed = run.runs[0].trace.stdout;
  children.forEach((pid, i) => assert.match(printed, new RegExp(`reaped pid ${pid}, exit code ${11 + i}`)));
  const statuses = reaps.statuses as string[];
  for (const [i, pid] of (reaps.reapOrder as number[]).entries()) assert.ok(statuses[i].includes(`== ${11 + children.indexOf(pid)}`), statuses[i]);
  const sigchld = side(point(run, 'sigchld'), 'four').values!;
  assert.ok((sigchld.deliveries as number) >= 1 && (sigchld.deliveries as number) <= 4);
  assert.ok(checkCitations(run) > 10);
});

test('zombies: both children seen in state Z; A reaped late, B never reaped and marked', async () => {
  const run = await runLab('zombies', { cacheDir });
  assert.equal(run.runs[0].trace.exitCode, 0);
  const window = point(run, 'zombie-window');
  const a = side(window, 'zombies', 'child A').values!;
  const b = side(window, 'zombies', 'child B').values!;
  assert.deepEqual((a.observedStates as Array<{ state: string }>).map((o) => o.state), ['Z']);
  assert.deepEqual((b.observedStates as Array<{ state: string }>).map((o) => o.state), ['Z']);
  assert.equal(a.reaped, true);
  assert.equal(b.reaped, false);
  // The parent sleeps 300 ms between the exits and the reap: the window is most of that.
  assert.ok((a.zombieSeconds as number) > 0.2, `zombie window ${a.zombieSeconds}`);
  assert.equal((b.unreaped as { zombieWhileParentLived: boolean }).zombieWhileParentLived, true);
  const graph = run.runs[0].graph;
  assert.equal(graph.processByPid(b.pid as number)?.unreaped?.reparented, true);
  assert.ok(checkCitations(run) > 5);
});

test('sigterm-fanout: SIGTERM from the lab, forwarded to three workers, all reaped, exit 0', async () => {
  const run = await runLab('sigterm-fanout', { cacheDir });
  assert.equal(run.runs[0].trace.exitCode, 0, run.runs[0].trace.stderr);
  assert.deepEqual(run.runs[0].trace.interactions.map((i) => [i.action, i.result]), [['sigterm', 'sent']]);
  const arrival = side(point(run, 'arrival'), 'fanout', 'arrival').values!;
  assert.equal(arrival.sender, process.pid);
  const fanout = point(run, 'fan-out');
  const workers = side(fanout, 'fanout', 'kill').values!.workers as number[];
  assert.equal(workers.length, 3);
  const parent = run.runs[0].graph.roots()[0].tgid;
  const deliveries = side(fanout, 'fanout', 'delivered').values!.deliveries as Array<{ pid: number; from?: number }>;
  assert.deepEqual(deliveries.map((d) => d.from), [parent, parent, parent]);
  assert.equal(side(fanout, 'fanout', 'handlers').values!.workerSigactions, 0);
  const graceful = side(point(run, 'graceful'), 'fanout', 'parent').values!;
  assert.deepEqual([...(graceful.reaped as number[])].sort(), [...workers].sort());
  assert.ok(checkCitations(run) > 8);
});

test('signalfd-epoll: SIGTERM read from the signalfd, never delivered, clean exit', async () => {
  const run = await runLab('signalfd-epoll', { cacheDir });
  assert.equal(run.runs[0].trace.exitCode, 0, run.runs[0].trace.stderr);
  const read = side(point(run, 'read-not-delivered'), 'server', 'read').values!;
  const info = read.siginfo as Record<string, number>;
  assert.equal(info.ssi_signo, 15);
  assert.equal(info.ssi_pid, process.pid);
  assert.equal(read.siCode, 'SI_USER');
  assert.equal(side(point(run, 'read-not-delivered'), 'server', 'delivery').values!.deliveries, 0);
  const loop = side(point(run, 'loop'), 'server').values!;
  assert.equal(loop.signal, 1);
  // The program summed the expirations of each timerfd read; one read can carry several.
  const ticks = Number(/after (\d+) ticks/.exec(run.runs[0].trace.stdout)?.[1]);
  assert.ok((loop.timerReads as number) >= 1 && (loop.timerReads as number) <= ticks, `${loop.timerReads} reads, ${ticks} ticks`);
  const shutdown = side(point(run, 'shutdown'), 'server').values!;
  assert.equal((shutdown.closed as string[]).length, 3);
  assert.ok(checkCitations(run) > 8);
});
