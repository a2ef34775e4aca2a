/**
 * The lab cache runs what it finds, often as root: a directory another user can write, a symlink, or
 * a planted log symlink must never lead to running their program or overwriting a file (issue 9.1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LABS, buildKey, compilerVersion, ensurePrivateDir, chooseLabCacheDir, runLab } from '../../src/lab/index.js';
import { TasklensError } from '../../src/errors.js';
import { findExecutable } from '../../src/capture/locate.js';
import { packageRoot } from '../../src/paths.js';
import { runCli } from '../support/cli.js';
import { tempCache } from './support.js';

const root = process.geteuid?.() === 0;
const uid = process.geteuid?.() ?? 0;
const scratch = tempCache();

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TasklensError, String(error));
    assert.equal(error.code, 'unsafe-dir', error.message);
    return error.message;
  }
  assert.fail('expected a refusal');
}

test('a private directory: created 0700 one component at a time, reused when it is ours', () => {
  const dir = ensurePrivateDir(join(scratch, 'a', 'b', 'c'));
  assert.equal(dir, join(scratch, 'a', 'b', 'c'));
  for (const p of ['a', 'a/b', 'a/b/c']) assert.equal(lstatSync(join(scratch, p)).mode & 0o777, 0o700, p);
  assert.equal(ensurePrivateDir(dir), dir);
});

test('refused: a directory writable by others, one owned by someone else, a symlink, a foreign parent', () => {
  const open = join(scratch, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  assert.match(refusal(() => ensurePrivateDir(open)), /open: it is writable by group and others \(mode 0777\)/);
  // Below a directory others can write (and not sticky), even a directory of ours could be swapped.
  mkdirSync(join(open, 'inner'), { mode: 0o700 });
  assert.match(refusal(() => ensurePrivateDir(join(open, 'inner'))), /writable by group and others and not sticky/);
  assert.match(refusal(() => ensurePrivateDir(join(open, 'new', 'dir'))), /not sticky/);
  assert.ok(!existsSync(join(open, 'new')), 'nothing is created below an unsafe parent');

  // Someone else's directory: as root, made so with chown; otherwise /usr (root's) is someone else's.
  let foreign = '/usr';
  if (root) {
    foreign = join(scratch, 'foreign');
    mkdirSync(foreign, { mode: 0o700 });
    chownSync(foreign, 65534, 65534);
  }
  assert.match(refusal(() => ensurePrivateDir(foreign)), new RegExp(`is owned by uid \\d+, not by the user running tasklens \\(uid ${uid}\\)`));

  const link = join(scratch, 'link');
  mkdirSync(join(scratch, 'target'), { mode: 0o700 });
  symlinkSync(join(scratch, 'target'), link);
  assert.match(refusal(() => ensurePrivateDir(link)), /link: it is a symbolic link/);
});

test('HOME=/proc/1: the cache choice ends at once (it looped for ever in a recursive mkdir)', () => {
  const cache = fileURLToPath(new URL('../../src/lab/cache.js', import.meta.url));
  const script = `import(${JSON.stringify(cache)}).then((m) => console.log(m.chooseLabCacheDir({ HOME: '/proc/1' }).dir))`;
  const tmp = mkdtempSync(join(scratch, 'tmp-'));
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, TMPDIR: tmp } });
  assert.equal(result.signal, null, 'killed by the timeout: the mkdir loop is back');
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), join(tmp, `tasklens-labs-${uid}`));
});

test('an unsafe default cache is skipped with a note, and a fresh private directory is used', () => {
  const tmp = mkdtempSync(join(scratch, 'tmp-'));
  const planted = join(tmp, `tasklens-labs-${uid}`);
  mkdirSync(planted);
  chmodSync(planted, 0o777);
  const choice = chooseLabCacheDir({ HOME: '/proc/1' }, tmp);
  assert.ok(choice.fresh);
  assert.notEqual(choice.dir, planted);
  assert.equal(lstatSync(choice.dir).mode & 0o777, 0o700);
  assert.match(choice.notes.join('\n'), /not using the lab cache .*tasklens-labs-\d+: it is writable by group and others/);
});

test('a binary planted in a predictable cache is never run (lab zombies through the CLI)', async () => {
  const gcc = findExecutable('gcc');
  assert.ok(gcc, 'gcc is needed by the lab tests');
  const version = await compilerVersion(gcc);
  const lab = LABS.find((l) => l.id === 'zombies')!;
  const marker = join(scratch, 'planted-binary-ran');
  const variants: Array<[string, (dir: string) => void]> = [['mode 0777', (dir) => chmodSync(dir, 0o777)]];
  if (root) variants.push(['owned by uid 65534', (dir) => chownSync(dir, 65534, 65534)]);
  for (const [what, spoil] of variants) {
    const tmp = mkdtempSync(join(scratch, 'tmp-'));
    const planted = join(tmp, `tasklens-labs-${uid}`);
    for (const program of lab.programs) {
      const key = buildKey(readFileSync(join(packageRoot, 'labs', lab.id, program.source)), version);
      const binary = join(planted, lab.id, key, program.name);
      mkdirSync(join(planted, lab.id, key), { recursive: true, mode: 0o700 });
      writeFileSync(binary, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o700 });
    }
    spoil(planted);
    const result = runCli(['lab', lab.id, '--brief'], { env: { HOME: '/dev/null', XDG_CACHE_HOME: '', TMPDIR: tmp } });
    assert.equal(result.status, 0, `${what}: ${result.stderr}`);
    assert.ok(!existsSync(marker), `${what}: the planted binary ran`);
    assert.match(result.stderr, /tasklens: not using the lab cache .*tasklens-labs-\d+: it (is writable by group and others|is owned by uid 65534)/, what);
    assert.match(result.stderr, /tasklens: using a fresh private directory for this run: /, what);
  }
});

test('--cache-dir that others can write is refused with exit 2, before anything is built', () => {
  const open = join(scratch, 'shared');
  mkdirSync(open);
  chmodSync(open, 0o777);
  const result = runCli(['lab', 'zombies', '--cache-dir', open]);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /^tasklens: refusing to use .*shared: it is writable by group and others \(mode 0777\)$/m);
  assert.ok(!existsSync(join(open, 'zombies')), 'nothing was built there');
});

test('a symlink planted at the log paths is never followed: the victim file stays intact', async () => {
  const cacheDir = mkdtempSync(join(scratch, 'cache-'));
  const labDir = join(cacheDir, 'zombies');
  mkdirSync(labDir, { mode: 0o700 });
  const victims = [join(scratch, 'victim-partial'), join(scratch, 'victim-final')];
  for (const v of victims) writeFileSync(v, 'precious\n');
  // The old temporary name (pid-derived, predictable) and the stable name.
  symlinkSync(victims[0], join(labDir, `zombies.strace.log.${process.pid}.tmp`));
  symlinkSync(victims[1], join(labDir, 'zombies.strace.log'));
  const run = await runLab('zombies', { cacheDir });
  for (const v of victims) assert.equal(readFileSync(v, 'utf8'), 'precious\n', v);
  const log = run.runs[0].trace.log;
  assert.equal(log, join(labDir, 'zombies.strace.log'));
  assert.ok(lstatSync(log).isFile(), 'the stable log name is now a regular file (the symlink was replaced, not followed)');
  assert.match(readFileSync(log, 'latin1'), /execve\("\.\/zombies"/);
  rmSync(join(labDir, `zombies.strace.log.${process.pid}.tmp`));
});
