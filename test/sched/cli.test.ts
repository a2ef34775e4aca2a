/**
 * `tasklens sched` end to end: a perf.data recorded in the test, a live recording of one process,
 * the schedstat fallback and exit 77 for an unprivileged user, exit 127 without perf, usage errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliArgv, runCli } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';

function build(dir: string): string {
  const binary = join(dir, 'latency');
  execFileSync('gcc', ['-O2', '-pthread', '-o', binary, join(repoRoot, 'labs', 'sched-latency', 'latency.c')]);
  return binary;
}

/** Waits (polling /proc, with a deadline) until the process has its named threads. */
async function threadsNamed(pid: number, names: string[], deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    let comms: string[] = [];
    try {
      comms = execFileSync('sh', ['-c', 'cat /proc/"$1"/task/*/comm', 'sh', String(pid)], { encoding: 'utf8' }).split('\n');
    } catch {
      // not there yet
    }
    if (names.every((n) => comms.includes(n))) return;
    if (Date.now() > end) throw new Error(`threads ${names.join(', ')} of ${pid} not seen (have ${comms.join(', ')})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

test('--perf-data: a perf sched record file gives the per-thread table, the longest waits and --json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-sched-cli-'));
  try {
    const binary = build(dir);
    const data = join(dir, 'perf.data');
    execFileSync('perf', ['sched', 'record', '-o', data, '--', binary, '300', '3'], { stdio: 'ignore' });
    const text = runCli(['sched', '--perf-data', data, '--rows', '500']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Threads by maximum wakeup delay/);
    assert.match(text.stdout, /^\s+\d+\s+\d+\s+waker\s+[\d.]+ ms\s+\d+/m);
    assert.match(text.stdout, /Longest waits \(what ran on that CPU instead\)\n\s+1\. [\d.]+ ms /);
    assert.match(text.stdout, /CPU utilisation/);
    assert.doesNotMatch(text.stdout, /By comm/);
    const byComm = runCli(['sched', '--perf-data', data, '--rows', '500', '--by-comm']);
    assert.equal(byComm.status, 0, byComm.stderr);
    assert.match(byComm.stdout, /By comm \(threads of the same name merged, as perf sched latency shows them\)/);
    assert.match(byComm.stdout, /^\s+waker\s+1\s+[\d.]+ ms\s+\d+\s+[\d.]+ ms\s+[\d.]+ ms\s+\d+\s/m);
    const json = runCli(['sched', '--perf-data', data, '--json', '--top', '3']);
    assert.equal(json.status, 0, json.stderr);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.kind, 'sched');
    assert.equal(doc.top.length, 3);
    assert.ok(doc.top[0].delayNs >= doc.top[1].delayNs && doc.top[1].delayNs >= doc.top[2].delayNs);
    const waker = doc.tasks.find((t: { comm: string }) => t.comm === 'waker');
    // A 1 ms sleeper over 300 ms: ~280 wakeups idle, ~80 at load 20 on 2 CPUs; 10 still proves the path.
    assert.ok(waker.switches > 10 && waker.histogram.reduce((a: number, b: number) => a + b, 0) === waker.switches);
    const wakerComm = doc.comms.find((c: { comm: string }) => c.comm === 'waker');
    assert.deepEqual([wakerComm.threads, wakerComm.tids, wakerComm.switches, wakerComm.maxDelayNs], [1, [waker.tid], waker.switches, waker.maxDelayNs]);
    assert.ok(doc.cpus.length >= 1 && doc.cpus.every((c: { utilisation: number }) => c.utilisation >= 0 && c.utilisation <= 1.0001));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-p PID records the machine and shows only that process\'s threads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-sched-cli-'));
  const workload = spawn(build(dir), ['20000', '2'], { stdio: 'ignore' });
  try {
    await threadsNamed(workload.pid!, ['waker', 'spin-0', 'spin-1']);
    const r = runCli(['sched', '-p', String(workload.pid), '-d', '700ms', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    const comms: string[] = doc.tasks.map((t: { comm: string }) => t.comm);
    assert.ok(comms.every((c) => ['latency', 'spin-0', 'spin-1', 'waker'].includes(c)), comms.join(', '));
    assert.ok(comms.includes('waker') && comms.includes('spin-0'));
    assert.ok(doc.tasks.every((t: { tgid: number }) => t.tgid === workload.pid));
    assert.ok(doc.top.every((w: { tgid: number }) => w.tgid === workload.pid));
  } finally {
    stop(workload);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-- CMD: records while the command runs, shows its threads; with --json its output goes to stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-sched-cli-'));
  try {
    const r = runCli(['sched', '--json', '--', build(dir), '400', '2']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /latency: 2 spinners/);
    const doc = JSON.parse(r.stdout);
    const comms: string[] = doc.tasks.map((t: { comm: string }) => t.comm);
    assert.ok(comms.includes('waker') && comms.includes('spin-1'), comms.join(', '));
    const pids = new Set(doc.tasks.map((t: { tgid: number }) => t.tgid));
    assert.equal(pids.size, 1, 'one process: the command');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('not permitted to trace: -p falls back to /proc schedstat and says so; a command exits 77 saying what is needed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-sched-cli-'));
  chmodSync(dir, 0o755);
  const workload = spawn(build(dir), ['20000', '2'], { stdio: 'ignore' });
  try {
    await threadsNamed(workload.pid!, ['waker', 'spin-0']);
    const asNobody = (args: string[]) =>
      spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, ...cliArgv(), ...args], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        cwd: '/',
        timeout: 60_000,
      });
    const paranoid = Number(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8'));
    assert.ok(paranoid > -1, 'this test needs kernel.perf_event_paranoid > -1');
    const denied = asNobody(['sched', '--', '/bin/true']);
    assert.equal(denied.status, 77, denied.stderr);
    assert.match(denied.stderr, /tracing not permitted: .*perf_event_paranoid/);
    assert.match(denied.stderr, /hint: .*CAP_PERFMON/);
    const fallback = asNobody(['sched', '-p', String(workload.pid), '-d', '400ms']);
    assert.equal(fallback.status, 0, fallback.stderr);
    assert.match(fallback.stderr, /tracing not permitted .* schedstat/);
    assert.match(fallback.stdout, /run-queue wait from \/proc schedstat over 0\.\d+ s/);
    assert.match(fallback.stdout, /\bwaker\b/);
    assert.match(fallback.stdout, /\bspin-0\b.*\d+\.\d%/);
  } finally {
    stop(workload);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('perf missing: exit 127 with the install line; usage errors exit 2', () => {
  const missing = runCli(['sched', '--all', '-d', '1s'], { env: { PATH: '/nonexistent' } });
  assert.equal(missing.status, 127, missing.stderr);
  assert.match(missing.stderr, /tasklens: perf not found\nhint: install it with: apt-get install linux-perf/);
  assert.equal(runCli(['sched', '--perf-data', 'x', '--all']).status, 2);
  const bad = runCli(['sched', '-d', 'soon']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--duration must be a duration like 10s/);
  const nofile = runCli(['sched', '--perf-data', join(tmpdir(), 'no-such-perf.data')]);
  assert.notEqual(nofile.status, 0);
  assert.ok(!existsSync(join(tmpdir(), 'no-such-perf.data')));
  assert.match(nofile.stderr, /no-such-perf\.data/);
});
