/**
 * The hand-written logs of test/fixtures/wild (old strace, current glibc and strace, i386, aarch64;
 * issue 17's acceptance set) are read completely: no unreadable line, no call left to the generic
 * description, no unknown syscall, no failure that matters (every failure in them is a normal one),
 * and the README lists each as hand-written. scripts/wild-stats.mjs prints the same counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';
import { parseFilesSync } from '../../src/parse/index.js';
import { explainAll } from '../../src/explain/index.js';

const dir = join(repoRoot, 'test', 'fixtures', 'wild');
const logs = readdirSync(dir).filter((f) => f.endsWith('.strace')).sort();

test('the wild set has the old, current, i386 and aarch64 logs, each listed as hand-written', () => {
  assert.ok(logs.length >= 5, logs.join(' '));
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  assert.match(readme, /written by hand/);
  for (const log of logs) assert.ok(readme.includes(`\`${log}\``), `${log} is not in the README`);
});

for (const log of logs) {
  test(`wild log ${log} is read and explained completely`, () => {
    const { items, summary } = explainAll(parseFilesSync([join(dir, log)]));
    assert.equal(summary.unknownLines, 0);
    assert.deepEqual(summary.unknownSyscalls, []);
    assert.deepEqual(items.filter((i) => i.explanation?.generic).map((i) => i.event.line), []);
    assert.deepEqual(summary.failures, []);
    for (const item of items) assert.doesNotMatch(item.explanation?.text ?? '', /installs a handler at \{|sleeps for \{|not in our tables|process 0\b/, `line ${item.event.line}`);
  });
}

test('the ABI of each architecture log is detected', () => {
  const abi = (log: string): string => explainAll(parseFilesSync([join(dir, log)])).summary.abi.abi;
  assert.equal(abi('i386.hand.strace'), 'i386');
  assert.equal(abi('aarch64.hand.strace'), 'aarch64');
  assert.equal(abi('old-strace.hand.strace'), 'x86_64');
});
