/** `tasklens trace` end to end: real strace on real programs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { runCli, runCliInProcess, startCli } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'tasklens-trace-test-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function collect(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => (text += chunk));
  return () => text;
}

test('propagates the exit code and keeps the program output on stdout, the timeline on stderr', () => {
  const r = runCli(['trace', '--', 'sh', '-c', 'echo hello; (exit 0) & wait; exit 3']);
  assert.equal(r.status, 3);
  assert.equal(r.stdout, 'hello\n');
  assert.match(r.stderr, /clone → new process \d+/);
  assert.match(r.stderr, /wait4 → reaped \d+/);
  assert.match(r.stderr, /SIGCHLD from \d+ \(CLD_EXITED, status 0\)/);
  assert.match(r.stderr, /\+\+\+ exited with 3/);
});

test('a program killed by a signal gives 128+N, as a shell would', () => {
  const r = runCli(['trace', '--', 'sh', '-c', 'kill -TERM $$']);
  assert.equal(r.status, 143);
  assert.match(r.stderr, /killed by SIGTERM/);
});

test('-o keeps the raw log, --tree prints the tree, and tree on the saved log agrees', async () => {
  const log = join(tmp, 'raw.strace');
  const r = runCli(['trace', '-o', log, '--tree', '--no-timeline', '--', 'sh', '-c', 'true & true & wait']);
  assert.equal(r.status, 0);
  assert.doesNotMatch(r.stderr, /wait4 →/, 'no timeline');
  assert.match(r.stderr, /process tree: 3 processes/);
  const raw = readFileSync(log, 'latin1');
  assert.match(raw.split('\n')[0], /^\d+ +\d+\.\d+ execve\("\/usr\/bin\/sh"/);
  const tree = await runCliInProcess(['tree', log]);
  assert.equal(tree.status, 0);
  assert.match(tree.stdout, /process tree: 3 processes/);
});

test('--json prints one parsed event per line, and the tree last with --tree', () => {
  const r = runCli(['trace', '--json', '--tree', '--out', '-', '--', 'sh', '-c', 'true']);
  assert.equal(r.status, 0);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; name?: string; args?: unknown[] });
  assert.ok(lines.some((e) => e.kind === 'syscall' && e.name === 'execve' && Array.isArray(e.args)));
  assert.ok(lines.some((e) => e.kind === 'exit'));
  assert.equal(lines[lines.length - 1].kind, 'tree');
});

test('--full shows every syscall of every thread with TGID/TID labels', () => {
  const src = join(tmp, 'threads.c');
  writeFileSync(src, '#include <pthread.h>\n#include <unistd.h>\nstatic void *w(void *a){ (void)a; getppid(); return 0; }\nint main(void){ pthread_t t[2]; for(int i=0;i<2;i++) pthread_create(&t[i],0,w,0); for(int i=0;i<2;i++) pthread_join(t[i],0); return 0; }\n');
  const bin = join(tmp, 'threads');
  assert.equal(spawnSync('gcc', ['-O1', '-pthread', '-o', bin, src]).status, 0);
  const r = runCli(['trace', '--full', '--', bin]);
  assert.equal(r.status, 0);
  const threadLines = r.stderr.split('\n').filter((l) => /^\s*\+\d+\.\d+ (\d+)\/(\d+) /.test(l));
  assert.ok(threadLines.some((l) => /getppid\(\) = \d+/.test(l)), 'the threads\' own calls appear under TGID/TID');
  assert.equal((r.stderr.match(/clone3 → new thread \d+/g) ?? []).length, 2);
});

test('Ctrl-C (SIGINT) reaches the traced program and everything gathered is printed', async () => {
  const child = startCli(['trace', '--', 'sleep', '30']);
  const stderr = collect(child.stderr);
  await waitFor(() => /execve "\/usr\/bin\/sleep"/.test(stderr()), 10_000);
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 130);
  assert.match(stderr(), /killed by SIGINT/);
});

test('-p attaches to a running process; Ctrl-C detaches and leaves it running', async () => {
  const target = spawn('bash', ['-c', 'while :; do sleep 0.05; done'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300)); // let bash start its loop before attaching
  try {
    const tracer = startCli(['trace', '-p', String(target.pid)]);
    const stderr = collect(tracer.stderr);
    await waitFor(() => /new process \d+/.test(stderr()), 10_000);
    tracer.kill('SIGINT');
    const [code] = (await once(tracer, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.equal(target.exitCode, null, 'the target keeps running');
    assert.doesNotThrow(() => process.kill(target.pid!, 0));
  } finally {
    target.kill('SIGKILL');
    if (target.exitCode === null && target.signalCode === null) await once(target, 'exit'); // reap it: no zombie left behind
  }
});

test('errors: unknown command (127), no command (2), bad pid, nonexistent pid', () => {
  const missing = runCli(['trace', '--', 'no-such-command-xyz']);
  assert.equal(missing.status, 127);
  assert.match(missing.stderr, /^tasklens: .*no-such-command-xyz/m);
  assert.doesNotMatch(missing.stderr, /at .*\.js:\d+/, 'no stack trace');
  assert.equal(runCli(['trace']).status, 2);
  assert.equal(runCli(['trace', '-p', 'abc']).status, 2);
  const gone = runCli(['trace', '-p', '999999999']);
  assert.notEqual(gone.status, 0);
  assert.match(gone.stderr, /tasklens: .*999999999/);
});

test('--help shows examples', () => {
  const r = runCli(['trace', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Examples:/);
  assert.match(r.stdout, /tasklens trace -p 1234/);
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
