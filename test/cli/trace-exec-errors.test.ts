/**
 * `trace -- CMD` when CMD cannot run: a shell's exit codes (issue 10 item 10). Something that exists
 * but cannot be executed is 126 ("permission denied / not executable", a directory); nothing by that
 * name is 127 ("not found").
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'tasklens-exec-errors-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('trace -- /etc/passwd (exists, not executable): 126, permission denied / not executable', () => {
  const r = runCli(['trace', '--', '/etc/passwd']);
  assert.equal(r.status, 126, r.stderr);
  assert.match(r.stderr, /^tasklens: cannot execute \/etc\/passwd: permission denied \(not executable\)$/m);
  assert.doesNotMatch(r.stderr, /not found/);
});

test('a non-executable script found on PATH: 126 naming where it was found', () => {
  const bin = join(tmp, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'tasklens-noexec'), '#!/bin/sh\necho hi\n', { mode: 0o644 });
  const r = runCli(['trace', '--', 'tasklens-noexec'], { env: { PATH: `${bin}:${process.env.PATH}` } });
  assert.equal(r.status, 126, r.stderr);
  assert.match(r.stderr, new RegExp(`cannot execute ${join(bin, 'tasklens-noexec')}: permission denied`));
  assert.doesNotMatch(r.stderr, /strace/, 'tasklens says it, not strace');
});

test('a directory: 126; a missing program: 127', () => {
  const dir = runCli(['trace', '--', tmp]);
  assert.equal(dir.status, 126, dir.stderr);
  assert.match(dir.stderr, /is a directory/);
  const missing = runCli(['trace', '--', join(tmp, 'no-such-program')]);
  assert.equal(missing.status, 127, missing.stderr);
  assert.match(missing.stderr, /command not found/);
});
