/** The doctor verb end to end: text and JSON Lines output, exit codes, stdin, usage errors, --help. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';

const FORKEXEC = join(repoRoot, 'test/fixtures/strace/forkexec.f_o.strace');
const PIPELINE = join(repoRoot, 'test/fixtures/strace/pipeline.f_o.strace');

test('doctor LOG: findings grouped by severity with file:line citations and the fix; exit 1 on an error', () => {
  const r = runCli(['doctor', FORKEXEC]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^errors \(1\)/);
  assert.match(r.stdout, /error +exec-failed/);
  assert.ok(r.stdout.includes(`${FORKEXEC}:74`), r.stdout);
  assert.match(r.stdout, /fix: fix the path/);
});

test('doctor on a healthy log exits 0 and says which rules could not run', () => {
  const r = runCli(['doctor', PIPELINE]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /no findings from \d+ rules/);
  assert.match(r.stdout, /slow-call: .*trace with -T/);
});

test('doctor --json: one finding per line with the named fields, then a summary record', () => {
  const r = runCli(['doctor', '--json', FORKEXEC]);
  assert.equal(r.status, 1);
  const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(records.length, 2);
  const [f, summary] = records;
  assert.deepEqual(Object.keys(f).slice(0, 6), ['rule', 'severity', 'tasks', 'lines', 'message', 'fix']);
  assert.equal(f.rule, 'exec-failed');
  assert.deepEqual((f.tasks as unknown[])[0], { tgid: 10005, tid: 10005, command: 'forkexec' });
  assert.equal(f.errno, 'ENOENT');
  assert.equal(summary.kind, 'summary');
  assert.deepEqual(summary.counts, { error: 1, warning: 0, info: 0 });
});

test('doctor - reads stdin; citations name stdin', () => {
  const r = runCli(['doctor', '-'], { input: readFileSync(FORKEXEC, 'utf8') });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /stdin:74/);
});

test('doctor --rule filters; an unknown rule is a usage error (2) that lists the ids', () => {
  const r = runCli(['doctor', '--rule', 'never-reaped', FORKEXEC]);
  assert.equal(r.status, 0);
  assert.doesNotMatch(r.stdout, /exec-failed/);
  const bad = runCli(['doctor', '--rule', 'nope', FORKEXEC]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown rule "nope"/);
  assert.match(bad.stderr, /fork-in-threaded-process/);
});

test('doctor --help has examples of every form', () => {
  const r = runCli(['doctor', '--help']);
  assert.equal(r.status, 0);
  for (const form of ['doctor trace.log', 'doctor -- ', 'doctor 1234', '--json']) assert.ok(r.stdout.includes(form), form);
});

test('doctor: a log line with terminal escapes is shown escaped', () => {
  const log = '100 execve("./p\\33]2;PWN\\7", ["./p"], 0x7ffd /* 3 vars */) = -1 ENOENT (No such file or directory)\n100 exit_group(127) = ?\n100 +++ exited with 127 +++\n';
  const r = runCli(['doctor', '-'], { input: log.replace('\\33', '\x1b').replace('\\7', '\x07') });
  assert.equal(r.status, 1, r.stderr);
  assert.ok(!r.stdout.includes('\x1b'), 'no raw ESC reaches the terminal');
  assert.match(r.stdout, /\\e\]2;PWN/);
});

test('trace --doctor: the findings follow the trace (JSON: finding records and a doctor summary)', () => {
  const r = runCli(['trace', '--full', '--doctor', '--json', '--out', '-', '--', 'sh', '-c', '/nonexistent/doctor-x; true']);
  assert.equal(r.status, 0, r.stderr);
  const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const findings = records.filter((x) => x.kind === 'finding');
  assert.deepEqual(findings.map((f) => f.rule), ['exec-failed']);
  assert.equal(findings[0].path, '/nonexistent/doctor-x');
  assert.equal(records.at(-1)?.kind, 'doctor-summary');
});

test('doctor PID: live checks of a healthy process exit 0 and say what they read', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 10_000;
    while (!readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith('sleep')) {
      if (Date.now() > deadline) throw new Error('sleep did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    const r = runCli(['doctor', '--sample-ms', '50', String(child.pid)]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /no findings from 6 live checks of \/proc/);
  } finally {
    child.kill('SIGKILL');
  }
});

test('doctor PID of a process that does not exist: exit 3', () => {
  const r = runCli(['doctor', '4194303']);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /no such process: 4194303/);
});
