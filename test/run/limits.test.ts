import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUnitLimits, checkUnit, limitsOf, suggestLimits } from '../../src/index.js';
import { runCliInProcess } from '../support/cli.js';
import { exited, stat, waitFor } from './live-helpers.js';

test('unit Limit*= lines: values, SOFT:HARD, infinity, NICE priorities; bad lines reported with their number', () => {
  const { limits, problems } = parseUnitLimits(
    ['[Service]', 'LimitNOFILE=1024:4096', 'LimitSTACK=8M', 'LimitCORE=infinity', 'LimitNICE=-5', 'LimitBOGUS=1', 'LimitNPROC=lots', 'LimitAS=', 'LimitCPU=1:2:3'].join('\n'),
  );
  assert.deepEqual(limits.map((l) => [l.info.name, l.soft, l.hard, l.line]), [
    ['NOFILE', 1024n, 4096n, 2],
    ['STACK', 8n << 20n, 8n << 20n, 3],
    ['CORE', 'unlimited', 'unlimited', 4],
    ['NICE', 25n, 25n, 5],
  ]);
  assert.deepEqual(problems.map((p) => p.line), [6, 7, 9]);
  assert.match(problems[0].message, /unknown limit directive LimitBOGUS=/);
});

test('a unit check finds only real mismatches; the last line for a resource wins', () => {
  const { rows } = limitsOf(process.pid);
  const nofile = rows.find((r) => r.info.name === 'NOFILE')!;
  const { limits } = parseUnitLimits(`LimitNOFILE=1\nLimitNOFILE=${nofile.soft}:${nofile.hard}\nLimitSTACK=1M:1M\n`);
  const findings = checkUnit(rows, limits);
  assert.deepEqual(findings.map((f) => [f.resource, f.line]), [['RLIMIT_STACK', 3]]);
});

test('suggestions never go below their floors nor above the hard limit', () => {
  const { rows } = limitsOf(process.pid);
  for (const s of suggestLimits(rows)) {
    const row = rows.find((r) => r.info === s.info)!;
    assert.ok(row.hard === 'unlimited' || (s.soft !== 'unlimited' && s.soft <= row.hard), s.unitLine);
    assert.match(s.runOption, /^--limit [A-Z]+=\S+$/);
  }
});

test('tasklens limits PID: limits, use from /proc, --unit mismatch exits 1, a match exits 0', async () => {
  const sleeper = spawn('prlimit', ['--nofile=300:400', '--stack=4194304:8388608', 'sleep', '60'], { stdio: 'ignore' });
  try {
    await waitFor('sleep exec\'d under prlimit', () => stat(sleeper.pid!)?.comm === 'sleep');
    const json = await runCliInProcess(['limits', '--json', String(sleeper.pid)]);
    assert.equal(json.status, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as { limits: Array<{ name: string; soft: string; hard: string; use?: string }> };
    const nofile = doc.limits.find((l) => l.name === 'NOFILE')!;
    assert.deepEqual([nofile.soft, nofile.hard], ['300', '400']);
    assert.ok(Number(nofile.use) >= 3, 'stdin, stdout, stderr at least');
    const stack = doc.limits.find((l) => l.name === 'STACK')!;
    assert.deepEqual([stack.soft, stack.hard], ['4194304', '8388608']);
    assert.ok(Number(stack.use) > 0);
    assert.ok(Number(doc.limits.find((l) => l.name === 'NPROC')!.use) >= 1);

    const dir = mkdtempSync(join(tmpdir(), 'tasklens-limits-'));
    const good = join(dir, 'good.service');
    writeFileSync(good, '[Service]\nExecStart=/bin/sleep 60\nLimitNOFILE=300:400\nLimitSTACK=4M:8M\n');
    const ok = await runCliInProcess(['limits', '--unit', good, String(sleeper.pid)]);
    assert.equal(ok.status, 0, ok.stdout);
    assert.match(ok.stdout, /the process has every limit the unit asks for/);
    const bad = join(dir, 'bad.service');
    writeFileSync(bad, '[Service]\nLimitNOFILE=1024\n');
    const mismatch = await runCliInProcess(['limits', '--unit', bad, String(sleeper.pid)]);
    assert.equal(mismatch.status, 1);
    assert.match(mismatch.stdout, /mismatch line 2: LimitNOFILE= asks for 1024:1024 but the process has 300:400/);
  } finally {
    sleeper.kill('SIGKILL');
    await exited(sleeper);
  }
});

test('tasklens limits on a pid that does not exist: exit 3', async () => {
  const result = await runCliInProcess(['limits', '4194000']);
  assert.equal(stat(4194000), undefined, 'the pid is free');
  assert.equal(result.status, 3, result.stderr);
  assert.match(result.stderr, /no such process: 4194000/);
});
