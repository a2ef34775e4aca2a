/**
 * The corpus generator (scripts/gen-corpus.mjs) run on a few cases with real strace, and the committed
 * fixture subset checked for completeness, size and normalisation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, straceFixtures } from '../support/paths.js';

type CorpusModule = typeof import('../../scripts/gen-corpus.mjs');
const loadCorpus = async (): Promise<CorpusModule> => import(pathToFileURL(join(repoRoot, 'scripts', 'gen-corpus.mjs')).href);

test('generateCorpus runs workloads under real strace and writes logs with META', { timeout: 60_000 }, async () => {
  const { generateCorpus, corpusCases } = await loadCorpus();
  const outDir = mkdtempSync(join(tmpdir(), 'tasklens-corpus-test-'));
  try {
    const wanted = ['forkexec.f_o', 'threads.ff', 'syntax.f_mixed', 'signals.f_stderr', 'sleeper.attach_f_tt'];
    assert.ok(wanted.every((name) => corpusCases().some((c) => c.name === name)));
    const { entries, skipped } = await generateCorpus({ outDir, only: (name) => wanted.includes(name) });
    assert.deepEqual(skipped, []);
    assert.deepEqual(entries.map((e) => e.name).sort(), [...wanted].sort());
    for (const entry of entries) {
      const meta = JSON.parse(readFileSync(join(outDir, `${entry.name}.meta.json`), 'utf8'));
      assert.match(meta.straceVersion, /^strace -- version \d+\.\d+/);
      assert.ok(meta.kernel.length > 0);
      assert.equal(meta.command[0], 'strace');
      assert.ok(meta.files.length > 0);
      for (const file of meta.files) assert.ok(statSync(join(outDir, file)).size > 0, file);
    }
    const byName = new Map(entries.map((e) => [e.name, e]));
    assert.equal(byName.get('forkexec.f_o')!.exitCode, 0);
    const forkexec = readFileSync(byName.get('forkexec.f_o')!.paths[0], 'latin1');
    assert.match(forkexec, /^\d+ +\+\+\+ exited with 3 \+\+\+$/m, 'the child exiting with 3');
    const perThread = byName.get('threads.ff')!.files;
    assert.equal(perThread.length, 5, `main + 4 threads: ${perThread.join(' ')}`);
    assert.ok(perThread.every((f) => /^threads\.ff\.strace\.\d+$/.test(f)));
    assert.match(readFileSync(byName.get('syntax.f_mixed')!.paths[0], 'latin1'), /^\)\s+= \d+$/m, 'tracee output spliced into the log');
    assert.match(readFileSync(byName.get('signals.f_stderr')!.paths[0], 'latin1'), /killed by SIGABRT \(core dumped\)/);
    const attach = byName.get('sleeper.attach_f_tt')!;
    assert.equal(attach.signal, 'SIGINT', 'strace detached on SIGINT');
    assert.match(attach.straceStderr, /attached with 3 threads/);
    assert.equal(readdirSync('/tmp').filter((f) => f.startsWith('tasklens-core-')).length, 0, 'no core dump directory left behind');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

test('the corpus takes in the hand-written logs (old strace, i386, aarch64, glibc 2.41+), marked as hand-written', async () => {
  const { addHandWritten, handWrittenDir } = await loadCorpus();
  const outDir = mkdtempSync(join(tmpdir(), 'tasklens-corpus-hand-'));
  try {
    const entries = addHandWritten({ outDir });
    const sources = readdirSync(handWrittenDir).filter((f) => f.endsWith('.hand.strace')).sort();
    assert.deepEqual(entries.map((e) => e.source), sources.map((f) => `test/fixtures/wild/${f}`));
    for (const name of ['wild.old-strace', 'wild.i386', 'wild.aarch64', 'wild.glibc-2.41-strace-6.13']) {
      assert.ok(entries.some((e) => e.name === name), name);
    }
    for (const entry of entries) {
      const meta = JSON.parse(readFileSync(entry.metaPath, 'utf8'));
      assert.equal(meta.handWritten, true);
      assert.deepEqual(readFileSync(entry.paths[0]), readFileSync(join(repoRoot, entry.source)));
    }
    assert.deepEqual(addHandWritten({ outDir, only: /i386/ }).map((e) => e.name), ['wild.i386']);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

test('committed fixtures: every one listed, with its META, small, pids normalised', { timeout: 60_000 }, async () => {
  const { FIXTURES } = await loadCorpus();
  const files = readdirSync(straceFixtures);
  const readme = readFileSync(join(straceFixtures, 'README.md'), 'utf8');
  let total = 0;
  for (const file of files) total += statSync(join(straceFixtures, file)).size;
  assert.ok(total < 500_000, `fixtures total ${total} bytes`);
  for (const fixture of FIXTURES) {
    assert.ok(files.includes(`${fixture.case}.meta.json`), fixture.case);
    assert.ok(readme.includes(`\`${fixture.case}\``), `README lists ${fixture.case}`);
    const meta = JSON.parse(readFileSync(join(straceFixtures, `${fixture.case}.meta.json`), 'utf8'));
    assert.ok(meta.channel && Array.isArray(meta.flags) && meta.files.length > 0);
    for (const pid of Object.values<string>(meta.normalised.pids)) assert.match(pid, /^10*\d{1,2}$/, `normalised pid ${pid}`);
    const mapped = new Set(Object.values<string>(meta.normalised.pids));
    for (const file of meta.files) {
      const tid = /\.strace\.(\d+)$/.exec(file)?.[1];
      if (tid) assert.ok(mapped.has(tid), `-ff file ${file} is named by its normalised tid`);
    }
    const texts = meta.files.map((file: string) => readFileSync(join(straceFixtures, file), 'latin1'));
    for (const re of fixture.must ?? []) assert.match(texts.join('\n'), re, `${fixture.case} shows ${re}`);
    for (const [i, file] of meta.files.entries()) {
      const text = texts[i];
      assert.ok(text.length < 16_000, `${file} is ${text.length} bytes`);
      const leftover = Object.keys(meta.normalised.pids).filter((pid) => new RegExp(`(?<![0-9.xX])${pid}(?![0-9])`).test(text));
      assert.deepEqual(leftover, [], `${file}: original pids left`);
    }
  }
  const strays = files.filter((f) => f !== 'README.md' && !FIXTURES.some((x) => f.startsWith(`${x.case}.`)));
  assert.deepEqual(strays, []);
});
