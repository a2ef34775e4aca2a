/**
 * doctor on real programs: each workload in test/workloads/doctor is built with gcc and traced with
 * `doctor -- CMD` (the library form), once committing its rule's bug and once as its healthy twin,
 * which must produce no warning or error. `doctor PID` is checked on two programs left running in a
 * known state, waited for by polling /proc with a deadline.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnoseCommand, diagnoseProcess } from '../../src/index.js';
import { buildProgram } from '../../src/lab/build.js';
import { repoRoot } from '../support/paths.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'tasklens-doctor-test-'));
after(() => rmSync(cacheDir, { recursive: true, force: true }));

async function binary(name: string): Promise<string> {
  return (await buildProgram('doctor-workloads', name, join(repoRoot, 'test/workloads/doctor', `${name}.c`), { cacheDir })).binary;
}

async function serious(name: string, mode: 'bug' | 'ok'): Promise<string[]> {
  const { report } = await diagnoseCommand([await binary(name), mode], { stdio: ['ignore', 'ignore', 'ignore'], zombieSeconds: 0.2 });
  return report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity}:${f.rule}`);
}

const CASES: Array<[string, string]> = [
  ['zombie', 'warning:never-reaped'],
  ['orphan', 'warning:orphaned-children'],
  ['forkthread', 'error:fork-in-threaded-process'],
  ['fdleak', 'warning:fd-leaked-across-exec'],
  ['sigpipe', 'error:killed-by-sigpipe'],
  ['sigterm', 'warning:sigterm-ignored'],
  ['eintr', 'warning:eintr-not-retried'],
  ['blocked', 'warning:signal-lost-blocked'],
  ['sigchld', 'error:sigchld-ignored-wait'],
  ['execfail', 'error:exec-failed'],
  ['stack', 'error:stack-overflow'],
];

for (const [name, expected] of CASES) {
  test(`${name}: the bug gives ${expected} and nothing else; the healthy twin gives no warning or error`, async () => {
    assert.deepEqual(await serious(name, 'bug'), [expected]);
    assert.deepEqual(await serious(name, 'ok'), []);
  });
}

/** Polls `check` until it returns a value or the deadline passes. */
async function waitFor<T>(what: string, check: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function statusField(pid: number, key: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${key}:`))?.split(/\s+/)[1];
  } catch {
    return undefined;
  }
}

async function running(name: string): Promise<ChildProcess> {
  const child = spawn(await binary(name), ['live'], { stdio: 'ignore' });
  after(() => child.kill('SIGKILL'));
  return child;
}

test('doctor PID: a zombie child not reaped by a live parent', async () => {
  const parent = await running('zombie');
  const pid = parent.pid!;
  const zombie = await waitFor('the zombie child', () => {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    const child = children === '' ? undefined : Number(children.split(' ')[0]);
    return child !== undefined && statusField(child, 'State') === 'Z' ? child : undefined;
  });
  const report = await diagnoseProcess(pid, { sampleMs: 50 });
  const f = report.findings.find((x) => x.rule === 'never-reaped');
  assert.ok(f, JSON.stringify(report.findings));
  assert.deepEqual(f.details?.zombies, [zombie]);
  assert.equal(f.lines[0].source, `/proc/${zombie}/status`);
});

test('doctor PID: a signal pending for the process while every thread blocks it', async () => {
  const child = await running('blocked');
  const pid = child.pid!;
  await waitFor('SIGUSR1 pending', () => (/[1-9a-f]/.test(statusField(pid, 'ShdPnd') ?? '0') ? true : undefined));
  const report = await diagnoseProcess(pid, { sampleMs: 50 });
  const f = report.findings.find((x) => x.rule === 'signal-lost-blocked');
  assert.ok(f, JSON.stringify(report.findings));
  assert.deepEqual(f.details?.signals, ['SIGUSR1']);
  assert.equal(f.severity, 'warning');
});

test('doctor PID: a healthy sleeping process has no warning', async () => {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  after(() => child.kill('SIGKILL'));
  await waitFor('sleep to run', () => (readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith('sleep') ? true : undefined));
  const report = await diagnoseProcess(child.pid!, { sampleMs: 50 });
  assert.deepEqual(report.findings.filter((f) => f.severity !== 'info').map((f) => f.rule), []);
});
