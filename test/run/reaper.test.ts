/**
 * The reaper inside one Node process (this test file's own): orphans re-parented to a subreaper are
 * reaped, and not one of Node's own `exit` events is lost (the failure of a blind waitpid(-1)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Reaper, childrenOf } from '../../src/index.js';
import { reaperLibc } from '../../src/ptrace/libc.js';
import { stat, waitFor } from './live-helpers.js';

test('subreaper: 20 children each leaving an orphan: 20 exit events, 20 orphans reaped, no zombie', async () => {
  const owned = new Set<number>();
  const reaper = new Reaper({ owned: (pid) => owned.has(pid), pollMs: 50 });
  assert.equal(reaper.start(), true);
  assert.equal(reaperLibc().isChildSubreaper(), 1);
  try {
    const exits = await Promise.all(
      Array.from({ length: 20 }, () => {
        const child = spawn('sh', ['-c', 'sleep 0.1 & exit 4'], { stdio: 'ignore' });
        owned.add(child.pid!);
        return new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      }),
    );
    assert.deepEqual(exits, Array(20).fill(4), 'every exit event arrived with its status');
    await waitFor('20 orphans reaped', () => reaper.reaped.length >= 20);
    assert.equal(reaper.reaped.length, 20);
    for (const r of reaper.reaped) {
      assert.equal(r.comm, 'sleep');
      assert.deepEqual(r.outcome, { kind: 'exited', code: 0 });
      assert.equal(owned.has(r.pid), false, 'never one of the pids Node spawned');
    }
    const zombies = childrenOf(process.pid).filter((pid) => stat(pid)?.state === 'Z');
    assert.deepEqual(zombies, []);
  } finally {
    reaper.stop();
    reaperLibc().setChildSubreaper(false);
  }
});
