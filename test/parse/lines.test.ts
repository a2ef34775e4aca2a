/**
 * The one line splitter: UTF-8 with invalid bytes kept losslessly, CR and colour codes removed, lines
 * split across chunks, and the line cap (an over-long line is reported with its length, the next lines
 * still parse).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineSplitter, readLines, lineBytes, escapedByte, parseFile, parseFiles, parseText, parseStream, type Line, type TraceEvent } from '../../src/parse/index.js';

function split(chunks: Buffer[], maxLineBytes?: number): Line[] {
  const splitter = new LineSplitter(maxLineBytes === undefined ? {} : { maxLineBytes });
  const lines: Line[] = [];
  for (const chunk of chunks) splitter.push(chunk, (l) => lines.push(l));
  const last = splitter.end();
  if (last !== undefined) lines.push(last);
  return lines;
}

test('splitter: joins lines across chunks, keeps an unterminated last line, strips CR and colour codes', () => {
  const lines = split([Buffer.from('one\r\ntw'), Buffer.from('o\n\n'), Buffer.from('x'.repeat(100)), Buffer.from('y\n\x1b[31mred\x1b[0m\r\nlast')]);
  assert.deepEqual(lines, ['one', 'two', '', `${'x'.repeat(100)}y`, 'red', 'last']);
});

test('splitter: the same colour-coded CRLF line gives the same text whether it arrives whole or in pieces', () => {
  const bytes = Buffer.from('\x1b[1mwrite\x1b[0m(1, "caf\u00e9", 5) = 5\r\n');
  const whole = split([bytes]);
  const bytewise = split([...bytes].map((b) => Buffer.of(b)));
  assert.deepEqual(whole, ['write(1, "café", 5) = 5']);
  assert.deepEqual(bytewise, whole);
});

test('splitter: UTF-8 is decoded (also when a character is cut by a chunk boundary)', () => {
  const bytes = Buffer.from('openat(AT_FDCWD, "x", O_RDONLY) = -1 EINVAL (Недопустимый аргумент)\n');
  const cut = bytes.indexOf(Buffer.from('Н')) + 1; // inside the two-byte character
  assert.deepEqual(split([bytes.subarray(0, cut), bytes.subarray(cut)]), ['openat(AT_FDCWD, "x", O_RDONLY) = -1 EINVAL (Недопустимый аргумент)']);
});

test('splitter: invalid UTF-8 bytes are kept as U+DC80..U+DCFF and give back the exact bytes', () => {
  const raw = Buffer.concat([Buffer.from('a '), Buffer.of(0xff, 0xc3, 0x28, 0xe2, 0x82), Buffer.from(' é \ud83d\ude00 z')]);
  const [line] = split([Buffer.concat([raw, Buffer.from('\n')])]) as string[];
  assert.equal(line, 'a \udcff\udcc3(\udce2\udc82 é \ud83d\ude00 z');
  assert.equal(escapedByte(line.charCodeAt(2)), 0xff);
  assert.equal(escapedByte('é'.charCodeAt(0)), -1);
  assert.deepEqual(lineBytes(line), raw, 'lossless round trip');
  // Overlong encodings and encoded surrogates are invalid too, byte by byte.
  const [bad] = split([Buffer.of(0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x0a)]) as string[];
  assert.equal(bad, '\udcc0\udcaf\udced\udca0\udc80');
});

test('string values: raw UTF-8 and kept invalid bytes become the bytes strace printed; escapes stay bytes', () => {
  const [event] = parseText('execve("/bin/echo", ["echo", "h\u00e9llo", "\\303\\251", "\udcff"], 0x7ffd /* 1 var */) = 0\n');
  assert.equal(event.kind, 'syscall');
  if (event.kind !== 'syscall') return;
  const argv = event.args[1];
  assert.equal(argv.t, 'array');
  if (argv.t !== 'array') return;
  const bytes = argv.items.map((v) => (v.t === 'str' ? Buffer.from(v.bytes, 'latin1') : undefined));
  assert.deepEqual(bytes[1], Buffer.from('héllo', 'utf8'));
  assert.deepEqual(bytes[2], Buffer.from('é', 'utf8'), 'strace octal escapes are bytes');
  assert.deepEqual(bytes[3], Buffer.of(0xff));
});

test('line cap: a line over the cap becomes one unknown event with its length; the next lines parse', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-lines-'));
  try {
    const path = join(dir, 'long.strace');
    const fd = openSync(path, 'w');
    writeSync(fd, '100 getpid() = 100\n100 write(1, "');
    const block = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 20; i++) writeSync(fd, block);
    writeSync(fd, '", 20971520) = 20971520\n100 gettid() = 100\n100 exit_group(0) = ?\n100 +++ exited with 0 +++\n');
    closeSync(fd);
    const events: TraceEvent[] = [];
    for await (const e of parseFile(path)) events.push(e);
    assert.deepEqual(events.map((e) => [e.line, e.kind]), [[1, 'syscall'], [2, 'unknown'], [3, 'syscall'], [4, 'syscall'], [5, 'exit']]);
    const long = events[1];
    assert.equal(long.kind === 'unknown' && long.length, 20 * (1 << 20) + 37);
    assert.ok(long.raw.length <= 200, 'only the head of the line is kept');
    assert.ok(long.raw.startsWith('100 write(1, "aaa'));
    assert.match(long.kind === 'unknown' ? long.reason : '', /too long.*20971557 bytes/);
    // Raised cap: the same line is parsed.
    const raised: TraceEvent[] = [];
    for await (const e of parseFile(path, { maxLineBytes: 32 << 20 })) raised.push(e);
    assert.equal(raised[1].kind, 'syscall');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('line cap: the cap holds when the over-long line arrives in many small chunks, and at the end of input', () => {
  const chunks = [Buffer.from('ok 1\nxx'), ...Array.from({ length: 50 }, () => Buffer.alloc(100, 0x78)), Buffer.from('\nok 2\n'), Buffer.alloc(300, 0x79)];
  const lines = split(chunks, 1000);
  assert.equal(lines.length, 4);
  assert.equal(lines[0], 'ok 1');
  assert.deepEqual(lines[1], { overlong: true, bytes: 5002, head: 'x'.repeat(200) });
  assert.equal(lines[2], 'ok 2');
  assert.equal(lines[3], 'y'.repeat(300));
  const tail = split([Buffer.alloc(2000, 0x7a)], 1000);
  assert.deepEqual(tail, [{ overlong: true, bytes: 2000, head: 'z'.repeat(200) }]);
});

test('readLines over a stream and parseFiles over several files give the same events as parseText', async () => {
  const text = '200 getpid() = 200\n200 write(1, "h\u00e9", 3) = 3\n200 +++ exited with 0 +++\n';
  async function* chunks() {
    const b = Buffer.from(text);
    for (let i = 0; i < b.length; i += 7) yield b.subarray(i, i + 7);
  }
  const streamed: Line[] = [];
  for await (const batch of readLines(chunks())) streamed.push(...batch);
  assert.deepEqual(streamed, text.split('\n').slice(0, -1));
  const fromStream: TraceEvent[] = [];
  for await (const e of parseStream(chunks())) fromStream.push(e);
  assert.deepEqual(fromStream.map((e) => e.raw), parseText(text).map((e) => e.raw));
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-lines-'));
  try {
    writeFileSync(join(dir, 'log.301'), '10:00:01.000000 getpid() = 301\n10:00:03.000000 +++ exited with 0 +++\n');
    writeFileSync(join(dir, 'log.302'), '10:00:02.000000 getpid() = 302\n');
    const merged: TraceEvent[] = [];
    for await (const e of parseFiles([join(dir, 'log.301'), join(dir, 'log.302')])) merged.push(e);
    assert.deepEqual(merged.map((e) => [e.prefix.pid, e.line]), [[301, 1], [302, 1], [301, 2]], 'merged in time order, pid from the file name');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
