/** The snapshot renderers on a hand-made snapshot: every kind of line the text report can print, and JSON. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { palette } from '../../src/render/color.js';
import { renderSnapshotText } from '../../src/render/snapshot/text.js';
import { formatBytes, hex } from '../../src/units.js';
import { renderSnapshotJson } from '../../src/render/snapshot/json.js';
import type { Snapshot } from '../../src/ptrace/snapshot.js';

const snapshot: Snapshot = {
  pid: 100,
  command: 'server',
  takenAt: '2026-01-01T00:00:00.000Z',
  arch: 'x86_64',
  order: 'copy-then-resume',
  threads: [
    {
      tid: 100,
      name: 'server',
      state: 'S',
      stop: 'interrupt',
      pthread: 0x7f0000001740n,
      syscall: { nr: 219, name: 'restart_syscall', args: [0n, 0n, 0n, 0n, 0n, 0n], blocked: true },
      stack: { start: 0x7ffd0000n, end: 0x7ffd8000n, label: '[stack]', usedBytes: 2048 },
      frames: [
        { pc: 0x7f00000012ecn, sp: 0x7ffd7800n, method: 'registers', module: 'libc.so.6', modulePath: '/lib/libc.so.6', moduleOffset: 0x12ecn, symbol: 'read', symbolOffset: 0x4cn },
        { pc: 0x55000000f00dn, sp: 0x7ffd7900n, method: 'frame-pointer', module: 'server', modulePath: '/srv/server', moduleOffset: 0xf00dn },
        { pc: 0x1234n, sp: 0x7ffd7a00n, method: 'cfi' },
      ],
      unwindEnd: 'pc outside any module',
      liveReads: 2,
    },
    { tid: 101, name: 'worker', state: 'T', stop: 'group-stop', pthread: 0x7f00000026c0n, frames: [], unwindEnd: 'end' },
    { tid: 102, name: 'gone', state: 'Z', frames: [], unwindEnd: 'zombie thread: it has exited, nothing to unwind' },
  ],
  threadsSeen: 4,
  appeared: [103],
  vanished: [103],
  notStopped: [],
  pause: { pauseMs: 1.5, runningPauseMs: 0, stopMs: 0.5, captureMs: 0.75, resumeMs: 0.25, bytesCopied: 3072, readCalls: 1, boosted: true },
  wallMs: 42,
};

test('text report: headers, stack, frames of every kind, notes and footer', () => {
  const text = renderSnapshotText(snapshot, { palette: palette(false) });
  assert.equal(
    text,
    [
      'process 100 (server): 3 threads',
      '',
      'Thread 100  "server"  pthread_t 0x7f0000001740  state S (sleeping)  blocked in restart_syscall() (resuming an interrupted sleep or wait)',
      '  stack [stack] 0x7ffd0000-0x7ffd8000 (32 KiB, 2 KiB in use)',
      '  #0 0x00007f00000012ec  read+0x4c (libc.so.6)',
      '  #1 0x000055000000f00d  ?? (server+0xf00d) [frame pointer]',
      '  #2 0x0000000000001234  ??',
      '  note: frames past the stack copy were read after the thread resumed (raise --stack-bytes or use --unwind-while-stopped)',
      '  (backtrace stops: pc outside any module)',
      '',
      'Thread 101  "worker"  pthread_t 0x7f00000026c0  state T (stopped)',
      '  note: was already stopped (job control)',
      '  (no backtrace)',
      '',
      'Thread 102  "gone"  state Z (zombie)',
      '  (zombie thread: it has exited, nothing to unwind)',
      '',
      '4 threads seen, 2 stopped; paused 1.50 ms (stopping 0.50, capture 0.75, resume 0.25); 3 KiB of stack copied in 1 read; total 42 ms',
      'appeared during the snapshot: 103; vanished: 103',
      '',
    ].join('\n'),
  );
});

test('--registers prints every register, three to a line', () => {
  const regs = { rip: 0x10n, rsp: 0x20n, rbp: 0x30n, fs_base: 0x40n } as unknown as NonNullable<Snapshot['threads'][number]['registers']>;
  const text = renderSnapshotText({ ...snapshot, threads: [{ ...snapshot.threads[1], registers: regs }] }, { palette: palette(false), registers: true });
  assert.match(text, /^ {7}rip 0x0000000000000010 {7}rsp 0x0000000000000020 {7}rbp 0x0000000000000030$/m);
  assert.match(text, /^ {3}fs_base 0x0000000000000040$/m);
});

test('colour only when asked for', () => {
  assert.doesNotMatch(renderSnapshotText(snapshot, { palette: palette(false) }), /\x1b\[/);
  assert.match(renderSnapshotText(snapshot, { palette: palette(true) }), /\x1b\[1mThread 100/);
});

test('JSON: one line, 64-bit values as hex strings', () => {
  const json = renderSnapshotJson(snapshot);
  assert.equal(json.split('\n').length, 2);
  const data = JSON.parse(json);
  assert.equal(data.threads[0].pthread, '0x7f0000001740');
  assert.equal(data.threads[0].frames[0].symbolOffset, '0x4c');
  assert.equal(data.threads[0].syscall.nr, 219);
  assert.equal(data.pause.pauseMs, 1.5);
});

test('sizes and hex: the one formatter of each (src/units.ts) that every view uses', () => {
  assert.deepEqual([0, 1023, 1024, 1536, 10 * 1024, 8 * 1024 * 1024].map(formatBytes), ['0 B', '1023 B', '1 KiB', '1.5 KiB', '10 KiB', '8 MiB']);
  assert.equal(formatBytes(3n << 30n), '3 GiB');
  assert.deepEqual([hex(0x4cn), hex(0x4cn, 4), hex(-5n)], ['0x4c', '0x004c', '0xfffffffffffffffb']);
});
