/**
 * A target that exits while it is being snapshotted (issue 9 item 4): 200 rounds of a program that
 * calls exit() at a random moment, from its leader or from a worker, while it is snapshotted over and
 * over. Each snapshot must end (data, or "the process exited", exit code 3), leave no thread traced by
 * us, and let the target's parent reap it. The rounds run in a driver process of their own: a snapshot
 * that blocked forever in waitpid() would otherwise hang this test instead of failing it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { compileProgram, scriptCommand } from './support.js';

const ROUNDS = 200;
const THREADS = 40;
const DRIVER_DEADLINE_MS = 240_000;

test('a target exiting at a random moment: every snapshot ends with data or exit code 3, nothing left traced or unreaped', { timeout: DRIVER_DEADLINE_MS + 30_000 }, async () => {
  const binary = compileProgram('exiter');
  const [node, ...args] = scriptCommand('exit-race-driver');
  const driver = spawn(node, [...args, binary, String(ROUNDS), String(THREADS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  driver.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const timer = setTimeout(() => driver.kill('SIGKILL'), DRIVER_DEADLINE_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => driver.once('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  assert.equal(signal, null, `the driver was killed after ${DRIVER_DEADLINE_MS} ms: a snapshot never ended`);
  assert.equal(code, 0);
  const summary = JSON.parse(stdout) as { rounds: number; snapshots: number; exited: number; longestSnapshotMs: number; failures: string[] };
  assert.deepEqual(summary.failures, []);
  assert.equal(summary.rounds, ROUNDS);
  assert.equal(summary.exited, ROUNDS, 'each round ends with "the process exited"');
});
