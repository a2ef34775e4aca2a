/**
 * startTrace against real strace and real programs: exit status propagation, live streaming, the raw
 * tee, Ctrl-C (stop()) semantics, attach/detach, and the errors strace reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTrace, type TraceSession } from '../../src/capture/index.js';
import { lineText } from '../../src/parse/index.js';
import { TasklensError, ExitCode } from '../../src/errors.js';
import { syscallByName } from '../../src/kb/syscalls.js';

const quiet = ['ignore', 'ignore', 'pipe'] as ['ignore', 'ignore', 'pipe'];

async function collect(session: TraceSession): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of session.lines) lines.push(lineText(line));
  return lines;
}

async function traceCommand(command: string[], extra: Partial<Parameters<typeof startTrace>[0]> = {}) {
  const session = await startTrace({ command, stdio: quiet, ...extra });
  const lines = await collect(session);
  return { session, lines, result: await session.result };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tasklens-capture-test-'));
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function reap(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
  }
}

test('exit code 0 and 3 of the traced program become the result', { timeout: 30_000 }, async () => {
  const ok = await traceCommand(['sh', '-c', 'exit 0']);
  assert.equal(ok.result.exitCode, 0);
  assert.equal(ok.result.signal, null);
  const three = await traceCommand(['sh', '-c', 'exit 3']);
  assert.equal(three.result.exitCode, 3);
  assert.equal(three.result.straceStatus.code, 3, 'strace mirrors the exit code');
  assert.match(three.lines.at(-1)!, /\+\+\+ exited with 3 \+\+\+$/);
});

test('a program killed by SIGTERM: result.signal, and strace re-raised the same signal', { timeout: 30_000 }, async () => {
  const { result, lines } = await traceCommand(['sh', '-c', 'kill -TERM $$']);
  assert.equal(result.exitCode, null);
  assert.equal(result.signal, 'SIGTERM');
  assert.equal(result.straceStatus.signal, 'SIGTERM');
  assert.match(lines.at(-1)!, /\+\+\+ killed by SIGTERM \+\+\+$/);
});

test('lines stream live: the first arrives long before the program ends', { timeout: 30_000 }, async () => {
  const started = Date.now();
  const session = await startTrace({ command: ['sh', '-c', 'sleep 0.8'], stdio: quiet });
  let firstAt = -1;
  for await (const _line of session.lines) if (firstAt < 0) firstAt = Date.now() - started;
  await session.result;
  const endedAt = Date.now() - started;
  assert.ok(firstAt >= 0, 'got lines');
  assert.ok(endedAt - firstAt >= 600, `first line at ${firstAt} ms, end at ${endedAt} ms`);
});

test('the tee file holds exactly the bytes streamed, including a multi-MB line', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  try {
    const tee = join(dir, 'raw.log');
    // full mode, strings up to 2 MB: the write of 1 MB of zero bytes prints as a ~2 MB line of \0 escapes.
    const { lines, result } = await traceCommand(
      ['sh', '-c', 'dd if=/dev/zero of=/dev/null bs=1000000 count=1 2>/dev/null; ls /usr/lib >/dev/null'],
      { mode: 'full', extraFlags: ['-s', '2000000'], teePath: tee },
    );
    assert.equal(result.exitCode, 0);
    const raw = readFileSync(tee);
    assert.equal(raw.length, result.bytes);
    assert.equal(lines.length, result.lines);
    assert.equal(lines.map((l) => `${l}\n`).join(''), raw.toString('latin1'));
    assert.ok(lines.some((l) => l.length > 1_900_000), 'a line longer than 1.9 MB came through whole');
    assert.ok(lines.some((l) => /\bopenat\(/.test(l)), 'full mode traces file syscalls');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lifecycle mode records process events only; full mode records everything', { timeout: 30_000 }, async () => {
  const cmd = ['sh', '-c', 'ls / >/dev/null; true'];
  const lifecycle = await traceCommand(cmd, { mode: 'lifecycle' });
  const names = new Set(lifecycle.lines.map((l) => /^\d+\s+[\d.]+\s+(?:<\.\.\. )?([a-z_0-9]+)[( ]/.exec(l)?.[1]).filter(Boolean));
  assert.ok(names.has('execve') && names.has('exit_group') && (names.has('wait4') || names.has('waitid')), [...names].join(','));
  assert.ok(!names.has('openat') && !names.has('read') && !names.has('mmap'), [...names].join(','));
  const full = await traceCommand(cmd, { mode: 'full' });
  assert.ok(full.lines.some((l) => / openat\(/.test(l)));
  assert.ok(full.lines.length > lifecycle.lines.length * 5);
});

test('the traced program keeps its stdio and never inherits the log FIFO', { timeout: 30_000 }, async () => {
  const session = await startTrace({
    command: ['sh', '-c', 'echo out; exec find /proc/self/fd/ -mindepth 1 -lname "*strace.log*"'],
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  session.stdout!.setEncoding('latin1').on('data', (text: string) => { stdout += text; });
  const lines = await collect(session);
  const result = await session.result;
  assert.equal(result.exitCode, 0);
  assert.equal(stdout, 'out\n', 'program output reaches its own stdout, and no fd of it points at the FIFO');
  assert.ok(!lines.some((l) => l === 'out'), 'program output is not in the log');
});

test('stop(): SIGINT reaches the traced program, which handles it; everything is flushed', { timeout: 30_000 }, async () => {
  const session = await startTrace({ command: ['sh', '-c', 'trap "exit 7" INT; sleep 5; exit 1'], stdio: quiet });
  const started = Date.now();
  const lines: string[] = [];
  for await (const raw of session.lines) {
    const line = lineText(raw);
    lines.push(line);
    if (/execve\("\/usr\/bin\/sleep"|execve\("\/bin\/sleep"/.test(line)) setTimeout(() => session.stop(), 100);
  }
  const result = await session.result;
  assert.ok(Date.now() - started < 4000, 'stopped well before sleep 5 ended');
  assert.equal(result.exitCode, 7, 'the shell ran its INT trap');
  assert.equal(result.stopped, true);
  assert.ok(lines.some((l) => /--- SIGINT \{si_signo=SIGINT/.test(l)), 'the signal delivery is in the log');
  assert.match(lines.at(-1)!, /\+\+\+ exited with 7 \+\+\+$/, 'the final exit line was flushed');
});

test('stop(): a program without a handler is killed by SIGINT; SIGTERM can be chosen', { timeout: 30_000 }, async () => {
  const first = await startTrace({ command: ['sleep', '5'], stdio: quiet });
  setTimeout(() => first.stop(), 200);
  const firstLines = await collect(first);
  const r1 = await first.result;
  assert.equal(r1.signal, 'SIGINT');
  assert.match(firstLines.at(-1)!, /killed by SIGINT/);

  const second = await startTrace({ command: ['sleep', '5'], stdio: quiet });
  setTimeout(() => second.stop({ signal: 'SIGTERM' }), 200);
  await collect(second);
  assert.equal((await second.result).signal, 'SIGTERM');
});

test('stop() twice escalates to SIGKILL for a program that ignores SIGINT', { timeout: 30_000 }, async () => {
  const session = await startTrace({ command: ['sh', '-c', 'trap "" INT; sleep 5; exit 1'], stdio: quiet });
  const lines: string[] = [];
  for await (const raw of session.lines) {
    const line = lineText(raw);
    lines.push(line);
    if (/execve\("(?:\/usr)?\/bin\/sleep"/.test(line)) {
      session.stop();
      setTimeout(() => session.stop(), 300);
    }
  }
  const result = await session.result;
  assert.ok(lines.some((l) => /\+\+\+ killed by SIGKILL \+\+\+$/.test(l)), 'the kill is in the log');
  assert.equal(result.signal, 'SIGKILL', lines.slice(-5).join('\n'));
});

/** Resolves once `pid` is blocked in the system call `name` (/proc/PID/syscall), polling with a deadline. */
async function untilInSyscall(pid: number, name: string, timeoutMs = 20_000): Promise<void> {
  const nr = String(syscallByName(name)!.number);
  const deadline = Date.now() + timeoutMs;
  while (readFileSync(`/proc/${pid}/syscall`, 'latin1').split(' ')[0] !== nr) {
    if (Date.now() > deadline) throw new Error(`${pid} did not block in ${name} within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** Resolves once `pid` is traced (TracerPid non-zero), polling /proc with a deadline. */
async function untilTraced(pid: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (/^TracerPid:\s+0$/m.test(readFileSync(`/proc/${pid}/status`, 'latin1'))) {
    if (Date.now() > deadline) throw new Error(`${pid} was not traced within ${timeoutMs} ms`);
    await sleep(10);
  }
}

test('attach with -p, then stop(): strace detaches and the target keeps running', { timeout: 60_000 }, async () => {
  const target = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    await sleep(100);
    const session = await startTrace({ pid: target.pid!, mode: 'full' });
    // strace completes a line only when the call returns: sleep's restart_syscall stays open until we detach.
    const collected = collect(session);
    // strace prints the open restart_syscall line (completed by `<detached ...>`) once it has seen the
    // call's entry: wait until the target sleeps in restart_syscall, not only until it is traced.
    await untilTraced(target.pid!);
    await untilInSyscall(target.pid!, 'restart_syscall');
    session.stop();
    const lines = await collected;
    const result = await session.result;
    assert.equal(result.detached, true);
    assert.equal(result.exitCode, null);
    assert.ok(result.diagnostics.some((d) => /Process \d+ attached/.test(d)), result.diagnostics.join('|'));
    assert.ok(result.diagnostics.some((d) => /Process \d+ detached/.test(d)), result.diagnostics.join('|'));
    assert.match(lines.at(-1)!, new RegExp(`^${target.pid}\\s.*<detached \\.\\.\\.>$`));
    await sleep(100);
    assert.ok(alive(target.pid!), 'target still running');
    assert.equal(target.exitCode, null);
    assert.match(readFileSync(`/proc/${target.pid}/status`, 'latin1'), /^TracerPid:\s+0$/m, 'no longer traced');
  } finally {
    await reap(target);
  }
});

test('attached to a process that exits by itself, its exit code comes from the log', { timeout: 60_000 }, async () => {
  // The target exits when told to, after strace holds it: a fixed sleep let it exit before the attach under load.
  const target = spawn('sh', ['-c', 'read line; exit 4'], { stdio: ['pipe', 'ignore', 'ignore'] });
  try {
    await sleep(100);
    const session = await startTrace({ pid: target.pid!, mode: 'lifecycle' });
    const collected = collect(session);
    await untilTraced(target.pid!);
    target.stdin!.end('go\n');
    await collected;
    const result = await session.result;
    assert.equal(result.exitCode, 4);
    assert.equal(result.detached, false);
  } finally {
    await reap(target);
  }
});

test('an unknown command: TasklensError command-not-found, exit 127', { timeout: 30_000 }, async () => {
  await assert.rejects(startTrace({ command: ['tasklens-no-such-command'], stdio: quiet }), (error: unknown) => {
    assert.ok(error instanceof TasklensError);
    assert.equal(error.code, 'command-not-found');
    assert.equal(error.exitCode, 127);
    assert.match(error.message, /tasklens-no-such-command/);
    return true;
  });
  await assert.rejects(startTrace({ command: ['./no/such/path'] }), { code: 'command-not-found' });
});

test('a pid that does not exist: strace reports it, error no-such-process', { timeout: 30_000 }, async () => {
  const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
  let pid = pidMax - 1;
  while (existsSync(`/proc/${pid}`)) pid--;
  const session = await startTrace({ pid });
  await collect(session);
  await assert.rejects(session.result, (error: unknown) => {
    assert.ok(error instanceof TasklensError);
    assert.equal(error.code, 'no-such-process');
    assert.equal(error.exitCode, ExitCode.noSuchProcess);
    assert.match(error.message, new RegExp(String(pid)));
    return true;
  });
});

test('attaching without permission: strace\'s EPERM becomes ptrace-denied with the Yama/capability hint', { timeout: 30_000 }, async () => {
  // strace run as `nobody` (through a wrapper) attaching to a process of root: the kernel refuses.
  const dir = tempDir();
  const target = spawn('sleep', ['10'], { stdio: 'ignore' });
  try {
    const wrapper = join(dir, 'strace-as-nobody');
    const straceBin = spawnSync('sh', ['-c', 'command -v strace'], { encoding: 'utf8' }).stdout.trim();
    // The log FIFO lives in a root-only temp dir: let `nobody` open it (test scaffolding only).
    writeFileSync(wrapper, `#!/bin/sh
prev=
for a in "$@"; do
  if [ "$prev" = "-o" ] && [ -p "$a" ]; then chmod 0755 "$(dirname "$a")"; chmod 0666 "$a"; fi
  prev="$a"
done
exec setpriv --reuid=65534 --regid=65534 --clear-groups ${straceBin} "$@"
`);
    chmodSync(wrapper, 0o755);
    await sleep(50);
    const session = await startTrace({ pid: target.pid!, strace: wrapper });
    await collect(session);
    await assert.rejects(session.result, (error: unknown) => {
      assert.ok(error instanceof TasklensError);
      assert.equal(error.code, 'ptrace-denied');
      assert.equal(error.exitCode, ExitCode.permission);
      assert.match(error.hint ?? '', /ptrace_scope/);
      assert.match(error.hint ?? '', /SYS_PTRACE/);
      return true;
    });
    assert.ok(alive(target.pid!));
  } finally {
    await reap(target);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('strace missing: strace-missing, exit 127, one line naming the install command', { timeout: 30_000 }, async () => {
  await assert.rejects(startTrace({ command: ['true'], path: '/nonexistent-dir' }), (error: unknown) => {
    assert.ok(error instanceof TasklensError);
    assert.equal(error.code, 'strace-missing');
    assert.equal(error.exitCode, ExitCode.missingTool);
    assert.ok(!error.message.includes('\n'));
    assert.match(error.message, /apt-get install strace/);
    return true;
  });
  await assert.rejects(startTrace({ command: ['true'], strace: '/no/such/strace' }), { code: 'strace-missing' });
});

test('a tee that cannot be written: the trace still runs to the end, then result reports tee-failed', { timeout: 30_000 }, async () => {
  const session = await startTrace({ command: ['sh', '-c', 'exit 0'], stdio: quiet, teePath: '/nonexistent-dir/raw.log' });
  const lines = await collect(session);
  assert.ok(lines.length > 0);
  await assert.rejects(session.result, { code: 'tee-failed' });
});
