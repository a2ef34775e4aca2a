/**
 * `watch`: the machine's lifecycle from kernel tracepoints. Live tests start real programs outside
 * tasklens and poll the gathered events (or /proc) with deadlines; needs root and bpftrace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWatch, watchFilter, type WatchEvent } from '../../src/index.js';
import { repoRoot } from '../support/paths.js';

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function state(pid: number): { state: string; comm: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), state: stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) };
  } catch {
    return undefined;
  }
}

test('watch sees programs started outside tasklens: exec with argv, exit code, a signal sent, delivered and fatal', { timeout: 120_000 }, async () => {
  const marker = `tasklens-watch-${process.pid}`;
  const session = await startWatch();
  const events: WatchEvent[] = [];
  const gathering = (async () => { for await (const batch of session.events) events.push(...batch); })();
  try {
    const shell = spawn('/bin/sh', ['-c', 'exit 3', marker], { stdio: 'ignore' });
    await new Promise((done) => shell.once('exit', done));
    const pid = shell.pid!;
    await until('the shell\'s exec and exit', () => events.some((e) => e.kind === 'exit' && e.task.tgid === pid));
    const exec = events.find((e): e is Extract<WatchEvent, { kind: 'exec' }> => e.kind === 'exec' && e.task.tgid === pid);
    assert.ok(exec, 'the exec of /bin/sh');
    assert.equal(exec.path, '/bin/sh');
    assert.deepEqual(exec.argv, ['/bin/sh', '-c', 'exit 3', marker]);
    assert.equal(exec.task.ppid, process.pid);
    const exit = events.find((e) => e.kind === 'exit' && e.task.tgid === pid);
    assert.deepEqual(exit?.kind === 'exit' && exit.status, { kind: 'exited', code: 3 });
    assert.ok(events.some((e) => e.kind === 'birth' && e.child === pid && e.birth !== 'thread'), 'its birth, as a process');

    const sleeper = spawn('/bin/sleep', ['30'], { stdio: 'ignore' });
    const spid = sleeper.pid!;
    await until('sleep to run and sleep', () => state(spid)?.comm === 'sleep' && state(spid)?.state === 'S');
    sleeper.kill('SIGTERM');
    await until('the SIGTERM and the death', () => events.some((e) => e.kind === 'exit' && e.task.tgid === spid));
    const sent = events.find((e) => e.kind === 'signal' && e.target === spid && e.signal === 'SIGTERM');
    assert.ok(sent && sent.kind === 'signal', 'SIGTERM sent');
    assert.equal(sent.task.tgid, process.pid, 'sent by this process');
    assert.equal(sent.result, 'queued');
    const died = events.find((e) => e.kind === 'exit' && e.task.tgid === spid);
    assert.deepEqual(died?.kind === 'exit' && died.status, { kind: 'killed', signal: 'SIGTERM', coreDumped: false });
  } finally {
    session.stop();
  }
  const summary = await session.result;
  await gathering;
  assert.equal(summary.lostEvents, 0);
  assert.ok(summary.counts.exec >= 2 && summary.counts.exit >= 2);
});

test('watchFilter -p follows the process and what it creates while watching, and nothing else', () => {
  const task = (tid: number, tgid = tid) => ({ tid, tgid, ppid: 1, uid: 0, cgroup: '1', comm: 'x' });
  const keep = watchFilter({ pid: 999_999_990 }); // no such process now: only itself and its births count
  const birth = (parent: number, child: number): WatchEvent => ({ kind: 'birth', ns: 0n, task: task(parent), child, childTgid: child, birth: 'process', call: 'clone', flags: '0x11' });
  const exit = (tid: number): WatchEvent => ({ kind: 'exit', ns: 0n, task: task(tid), status: { kind: 'exited', code: 0 }, groupDead: true });
  assert.equal(keep(exit(42)), false);
  assert.equal(keep(birth(999_999_990, 4242)), true);
  assert.equal(keep(exit(4242)), true, 'a child born while watching is followed');
  assert.equal(keep(birth(4242, 4343)), true);
  assert.equal(keep(exit(4343)), true, 'and its own children');
  assert.equal(keep(birth(42, 43)), false);
  assert.equal(watchFilter({ comm: 'x' })(exit(1)), true);
  assert.equal(watchFilter({ comm: 'y' })(exit(1)), false);
  assert.equal(watchFilter({ uid: 1000 })(exit(1)), false);
});

const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

test('tasklens watch: --help has examples; bpftrace missing is 127 with the install line; an unknown user is 2', () => {
  const help = spawnSync(process.execPath, [cli, 'watch', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Examples:\n\s+\$ sudo tasklens watch/);
  assert.match(help.stdout, /CAP_BPF and CAP_PERFMON/);
  const missing = spawnSync(process.execPath, [cli, 'watch', '-d', '1s'], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });
  assert.equal(missing.status, 127, missing.stderr);
  assert.match(missing.stderr, /bpftrace not found[\s\S]*apt-get install -y bpftrace/);
  const user = spawnSync(process.execPath, [cli, 'watch', '--user', 'no-such-user-zz'], { encoding: 'utf8' });
  assert.equal(user.status, 2, user.stderr);
  assert.match(user.stderr, /no such user: no-such-user-zz/);
});

test('tasklens watch --json --comm: a program started outside is seen; comm with control bytes stays escaped in text', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-watch-'));
  try {
    const name = `tlw\x1b[31m${process.pid % 1000}`; // an ESC in the program's name (its comm)
    const program = join(dir, name);
    copyFileSync('/bin/true', program);
    spawnSync('chmod', ['+x', program]);
    for (const json of [true, false]) {
      const watch = spawn(process.execPath, [cli, 'watch', ...(json ? ['--json'] : []), '--comm', name.slice(0, 15), '-d', '60s'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      watch.stdout.setEncoding('latin1').on('data', (t: string) => { out += t; });
      // Until watch reports it (its start-up takes a while), start the program again: each run is a new event.
      const deadline = Date.now() + 60_000;
      while (!out.includes('exit') && Date.now() < deadline) {
        spawnSync(program, [], { stdio: 'ignore' });
        await new Promise((r) => setTimeout(r, 300));
      }
      watch.kill('SIGINT');
      const code = await new Promise((done) => watch.once('exit', done));
      assert.equal(code, 0);
      assert.ok(!out.includes('\x1b'), 'no raw ESC reaches the output');
      if (json) {
        const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; path?: string; status?: unknown });
        assert.ok(lines.some((l) => l.kind === 'exec' && l.path === program), out);
        assert.ok(lines.some((l) => l.kind === 'exit'), out);
        assert.equal(lines[lines.length - 1].kind, 'summary', 'Ctrl-C ends with the summary');
      } else {
        assert.match(out, /exec +\d+ tlw\\e\[31m/, `the comm shown escaped:\n${out}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
