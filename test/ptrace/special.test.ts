/**
 * Snapshot targets that are not ordinary processes (issue 10 items 5 and 6): a process whose main
 * thread called pthread_exit() while another thread runs (its maps, memory and files are read through
 * the live thread), a kernel thread (no user space: exit 2), and a zombie (exited: exit 3, with its
 * parent and exit status).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeSnapshot } from '../../src/ptrace/snapshot.js';
import { ExitCode } from '../../src/errors.js';
import { kernelThread, start, stateOf, syscallOf, SYSCALL, until } from '../procfs/programs.js';
import { runCli } from './support.js';

test('a process whose main thread exited: the survivor is unwound through its own maps and files', { timeout: 60_000 }, async () => {
  const w = await start('leader_exit');
  try {
    const [pid, survivorTid] = w.ready;
    await until(() => stateOf(pid) === 'Z' && syscallOf(pid, survivorTid) === SYSCALL.pause, 'the leader to exit and the survivor to sleep in pause()');
    const snapshot = takeSnapshot(pid);
    const survivor = snapshot.threads.find((t) => t.tid === survivorTid);
    assert.ok(survivor, `survivor among ${snapshot.threads.map((t) => t.tid).join(' ')}`);
    const stack = survivor.frames.map((f) => f.symbol ?? '??').join(' <- ');
    assert.notEqual(survivor.unwindEnd, 'pc outside any module', stack);
    assert.ok(survivor.frames[0]?.symbol?.includes('pause'), stack);
    assert.ok(survivor.frames.some((f) => f.symbol === 'survivor'), stack);
    assert.equal(snapshot.threads.find((t) => t.tid === pid)?.unwindEnd, 'zombie thread: it has exited, nothing to unwind');

    const cli = await runCli(['snapshot', String(pid)]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /survivor\+0x[0-9a-f]+ \(leader_exit\)/);
    assert.doesNotMatch(cli.stdout, /pc outside any module/);
  } finally {
    await w.stop();
  }
});

test('a kernel thread: no user space to snapshot, exit code 2', { timeout: 60_000 }, async () => {
  const kthread = kernelThread();
  const { code, stdout, stderr } = await runCli(['snapshot', String(kthread.pid)]);
  assert.equal(code, ExitCode.usage);
  assert.equal(stdout, '');
  assert.match(stderr, new RegExp(`^tasklens: PID ${kthread.pid} \\(${kthread.comm}\\) is a kernel thread: it has no user space to snapshot\\nhint: `));
  assert.doesNotMatch(stderr, /security module|ptrace not permitted/);
});

test('a zombie: exited, here is its parent and exit status, exit code 3', { timeout: 60_000 }, async () => {
  const parent = await start('zombies', ['dfl']);
  try {
    const [zombie] = parent.ready;
    await until(() => stateOf(zombie) === 'Z', 'the child to become a zombie');
    const { code, stdout, stderr } = await runCli(['snapshot', String(zombie)]);
    assert.equal(code, ExitCode.noSuchProcess);
    assert.equal(stdout, '');
    assert.match(stderr, new RegExp(`^tasklens: PID ${zombie} \\(zombies\\) is a zombie: it exited with code 7 and waits for its parent ${parent.pid} \\(zombies\\) to reap it`));
    assert.match(stderr, new RegExp(`^hint: tasklens zombies shows why parent ${parent.pid} does not reap it$`, 'm'));
  } finally {
    await parent.stop();
  }
});
