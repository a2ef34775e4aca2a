/**
 * The thread-vs-process lab end to end: real gcc, real strace. Asserts the computed differences
 * against the traces (TGID/TID, clone flags, the guard page, the ends), that every citation points at
 * the line it quotes, and that a second run reuses the cached binaries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { runLab, type LabRun } from '../../src/lab/index.js';
import { checkCitations, point, side, tempCache } from './support.js';

const cacheDir = tempCache();
let first: LabRun;

test('first run compiles both programs and both exit 0', async () => {
  first = await runLab('thread-vs-process', { cacheDir });
  assert.deepEqual(first.runs.map((r) => r.program.name), ['thread', 'fork']);
  for (const r of first.runs) {
    assert.equal(r.build.cached, false, `${r.program.name} should be compiled on the first run`);
    assert.equal(r.trace.exitCode, 0, `${r.program.name} stderr: ${r.trace.stderr}`);
    assert.ok(r.build.binary.startsWith(cacheDir));
    assert.ok(r.trace.log.startsWith(cacheDir));
  }
});

test('the thread shares its creator\'s TGID; the fork child has its own', () => {
  const identity = point(first, 'identity');
  const thread = side(identity, 'thread').values!;
  assert.equal(thread.sameThreadGroup, true);
  assert.equal(thread.tgid, thread.creator);
  assert.notEqual(thread.tid, thread.creator);
  const fork = side(identity, 'fork').values!;
  assert.equal(fork.sameThreadGroup, false);
  assert.equal(fork.tgid, fork.tid);
  assert.equal(fork.ppid, fork.creator);
  // What the programs printed agrees with what the trace says.
  const printed = first.runs[0].trace.stdout;
  assert.match(printed, new RegExp(`thread: pid=${thread.creator} tid=${thread.tid} `));
  assert.match(first.runs[1].trace.stdout, new RegExp(`child:  pid=${fork.tid} tid=${fork.tid} ppid=${fork.creator}`));
});

test('CLONE_THREAD and CLONE_VM for the thread, absent for the fork; exit signal 0 vs SIGCHLD', () => {
  const creation = point(first, 'creation');
  const names = (program: string): string[] => (side(creation, program).values!.flags as Array<{ name: string }>).map((f) => f.name);
  for (const flag of ['CLONE_VM', 'CLONE_FS', 'CLONE_FILES', 'CLONE_SIGHAND', 'CLONE_THREAD']) {
    assert.ok(names('thread').includes(flag), `thread lacks ${flag}`);
    assert.ok(!names('fork').includes(flag), `fork has ${flag}`);
  }
  assert.equal(side(creation, 'thread').values!.exitSignal, '0');
  assert.equal(side(creation, 'fork').values!.exitSignal, 'SIGCHLD');
  const row = creation.table!.rows.find((r) => r[0] === 'CLONE_THREAD');
  assert.deepEqual(row?.slice(1, 3), ['yes', '-']);
});

test('the thread stack: PROT_NONE mapping, mprotect above a one-page guard, handed to clone', () => {
  const stack = side(point(first, 'stack'), 'thread');
  const v = stack.values!;
  assert.equal(v.prot, 'PROT_NONE');
  assert.equal(v.guardBytes, '4096');
  assert.equal(BigInt(v.size as string) - BigInt(v.opened as string), 4096n);
  assert.equal(v.stackArg, v.base);
  // The mapping is RLIMIT_STACK plus the guard page, as the trace's prlimit64 line says.
  const log = readFileSync(first.runs[0].trace.log, 'utf8');
  const limit = /RLIMIT_STACK, NULL, \{rlim_cur=(\d+)\*1024/.exec(log);
  if (limit) assert.equal(BigInt(v.opened as string), BigInt(limit[1]) * 1024n);
  assert.equal(stack.cites.length, 3);
  assert.equal(side(point(first, 'stack'), 'fork').values!.stackMappings, 0);
});

test('signals are blocked around clone3 only', () => {
  const signals = point(first, 'signals');
  assert.equal(side(signals, 'thread').values!.blockedAround, true);
  assert.equal(side(signals, 'fork').values!.blockedAround, false);
});

test('exit vs exit_group; no SIGCHLD for the thread, SIGCHLD and wait4 for the child', () => {
  const ending = point(first, 'ending');
  const thread = side(ending, 'thread').values!;
  assert.equal(thread.exitCall, 'exit');
  assert.equal(thread.sigchld, 0);
  assert.match(String(thread.clearTid), /^0x[0-9a-f]+$/);
  const fork = side(ending, 'fork').values!;
  assert.equal(fork.exitCall, 'exit_group');
  assert.equal(fork.reapedBy, 'wait4');
  assert.equal(fork.sigchld, true);
});

test('every citation points at the log line it quotes', () => {
  assert.ok(checkCitations(first) >= 20);
});

test('the explained trace covers every event', () => {
  for (const r of first.runs) {
    assert.equal(r.explained.length, r.events.length);
    assert.ok(r.explained.every((e) => e.explanation !== undefined));
  }
});

test('a second run reuses the cached binaries', async () => {
  const before = first.runs.map((r) => statSync(r.build.binary).mtimeMs);
  const second = await runLab('thread-vs-process', { cacheDir });
  assert.deepEqual(second.runs.map((r) => r.build.cached), [true, true]);
  assert.deepEqual(second.runs.map((r) => r.build.binary), first.runs.map((r) => r.build.binary));
  assert.deepEqual(second.runs.map((r) => statSync(r.build.binary).mtimeMs), before);
  // New processes, same conclusions.
  assert.equal(side(point(second, 'identity'), 'thread').values!.sameThreadGroup, true);
});

test('--rebuild compiles again', async () => {
  const again = await runLab('thread-vs-process', { cacheDir, rebuild: true });
  assert.deepEqual(again.runs.map((r) => r.build.cached), [false, false]);
});
