/**
 * Stopping bpftrace: a stop request it misses (bpftrace 0.17 checks its SIGINT flag around an
 * epoll_wait without timeout; with the traced tasks gone no event wakes it) must not hang the trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { stopTracer } from '../../src/bpf/session.js';

test('stopTracer repeats SIGINT until the tracer exits (the first one is missed)', { timeout: 60_000 }, async () => {
  // Exits on its second SIGINT only, as bpftrace does when the first lands before its wait.
  const script = 'n=0; trap \'n=$((n+1)); [ "$n" -ge 2 ] && exit 0\' INT; while :; do sleep 0.05; done';
  const child = spawn('/bin/sh', ['-c', script], { stdio: 'ignore' });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  // The trap must be set before the first SIGINT, or sh dies of it: wait until sh sleeps in its loop.
  const deadline = Date.now() + 30_000;
  const { readFileSync } = await import('node:fs');
  const hasSleepChild = (): boolean => {
    try {
      return readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim() !== '';
    } catch {
      return false;
    }
  };
  while (!hasSleepChild() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(hasSleepChild(), 'sh runs its loop');
  const status = await stopTracer(child, exited);
  assert.deepEqual(status, { code: 0, signal: null });
});
