/**
 * End to end: the project's workloads run under real strace in three capture forms (-f -o file,
 * strace's stderr, -ff per-thread files), and the model must tell the same story each time.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskGraph, Process } from '../../src/model/index.js';
import { workloadBinaries, traceWorkload, cleanup, runCli, type Capture } from './support.js';

let binDir = '';
before(async () => {
  binDir = await workloadBinaries();
});

const CAPTURES: Capture[] = ['file', 'stderr', 'ff'];

function withTrace(name: string, capture: Capture, check: (g: TaskGraph) => void): void {
  const { graph, dir } = traceWorkload(binDir, name, capture);
  try {
    check(graph);
  } finally {
    cleanup(dir);
  }
}

const root = (g: TaskGraph): Process => {
  const roots = g.roots();
  assert.equal(roots.length, 1, `one root (got ${roots.map((p) => p.key).join(', ')})`);
  return roots[0];
};
const childrenOfRoot = (g: TaskGraph) => g.childrenOf(root(g));

for (const capture of CAPTURES) {
  test(`threads (${capture}): one process, every other task a thread, all exit 0`, () => {
    withTrace('threads', capture, (g) => {
      assert.equal(g.processes().length, 1);
      const tasks = g.tasksOf(root(g));
      assert.equal(tasks.length, 5, 'main + reader + 3 workers');
      assert.deepEqual(tasks.slice(1).map((t) => t.birth.kind), ['thread', 'thread', 'thread', 'thread']);
      assert.ok(tasks.slice(1).every((t) => t.parent === tasks[0].key), 'created by the main thread');
      assert.ok(tasks.every((t) => t.end?.kind === 'exited' && t.end.code === 0));
    });
  });

  test(`forkexec (${capture}): four forks, exit codes, failed execvp probes, every child reaped`, () => {
    withTrace('forkexec', capture, (g) => {
      const children = childrenOfRoot(g);
      assert.equal(children.length, 4);
      assert.ok(children.every((p) => g.tasksOf(p)[0].birth.kind === 'fork'));
      assert.deepEqual(children.map((p) => g.processEnd(p)?.code), [0, 3, 0, 127]);
      assert.deepEqual(children.map((p) => p.reaped?.status?.code), [0, 3, 0, 127]);
      assert.ok(children.every((p) => p.reaped?.by === root(g).leader));
      const probes = children[2].execs;
      assert.deepEqual(probes.map((e) => [e.result, e.errno]), [['failed', 'ENOENT'], ['failed', 'ENOENT'], ['ok', undefined]]);
      assert.deepEqual(g.command(children[2]), ['child', 'echo', 'from execvp']);
      assert.deepEqual(children[3].execs.map((e) => [e.path, e.result, e.errno]), [['/nonexistent/program', 'failed', 'ENOENT']]);
      assert.deepEqual(g.unreaped(), []);
    });
  });

  test(`thread_exec (${capture}): execve from a non-leader thread takes over the leader TID`, () => {
    withTrace('thread_exec', capture, (g) => {
      assert.equal(g.processes().length, 1);
      const p = root(g);
      const kinds = g.tasksOf(p).map((t) => [t.birth.kind, t.end?.kind]);
      assert.deepEqual(kinds, [['root', 'superseded'], ['thread', 'became-leader'], ['exec-takeover', 'exited']]);
      const takeover = p.execs.find((e) => e.tookOverTid !== undefined);
      assert.ok(takeover, 'an exec took over the leader');
      assert.equal(takeover.tookOverTid, p.tgid);
      assert.deepEqual(g.command(p), ['child', 'exit', '0']);
      assert.equal(g.processEnd(p)?.code, 0);
    });
  });
}

test('vfork and posix_spawn births (-f -o)', () => {
  withTrace('vfork', 'file', (g) => {
    const [child] = childrenOfRoot(g);
    assert.equal(g.tasksOf(child)[0].birth.kind, 'vfork');
    assert.deepEqual(g.command(child), ['child', 'exit', '0']);
  });
  withTrace('spawn', 'file', (g) => {
    const [child] = childrenOfRoot(g);
    const birth = g.tasksOf(child)[0].birth;
    assert.equal(birth.kind, 'spawn');
    assert.ok(birth.flags?.includes('CLONE_VM') && birth.flags.includes('CLONE_VFORK'));
    assert.deepEqual(g.command(child), ['child', 'echo', 'spawned']);
  });
});

test('exit_group while threads block: the readers die inside read()', () => {
  withTrace('exit_group', 'file', (g) => {
    const tasks = g.tasksOf(root(g));
    assert.equal(tasks.length, 4);
    for (const reader of tasks.slice(1)) {
      assert.deepEqual(reader.openCalls.map((c) => [c.name, c.closedBy]), [['read', 'death']]);
      assert.equal(reader.end?.kind, 'exited');
    }
  });
});

for (const capture of ['file', 'stderr'] as Capture[]) {
  test(`signals (${capture}): killed by SIGTERM, SIGKILL, SIGABRT with core dump; reaping pairs; signals sent`, () => {
    withTrace('signals', capture, (g) => {
      const children = childrenOfRoot(g);
      assert.equal(children.length, 3);
      const ends = children.map((p) => g.processEnd(p));
      assert.deepEqual(ends.map((e) => [e?.kind, e?.signal]), [['killed', 'SIGTERM'], ['killed', 'SIGKILL'], ['killed', 'SIGABRT']]);
      assert.equal(ends[2]?.coreDumped, true, 'abort() with RLIMIT_CORE raised dumps core');
      assert.deepEqual(children.map((p) => p.reaped?.status), ends.map((e) => ({ kind: 'killed', signal: e?.signal, coreDumped: e?.coreDumped })));
      const sent = g.tasksOf(root(g))[0].signalsSent.map((s) => [s.syscall, s.targetPid, s.signal]);
      assert.deepEqual(sent, [
        ['kill', children[0].tgid, 'SIGSTOP'],
        ['kill', children[0].tgid, 'SIGCONT'],
        ['kill', children[0].tgid, 'SIGTERM'],
        ['kill', children[1].tgid, 'SIGKILL'],
      ]);
      const stopped = g.tasksOf(children[0])[0].signalsReceived;
      assert.ok(stopped.some((s) => s.signal === 'SIGSTOP' && s.senderPid === root(g).tgid));
      assert.deepEqual(g.tasksOf(children[1])[0].openCalls.map((c) => [c.name, c.closedBy]), [['pause', 'death']]);
    });
  });
}

for (const capture of ['file', 'ff-ttt'] as Capture[]) {
  test(`zombie and daemon (${capture}): never reaped, zombie until the parent exits; the daemon is orphaned`, () => {
    withTrace('zombie', capture, (g) => {
      const [child] = childrenOfRoot(g);
      assert.equal(g.processEnd(child)?.code, 7);
      assert.equal(child.reaped, undefined);
      assert.deepEqual({ ...child.unreaped, since: undefined }, { zombieAtEnd: false, zombieWhileParentLived: true, reparented: true, parentState: 'ended', since: undefined });
    });
    withTrace('daemon', capture, (g) => {
      const [middle] = childrenOfRoot(g);
      assert.ok(middle.reaped, 'the middle child is reaped by the original parent');
      const [daemon] = g.childrenOf(middle);
      assert.equal(daemon.orphaned, true);
      assert.equal(daemon.unreaped?.zombieWhileParentLived, false);
      assert.equal(daemon.unreaped?.reparented, true);
    });
  });
}

test('without -f only the first process is traced; its children come from clone returns and wait4', () => {
  withTrace('forkexec', 'plain', (g) => {
    const r = root(g);
    assert.notEqual(r.tgid, 0, 'the pid of the unprefixed log was learned');
    const children = g.childrenOf(r);
    assert.equal(children.length, 4);
    assert.ok(children.every((p) => !g.tasksOf(p)[0].traced && g.tasksOf(p)[0].birth.kind === 'fork'));
    assert.deepEqual(children.map((p) => g.processEnd(p)?.code), [0, 3, 0, 127]);
  });
});

test('tasklens tree: text, --json, --no-threads, -ff name expansion, stdin, missing file', async () => {
  const { log, dir } = traceWorkload(binDir, 'thread_exec', 'ff');
  try {
    const text = await runCli(['tree', log]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /process tree: 1 process, 2 threads/);
    assert.match(text.stdout, /superseded by execve in thread \d+/);
    assert.match(text.stdout, /took over TID \d+/);
    assert.match(text.stdout, /legend:/);
    const json = await runCli(['tree', '--json', log]);
    assert.equal(json.code, 0);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.tasklens, 'tree');
    assert.deepEqual(doc.roots[0].command, ['child', 'exit', '0']);
    assert.equal(doc.roots[0].threads.length, 3);
    const noThreads = await runCli(['tree', '--no-threads', '--no-legend', log]);
    assert.doesNotMatch(noThreads.stdout, /thread \d+ +\[thread/);
    assert.doesNotMatch(noThreads.stdout, /legend:/);
  } finally {
    cleanup(dir);
  }
  const missing = await runCli(['tree', '/nonexistent/trace.log']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read \/nonexistent\/trace\.log/);
  const stdin = await runCli(['tree', '-'], '100 fork() = 101\n101 +++ exited with 4 +++\nnot a strace line\n100 +++ exited with 0 +++\n');
  assert.equal(stdin.code, 0);
  assert.match(stdin.stdout, /101 .*\[fork\].*exited 4/);
  assert.match(stdin.stderr, /1 line not understood/);
});
