/**
 * Real processes, real /proc: per-thread masks and pending signals, SIGCHLD dispositions, zombie
 * diagnosis for each parent setup of the reference matrix, and the pthread_exit'd leader that is not
 * a zombie. Every workload is killed in `finally`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectProcess, type ThreadDetail } from '../../src/procfs/process.js';
import { listProcesses } from '../../src/procfs/listing.js';
import { findZombies, type ZombieGroup } from '../../src/procfs/zombies.js';
import { signalNames } from '../../src/procfs/decode.js';
import { isUnavailable } from '../../src/procfs/files.js';
import { sigchldPending, start, stateOf, syscallOf, SYSCALL, until, untilAllIn } from './programs.js';

const thread = (threads: ThreadDetail[], name: string): ThreadDetail => {
  const found = threads.find((t) => t.name === name);
  assert.ok(found, `thread ${name} among ${threads.map((t) => t.name).join(', ')}`);
  return found;
};

test('per-thread masks by name: SIGUSR1 pending in exactly the worker that blocks it', async () => {
  const w = await start('masks');
  try {
    const [blockerTid, rtTid] = w.ready;
    const d = inspectProcess(w.pid);
    assert.equal(d.threads.length, 3);
    const main = thread(d.threads, 'masks');
    const blocker = thread(d.threads, 'blocker');
    const rt = thread(d.threads, 'rtworker');
    assert.equal(blocker.tid, blockerTid);
    assert.equal(rt.tid, rtTid);
    assert.deepEqual(signalNames(blocker.status.signals.blocked), ['SIGUSR1']);
    assert.deepEqual(signalNames(blocker.status.signals.pending), ['SIGUSR1']);
    assert.deepEqual(signalNames(rt.status.signals.blocked), ['SIGUSR2', 'SIGRTMIN+3']);
    assert.deepEqual(signalNames(rt.status.signals.pending), []);
    assert.deepEqual(signalNames(main.status.signals.blocked), []);
    assert.deepEqual(signalNames(main.status.signals.pending), []);
    // The process-level file is the main thread's view: it shows neither the mask nor the pending signal.
    assert.deepEqual(signalNames(d.status.signals.pending | d.status.signals.sharedPending), []);
    assert.deepEqual(signalNames(d.status.signals.blocked), []);
    // Dispositions are process-wide.
    assert.ok(signalNames(d.status.signals.ignored).includes('SIGPIPE'));
    assert.ok(signalNames(d.status.signals.ignored).includes('SIGHUP'));
    assert.ok(signalNames(d.status.signals.caught).includes('SIGTERM'));
    assert.ok(signalNames(d.status.signals.caught).includes('SIGSETXID'), 'glibc installs its internal handler for signal 33');
  } finally {
    await w.stop();
  }
});

test('thread stacks: SP from task/TID/syscall lands in a mapping with a PROT_NONE guard below; sizes match the C program', async () => {
  const w = await start('masks');
  try {
    await untilAllIn(w.pid, SYSCALL.pause, 'every thread to sleep in pause()');
    const d = inspectProcess(w.pid);
    for (const t of d.threads) {
      assert.ok(!isUnavailable(t.syscall) && t.syscall.state === 'in-syscall', `thread ${t.name} blocked in a syscall`);
      assert.equal(t.syscall.name, 'pause');
      assert.equal(t.wchan, '__do_sys_pause');
    }
    const rt = thread(d.threads, 'rtworker').stack;
    assert.ok(rt && !isUnavailable(rt));
    assert.equal(rt.sizeBytes, 256n * 1024n, 'pthread_attr_setstacksize(256 KiB)');
    assert.ok(rt.guard, 'guard page below the worker stack');
    assert.equal(rt.guard.sizeBytes, 4096n);
    assert.ok(rt.usedBytes > 0n && rt.usedBytes < rt.sizeBytes);
    const main = thread(d.threads, 'masks').stack;
    assert.ok(main && !isUnavailable(main));
    assert.equal(main.label, '[stack]');
    const rlimitStack = isUnavailable(d.limits) ? undefined : d.limits.find((l) => l.resource === 'RLIMIT_STACK');
    assert.ok(rlimitStack?.note?.includes('pthread'));
    const nproc = isUnavailable(d.limits) ? undefined : d.limits.find((l) => l.resource === 'RLIMIT_NPROC');
    assert.ok(nproc?.note?.includes('THREADS'));
  } finally {
    await w.stop();
  }
});

test('listing: thread names and TGID/TID from task/TID/stat', async () => {
  const w = await start('masks');
  try {
    const [p] = listProcesses({ pids: [w.pid], threads: true });
    assert.equal(p.numThreads, 3);
    assert.deepEqual(p.threads?.map((t) => t.comm), ['masks', 'blocker', 'rtworker']);
    assert.equal(p.threads?.[0].tid, w.pid);
    assert.equal(p.leaderExited, false);
  } finally {
    await w.stop();
  }
});

async function zombieGroupOf(mode: string): Promise<{ group: ZombieGroup | undefined; ready: number[]; pid: number; stop: () => Promise<void> }> {
  const w = await start('zombies', [mode]);
  const [first, second] = w.ready;
  if (mode !== 'ignore') await until(() => stateOf(first) === 'Z', `child ${first} to become a zombie`);
  if (mode !== 'ignore' && mode !== 'waitother') await until(() => stateOf(second) === 'Z', `child ${second} to become a zombie`);
  // Where the parent parks: waitpid() on the other child, or pause() with any SIGCHLD handled.
  const parked = mode === 'waitother' ? SYSCALL.wait4 : SYSCALL.pause;
  await until(() => syscallOf(w.pid) === parked && stateOf(w.pid) === 'S' && (mode === 'block' || !sigchldPending(w.pid)), `the parent to park in syscall ${parked}`);
  const group = findZombies().groups.find((g) => g.parent.pid === w.pid);
  return { group, ready: w.ready, pid: w.pid, stop: w.stop };
}

const codes = (g: ZombieGroup | undefined) => g?.findings.map((f) => f.code) ?? [];

test('zombies: SIG_DFL parent that never waits', async () => {
  const z = await zombieGroupOf('dfl');
  try {
    assert.ok(z.group);
    assert.deepEqual(z.group.zombies.map((x) => x.pid).sort(), [...z.ready].sort());
    assert.deepEqual(z.group.zombies[0].exit, { kind: 'exited', code: 7 });
    assert.equal(z.group.parent.sigchld, 'default');
    assert.deepEqual(codes(z.group), ['never-waits']);
    assert.match(z.group.fix, /never calls wait/);
    assert.match(z.group.fix, /kill -CHLD .* cannot help/);
  } finally {
    await z.stop();
  }
});

test('zombies: SIGCHLD blocked and pending in the parent', async () => {
  const z = await zombieGroupOf('block');
  try {
    assert.ok(z.group);
    assert.deepEqual(z.group.parent.blockingThreads, [z.pid]);
    assert.equal(z.group.parent.sigchldPending, true);
    assert.deepEqual(codes(z.group), ['sigchld-blocked', 'sigchld-pending']);
  } finally {
    await z.stop();
  }
});

test('zombies: handler installed but never waits', async () => {
  const z = await zombieGroupOf('handler');
  try {
    assert.ok(z.group);
    assert.equal(z.group.parent.sigchld, 'handler');
    assert.deepEqual(codes(z.group), ['handler-not-reaping']);
  } finally {
    await z.stop();
  }
});

test('zombies: parent blocked in waitpid() on a different child', async () => {
  const z = await zombieGroupOf('waitother');
  try {
    const [zombie, waitedFor] = z.ready;
    assert.ok(z.group);
    assert.deepEqual(z.group.zombies.map((x) => x.pid), [zombie]);
    assert.deepEqual(z.group.parent.waits, [{ tid: z.pid, syscall: 'wait4', target: { kind: 'pid', pid: waitedFor } }]);
    assert.equal(codes(z.group)[0], 'waiting-for-other-child');
    assert.match(z.group.fix, new RegExp(`waits for child ${waitedFor} only`));
  } finally {
    await z.stop();
  }
});

test('ignored SIGCHLD: children are reaped automatically, the disposition decodes as ignored', async () => {
  const w = await start('zombies', ['ignore']);
  try {
    const [first, second] = w.ready;
    await until(() => stateOf(first) === undefined && stateOf(second) === undefined, 'auto-reaped children to disappear');
    const d = inspectProcess(w.pid);
    assert.deepEqual(signalNames(d.status.signals.ignored).filter((s) => s === 'SIGCHLD'), ['SIGCHLD']);
    assert.equal(findZombies().groups.find((g) => g.parent.pid === w.pid), undefined);
  } finally {
    await w.stop();
  }
});

test('a process whose main thread called pthread_exit is not a zombie', async () => {
  const w = await start('leader_exit');
  try {
    const [pid, workerTid] = w.ready;
    await until(() => stateOf(pid) === 'Z', 'the leader to show Z');
    const report = findZombies();
    assert.equal(report.groups.some((g) => g.zombies.some((z) => z.pid === pid)), false, 'not listed as a zombie');
    const entry = report.leaderExited.find((l) => l.pid === pid);
    assert.ok(entry);
    assert.deepEqual(entry.liveThreads.map((t) => [t.tid, t.name]), [[workerTid, 'survivor']]);
    const [listed] = listProcesses({ pids: [pid], threads: true });
    assert.equal(listed.state, 'Z');
    assert.equal(listed.leaderExited, true);
    const fast = listProcesses({ pids: [pid] })[0];
    assert.equal(fast.leaderExited, true, 'detected from stat alone (Z with Threads > 1)');
    assert.equal(inspectProcess(pid).leaderExited, true);
  } finally {
    await w.stop();
  }
});
