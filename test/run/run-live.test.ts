/**
 * `tasklens run` end to end, porting the edge cases of tini's and dumb-init's suites: exit statuses,
 * signal deaths, exec failures, reaping orphans and grandchildren, forwarding to the child vs its
 * group, an inherited SIG_IGN, a child that ignores SIGTERM, limits before exec, and Node as PID 1.
 * Every test waits on /proc state with a deadline and checks that no process it saw is left a zombie.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliArgv, runCli, startCli } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';
import { childrenByScan, descendantsByScan, exited, killLeftovers, track, readReport, reportPath, stat, waitFor, zombiesAmong, type JsonReport } from './live-helpers.js';

afterEach(killLeftovers);

function runJson(args: string[]): { status: number | null; report: JsonReport; stdout: string; stderr: string } {
  const file = reportPath();
  const result = runCli(['run', '--json', '--report-file', file, ...args]);
  return { ...result, report: readReport(file) };
}

function seenPids(report: JsonReport): number[] {
  return [report.pid ?? 0, ...report.reaped.map((r) => r.pid), ...(report.stop?.killed.map((k) => k.pid) ?? [])].filter(Boolean);
}

test('exit status: the child\'s own code, for 0..255 samples (dumb-init exit_status_test)', () => {
  for (const code of [0, 1, 2, 32, 64, 127, 254, 255]) {
    const { status, report } = runJson(['--', 'sh', '-c', `exit ${code}`]);
    assert.equal(status, code);
    assert.deepEqual(report.outcome, { kind: 'exited', code });
    assert.deepEqual(zombiesAmong(seenPids(report)), []);
  }
});

test('exit status: 128+N when the child is killed by signal N', () => {
  for (const [signal, n] of [['TERM', 15], ['HUP', 1], ['QUIT', 3], ['KILL', 9]] as const) {
    const { status, report } = runJson(['--', 'sh', '-c', `kill -${signal} $$`]);
    assert.equal(status, 128 + n, signal);
    assert.equal(report.outcome?.kind, 'killed');
    assert.equal(report.outcome?.signal, n);
  }
});

test('exec failure: 127 when not found, 126 when not executable or a directory, with and without --limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-run-exec-'));
  const plain = join(dir, 'data');
  writeFileSync(plain, 'not a program');
  for (const extra of [[], ['--limit', 'NOFILE=256']]) {
    const missing = runCli(['run', ...extra, '--', 'no-such-program-tasklens']);
    assert.equal(missing.status, 127);
    assert.match(missing.stderr, /no-such-program-tasklens: command not found/);
    assert.equal(runCli(['run', ...extra, '--', plain]).status, 126);
    assert.equal(runCli(['run', ...extra, '--', dir]).status, 126);
  }
});

test('reaping: orphans and grandchildren are re-parented to tasklens and reaped with their status (tini reaping test)', async () => {
  const file = reportPath();
  // The main child leaves a sleeping orphan and a grandchild-orphan (via a subshell), then exits 0.
  const cli = track(startCli(['run', '--wait-all', '--json', '--report-file', file, '--', 'sh', '-c', 'sleep 60 & (sh -c "sleep 60; exit 9" &) ; exit 0']));
  const orphans = await waitFor('both orphans re-parented to tasklens', () => {
    const kids = childrenByScan(cli.pid!).filter((c) => c.state !== 'Z');
    const names = kids.map((k) => k.comm).sort();
    return names.length === 2 && names[0] === 'sh' && names[1] === 'sleep' ? kids : undefined;
  });
  const grandchild = await waitFor('the grandchild sleep', () => descendantsByScan(cli.pid!).find((d) => d.comm === 'sleep' && d.ppid !== cli.pid));
  process.kill(grandchild.pid, 'SIGTERM'); // its sh then goes on to exit 9
  process.kill(orphans.find((o) => o.comm === 'sleep')!.pid, 'SIGKILL');
  const end = await exited(cli);
  assert.equal(end.code, 0, 'the main child\'s status, not an orphan\'s');
  const report = readReport(file);
  assert.equal(report.subreaper, true);
  assert.ok(report.reaped.some((r) => r.comm === 'sleep' && r.outcome.kind === 'killed' && r.outcome.signal === 9));
  assert.ok(report.reaped.some((r) => r.comm === 'sh' && r.outcome.kind === 'exited' && r.outcome.code === 9));
  assert.deepEqual(report.leftRunning, []);
  assert.deepEqual(zombiesAmong([...seenPids(report), grandchild.pid, ...orphans.map((o) => o.pid)]), []);
});

test('without --wait-all tasklens returns with the main child and names what is left running', async () => {
  const { status, report } = runJson(['--', 'sh', '-c', 'sleep 30 >/dev/null 2>&1 & exit 5']);
  assert.equal(status, 5);
  assert.equal(report.leftRunning.length, 1);
  // Named as it was seen: 'sleep', or 'sh' if the forked child had not exec'd yet.
  assert.ok(['sleep', 'sh'].includes(report.leftRunning[0].comm), report.leftRunning[0].comm);
  assert.notEqual(stat(report.leftRunning[0].pid), undefined, 'it is really still running');
  process.kill(report.leftRunning[0].pid, 'SIGKILL');
});

test('forwarded signals end the child: 128+N (tini signals test: TERM, USR1, USR2)', async () => {
  for (const [signal, n] of [['SIGTERM', 15], ['SIGUSR1', 10], ['SIGUSR2', 12], ['SIGHUP', 1]] as const) {
    const cli = track(startCli(['run', '--', 'sleep', '60']));
    await waitFor('sleep running under tasklens', () => childrenByScan(cli.pid!).some((c) => c.comm === 'sleep'));
    cli.kill(signal);
    const end = await exited(cli);
    assert.equal(end.code, 128 + n, signal);
  }
});

// The sleep starts before the trap: an ignored SIGTERM would be inherited by it.
const IGNORES_TERM_WAITS_FOR_CHILD = 'sleep 60 & trap "" TERM; wait';

function cmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return undefined; // exited
  }
}

/** Waits until the tree's shell ignores SIGTERM (its trap ran) and its sleep runs. */
async function treeReady(cli: { pid?: number }) {
  return waitFor('shell ignoring SIGTERM with its sleep', () => {
    const tree = descendantsByScan(cli.pid!);
    const sh = tree.find((d) => d.comm === 'sh' && d.ppid === cli.pid);
    if (!sh || !tree.some((d) => d.comm === 'sleep')) return undefined;
    const ign = readFileSync(`/proc/${sh.pid}/status`, 'utf8').match(/^SigIgn:\s+([0-9a-f]+)$/m)?.[1];
    return ign && (BigInt(`0x${ign}`) & (1n << 14n)) !== 0n ? tree : undefined;
  });
}

test('--stop-timeout without --group: only the child gets SIGTERM; it ignores it, so it and the untouched grandchild are killed and named', async () => {
  const file = reportPath();
  const cli = track(startCli(['run', '--stop-timeout', '300ms', '--json', '--report-file', file, '--', 'sh', '-c', IGNORES_TERM_WAITS_FOR_CHILD]));
  const tree = await treeReady(cli);
  cli.kill('SIGTERM');
  const end = await exited(cli);
  assert.equal(end.code, 137, 'the child was SIGKILLed');
  const report = readReport(file);
  assert.equal(report.stop?.signal, 'SIGTERM');
  assert.notEqual(report.stop?.escalatedAtMs, undefined);
  const killed = new Map(report.stop!.killed.map((k) => [k.comm, k]));
  assert.equal(killed.get('sh')?.stopSignalDisposition, 'ignored');
  assert.equal(killed.get('sh')?.gotStopSignal, true);
  assert.equal(killed.get('sleep')?.gotStopSignal, false);
  assert.deepEqual(zombiesAmong(tree.map((d) => d.pid)), []);
  assert.deepEqual(tree.filter((d) => stat(d.pid) !== undefined), [], 'the whole tree is gone');
});

test('--stop-timeout with --group: the whole group gets SIGTERM; the grandchild dies of it, only those ignoring it are killed (tini pgroup test)', async () => {
  const file = reportPath();
  // After the trap, the shell and every sleep it starts ignore SIGTERM; the first sleep does not.
  const script = 'sleep 60 & trap "" TERM; while :; do sleep 0.2; done';
  const cli = track(startCli(['run', '--group', '--stop-timeout', '300ms', '--json', '--report-file', file, '--', 'sh', '-c', script]));
  await treeReady(cli);
  const first = await waitFor('the first sleep (60 s)', () => descendantsByScan(cli.pid!).find((d) => d.comm === 'sleep' && cmdline(d.pid) === 'sleep 60'));
  const tree = descendantsByScan(cli.pid!);
  const main = tree.find((d) => d.ppid === cli.pid)!;
  assert.equal(stat(main.pid)?.pgrp, main.pid, 'the child leads its own group');
  assert.equal(stat(first.pid)?.pgrp, main.pid, 'the grandchild is in that group');
  cli.kill('SIGTERM');
  const end = await exited(cli);
  assert.equal(end.code, 137);
  const report = readReport(file);
  assert.deepEqual(report.forwarded.map((f) => [f.signal, f.target]), [['SIGTERM', -main.pid]]);
  const killed = report.stop!.killed;
  assert.ok(killed.some((k) => k.pid === main.pid && k.stopSignalDisposition === 'ignored' && k.gotStopSignal));
  assert.ok(killed.every((k) => k.stopSignalDisposition === 'ignored' && k.gotStopSignal), JSON.stringify(killed));
  assert.ok(!killed.some((k) => k.pid === first.pid), 'the grandchild ended on SIGTERM itself');
  assert.equal(stat(first.pid), undefined, 'and is gone');
  assert.deepEqual(zombiesAmong(tree.map((d) => d.pid)), []);
});

test('a child that exits on SIGTERM within the timeout is not escalated', async () => {
  const file = reportPath();
  const cli = track(startCli(['run', '--group', '--stop-timeout', '20s', '--json', '--report-file', file, '--', 'sh', '-c', 'sleep 60 & wait']));
  await waitFor('grandchild sleep', () => descendantsByScan(cli.pid!).some((d) => d.comm === 'sleep'));
  cli.kill('SIGTERM');
  const end = await exited(cli);
  assert.equal(end.code, 143);
  const report = readReport(file);
  assert.equal(report.stop?.escalatedAtMs, undefined);
  assert.deepEqual(report.stop?.killed, []);
});

test('an inherited SIG_IGN does not reach the child, and Ctrl-C still works (background job of a script)', async () => {
  const statusOut = spawnSync('sh', ['-c', 'trap "" INT QUIT; exec "$@"', 'sh', process.execPath, ...cliArgv(), 'run', '--', 'cat', '/proc/self/status'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(statusOut.status, 0, statusOut.stderr);
  assert.match(statusOut.stdout, /^SigIgn:\s+0+$/m);
  assert.match(statusOut.stdout, /^SigBlk:\s+0+$/m);
  const shell = track(spawn('sh', ['-c', 'trap "" INT QUIT; exec "$@"', 'sh', process.execPath, ...cliArgv(), 'run', '--', 'sleep', '60'], { cwd: repoRoot, stdio: 'ignore' }));
  await waitFor('sleep under tasklens', () => childrenByScan(shell.pid!).some((c) => c.comm === 'sleep'));
  shell.kill('SIGINT');
  assert.equal((await exited(shell)).code, 130);
});

test('--limit: in force in the program from its first instruction (/proc/PID/limits and prlimit -p agree)', async () => {
  const file = reportPath();
  const cli = track(startCli(['run', '--limit', 'STACK=8M', '--limit', 'NOFILE=256:512', '--limit', 'CORE=0', '--json', '--report-file', file, '--', 'sleep', '60']));
  const sleep = await waitFor('sleep exec\'d', () => childrenByScan(cli.pid!).find((c) => c.comm === 'sleep'));
  const limits = readFileSync(`/proc/${sleep.pid}/limits`, 'utf8');
  assert.match(limits, /^Max stack size\s+8388608\s+\S+\s+bytes/m);
  assert.match(limits, /^Max open files\s+256\s+512\s+files/m);
  assert.match(limits, /^Max core file size\s+0\s/m);
  const prlimit = spawnSync('prlimit', ['-p', String(sleep.pid), '--nofile', '--stack', '--output', 'RESOURCE,SOFT,HARD', '--noheadings', '--raw'], { encoding: 'utf8' });
  assert.match(prlimit.stdout, /^NOFILE 256 512$/m);
  assert.match(prlimit.stdout, /^STACK 8388608 /m);
  cli.kill('SIGTERM');
  assert.equal((await exited(cli)).code, 143);
  const report = readReport(file);
  const nofile = report.limits?.find((l) => l.name === 'NOFILE');
  assert.deepEqual(nofile, { resource: 'RLIMIT_NOFILE', name: 'NOFILE', soft: '256', hard: '512', requested: true });
});

test('Node as PID 1 of a PID namespace: the first SIGTERM is forwarded, not swallowed', async () => {
  const ns = track(spawn('unshare', ['-fp', '--mount-proc', process.execPath, ...cliArgv(), 'run', '--', 'sleep', '60'], { cwd: repoRoot, stdio: 'ignore' }));
  const node = await waitFor('tasklens as PID 1', () => childrenByScan(ns.pid!).find((c) => c.comm === 'node' || c.comm.startsWith('MainThread')));
  await waitFor('sleep under it', () => childrenByScan(node.pid).some((c) => c.comm === 'sleep'));
  const nspid = readFileSync(`/proc/${node.pid}/status`, 'utf8').match(/^NSpid:\s+(.*)$/m)![1].trim().split(/\s+/);
  assert.equal(nspid[nspid.length - 1], '1', 'it is PID 1 inside');
  process.kill(node.pid, 'SIGTERM');
  const end = await exited(ns);
  // unshare -f passes the child's status on: exit 143, or death by the same signal.
  assert.ok(end.code === 143 || end.signal === 'SIGTERM', JSON.stringify(end));
});

test('an executable script without a usable interpreter fails like exec: 126/127 come from the program, not a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-run-interp-'));
  const script = join(dir, 'bad');
  writeFileSync(script, '#!/nonexistent/interpreter\n');
  chmodSync(script, 0o755);
  const result = runCli(['run', '--', script]);
  assert.ok(result.status === 127 || result.status === 126, String(result.status));
});
