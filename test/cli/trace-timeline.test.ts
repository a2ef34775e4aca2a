/**
 * The `trace` timeline on real programs: time never runs backwards (a call split by other tasks' lines
 * is shown when it completed, with its start), also after a Ctrl-C interrupts a blocked call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { runCli, startCli } from '../support/cli.js';

interface Row {
  time: number;
  text: string;
}

/** Timeline rows: `   +0.001369 1234          wait4 → reaped 1235 ...`. */
function rows(stderr: string): Row[] {
  return stderr.split('\n').flatMap((text) => {
    const m = /^\s*([+-]\d+\.\d+) /.exec(text);
    return m ? [{ time: Number(m[1]), text }] : [];
  });
}

function assertNonDecreasing(list: Row[]): void {
  for (let i = 1; i < list.length; i++) {
    assert.ok(list[i].time >= list[i - 1].time, `time runs backwards:\n${list[i - 1].text}\n${list[i].text}`);
  }
}

// dash waits with WNOHANG after SIGCHLD; bash blocks in wait4 while the child runs, so its wait4 is
// split into `<unfinished ...>` and `<... resumed>` around the child's lines.
for (const shell of ['sh', 'bash'].filter((s) => existsSync(`/bin/${s}`))) {
  test(`${shell} -c 'sleep 0.2 & wait': timestamps never decrease and the reap comes after the exit`, () => {
    const r = runCli(['trace', '--', shell, '-c', 'sleep 0.2 & wait']);
    assert.equal(r.status, 0, r.stderr);
    const list = rows(r.stderr);
    assertNonDecreasing(list);
    const child = /clone → new process (\d+)/.exec(r.stderr)?.[1];
    assert.ok(child, r.stderr);
    const exited = list.findIndex((row) => new RegExp(`^\\s*\\S+ ${child}\\s+\\+\\+\\+ exited with 0`).test(row.text));
    const reaped = list.findIndex((row) => row.text.includes(`wait4 → reaped ${child}`));
    assert.ok(exited >= 0 && reaped >= 0, r.stderr);
    assert.ok(reaped > exited, `the reap is shown after the exit:\n${r.stderr}`);
    assert.ok(list[reaped].time >= list[exited].time);
    if (shell === 'bash') {
      // The duration is at least the child's sleep; on a loaded machine it can be much more.
      const took = /\(started \+\d+\.\d+, took (\d+\.\d+) s\)/.exec(list[reaped].text);
      assert.ok(took, `a split call names its start and duration: ${list[reaped].text}`);
      assert.ok(Number(took[1]) >= 0.19, list[reaped].text);
    }
  });
}

function statusField(pid: number, field: string): string | undefined {
  try {
    return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
  } catch {
    return undefined;
  }
}

function descendsFrom(pid: number, ancestor: number): boolean {
  for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
    const parent = Number(statusField(p, 'PPid'));
    if (parent === ancestor) return true;
    if (!Number.isInteger(parent) || parent === p) return false;
    p = parent;
  }
  return false;
}

test('Ctrl-C during a blocked wait4: the interrupted call is shown when it returned, after the signal was sent', { timeout: 60_000 }, async () => {
  if (!existsSync('/bin/bash')) return;
  const tracer = startCli(['trace', '--', 'bash', '-c', 'sleep 30 & wait; exit 0']);
  let stderr = '';
  tracer.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // Wait until bash blocks in wait4 with its sleep child running (state read from /proc, not from output).
  const deadline = Date.now() + 20_000;
  const traced = (): boolean => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || statusField(Number(entry), 'Name') !== 'sleep') continue;
      const parent = Number(statusField(Number(entry), 'PPid'));
      // Under trace: bash descends from tasklens (strace's child, or tasklens's own with the bpf engine).
      if (statusField(parent, 'Name') !== 'bash' || !descendsFrom(parent, tracer.pid!) || statusField(parent, 'State')?.[0] !== 'S') continue;
      const wchan = readFileSync(`/proc/${parent}/wchan`, 'latin1');
      if (/wait/.test(wchan)) return true;
    }
    return false;
  };
  while (!traced()) {
    if (Date.now() > deadline) throw new Error('bash never blocked in wait4 under trace');
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300)); // the interrupted call then spans a visible time
  tracer.kill('SIGINT');
  await once(tracer, 'exit');
  const list = rows(stderr);
  assertNonDecreasing(list);
  const interrupted = list.find((row) => /wait4: ERESTART/.test(row.text));
  assert.ok(interrupted, stderr);
  assert.ok(interrupted.time >= 0.25, `shown at its return, not its start:\n${stderr}`);
  assert.match(interrupted.text, /\(started \+0\.0\d+/);
});
