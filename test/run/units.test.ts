import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLimitSpec, outcomeOfStatus, exitCodeOf, resolveCommand, formatLimitValue, resourceByName, LimitSpecError } from '../../src/index.js';
import { parseDuration } from '../../src/cli/run.js';

test('--limit values take units per resource and bigint values', () => {
  const stack = parseLimitSpec('STACK=8M');
  assert.equal(stack.info.resource, 'RLIMIT_STACK');
  assert.equal(stack.soft, 8n * 1024n * 1024n);
  assert.equal(stack.hard, undefined);
  const nofile = parseLimitSpec('nofile=1024:4096');
  assert.deepEqual([nofile.soft, nofile.hard], [1024n, 4096n]);
  assert.deepEqual([parseLimitSpec('CORE=unlimited').soft, parseLimitSpec('RLIMIT_AS=2G:unlimited').hard], ['unlimited', 'unlimited']);
  assert.equal(parseLimitSpec('CPU=2m').soft, 120n);
  assert.equal(parseLimitSpec('RTTIME=5ms').soft, 5000n);
  assert.equal(parseLimitSpec('AS=16T').soft, 16n << 40n, 'beyond 2^53 stays exact');
  assert.equal(formatLimitValue(8n << 20n, resourceByName('STACK')), '8M');
});

test('--limit rejects what it cannot mean, saying why', () => {
  for (const [text, words] of [
    ['STACK', /NAME=SOFT/],
    ['FOO=1', /unknown resource 'FOO'/],
    ['NPROC=10M', /not a number/],
    ['STACK=8X', /not a size/],
    ['NOFILE=10:5', /soft limit is above the hard limit/],
    ['NOFILE=1:2:3', /SOFT:HARD/],
    ['NICE=', /SOFT/],
  ] as const) {
    assert.throws(() => parseLimitSpec(text), (e: unknown) => e instanceof LimitSpecError && words.test(e.message), text);
  }
});

test('wait status words decode to exit codes, 128+N for signals', () => {
  assert.deepEqual(outcomeOfStatus(7 << 8), { kind: 'exited', code: 7 });
  assert.deepEqual(outcomeOfStatus(15), { kind: 'killed', signal: 15, core: false });
  assert.deepEqual(outcomeOfStatus(0x80 | 11), { kind: 'killed', signal: 11, core: true });
  assert.equal(exitCodeOf(outcomeOfStatus(15)), 143);
  assert.equal(exitCodeOf(outcomeOfStatus(255 << 8)), 255);
});

test('commands resolve like execvp: 127 not found, 126 not executable or a directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-resolve-'));
  const plain = join(dir, 'plain');
  writeFileSync(plain, 'x');
  const script = join(dir, 'script');
  writeFileSync(script, '#!/bin/sh\n');
  chmodSync(script, 0o755);
  assert.deepEqual(resolveCommand('definitely-not-a-command-xyz'), { ok: false, exitCode: 127, reason: 'command not found' });
  assert.equal((resolveCommand(plain) as { exitCode: number }).exitCode, 126);
  assert.equal((resolveCommand(dir) as { exitCode: number }).exitCode, 126);
  assert.equal((resolveCommand(join(dir, 'missing')) as { exitCode: number }).exitCode, 127);
  assert.deepEqual(resolveCommand('script', { PATH: `/nonexistent:${dir}` }), { ok: true, path: script });
  assert.equal((resolveCommand('plain', { PATH: dir }) as { exitCode: number }).exitCode, 126);
  assert.equal(resolveCommand('sh').ok, true);
});

test('--stop-timeout durations', () => {
  assert.equal(parseDuration('10s'), 10_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1m'), 60_000);
  assert.equal(parseDuration('2.5'), 2500);
  assert.throws(() => parseDuration('soon'));
});
