/** lab graceful-shutdown end to end (real gcc, real strace, tasklens run as the launcher, SIGTERM from the lab). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLab } from '../../src/lab/index.js';
import { checkCitations, point, side, tempCache } from './support.js';

test('graceful-shutdown: tasklens forwards SIGTERM; with forwarding two workers stop and the one ignoring it is killed after the timeout (137); without, every orphaned worker is killed and tasklens exits 0', async () => {
  const run = await runLab('graceful-shutdown', { cacheDir: tempCache() });
  const [forward, quiet] = run.runs;
  assert.equal(forward.trace.exitCode, 137, forward.trace.stderr);
  assert.equal(quiet.trace.exitCode, 0, quiet.trace.stderr);
  for (const r of run.runs) assert.deepEqual(r.trace.interactions.map((i) => [i.action, i.result]), [['sigterm', 'sent']]);

  for (const name of ['forward', 'no-forward']) {
    const launcher = side(point(run, 'launcher'), name).values!;
    assert.equal(launcher.subreaper, true, name);
    const fwd = side(point(run, 'forwarded'), name).values!;
    assert.equal(fwd.from, process.pid, `${name}: the lab sent SIGTERM to tasklens`);
    assert.equal(fwd.forwardedTo, launcher.parent, `${name}: tasklens forwarded it to the parent`);
    assert.equal(fwd.parentGotFrom, launcher.launcher, `${name}: the parent got it from tasklens`);
  }

  // With forwarding: every worker gets SIGTERM from the parent; the one ignoring it and the parent
  // waiting for it are the ones tasklens kills after the timeout.
  const fanOut = side(point(run, 'fan-out'), 'forward').values!;
  const workers = fanOut.workers as number[];
  assert.equal(workers.length, 3);
  assert.deepEqual(fanOut.forwardedTo, workers);
  assert.deepEqual(fanOut.gotSigterm, workers);
  const ignored = side(point(run, 'ignored'), 'forward').values!;
  assert.equal(ignored.ignores, true);
  assert.equal(ignored.gotSigterm, true);
  const escalation = side(point(run, 'escalation'), 'forward').values!;
  const parent = side(point(run, 'launcher'), 'forward').values!.parent;
  assert.deepEqual([...(escalation.killed as number[])].sort(), [parent, fanOut.stubborn].sort());
  assert.deepEqual([...(escalation.killedBySigkill as number[])].sort(), [...(escalation.killed as number[])].sort());
  assert.ok((escalation.afterSeconds as number) >= 0.4, `SIGKILL ${escalation.afterSeconds} s after forwarding, not before the 400 ms timeout`);
  const reaped = side(point(run, 'reaped'), 'forward').values!;
  assert.equal(reaped.exitCode, 137);
  // Killed one after the other: the stubborn worker is orphaned and reaped by tasklens, unless the
  // dying parent's wait4 collected it first (the kernel checks for a dead child before the signal).
  assert.ok([0, 1].includes((reaped.orphans as number[]).length) && (reaped.orphans as number[]).every((p) => p === fanOut.stubborn), JSON.stringify(reaped.orphans));

  // Without forwarding: no worker hears of SIGTERM; all three are killed; tasklens still exits 0.
  const quietFan = side(point(run, 'fan-out'), 'no-forward').values!;
  const quietWorkers = quietFan.workers as number[];
  assert.deepEqual(quietFan.forwardedTo, []);
  assert.deepEqual(quietFan.gotSigterm, []);
  assert.equal(quietFan.parentEnd, 'exited 0');
  const quietEscalation = side(point(run, 'escalation'), 'no-forward').values!;
  assert.deepEqual([...(quietEscalation.killed as number[])].sort(), [...quietWorkers].sort());
  const quietReaped = side(point(run, 'reaped'), 'no-forward').values!;
  assert.deepEqual([...(quietReaped.orphans as number[])].sort(), [...quietWorkers].sort());
  assert.equal(quietReaped.exitCode, 0);
  assert.ok(checkCitations(run) >= 20);
});
