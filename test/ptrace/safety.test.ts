/**
 * The target always runs again: when tasklens is killed (SIGKILL, SIGTERM) while every thread is
 * stopped, the kernel detaches them and the program continues; a process that was already stopped by
 * job control stays stopped after a snapshot.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { takeSnapshot } from '../../src/ptrace/snapshot.js';
import { cliCommand, compileWorkload, sleep, threadState, Workload, type Announced } from './support.js';

/** Starts `tasklens snapshot` told to hold the threads stopped, and resolves once they are. */
async function startHeldSnapshot(pid: number, holdMs = 30_000) {
  const [node, ...args] = cliCommand();
  const cli = spawn(node, [...args, 'snapshot', String(pid)], {
    env: { ...process.env, TASKLENS_TEST_HOLD_STOPPED_MS: String(holdMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tasklens never reported stopped threads: ${stderr}`)), 20_000);
    cli.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('threads stopped')) {
        clearTimeout(timer);
        resolve();
      }
    });
    cli.on('exit', () => reject(new Error(`tasklens exited early: ${stderr}`)));
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => cli.on('exit', (_code, signal) => resolve(signal)));
  const code = new Promise<number | null>((resolve) => cli.on('exit', (c) => resolve(c)));
  return { cli, exited, code };
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

describe('tasklens killed mid-snapshot', { timeout: 60_000 }, () => {
  let workload: Workload;
  let announced: Announced[];
  before(async () => {
    workload = new Workload(compileWorkload('O2-no-frame-pointer'), ['2']);
    announced = await workload.ready();
  });
  after(() => workload.stop());

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    test(`by ${signal}: the kernel detaches and the target's counters advance`, async () => {
      const before = await workload.counters();
      const { cli, exited } = await startHeldSnapshot(workload.pid);
      // Really stopped: every thread sits in a tracing stop while tasklens holds them.
      for (const a of announced) assert.equal(threadState(workload.pid, a.tid), 't', `${a.role} is in tracing stop`);
      cli.kill(signal);
      assert.equal(await exited, signal);
      await waitUntil('threads leave the tracing stop', () => announced.every((a) => threadState(workload.pid, a.tid) !== 't'));
      assert.ok(await workload.advancesFrom(before, ['busy', 'ticks']), 'busy thread and ticker advanced');
      const from = workload.lines.length;
      workload.send('wake');
      await workload.waitFor(/^piperead got ping/, from);
      await workload.waitFor(/^condwait woke/, from);
    });
  }
});

describe('Ctrl-Z (SIGTSTP) sent to tasklens mid-snapshot', { timeout: 60_000 }, () => {
  let workload: Workload;
  before(async () => {
    workload = new Workload(compileWorkload('O2-no-frame-pointer'));
    await workload.ready();
  });
  after(() => workload.stop());

  test('does not suspend tasklens with the target stopped: it finishes and the target runs', async () => {
    const { cli, code } = await startHeldSnapshot(workload.pid, 1500);
    try {
      cli.kill('SIGTSTP');
      await sleep(300);
      assert.notEqual(threadState(cli.pid!, cli.pid!), 'T', 'tasklens is not stopped');
      assert.equal(await code, 0);
    } finally {
      if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
    }
    const before = await workload.counters();
    assert.ok(await workload.advancesFrom(before), 'busy thread advances');
  });
});

describe('a process stopped by job control', { timeout: 60_000 }, () => {
  let workload: Workload;
  before(async () => {
    workload = new Workload(compileWorkload('O2-no-frame-pointer'));
    await workload.ready();
  });
  after(() => workload.stop());

  test('is snapshotted and stays stopped until SIGCONT', async () => {
    process.kill(workload.pid, 'SIGSTOP');
    await waitUntil('process stops', () => threadState(workload.pid, workload.pid) === 'T');
    const snapshot = takeSnapshot(workload.pid);
    assert.ok(snapshot.threads.every((t) => t.stop === 'group-stop'), snapshot.threads.map((t) => `${t.tid}:${t.stop}`).join(' '));
    assert.ok(snapshot.threads.find((t) => t.name === 'sleeper')!.frames.some((f) => f.symbol === 'sleep_long'));
    await sleep(100);
    for (const t of snapshot.threads) assert.equal(threadState(workload.pid, t.tid), 'T', `thread ${t.tid} still stopped`);
    process.kill(workload.pid, 'SIGCONT');
    const before = await workload.counters();
    assert.ok(await workload.advancesFrom(before), 'busy thread advances');
  });
});
