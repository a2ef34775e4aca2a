/**
 * Input and output streams of the CLI: backpressure into a slow reader, a reader that goes away
 * (EPIPE, `| head -1`), the line cap, input that is not strace output, UTF-8 text, progress.
 * Memory is the child's VmHWM read from /proc while it runs (bounds are generous: the point is
 * bounded versus growing with the input).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliArgv, runCli, runCliInProcess } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';
import { lineBytes } from '../../src/parse/index.js';
import { ReadProgress } from '../../src/cli/progress.js';

let dir = '';
let bigLog = '';

/** A one-process log of about `bytes` bytes: reads and writes of a cat, then its exit. */
function writeBigLog(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  writeSync(fd, '4242  execve("/usr/bin/cat", ["cat", "big"], 0x7ffd /* 3 vars */) = 0\n');
  const pair = `4242  read(3, "${'x'.repeat(60)}"..., 4096) = 4096\n4242  write(1, "${'y'.repeat(60)}"..., 4096) = 4096\n`;
  const block = pair.repeat(2000);
  for (let n = 0; n < bytes; n += block.length) writeSync(fd, block);
  writeSync(fd, '4242  exit_group(0) = ?\n4242  +++ exited with 0 +++\n');
  closeSync(fd);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tasklens-streams-'));
  bigLog = join(dir, 'big.strace');
  writeBigLog(bigLog, 40e6);
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** VmHWM (kB) of a live process, or undefined once it is gone. */
function hwmKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ticks and state letter of a live process. */
function cpuAndState(pid: number): { ticks: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

interface Watched {
  child: ChildProcess;
  stderr: () => string;
  /** Highest VmHWM seen, in MB. */
  peakMb: () => number;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the CLI with piped stdout/stderr and samples its VmHWM every 50 ms until it exits. */
function watch(args: string[]): Watched {
  const child = spawn(process.execPath, [...cliArgv(), ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, hwmKb(child.pid!) ?? 0); }, 50);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal });
    });
  });
  return { child, stderr: () => stderr, peakMb: () => peak / 1024, exit };
}

/** Waits until the process sleeps and uses no CPU for ~1 s (blocked on the full pipe), or exits. */
async function untilBlocked(pid: number, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let last = cpuAndState(pid);
  let still = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const now = cpuAndState(pid);
    if (now === undefined) return;
    still = last !== undefined && now.ticks === last.ticks && now.state === 'S' ? still + 1 : 0;
    if (still >= 10) return;
    last = now;
  }
  assert.fail('the process neither blocked nor ended before the deadline');
}

const STACK = /\n\s+at |node:internal|Unhandled 'error'/;

test('--help into a closed pipe (| head -1): every verb exits 0 with no stack trace', { timeout: 120_000 }, async () => {
  for (const verb of ['', 'trace', 'tree', 'explain', 'ps', 'inspect', 'zombies', 'snapshot', 'lab']) {
    const w = watch(verb ? [verb, '--help'] : ['--help']);
    w.child.stdout!.destroy(); // the reader is gone before the help is written: every write is EPIPE
    const { code } = await w.exit;
    assert.equal(code, 0, `${verb || 'tasklens'} --help exit code; stderr: ${w.stderr()}`);
    assert.doesNotMatch(w.stderr(), STACK, `${verb || 'tasklens'} --help`);
  }
});

for (const json of [false, true]) {
  const args = json ? ['explain', '--json'] : ['explain'];
  test(`${args.join(' ')} into a slow reader: the output waits for the reader, memory stays bounded`, { timeout: 240_000 }, async () => {
    const w = watch([...args, bigLog]);
    w.child.stdout!.pause(); // nobody reads: the pipe fills, tasklens must wait instead of buffering
    await untilBlocked(w.child.pid!, 120_000);
    const blockedAt = w.peakMb();
    let bytes = 0;
    w.child.stdout!.on('data', (b: Buffer) => { bytes += b.length; });
    w.child.stdout!.resume();
    const { code } = await w.exit;
    assert.equal(code, 0, w.stderr());
    assert.ok(bytes > 40e6, `all the output arrived (${bytes} bytes)`);
    // Before: the whole output was queued in memory (528 MB for this 40 MB log, 1.5 GB for 150 MB).
    assert.ok(blockedAt < 250, `VmHWM while the reader slept: ${blockedAt.toFixed(0)} MB`);
    assert.ok(w.peakMb() < 250, `VmHWM: ${w.peakMb().toFixed(0)} MB`);
  });
}

test('explain | head -1: the reader goes away after the first line, tasklens stops quietly with bounded memory', { timeout: 120_000 }, async () => {
  const w = watch(['explain', bigLog]);
  let text = '';
  await new Promise<void>((resolve) => {
    w.child.stdout!.setEncoding('utf8').on('data', (t: string) => {
      text += t;
      if (text.includes('\n')) {
        w.child.stdout!.destroy();
        resolve();
      }
    });
  });
  const { code } = await w.exit;
  assert.match(text.split('\n')[0], /execve/);
  assert.equal(code, 0, w.stderr());
  assert.doesNotMatch(w.stderr(), STACK);
  assert.ok(w.peakMb() < 250, `VmHWM: ${w.peakMb().toFixed(0)} MB`);
});

test('a 20 MiB line: reported as one unknown line with its length, the lines after it parse, memory bounded', { timeout: 120_000 }, async () => {
  const path = join(dir, 'long-line.strace');
  const fd = openSync(path, 'w');
  writeSync(fd, '500 execve("/bin/true", ["true"], 0x7ffd /* 1 var */) = 0\n500 write(1, "');
  const block = Buffer.alloc(1 << 20, 0x61);
  for (let i = 0; i < 20; i++) writeSync(fd, block);
  writeSync(fd, '", 20971520) = 20971520\n500 exit_group(3) = ?\n500 +++ exited with 3 +++\n');
  closeSync(fd);
  const tree = watch(['tree', path]);
  let out = '';
  tree.child.stdout!.setEncoding('utf8').on('data', (t: string) => { out += t; });
  assert.equal((await tree.exit).code, 0, tree.stderr());
  assert.match(out, /true/);
  assert.match(out, /exit(ed)? (code )?3|exited 3/, out);
  assert.match(tree.stderr(), /1 line not understood/);
  assert.ok(tree.stderr().length < 1000, 'the warning does not quote the line');
  assert.ok(tree.peakMb() < 200, `VmHWM: ${tree.peakMb().toFixed(0)} MB`);
  const json = await runCliInProcess(['explain', '--json', path]);
  assert.equal(json.status, 0, json.stderr);
  const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; line?: number; raw?: string; reason?: string; explanation?: { text?: string } });
  const long = records.find((r) => r.line === 2);
  assert.equal(long?.kind, 'unknown');
  assert.ok((long?.raw ?? '').length <= 200);
  assert.match(JSON.stringify(long), /20971557 bytes/);
  assert.ok(records.some((r) => r.line === 4 && r.kind === 'exit'), 'the exit after the long line is parsed');
  // The cap can be raised.
  const raised = await runCliInProcess(['explain', '--json', path], { env: { TASKLENS_MAX_LINE: '32M' } });
  assert.equal((JSON.parse(raised.stdout.split('\n')[1]) as { kind: string }).kind, 'syscall');
  assert.equal((await runCliInProcess(['tree', path], { env: { TASKLENS_MAX_LINE: 'lots' } })).status, 2);
});

test('tree /dev/zero ends with a clear error', { timeout: 30_000 }, async () => {
  const r = await runCliInProcess(['tree', '/dev/zero']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\/dev\/zero is a device, not a strace log/);
});

test('input that is not strace output, and an empty log: a clear message, exit 1, no empty legend', async () => {
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n');
  for (const verb of ['explain', 'tree']) {
    const r = runCli([verb, passwd]);
    assert.equal(r.status, 1, `${verb}: ${r.stderr}`);
    assert.match(r.stderr, /does not look like strace output \(line 1: "root:x:0:0:root:\/root:\/bin\/bash"\)/);
    assert.equal(r.stdout, '', `${verb} prints nothing`);
  }
  const empty = join(dir, 'empty.strace');
  writeFileSync(empty, '');
  for (const verb of ['explain', 'tree']) {
    const r = runCli([verb, empty]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /empty\.strace is empty/);
    assert.doesNotMatch(r.stdout, /legend/);
  }
  const piped = await runCliInProcess(['tree', '-'], { input: 'hello\n' });
  assert.equal(piped.status, 1);
  assert.match(piped.stderr, /the input \(stdin\) does not look like strace output/);
});

test('UTF-8: errno texts and argv decoded in explain, --json raw and tree; invalid bytes kept and shown as \\xNN', async () => {
  const path = join(dir, 'utf8.strace');
  const lines = [
    Buffer.from('700 execve("/bin/echo", ["echo", "h\u00e9llo"], 0x7ffd /* 1 var */) = 0\n'),
    Buffer.from('700 openat(AT_FDCWD, "/x", O_RDONLY) = -1 EINVAL (Недопустимый аргумент)\n'),
    Buffer.concat([Buffer.from('700 write(1, "\\303\\251", 2) = 2 '), Buffer.of(0xff, 0xfe), Buffer.from('\n')]),
    Buffer.from('700 exit_group(0) = ?\n700 +++ exited with 0 +++\n'),
  ];
  writeFileSync(path, Buffer.concat(lines));
  const text = await runCliInProcess(['explain', path]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /EINVAL \(Недопустимый аргумент\)/);
  assert.match(text.stdout, /argv: echo 'h\u00e9llo'/);
  assert.match(text.stdout, /exited 0  echo 'h\u00e9llo'/, 'the summary decodes argv once');
  assert.match(text.stdout, /\\xff\\xfe/, 'invalid bytes shown as \\xNN');
  assert.match(text.stdout, /"\\303\\251"/, "strace's own escapes stay as they are");
  assert.doesNotMatch(text.stdout, /Ã|Ð|\ufffd/);
  const json = await runCliInProcess(['explain', '--json', path]);
  const raws = json.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { raw?: string }).raw).filter((r) => r !== undefined);
  assert.equal(raws[0], '700 execve("/bin/echo", ["echo", "h\u00e9llo"], 0x7ffd /* 1 var */) = 0');
  assert.equal(raws[1], '700 openat(AT_FDCWD, "/x", O_RDONLY) = -1 EINVAL (Недопустимый аргумент)');
  assert.deepEqual(lineBytes(raws[2]!), lines[2].subarray(0, -1), 'the raw bytes are recoverable from JSON');
  const tree = await runCliInProcess(['tree', path]);
  assert.match(tree.stdout, /echo "h\u00e9llo"/);
});

test('progress: drawn on a terminal after the delay, redrawn at most every interval, erased at the end', () => {
  let now = 0;
  const writes: string[] = [];
  const stream = { isTTY: true, columns: 100, write: (t: string) => { writes.push(t); return true; } };
  const progress = new ReadProgress({ total: 100e6, stream, now: () => now });
  now = 500;
  progress.advance(10e6);
  assert.equal(writes.length, 0, 'nothing before a second');
  now = 2000;
  progress.advance(30e6);
  assert.equal(writes.length, 1);
  assert.match(writes[0], /^\r\x1b\[2Kreading 40 of 100 MB \(40%\), 20 MB\/s, 3 s left$/);
  now = 2100;
  progress.advance(1e6);
  assert.equal(writes.length, 1, 'not redrawn within 200 ms');
  progress.clear();
  assert.equal(writes.at(-1), '\r\x1b[2K');
  const quiet = new ReadProgress({ total: 1, stream, now: () => now });
  quiet.clear();
  assert.equal(writes.length, 2, 'a line never drawn is not cleared');
  // A 0x0 terminal (script(1)) reports 0 columns: the line is still drawn, cut at 80.
  const narrow = new ReadProgress({ total: 100e6, stream: { ...stream, columns: 0 }, now: () => now });
  now += 5000;
  narrow.advance(50e6);
  assert.match(writes.at(-1)!, /^\r\x1b\[2Kreading 50 of 100 MB/);
});

test('progress through a pseudo-terminal: shown while explain reads a big log into a file, erased at the end', { timeout: 180_000 }, () => {
  if (!existsSync('/usr/bin/script')) return;
  const outFile = join(dir, 'explained.txt');
  const started = Date.now();
  // stderr is the terminal, stdout a file: the case progress is for (`explain big.log > out.txt`).
  const r = spawnSync('script', ['-qec', `${process.execPath} ${cliArgv().join(' ')} explain ${bigLog} > ${outFile}`, '/dev/null'], { encoding: 'utf8', timeout: 170_000, env: { ...process.env, NO_COLOR: '1' } });
  const seconds = (Date.now() - started) / 1000;
  assert.match(readFileSync(outFile, 'utf8').slice(0, 200), /execve/);
  const screen = r.stdout;
  const lastDraw = screen.lastIndexOf('reading ');
  if (seconds >= 2.5) assert.ok(lastDraw >= 0, `no progress in a ${seconds.toFixed(1)} s run: ${JSON.stringify(screen.slice(0, 200))}`);
  if (lastDraw >= 0) {
    assert.match(screen.slice(lastDraw), /^reading [\d.]+ of 40 MB \(\d+%\), [\d.]+ MB\/s, .* left\r\x1b\[2K/, 'the last line drawn is erased');
  }
  // Piped through cat, stdout is a pipe: never any progress.
  const piped = spawnSync('script', ['-qec', `${process.execPath} ${cliArgv().join(' ')} tree --no-threads ${bigLog} | cat`, '/dev/null'], { encoding: 'utf8', timeout: 170_000, env: { ...process.env, NO_COLOR: '1' } });
  assert.match(piped.stdout, /process tree:/);
  assert.doesNotMatch(piped.stdout, /reading /);
});

test('progress is wanted only with stderr on a terminal, without --json, and not when stdout is a pipe', { timeout: 60_000 }, () => {
  const tty = { isTTY: true, write: () => true };
  const file = join(dir, 'stdout.txt');
  const fd = openSync(file, 'w');
  try {
    assert.equal(ReadProgress.wanted({ stderr: tty, stdoutFd: fd }), true);
    assert.equal(ReadProgress.wanted({ stderr: tty, stdoutFd: fd, json: true }), false);
    assert.equal(ReadProgress.wanted({ stderr: { isTTY: false, write: () => true }, stdoutFd: fd }), false);
  } finally {
    closeSync(fd);
  }
  if (!existsSync('/usr/bin/script')) return;
  // Through a real pseudo-terminal: stderr and stdout are the terminal (tree shows progress, explain
  // streams its output instead); in a pipe (stdout piped) neither does.
  const probe = `import('${join(repoRoot, 'dist/src/cli/progress.js')}').then((m) => console.log('tree=' + m.ReadProgress.wanted() + ' explain=' + m.ReadProgress.wanted({ streams: true })))`;
  const inPty = spawnSync('script', ['-qec', `${process.execPath} -e "${probe}"`, '/dev/null'], { encoding: 'utf8', timeout: 30_000 });
  assert.match(inPty.stdout, /tree=true explain=false/);
  const piped = spawnSync('script', ['-qec', `${process.execPath} -e "${probe}" | cat`, '/dev/null'], { encoding: 'utf8', timeout: 30_000 });
  assert.match(piped.stdout, /tree=false explain=false/);
});
