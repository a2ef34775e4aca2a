/**
 * tasklens killed with SIGKILL mid-trace (issue 9 item 3): strace must not trace on without it, and the
 * FIFO directory must not be left behind. Every wait polls /proc with a deadline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from '../support/cli.js';
import { sweepStaleTraceDirs, makeTraceDir } from '../../src/capture/trace-dir.js';

const DEADLINE_MS = 20_000;

function statusField(pid: number, field: string): string | undefined {
  try {
    return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
  } catch {
    return undefined;
  }
}

/** Gone, or a zombie waiting for its new parent to reap it: it runs no more code. */
function dead(pid: number): boolean {
  const state = statusField(pid, 'State');
  return state === undefined || state.startsWith('Z') || state.startsWith('X');
}

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && statusField(Number(entry), 'PPid') === String(pid)) found.push(Number(entry));
  }
  return found;
}

function traceesOf(tracer: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e) && statusField(Number(e), 'TracerPid') === String(tracer)).map(Number);
}

async function until<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The strace tasklens started to trace (its child named strace), once it traces at least `tracees`
 * tasks, `target` among them when given. (tasklens also runs strace briefly to probe its features.)
 */
async function straceOf(tasklens: ChildProcess, tracees: number, target?: number): Promise<{ strace: number; tracees: number[] }> {
  return until(`strace of ${tasklens.pid} tracing ${tracees} tasks`, () => {
    for (const strace of childrenOf(tasklens.pid!).filter((p) => statusField(p, 'Name') === 'strace')) {
      const traced = traceesOf(strace);
      if (traced.length >= tracees && (target === undefined || traced.includes(target))) return { strace, tracees: traced };
    }
    return undefined;
  });
}

function collect(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => (text += chunk));
  return () => text;
}

async function killNine(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

/** A long-running program that keeps forking: a shell loop spawning /bin/true. */
const FORKING = ['sh', '-c', 'while :; do /bin/true; sleep 0.05; done'];

for (const mode of ['--lifecycle', '--full'] as const) {
  test(`SIGKILL of tasklens tracing a forking command (${mode}): strace and the program end, no FIFO dir is left`, { timeout: 60_000 }, async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'tasklens-orphan-test-'));
    const tasklens = startCli(['trace', mode, '--', ...FORKING], { env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } });
    const stderr = collect(tasklens.stderr);
    try {
      const { strace, tracees } = await straceOf(tasklens, 2);
      assert.equal(readdirSync(tmp).filter((n) => n.startsWith('tasklens-trace-')).length, 1, 'the FIFO directory exists while tracing');
      await killNine(tasklens);
      await until('strace to end', () => dead(strace));
      // With its seccomp filter and no tracer the program could not fork or exit correctly: it ends too.
      for (const pid of tracees) await until(`traced task ${pid} to end`, () => dead(pid));
      await until('the FIFO directory to be removed', () => readdirSync(tmp).length === 0);
      const before = stderr().length;
      await new Promise((r) => setTimeout(r, 300));
      assert.doesNotMatch(stderr(), /Broken pipe/, 'strace wrote no EPIPE errors onto the program\'s stderr');
      assert.equal(stderr().length, before, 'nothing more is written once tasklens is gone');
    } finally {
      if (tasklens.exitCode === null && tasklens.signalCode === null) await killNine(tasklens);
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

test('SIGKILL of tasklens attached with -p to an idle target: strace detaches, the target runs on untraced', { timeout: 60_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tasklens-orphan-test-'));
  const target = spawn('sleep', ['1000'], { stdio: 'ignore' });
  try {
    await until('the target to run sleep', () => statusField(target.pid!, 'Name') === 'sleep');
    const tasklens = startCli(['trace', '-p', String(target.pid)], { env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } });
    const { strace } = await straceOf(tasklens, 1, target.pid!);
    assert.equal(statusField(target.pid!, 'TracerPid'), String(strace));
    await killNine(tasklens);
    await until('the target to be untraced', () => statusField(target.pid!, 'TracerPid') === '0');
    await until('strace to end', () => dead(strace));
    assert.ok(!dead(target.pid!), 'the target is still running');
    await until('the FIFO directory to be removed', () => readdirSync(tmp).length === 0);
  } finally {
    target.kill('SIGKILL');
    if (target.exitCode === null && target.signalCode === null) await once(target, 'exit');
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('stale trace directories: only ours, of a dead owner, and real directories are removed', () => {
  const parent = mkdtempSync(join(tmpdir(), 'tasklens-sweep-test-'));
  try {
    const exited = spawnSync('true');
    const deadPid = exited.pid!;
    const make = (name: string, owner?: string) => {
      const dir = join(parent, name);
      mkdirSync(dir, { mode: 0o700 });
      if (owner !== undefined) writeFileSync(join(dir, 'owner'), owner);
      writeFileSync(join(dir, 'strace.log'), '');
      return dir;
    };
    const stale = make('tasklens-trace-dead', `${deadPid} 1\n`);
    const live = makeTraceDir(parent); // this process: alive
    const reused = make('tasklens-trace-reused', `${process.pid} 1\n`); // our pid, another start time: a dead owner whose pid was reused
    const unowned = make('tasklens-trace-noowner');
    const other = make('tasklens-trace-otheruser', `${deadPid} 1\n`);
    chownSync(other, 65534, 65534);
    const target = make('elsewhere', `${deadPid} 1\n`);
    symlinkSync(target, join(parent, 'tasklens-trace-link'));
    const unrelated = make('not-ours-dead', `${deadPid} 1\n`);

    const removed = sweepStaleTraceDirs(parent).sort();
    assert.deepEqual(removed, [stale, reused].sort());
    assert.ok(!existsSync(stale) && !existsSync(reused));
    for (const kept of [live, unowned, other, target, unrelated, join(parent, 'tasklens-trace-link')]) assert.ok(existsSync(kept), `${kept} kept`);
    assert.ok(existsSync(join(target, 'owner')), 'nothing removed through the symlink');
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
