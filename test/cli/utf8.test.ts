/**
 * Issue 17 item 1: strace logs are UTF-8 (translated errno texts, raw paths and argv). Every verb shows
 * the same characters, text and JSON alike; a byte that is not UTF-8 stays visible (`\xNN`) and exact.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

let dir: string;
let log: string;
const errnoText = 'Недопустимый аргумент';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tasklens-utf8-'));
  log = join(dir, 'utf8.log');
  const lines = [
    '100 execve("/bin/echo", ["echo", "héllo"], 0x7ffd /* 1 var */) = 0',
    `100 openat(AT_FDCWD, "/tmp/caf\u00e9", O_RDONLY) = -1 EINVAL (${errnoText})`,
    '100 exit_group(0) = ?',
    '100 +++ exited with 0 +++',
  ];
  // One raw byte that is not UTF-8 (0xff) in a path, written byte for byte.
  const bad = Buffer.concat([Buffer.from('100 openat(AT_FDCWD, "/tmp/x'), Buffer.of(0xff), Buffer.from('", O_RDONLY) = 3\n')]);
  writeFileSync(log, Buffer.concat([Buffer.from(`${lines.slice(0, 2).join('\n')}\n`), bad, Buffer.from(`${lines.slice(2).join('\n')}\n`)]));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('explain shows argv, paths and the translated errno text as UTF-8, never as latin1 mojibake', () => {
  const r = runCli(['explain', log]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes('héllo'), r.stdout);
  assert.ok(r.stdout.includes(errnoText), r.stdout);
  assert.ok(r.stdout.includes('/tmp/café'), r.stdout);
  assert.ok(!/Ã|Ð/.test(r.stdout), `latin1 mojibake in: ${r.stdout}`);
  assert.ok(r.stdout.includes('/tmp/x\\xff'), 'the invalid byte is shown as \\xff');
});

test('tree shows the same argv as explain', () => {
  const r = runCli(['tree', log]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes('héllo'), r.stdout);
  assert.ok(!/Ã/.test(r.stdout), r.stdout);
});

test('explain --json keeps UTF-8 text as characters in raw and args', () => {
  const r = runCli(['explain', '--json', log]);
  assert.equal(r.status, 0, r.stderr);
  const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { line?: number; raw?: string });
  assert.ok(records.find((x) => x.line === 1)?.raw?.includes('"héllo"'));
  assert.ok(records.find((x) => x.line === 2)?.raw?.endsWith(`EINVAL (${errnoText})`));
  assert.ok(records.find((x) => x.line === 3)?.raw?.includes('/tmp/x\udcff'), 'the invalid byte as U+DC00+byte');
});
