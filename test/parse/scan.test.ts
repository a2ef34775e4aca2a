/** Argument scanning: the scan hands its boundaries to the caller's ArgBoundaries, never to module state. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgBoundaries, findArgsEnd } from '../../src/parse/scan.js';
import { parseText } from '../../src/parse/index.js';

test('each ArgBoundaries keeps the boundaries of its own scan; another scan in between changes nothing', () => {
  const openat = 'openat(AT_FDCWD, "/etc/a, b", O_RDONLY) = 3';
  const read = 'read(3, "x", 1) = 1';
  const first = new ArgBoundaries();
  const second = new ArgBoundaries();
  assert.equal(findArgsEnd(openat, 7, first), openat.indexOf(') = '));
  assert.equal(findArgsEnd(read, 5, second), read.indexOf(') = '));
  findArgsEnd('close(3) = 0', 6); // a scan without boundaries touches neither
  assert.deepEqual(first.argBreaks(), [8, 21]); // the `, ` inside the string is not a boundary
  assert.deepEqual(second.argBreaks(), [1, 6]);
});

test('an opener keeps the boundaries within its argument text; a scan ending inside a bracket keeps none', () => {
  const bounds = new ArgBoundaries();
  const opener = 'wait4(-1, <unfinished ...>';
  assert.equal(findArgsEnd(opener, 6, bounds), -1);
  assert.equal(bounds.argBreaks(), undefined);
  assert.deepEqual(bounds.openerBreaks('-1, '.length), [2]);
  assert.equal(findArgsEnd('poll([{fd=3, events=POLLIN}, <unfinished ...>', 5, bounds), -1);
  assert.equal(bounds.openerBreaks(30), undefined);
});

test('joined halves split at the boundaries both scans noted, the same as splitting the joined text', () => {
  const events = parseText(['5 read(3,  <unfinished ...>', '6 getpid() = 6', '5 <... read resumed>"a, b", 832) = 4'].join('\n'));
  const read = events.find((e) => e.kind === 'syscall' && e.name === 'read');
  assert.ok(read && read.kind === 'syscall');
  assert.deepEqual(read.args.map((v) => v.t), ['int', 'str', 'int']);
  assert.equal(read.args.length, 3);
});
