/**
 * `tasklens explain` as a user runs it (fixtures and stdin), every corpus syscall explained beyond the
 * generic description, and a real dynamically linked program traced with real strace, explained both
 * from its log and live with `tasklens trace --full --explain`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliInProcess } from '../support/cli.js';
import { straceFixtures } from '../support/paths.js';
import { parseFilesSync } from '../../src/parse/index.js';
import { explainAll } from '../../src/explain/index.js';

const fixture = (name: string): string => join(straceFixtures, name);

test('every syscall name in the corpus fixtures gets an argument-aware (non-generic) explanation', () => {
  const metas = readdirSync(straceFixtures).filter((f) => f.endsWith('.meta.json'));
  const names = new Set<string>();
  const generic = new Set<string>();
  for (const m of metas) {
    const meta = JSON.parse(readFileSync(fixture(m), 'utf8')) as { files: string[] };
    const { items } = explainAll(parseFilesSync(meta.files.map(fixture)));
    for (const item of items) {
      if (item.event.kind !== 'syscall') continue;
      names.add(item.event.name);
      if (item.explanation?.generic) generic.add(item.event.name);
    }
  }
  assert.ok(names.size >= 40, `only ${names.size} distinct syscalls in the corpus`);
  assert.deepEqual([...generic], []);
});

test('explain prints explanations, pattern headers and a summary', async () => {
  const r = await runCliInProcess(['explain', fixture('threads.f_o.strace')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /┌─ thread creation \(pthread_create\): thread 10002/);
  assert.match(r.stdout, /↳ reserves 8 MiB \+ 4 KiB of address space with no access for a thread stack/);
  assert.match(r.stdout, /Summary: 1 process, 5 tasks/);
  assert.match(r.stdout, /failures that are normal:\n\s+ioctl ENOTTY/);
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when not a terminal');
});

test('--brief is one line per event; --only filters by pattern, category, syscall', async () => {
  const brief = await runCliInProcess(['explain', '--brief', '--no-summary', fixture('forkexec.f_o.strace')]);
  assert.equal(brief.status, 0, brief.stderr);
  const eventLines = brief.stdout.split('\n').filter((l) => /^\s+\d+ /.test(l));
  assert.equal(eventLines.length, 76);
  const only = await runCliInProcess(['explain', '--brief', '--no-summary', '--only', 'thread-exit', fixture('threads.f_o.strace')]);
  const lines = only.stdout.split('\n').filter((l) => /^\s+\d+ /.test(l));
  assert.ok(lines.length >= 16, `${lines.length} lines`);
  assert.ok(lines.every((l) => l.includes('thread-exit#')));
  const mem = await runCliInProcess(['explain', '--brief', '--no-summary', '--only', 'memory,futex', fixture('threads.f_o.strace')]);
  assert.ok(mem.stdout.split('\n').filter((l) => /^\s+\d+ /.test(l)).every((l) => /\b(mmap|mprotect|madvise|brk|futex)\(/.test(l)));
});

test('--json: one record per event with explanation and decoded flags, then a summary record', async () => {
  const r = await runCliInProcess(['explain', '--json', '--man', fixture('threads.f_o.strace')]);
  assert.equal(r.status, 0, r.stderr);
  const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  const summary = records.pop()!;
  assert.equal(summary.kind, 'summary');
  assert.equal(summary.threads, 5);
  const clone3 = records.find((x) => x.syscall === 'clone3')!;
  assert.equal(clone3.tid, 10001);
  assert.ok(clone3.explanation.decoded.flags.some((f: { name: string; meaning: string }) => f.name === 'CLONE_THREAD' && f.meaning.length > 10));
  assert.equal(clone3.partOf[0].id, 'thread-create');
  assert.ok(records.every((x) => typeof x.line === 'number' && x.explanation?.text));
  if (spawnSync('sh', ['-c', 'test -e /usr/share/man/man2/mmap.2.gz']).status === 0) assert.equal(records.find((x) => x.syscall === 'mmap')!.man, 'man 2 mmap');
});

test('reads stdin with -, and -ff file sets by their prefix', async () => {
  const input = readFileSync(fixture('pipeline.f_o.strace'), 'utf8');
  const r = await runCliInProcess(['explain', '--brief', '-'], { input });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /pipe \+ dup2: 10002 \| 10003/);
  const ff = await runCliInProcess(['explain', '--brief', fixture('pipeline.ff.strace')]);
  assert.equal(ff.status, 0, ff.stderr);
  assert.match(ff.stdout, /makes stdout a copy of fd 4/);
});

test('errors: a missing file, an unknown --only value', async () => {
  const missing = await runCliInProcess(['explain', '/nonexistent/trace.log']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read \/nonexistent\/trace\.log: no such file/);
  const bad = await runCliInProcess(['explain', '--only', 'nonsense', fixture('threads.f_o.strace')]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown pattern, category or syscall "nonsense"/);
  assert.match(bad.stderr, /hint: patterns: loader-startup/);
});


test('names from the log or the command line never reach Object.prototype', async () => {
  const log = ['100 constructor(1, 2) = 0', '100 toString("x") = 0', '100 __proto__(3) = 0', '100 newfstatat(3, "", {st_mode=S_IFconstructor, st_size=1}, AT_EMPTY_PATH) = 0', '100 +++ exited with 0 +++', ''].join('\n');
  const r = await runCliInProcess(['explain', '-'], { input: log });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /a system call our tables do not know \(constructor\)/);
  assert.match(r.stdout, /a system call our tables do not know \(toString\)/);
  assert.match(r.stdout, /reads the metadata of fd 3: 1 byte\n/, 'an unknown file type is left out, not looked up on the prototype');
  assert.doesNotMatch(r.stdout, /function|native code|\[object/);
  for (const word of ['constructor', 'toString', '__proto__']) {
    const only = await runCliInProcess(['explain', '--only', word, '-'], { input: log });
    assert.equal(only.status, 2, `--only ${word}`);
  }
  const tree = await runCliInProcess(['tree', '-'], { input: log });
  assert.equal(tree.status, 0, tree.stderr);
});
test('a real dynamically linked program under real strace: loader start-up recognised, preload probe normal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-explain-'));
  try {
    const log = join(dir, 'true.strace');
    const traced = spawnSync('strace', ['-f', '-o', log, '/bin/true'], { encoding: 'utf8' });
    assert.equal(traced.status, 0, traced.stderr);
    const { items, summary } = explainAll(parseFilesSync([log]));
    const loader = items.flatMap((i) => i.patternsStarting).find((p) => p.id === 'loader-startup');
    assert.ok(loader, 'loader start-up named');
    assert.match(loader.summary, /libc\.so\.6/);
    const preload = items.find((i) => i.event.kind === 'syscall' && /ld\.so\.preload/.test(i.event.argsText));
    if (preload && (preload.event as { ret?: { errno?: string } }).ret?.errno === 'ENOENT') assert.ok(preload.explanation!.benign);
    assert.deepEqual(summary.failures, []);
    const relro = items.filter((i) => /RELRO/.test(i.explanation?.text ?? ''));
    assert.ok(relro.length >= 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tasklens trace --full --explain shows explanations and the loader pattern live', () => {
  const r = runCli(['trace', '--full', '--explain', '--out', '-', '--', '/bin/true']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /┌─ dynamic loader start-up of true/);
  assert.match(r.stdout, /↳ .*ld\.so\.preload/);
  const json = runCli(['trace', '--full', '--explain', '--json', '--out', '-', '--', '/bin/true']);
  assert.equal(json.status, 0, json.stderr);
  const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { explanation?: { text: string } });
  assert.ok(records.length > 10 && records.every((x) => x.explanation?.text));
});
