/**
 * Snapshots of a real multithreaded C program of ours, compiled three ways (CFI without frame
 * pointers, frame pointers with CFI, frame pointers without unwind tables): every thread is seen, its
 * fs_base equals the pthread_self() it printed, the expected functions are on each stack, and the
 * program keeps running correctly afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { takeSnapshot, type Snapshot, type ThreadSnapshot } from '../../src/ptrace/snapshot.js';
import { compileWorkload, VARIANTS, waitForThreads, Workload, type Announced, type Variant } from './support.js';

/**
 * Functions expected on each role's stack, innermost first (our own, then the libc call under it). Only
 * names every machine can resolve: libc's exported symbols, not internal ones like start_thread that
 * need the libc6-dbg debug file.
 */
const EXPECTED: Record<string, string[][]> = {
  sleeper: [['clock_nanosleep', 'nanosleep'], ['sleep_long'], ['sleeper_main']],
  condwait: [['pthread_cond_wait'], ['wait_for_signal'], ['condwait_main']],
  piperead: [['read'], ['read_pipe'], ['piperead_main']],
  busy: [['spin'], ['busy_main']],
  ticker: [['clock_nanosleep', 'nanosleep'], ['ticker_main']],
  main: [['read'], ['fgets'], ['main']],
};

/** Index of the first frame at or after `from` whose symbol is one of `names` (gcc may suffix clones: read_pipe.constprop.0). */
function findFrame(thread: ThreadSnapshot, names: string[], from: number): number {
  return thread.frames.findIndex((f, i) => i >= from && f.symbol !== undefined && names.includes(f.symbol.split('.')[0]));
}

function describeStack(thread: ThreadSnapshot): string {
  return thread.frames.map((f) => `${f.symbol ?? '??'} (${f.module ?? '?'}, ${f.method})`).join(' <- ');
}

for (const variant of Object.keys(VARIANTS) as Variant[]) {
  describe(`snapshot of a workload built ${variant}`, { timeout: 60_000 }, () => {
    let workload: Workload;
    let announced: Announced[];
    let snapshot: Snapshot;
    const EXTRA = 3;

    before(async () => {
      workload = new Workload(compileWorkload(variant), [String(EXTRA)]);
      announced = await workload.ready();
      snapshot = takeSnapshot(workload.pid);
    });
    after(() => workload.stop());

    test('sees and stops every thread', () => {
      assert.equal(announced.length, 6);
      assert.equal(snapshot.threads.length, 6 + EXTRA);
      for (const thread of snapshot.threads) assert.equal(thread.stop, 'interrupt', `thread ${thread.tid} ${thread.name}`);
      assert.deepEqual(snapshot.vanished, []);
      assert.equal(snapshot.threadsSeen, 6 + EXTRA);
      assert.ok(snapshot.pause.pauseMs > 0 && snapshot.pause.pauseMs < snapshot.wallMs);
      // The busy thread was running: it was interrupted last and released first.
      assert.ok(snapshot.pause.runningPauseMs > 0 && snapshot.pause.runningPauseMs <= snapshot.pause.pauseMs, JSON.stringify(snapshot.pause));
    });

    test("fs_base is the thread's pthread_t", () => {
      for (const a of announced) {
        const thread = snapshot.threads.find((t) => t.tid === a.tid);
        assert.ok(thread, `thread ${a.tid} (${a.role}) missing`);
        assert.equal(thread.pthread, a.pthread, `${a.role}: fs_base 0x${thread.pthread?.toString(16)} vs pthread_self 0x${a.pthread.toString(16)}`);
      }
    });

    test('each stack holds the worker function and the libc call below it', () => {
      for (const a of announced) {
        const thread = snapshot.threads.find((t) => t.tid === a.tid)!;
        let at = 0;
        for (const names of EXPECTED[a.role]) {
          const found = findFrame(thread, names, at);
          assert.ok(found >= 0, `${a.role}: ${names.join('|')} not found in order in ${describeStack(thread)}`);
          at = found + 1;
        }
        if (a.role !== 'busy') assert.equal(thread.unwindEnd, 'end', `${a.role}: ${describeStack(thread)}`);
      }
      const blocked = snapshot.threads.filter((t) => t.name === 'blocked');
      assert.equal(blocked.length, EXTRA);
      for (const thread of blocked) assert.ok(findFrame(thread, ['block_forever'], 0) > 0, describeStack(thread));
    });

    test('blocked threads report their syscall; stacks and guard pages are found', () => {
      const byRole = new Map(announced.map((a) => [a.role, snapshot.threads.find((t) => t.tid === a.tid)!]));
      assert.deepEqual(
        { sleeper: byRole.get('sleeper')!.syscall?.nr, condwait: byRole.get('condwait')!.syscall?.nr, piperead: byRole.get('piperead')!.syscall?.nr },
        { sleeper: 230, condwait: 202, piperead: 0 }, // clock_nanosleep, futex, read
      );
      assert.equal(byRole.get('sleeper')!.syscall?.blocked, true);
      assert.equal(byRole.get('sleeper')!.syscall?.name, 'clock_nanosleep');
      assert.equal(byRole.get('busy')!.syscall?.blocked ?? false, false, 'the busy thread runs in user space');
      assert.equal(byRole.get('main')!.stack?.label, '[stack]');
      const sleeper = byRole.get('sleeper')!;
      assert.ok(sleeper.stack?.guard, 'a pthread stack has a guard mapping below it');
      assert.equal(sleeper.stack.guard.end, sleeper.stack.start);
      const sp = sleeper.registers!.rsp;
      assert.ok(sp >= sleeper.stack.start && sp < sleeper.stack.end);
    });

    if (variant === 'frame-pointer-no-unwind-tables') {
      test('code without unwind tables is walked through its frame pointers', () => {
        const sleeper = snapshot.threads.find((t) => t.name === 'sleeper')!;
        const methods = sleeper.frames.map((f) => f.method);
        assert.ok(methods.includes('frame-pointer'), describeStack(sleeper));
      });
    }

    test('the program keeps running correctly afterwards', async () => {
      const before = await workload.counters();
      assert.ok(await workload.advancesFrom(before, ['busy', 'ticks']), 'busy thread and ticker advance');
      // The interrupted read() and pthread_cond_wait() were restarted and still work.
      const from = workload.lines.length;
      workload.send('wake');
      await workload.waitFor(/^piperead got ping/, from);
      await workload.waitFor(/^condwait woke/, from);
    });
  });
}

describe('snapshot while threads are being created and destroyed', { timeout: 60_000 }, () => {
  let workload: Workload;
  before(async () => {
    workload = new Workload(compileWorkload('O2-no-frame-pointer'));
    await workload.ready();
    workload.send('churn');
    await waitForThreads(workload.pid, 'the churn thread to name itself', (threads) => threads.some((t) => t.name === 'churn'));
  });
  after(() => workload.stop());

  test('every snapshot completes, accounts for every thread, and the process goes on', async () => {
    for (let i = 0; i < 5; i++) {
      const snapshot = takeSnapshot(workload.pid);
      const listed = new Set(snapshot.threads.map((t) => t.tid));
      for (const tid of snapshot.appeared) assert.ok(listed.has(tid) || snapshot.vanished.includes(tid), `appeared ${tid} accounted for`);
      for (const thread of snapshot.threads) {
        if (thread.stop) assert.ok(thread.registers && thread.pthread !== undefined);
      }
      assert.ok(snapshot.threads.some((t) => t.name === 'churn'));
    }
    const before = await workload.counters();
    assert.ok(await workload.advancesFrom(before), 'busy thread advances');
  });
});
