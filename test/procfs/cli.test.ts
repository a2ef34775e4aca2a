/**
 * The three verbs end to end, as a user runs them: JSON shapes, exit codes, the "not permitted"
 * marking for an unprivileged user, and a clear error for a PID that does not exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCliInProcess } from '../support/cli.js';
import { compile, kernelThread, runCli, start, stateOf, syscallOf, SYSCALL, until, untilAllIn } from './programs.js';

const NOBODY = 65534;

/** A PID that is not in use right now. */
function unusedPid(): number {
  for (let pid = 4_000_000; ; pid--) if (stateOf(pid) === undefined) return pid;
}

test('ps --json --threads: one process record then its thread records, thread names per TID; a TID selects its process', async () => {
  const w = await start('masks');
  try {
    await untilAllIn(w.pid, SYSCALL.pause, 'every thread to sleep in pause()');
    const [blockerTid] = w.ready;
    const result = await runCliInProcess(['ps', '--json', '--threads', String(blockerTid)]);
    assert.equal(result.status, 0, result.stderr);
    const records = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(records[0].kind, 'process');
    assert.equal(records[0].pid, w.pid);
    assert.equal(records[0].threads, 3);
    assert.equal(records[0].depth, 0);
    assert.deepEqual(records.slice(1).map((r: { kind: string; comm: string }) => [r.kind, r.comm]), [['thread', 'masks'], ['thread', 'blocker'], ['thread', 'rtworker']]);
    const text = await runCliInProcess(['ps', '--threads', String(w.pid)]);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /^\s*PID\s+TID\s+PPID\s+USER\s+STATE\s+THR\s+CPU\s+AGE\s+COMMAND/);
    assert.match(text.stdout, new RegExp(`\\n\\s+${blockerTid}\\s+sleeping.*\\{blocker\\}`));
  } finally {
    await w.stop();
  }
});

test('a PID that does not exist: clear message, exit code 3, for ps and inspect', async () => {
  const pid = unusedPid();
  const ps = await runCliInProcess(['ps', String(pid)]);
  assert.equal(ps.status, 3);
  assert.equal(ps.stderr, `tasklens: no such process: ${pid}\nhint: it may have exited; list processes with: tasklens ps\n`);
  const inspect = await runCliInProcess(['inspect', String(pid)]);
  assert.equal(inspect.status, 3);
  assert.match(inspect.stderr, new RegExp(`tasklens: no such process: ${pid}\\nhint: `));
  const bad = await runCliInProcess(['inspect', 'abc']);
  assert.equal(bad.status, 2); // a malformed PID is a usage error
  assert.match(bad.stderr, /^tasklens: .*'abc' is invalid.*Expected a process ID/);
});

test('inspect --json: per-thread pending and blocked signals by name; text shows the leader-exited process as not a zombie', async () => {
  const w = await start('masks');
  const leader = await start('leader_exit');
  try {
    await untilAllIn(w.pid, SYSCALL.pause, 'every thread to sleep in pause()');
    const result = await runCliInProcess(['inspect', '--json', String(w.pid)]);
    assert.equal(result.status, 0, result.stderr);
    const doc = JSON.parse(result.stdout);
    const blocker = doc.threads.find((t: { name: string }) => t.name === 'blocker');
    assert.deepEqual(blocker.pending.signals.map((s: { name: string }) => s.name), ['SIGUSR1']);
    assert.equal(blocker.pending.hex, '0000000000000200');
    assert.equal(blocker.syscall.name, 'pause');
    assert.ok(doc.capabilities.effective.capabilities.includes('CAP_KILL'));
    await until(() => stateOf(leader.pid) === 'Z', 'the leader to exit');
    const text = await runCliInProcess(['inspect', String(leader.pid)]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /NOT a zombie/);
    assert.match(text.stdout, /survivor/);
  } finally {
    await w.stop();
    await leader.stop();
  }
});

test('inspect as an unprivileged user: ptrace-only files say "not permitted", nothing crashes', async () => {
  const w = await start('masks');
  try {
    await untilAllIn(w.pid, SYSCALL.pause, 'every thread to sleep in pause()');
    const result = runCli(['inspect', '--json', String(w.pid)], { uid: NOBODY });
    assert.equal(result.status, 0, result.stderr);
    const doc = JSON.parse(result.stdout);
    for (const t of doc.threads) {
      assert.equal(t.syscall.unavailable, 'not-permitted');
      assert.equal(t.wchan.unavailable, 'not-permitted', 'a 0 in wchan is not "not blocked" when the check failed');
    }
    assert.equal(doc.fds.unavailable, 'not-permitted');
    assert.equal(doc.exe.unavailable, 'not-permitted');
    // World-readable files still decode: the per-thread masks come from task/TID/status.
    assert.deepEqual(doc.threads.find((t: { name: string }) => t.name === 'blocker').pending.signals.map((s: { name: string }) => s.name), ['SIGUSR1']);
    const text = runCli(['inspect', String(w.pid)], { uid: NOBODY });
    assert.equal(text.status, 0);
    assert.match(text.stdout, /not permitted/);
  } finally {
    await w.stop();
  }
});

test('zombies --json: exit 1 with the diagnosis; the pthread_exit leader listed apart', async () => {
  const parent = await start('zombies', ['dfl']);
  const leader = await start('leader_exit');
  try {
    await until(() => parent.ready.every((pid) => stateOf(pid) === 'Z'), 'zombies');
    await until(() => stateOf(leader.pid) === 'Z', 'the leader to exit');
    const result = await runCliInProcess(['zombies', '--json']);
    assert.equal(result.status, 1, result.stderr);
    const doc = JSON.parse(result.stdout);
    const group = doc.groups.find((g: { parent: { pid: number } }) => g.parent.pid === parent.pid);
    assert.ok(group);
    assert.deepEqual(group.zombies.map((z: { pid: number }) => z.pid).sort(), [...parent.ready].sort());
    assert.deepEqual(group.findings.map((f: { code: string }) => f.code), ['never-waits']);
    assert.ok(doc.leaderExited.some((l: { pid: number }) => l.pid === leader.pid));
    assert.ok(!doc.groups.some((g: { zombies: Array<{ pid: number }> }) => g.zombies.some((z) => z.pid === leader.pid)));
  } finally {
    await parent.stop();
    await leader.stop();
  }
});

test('inspect of a process whose main thread exited: executable, maps and fds read through the live thread', async () => {
  const leader = await start('leader_exit');
  try {
    const [pid, survivorTid] = leader.ready;
    await until(() => stateOf(pid) === 'Z' && syscallOf(pid, survivorTid) === SYSCALL.pause, 'the leader to exit and the survivor to sleep');
    const result = await runCliInProcess(['inspect', '--json', String(pid)]);
    assert.equal(result.status, 0, result.stderr);
    const doc = JSON.parse(result.stdout);
    assert.equal(doc.exe, compile('leader_exit'));
    assert.equal(doc.kind, 'process');
    assert.ok(Array.isArray(doc.fds) && doc.fds.some((f: { fd: number }) => f.fd === 1), JSON.stringify(doc.fds));
    assert.ok(Array.isArray(doc.namespaces), JSON.stringify(doc.namespaces));
    const text = await runCliInProcess(['inspect', String(pid)]);
    assert.doesNotMatch(text.stdout, /gone \(exited while reading\)/);
    assert.match(text.stdout, /mappings/);
  } finally {
    await leader.stop();
  }
});

test('inspect of a zombie: says so, with its parent and exit status; no "executable gone"', async () => {
  const parent = await start('zombies', ['dfl']);
  try {
    const [zombie] = parent.ready;
    await until(() => stateOf(zombie) === 'Z', 'the child to become a zombie');
    const text = await runCliInProcess(['inspect', String(zombie)]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`\\[zombie: exited with code 7; waits for its parent ${parent.pid} \\(zombies\\) to reap it\\]`));
    assert.match(text.stdout, /executable +none: the process has exited/);
    assert.doesNotMatch(text.stdout, /exited while reading/);
    const doc = JSON.parse((await runCliInProcess(['inspect', '--json', String(zombie)])).stdout);
    assert.equal(doc.kind, 'zombie');
    assert.deepEqual(doc.exit, { kind: 'exited', code: 7 });
    assert.equal(doc.ppid, parent.pid);
    assert.deepEqual(doc.exe, { unavailable: 'exited' });
  } finally {
    await parent.stop();
  }
});

test('inspect of a kernel thread: says so; no "executable gone"', async () => {
  const kthread = kernelThread();
  const result = await runCliInProcess(['inspect', String(kthread.pid)]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /\[kernel thread: runs kernel code only, no user space\]/);
  assert.match(result.stdout, /executable +none: a kernel thread has no user space/);
  assert.doesNotMatch(result.stdout, /exited while reading/);
  assert.equal(JSON.parse((await runCliInProcess(['inspect', '--json', String(kthread.pid)])).stdout).kind, 'kernel-thread');
});
