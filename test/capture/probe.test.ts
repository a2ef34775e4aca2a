/** strace discovery and probes, strace's own error messages classified from real runs, and the line splitter. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyStraceStderr, locateStrace, parseStraceVersion, startTrace, straceFlags, straceInfo } from '../../src/capture/index.js';
import { TasklensError } from '../../src/errors.js';

function unusedPid(): number {
  let pid = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) - 1;
  while (existsSync(`/proc/${pid}`)) pid--;
  return pid;
}

test('straceInfo: version from strace -V and a working --seccomp-bpf on this machine', { timeout: 60_000 }, async () => {
  const info = await straceInfo();
  assert.equal(info.path, locateStrace());
  const real = spawnSync(info.path, ['-V'], { encoding: 'utf8' }).stdout.split('\n')[0];
  assert.equal(info.version.text, real);
  assert.ok(info.version.major >= 5, info.version.text);
  assert.equal(info.seccompBpf, true);
  assert.deepEqual(parseStraceVersion('strace -- version 6.1\nCopyright'), { major: 6, minor: 1, text: 'strace -- version 6.1' });
});

test('flag sets: lifecycle uses seccomp only when starting a command, every mode follows forks with epoch times', { timeout: 60_000 }, () => {
  const lifecycle = straceFlags('lifecycle', 'command');
  assert.ok(lifecycle.includes('--seccomp-bpf'));
  assert.ok(!straceFlags('lifecycle', 'attach').includes('--seccomp-bpf'));
  assert.ok(!straceFlags('lifecycle', 'command', { seccompBpf: false }).includes('--seccomp-bpf'));
  for (const flags of [lifecycle, straceFlags('full', 'command'), straceFlags('full', 'attach')]) {
    assert.ok(flags.includes('-f') && flags.includes('-ttt'));
  }
  // strace accepts every set as given.
  for (const flags of [lifecycle, straceFlags('full', 'command')]) {
    const r = spawnSync(locateStrace(), [...flags, '-o', '/dev/null', 'true'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  }
});

test('classifyStraceStderr on the messages real strace prints', { timeout: 60_000 }, () => {
  const strace = locateStrace();
  const cases: Array<[string[], string, number]> = [
    [['-o', '/dev/null', 'tasklens-no-such-command'], 'command-not-found', 127],
    [['-p', String(unusedPid())], 'no-such-process', 3],
    [['-o', '/dev/null', '/etc/hostname'], 'command-not-executable', 126],
  ];
  for (const [args, code, exitCode] of cases) {
    const r = spawnSync(strace, args, { encoding: 'latin1' });
    assert.equal(r.status, 1, r.stderr);
    const error = classifyStraceStderr(r.stderr);
    assert.ok(error instanceof TasklensError, r.stderr);
    assert.equal(error.code, code, r.stderr);
    assert.equal(error.exitCode, exitCode);
  }
  // The forms strace prints when ptrace itself is forbidden (containers, Yama): matched by shape.
  for (const line of [
    'strace: attach: ptrace(PTRACE_SEIZE, 42): Operation not permitted',
    'strace: ptrace(PTRACE_TRACEME, ...): Operation not permitted',
    '/usr/bin/strace: test_ptrace_get_syscall_info: PTRACE_TRACEME: Operation not permitted',
  ]) assert.equal(classifyStraceStderr(`${line}\n`)?.code, 'ptrace-denied', line);
  assert.equal(classifyStraceStderr('strace: Process 5 attached\n'), undefined);
});

test('a consumer that stops early: the rest is drained, the tee stays complete, result settles', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-capture-test-'));
  try {
    const tee = join(dir, 'raw.log');
    const session = await startTrace({ command: ['sh', '-c', 'for i in 1 2 3 4 5 6; do ls /usr/lib >/dev/null; done'], mode: 'full', teePath: tee, stdio: ['ignore', 'ignore', 'ignore'] });
    let seen = 0;
    for await (const _line of session.lines) if (++seen === 3) break;
    const result = await session.result;
    assert.equal(result.exitCode, 0);
    assert.ok(result.lines > 100);
    assert.equal(readFileSync(tee).length, result.bytes);
    assert.equal(readFileSync(tee, 'latin1').split('\n').length - 1, result.lines);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the log can be iterated only once', { timeout: 60_000 }, async () => {
  const session = await startTrace({ command: ['true'], stdio: ['ignore', 'ignore', 'ignore'] });
  const batches: unknown[][] = [];
  for await (const batch of session.batches) batches.push(batch);
  assert.throws(() => session.lines[Symbol.asyncIterator](), /only once/);
  assert.equal((await session.result).lines, batches.flat().length);
});
