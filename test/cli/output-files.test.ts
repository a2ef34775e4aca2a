/**
 * `trace -o FILE` / `--out FILE` (issue 9.7): checked before the program starts (exit 2), no clobbering
 * without --force, no planted symlink followed, one file per option, and every write error a failure
 * that names the program's own exit code (a full disk exited 0 in 4 runs of 10).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, linkSync, lchownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { cliArgv, runCli } from '../support/cli.js';
import { discardOutputs, openOutputs } from '../../src/cli/output-files.js';
import { TasklensError } from '../../src/errors.js';

const root = process.geteuid?.() === 0;
const tmp = mkdtempSync(join(tmpdir(), 'tasklens-output-test-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** A command that leaves a mark when it runs: the checks must come before it. */
function marking(name: string): { args: string[]; ran: () => boolean } {
  const marker = join(tmp, `ran-${name}`);
  return { args: ['--', 'touch', marker], ran: () => existsSync(marker) };
}

test('-o and --out naming the same file: exit 2, nothing runs, nothing is created', () => {
  const m = marking('same');
  const file = join(tmp, 'same.log');
  const r = runCli(['trace', '-o', file, '--out', file, ...m.args]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^tasklens: --out .*same\.log: is also the file of -o; give each its own file$/m);
  assert.ok(!m.ran(), 'the program ran');
  assert.ok(!existsSync(file));
  // Two names of one file (a hard link) are the same file too.
  const a = join(tmp, 'a.log');
  writeFileSync(a, '');
  linkSync(a, join(tmp, 'b.log'));
  assert.throws(() => openOutputs([{ option: '-o', path: a }, { option: '--out', path: join(tmp, 'b.log') }]), (e: unknown) => e instanceof TasklensError && /is the same file as -o/.test(e.message));
});

test('a bad output path is exit 2 before the program runs (it was reported after)', () => {
  for (const [option, path, reason] of [
    ['-o', join(tmp, 'no-such-dir', 'x.log'), /the directory .*no-such-dir does not exist/],
    ['--out', join(tmp, 'no-such-dir', 'x.log'), /the directory .*no-such-dir does not exist/],
    ['-o', tmp, /is a directory/],
  ] as const) {
    const m = marking(`bad-${option}`);
    const r = runCli(['trace', option, path, ...m.args]);
    assert.equal(r.status, 2, `${option} ${path}: ${r.stderr}`);
    assert.match(r.stderr, reason);
    assert.ok(!m.ran(), `${option} ${path}: the program ran`);
  }
});

test('an existing file is not replaced without --force; with it, it is', () => {
  const file = join(tmp, 'existing.log');
  writeFileSync(file, 'keep me\n');
  const m = marking('exists');
  const r = runCli(['trace', '-o', file, ...m.args]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^tasklens: -o .*existing\.log: already exists \(8 bytes\); not replacing it\nhint: add --force/m);
  assert.equal(readFileSync(file, 'utf8'), 'keep me\n');
  assert.ok(!m.ran());
  const forced = runCli(['trace', '--force', '-o', file, '--', 'sh', '-c', 'exit 5']);
  assert.equal(forced.status, 5, forced.stderr);
  assert.match(readFileSync(file, 'latin1'), /execve\(/);
  assert.ok(!readFileSync(file, 'latin1').includes('keep me'));
});

test('a symlink someone else could have planted is never followed, even with --force; /dev/stdout is fine', () => {
  const victim = join(tmp, 'victim');
  writeFileSync(victim, 'precious\n');
  const shared = join(tmp, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o777); // writable by all, not sticky: whoever can write here could have made the link
  const links = [join(shared, 'trace.log')];
  symlinkSync(victim, links[0]);
  if (root) {
    links.push(join(tmp, 'foreign-link.log'));
    symlinkSync(victim, links[1]);
    lchownSync(links[1], 65534, 65534);
  }
  for (const link of links) {
    for (const option of ['-o', '--out']) {
      const r = runCli(['trace', '--force', option, link, '--', 'true']);
      assert.equal(r.status, 2, `${option} ${link}: ${r.stderr}`);
      assert.match(r.stderr, /is a symbolic link (owned by uid 65534|in a directory others can write); refusing to follow it/);
    }
  }
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  // A trusted link (root's, in root's /dev) is followed. Through a real pipe: node's own stdio pipes
  // are socket pairs, which /proc/self/fd/1 cannot reopen (ENXIO, as for `echo >/dev/stdout`).
  const stdout = spawnSync('sh', ['-c', '"$0" "$@" | cat', process.execPath, ...cliArgv(), 'trace', '--out', '/dev/stdout', '--', 'true'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(stdout.status, 0, stdout.stderr);
  assert.match(stdout.stdout, /execve/);
});

test('write errors: a full disk or an unwritable file fails with the program\'s own exit code in the message, every time', () => {
  for (let i = 0; i < 8; i++) {
    const r = runCli(['trace', '-o', '/dev/full', '--', 'sh', '-c', 'exit 3']);
    assert.equal(r.status, 1, `run ${i}: ${r.stderr}`);
    assert.match(r.stderr, /^tasklens: cannot write the raw log to \/dev\/full: no space left on device; the traced program exited with code 3$/m);
  }
  const timeline = runCli(['trace', '--out', '/dev/full', '--', 'sh', '-c', 'exit 4']);
  assert.equal(timeline.status, 1, timeline.stderr);
  assert.match(timeline.stderr, /^tasklens: cannot write the timeline to \/dev\/full: no space left on device; the traced program exited with code 4$/m);
  for (const option of ['-o', '--out']) {
    const r = runCli(['trace', option, '/proc/version', '--', 'true']);
    if (root) {
      // root may open it for writing; the write itself fails (EIO).
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /cannot write the (raw log|timeline) to \/proc\/version: input\/output error; the traced program exited with code 0/);
    } else {
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /\/proc\/version: cannot create or open it: permission denied/);
    }
  }
});

test('openOutputs leaves nothing behind when it refuses, and discardOutputs removes what it created', () => {
  const fresh = join(tmp, 'fresh.log');
  const opened = openOutputs([{ option: '-o', path: fresh }]);
  assert.ok(existsSync(fresh));
  discardOutputs(opened);
  assert.ok(!existsSync(fresh));
  assert.throws(() => openOutputs([{ option: '-o', path: join(tmp, 'one.log') }, { option: '--out', path: tmp }]), /is a directory/);
  assert.ok(!existsSync(join(tmp, 'one.log')), 'the first file was removed when the second was refused');
});
