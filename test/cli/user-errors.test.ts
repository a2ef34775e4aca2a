/**
 * Errors a user can cause get their own message and exit code (issue 9.9); "internal error" is for
 * bugs. An unreadable log gave `internal error: EACCES`, a -ff set larger than the descriptor limit
 * `internal error: EMFILE`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cliArgv, runCli, runCliInProcess } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';
import { parseFilesSync, readLinesSync } from '../../src/parse/index.js';
import { readLinesReopening } from '../../src/parse/file-lines.js';

const root = process.geteuid?.() === 0;
const tmp = mkdtempSync(join(tmpdir(), 'tasklens-user-errors-'));
chmodSync(tmp, 0o755);
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI as an unprivileged user when we are root (root reads any file). */
function runUnprivileged(args: string[]) {
  const r = spawnSync(process.execPath, [...cliArgv(), ...args], {
    encoding: 'utf8', cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000,
    ...(root ? { uid: 65534, gid: 65534 } : {}),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('an unreadable log: "cannot read FILE: permission denied", exit 77, for tree and explain', () => {
  const log = join(tmp, 'secret.log');
  writeFileSync(log, '100 close(3) = 0\n');
  chmodSync(log, 0o000);
  for (const verb of ['tree', 'explain']) {
    const r = runUnprivileged([verb, log]);
    assert.equal(r.status, 77, `${verb}: ${r.stderr}`);
    assert.match(r.stderr, /^tasklens: cannot read .*secret\.log: permission denied$/m, verb);
    assert.ok(!r.stderr.includes('internal error'), r.stderr);
    assert.equal(r.stdout, '', 'nothing printed before the error');
  }
});

test('missing file, directory: their own messages (exit 1), never "internal error"', () => {
  for (const verb of ['tree', 'explain']) {
    const missing = runCli([verb, join(tmp, 'no-such.log')]);
    assert.equal(missing.status, 1, missing.stderr);
    assert.match(missing.stderr, /^tasklens: cannot read .*no-such\.log: no such file$/m);
    const dir = runCli([verb, tmp]);
    assert.equal(dir.status, 1, dir.stderr);
    assert.match(dir.stderr, /is a directory, not a strace log/);
    for (const r of [missing, dir]) assert.ok(!r.stderr.includes('internal error'), r.stderr);
  }
});

/** 200 per-thread files of one process, their lines interleaved in time across files. */
function perThreadSet(files: number): string {
  const dir = join(tmp, `ff-${files}`);
  mkdirSync(dir);
  for (let i = 0; i < files; i++) {
    const tid = 1000 + i;
    const lines = [0, 1, 2].map((round) => `1700000000.${String(round * files + i).padStart(6, '0')} close(${i + 3}) = 0`);
    if (i > 0) lines.unshift(`1700000000.${String(i).padStart(6, '0')} set_robust_list(0x7f00, 24) = 0`);
    writeFileSync(join(dir, `t.${tid}`), `${lines.join('\n')}\n`);
  }
  return join(dir, 't');
}

test('-ff set larger than the descriptor limit (200 files, prlimit --nofile=64): parsed, not EMFILE', async () => {
  const set = perThreadSet(200);
  const limited = spawnSync('prlimit', ['--nofile=64', process.execPath, ...cliArgv(), 'tree', '--json', set], { encoding: 'utf8', cwd: repoRoot, maxBuffer: 64 << 20 });
  assert.equal(limited.status, 0, limited.stderr);
  assert.ok(!limited.stderr.includes('EMFILE'), limited.stderr);
  const free = await runCliInProcess(['tree', '--json', set]);
  assert.equal(free.status, 0, free.stderr);
  assert.equal(limited.stdout, free.stdout);
  const explain = spawnSync('prlimit', ['--nofile=64', process.execPath, ...cliArgv(), 'explain', '--brief', '--no-summary', set], { encoding: 'utf8', cwd: repoRoot, maxBuffer: 64 << 20 });
  assert.equal(explain.status, 0, explain.stderr);
  assert.equal(explain.stdout.split('\n').filter((l) => /close\(/.test(l)).length, 600);
});

test('the merge of many files keeps time order; the reopening reader gives the same lines at any chunk size', () => {
  const set = perThreadSet(40);
  const paths = Array.from({ length: 40 }, (_, i) => `${set}.${1000 + i}`);
  const times = [...parseFilesSync(paths)].map((e) => e.prefix.timeSec!);
  assert.equal(times.length, 40 * 3 + 39);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], `event ${i} out of order`);
  const text = join(tmp, 'lines.txt');
  writeFileSync(text, 'first line\n\nthird\r\na longer fourth line without newline');
  for (const chunk of [1, 2, 7, 4096]) assert.deepEqual([...readLinesReopening(text, chunk)], [...readLinesSync(text)], `chunk ${chunk}`);
});
