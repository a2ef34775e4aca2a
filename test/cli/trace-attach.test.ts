/**
 * `trace -p` on a multi-threaded process (issue 10 item 2): every thread is known as a thread of the
 * process from the start (read from /proc/PID/task at attach time), the attach is confirmed on stderr
 * even when the target is idle, times are never negative, and `--tree` shows the process and its threads.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'tasklens-attach-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const THREADS = 6;

/** main + 5 threads; `busy`: each thread calls getppid() and sleeps 20 ms in a loop; else all pause(). */
function build(busy: boolean): string {
  const src = join(tmp, `threads-${busy ? 'busy' : 'idle'}.c`);
  writeFileSync(src, `#include <pthread.h>
#include <unistd.h>
static void *work(void *arg) {
  (void)arg;
  for (;;) { ${busy ? 'getppid(); usleep(20000);' : 'pause();'} }
  return 0;
}
int main(void) {
  pthread_t t[${THREADS - 1}];
  for (int i = 0; i < ${THREADS - 1}; i++) pthread_create(&t[i], 0, work, 0);
  for (;;) pause();
}
`);
  const bin = src.replace(/\.c$/, '');
  const cc = spawnSync('gcc', ['-O1', '-pthread', '-o', bin, src], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  return bin;
}

function statusField(pid: number | string, field: string): string | undefined {
  try {
    return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
  } catch {
    return undefined;
  }
}

const tidsOf = (pid: number): string[] => {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
};

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startTarget(busy: boolean): Promise<{ target: ChildProcess; tids: string[] }> {
  const target = spawn(build(busy), [], { stdio: 'ignore' });
  await until(`${THREADS} threads`, () => tidsOf(target.pid!).length === THREADS);
  return { target, tids: tidsOf(target.pid!) };
}

async function stopTarget(target: ChildProcess): Promise<void> {
  target.kill('SIGKILL');
  if (target.exitCode === null && target.signalCode === null) await once(target, 'exit');
}

/** Attaches, waits until strace traces every thread (and `extra`), then Ctrl-C: detach. */
async function attach(pid: number, tids: string[], flags: string[], extra: (stderr: string) => boolean): Promise<string> {
  const tracer = startCli(['trace', ...flags, '-p', String(pid)]);
  let stderr = '';
  tracer.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    await until('every thread traced', () => tids.every((tid) => !['0', undefined].includes(statusField(`${pid}/task/${tid}`, 'TracerPid'))));
    await until('the trace to show the threads at work', () => extra(stderr));
  } finally {
    tracer.kill('SIGINT');
  }
  const [code] = (await once(tracer, 'exit')) as [number | null];
  assert.equal(code, 0, stderr);
  return stderr;
}

function timelineRows(stderr: string): Array<{ time: string; task: string; text: string }> {
  return stderr.split('\n').flatMap((text) => {
    const m = /^\s*([+-]\d+\.\d+) (\S+)/.exec(text);
    return m ? [{ time: m[1], task: m[2], text }] : [];
  });
}

test(`trace --full -p on a ${THREADS}-thread process: one process, its threads as TGID/TID, no negative times`, { timeout: 90_000 }, async () => {
  const { target, tids } = await startTarget(true);
  const pid = target.pid!;
  try {
    const others = tids.filter((t) => t !== String(pid));
    const stderr = await attach(pid, tids, ['--full', '--tree'], (text) => others.every((tid) => text.includes(`${pid}/${tid} `)));
    assert.match(stderr, new RegExp(`^tasklens: attached to ${pid} \\(${THREADS} threads\\)$`, 'm'));
    const rows = timelineRows(stderr);
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.ok(row.time.startsWith('+'), `negative time: ${row.text}`);
      assert.ok(row.task === String(pid) || others.some((tid) => row.task === `${pid}/${tid}`), `a thread shown outside its process: ${row.text}`);
    }
    assert.match(stderr, new RegExp(`process tree: 1 process, ${THREADS - 1} threads`));
  } finally {
    await stopTarget(target);
  }
});

test(`trace -p (lifecycle) on an idle ${THREADS}-thread process: the attach is confirmed and the tree shows it`, { timeout: 90_000 }, async () => {
  const { target, tids } = await startTarget(false);
  const pid = target.pid!;
  try {
    const stderr = await attach(pid, tids, ['--tree'], (text) => /attached to/.test(text));
    assert.match(stderr, new RegExp(`^tasklens: attached to ${pid} \\(${THREADS} threads\\)$`, 'm'));
    assert.match(stderr, new RegExp(`process tree: 1 process, ${THREADS - 1} threads`));
    const tree = stderr.slice(stderr.indexOf('process tree:'));
    assert.match(tree, new RegExp(`\\b${pid}\\b`));
    for (const tid of tids.filter((t) => t !== String(pid))) assert.match(tree, new RegExp(`thread ${tid}\\b.*detached`), `thread ${tid} in the tree, detached`);
  } finally {
    await stopTarget(target);
  }
});
