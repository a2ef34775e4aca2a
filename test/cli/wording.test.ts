/**
 * One wording (issue 10.10): a PID that names no process is `tasklens: no such process: N` in every
 * verb (it was "no process with PID N", "no process with pid N", "no process or thread with ID N"),
 * and counts agree with their nouns ("1 threads" in snapshot).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runCli, runCliInProcess } from '../support/cli.js';
import { PID_MAX } from '../../src/pid.js';

test('"no such process: N", exit 3, in inspect, snapshot, ps and trace -p', async () => {
  const pid = String(PID_MAX); // a valid PID no process can have
  for (const args of [['inspect', pid], ['snapshot', pid], ['ps', pid], ['trace', '-p', pid]]) {
    // inspect and ps read /proc only: in-process; snapshot and trace start tracers: their own process.
    const r = args[0] === 'inspect' || args[0] === 'ps' ? await runCliInProcess(args) : runCli(args);
    assert.equal(r.status, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^tasklens: no such process: ${pid}$`, 'm'), args.join(' '));
  }
});

function state(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return 'gone';
  }
}

test('snapshot of a one-thread process says "1 thread", not "1 threads"', async () => {
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' }); // outlives a snapshot slowed by load
  try {
    const deadline = Date.now() + 10_000;
    while (state(sleeper.pid!) !== 'S' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const r = runCli(['snapshot', String(sleeper.pid)], { timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^process ${sleeper.pid} \\(sleep\\): 1 thread$`, 'm'));
    assert.match(r.stdout, /^1 thread seen, /m);
    assert.ok(!/\b1 threads\b/.test(r.stdout), r.stdout);
  } finally {
    sleeper.kill('SIGKILL');
  }
});
