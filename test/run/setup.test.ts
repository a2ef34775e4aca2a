/**
 * What `tasklens run` sets up in the child before the program's exec: the inherited ignored/blocked
 * signals (reset by default, kept with --keep-signals, read by the bin/tasklens launcher before Node
 * resets them), and a limit the kernel refuses, which must not look like the program exiting 1.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSignalOptions, parseInheritedSignals, signalsOfMask, takeInheritedSignals, INHERITED_SIGNALS_ENV, SETUP_FAILED_EXIT } from '../../src/index.js';
import { cliArgv, runCli } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';
import { childrenByScan, exited, killLeftovers, readReport, reportPath, track, waitFor } from './live-helpers.js';

afterEach(killLeftovers);

const launcher = join(repoRoot, 'bin', 'tasklens');
const SIGINT_BIT = 1n << 1n;
const SIGUSR1_BIT = 1n << 9n;

function masks(pid: number): { ignored: bigint; blocked: bigint } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => BigInt(`0x${new RegExp(`^${name}:\\s+([0-9a-f]+)$`, 'm').exec(text)![1]}`);
  return { ignored: field('SigIgn'), blocked: field('SigBlk') };
}

test('parseInheritedSignals reads the launcher\'s variable (tabs from /proc kept), envSignalOptions skips what cannot be set', () => {
  const state = parseInheritedSignals('ign=\t0000000000000006 blk=\t0000000300000200');
  assert.deepEqual(state, { ignored: 0x6n, blocked: 0x300000200n });
  assert.deepEqual(signalsOfMask(state!.blocked), [10, 33, 34]);
  // 33 is glibc's own (sigaction refuses it); 34 is a real-time signal env(1) can block.
  assert.deepEqual(envSignalOptions(state!), ['--ignore-signal=2,3', '--block-signal=10,34']);
  assert.deepEqual(envSignalOptions({ ignored: 0n, blocked: 1n << 8n }), [], 'SIGKILL cannot be blocked');
  assert.equal(parseInheritedSignals('ign=zz blk=0'), undefined);
  assert.equal(parseInheritedSignals(undefined), undefined);
  const env: NodeJS.ProcessEnv = { [INHERITED_SIGNALS_ENV]: 'ign=2 blk=0', KEEP: '1' };
  assert.deepEqual(takeInheritedSignals(env), { ignored: 2n, blocked: 0n });
  assert.deepEqual(env, { KEEP: '1' }, 'the variable does not reach the programs tasklens starts');
});

/** Starts bin/tasklens from a shell that ignores SIGINT and blocks SIGUSR1; returns the sleep's masks. */
async function underParentThatIgnoresIntBlocksUsr1(runArgs: string[]) {
  const file = reportPath();
  const shell = track(
    spawn('sh', ['-c', 'trap "" INT; exec env --block-signal=USR1 "$@"', 'sh', launcher, 'run', '--json', '--report-file', file, ...runArgs, '--', 'sleep', '60'], {
      cwd: repoRoot,
      stdio: 'ignore',
    }),
  );
  const sleep = await waitFor('sleep exec\'d under tasklens', () => childrenByScan(shell.pid!).find((c) => c.comm === 'sleep'));
  const child = masks(sleep.pid);
  // Through tasklens, which scans the tree (and reads the program's limits) before forwarding.
  process.kill(shell.pid!, 'SIGTERM');
  const end = await exited(shell);
  return { child, end, report: readReport(file) as ReturnType<typeof readReport> & { keptSignals?: { ignored: number[]; blocked: number[] } }, sleepPid: sleep.pid };
}

test('inherited SIG_IGN and blocked signals are reset in the program by default', async () => {
  const { child, end, report } = await underParentThatIgnoresIntBlocksUsr1([]);
  assert.equal(child.ignored & SIGINT_BIT, 0n, 'SIGINT back to its default action');
  assert.equal(child.blocked & SIGUSR1_BIT, 0n, 'SIGUSR1 unblocked');
  assert.equal(end.code, 143);
  assert.equal(report.keptSignals, undefined);
});

test('--keep-signals: the program keeps the SIGINT ignored and the SIGUSR1 blocked that tasklens was started with', async () => {
  for (const extra of [[], ['--limit', 'NOFILE=300:400']]) {
    const { child, end, report, sleepPid } = await underParentThatIgnoresIntBlocksUsr1(['--keep-signals', ...extra]);
    assert.notEqual(child.ignored & SIGINT_BIT, 0n, `SIGINT still ignored ${extra.join(' ')}`);
    assert.notEqual(child.blocked & SIGUSR1_BIT, 0n, `SIGUSR1 still blocked ${extra.join(' ')}`);
    assert.equal(end.code, 143);
    assert.ok(report.keptSignals?.ignored.includes(2) && report.keptSignals.blocked.includes(10), JSON.stringify(report.keptSignals));
    assert.equal(report.pid, sleepPid, 'same pid from the setup through the program');
    if (extra.length) assert.deepEqual(report.limits?.find((l) => l.name === 'NOFILE'), { resource: 'RLIMIT_NOFILE', name: 'NOFILE', soft: '300', hard: '400', requested: true });
  }
});

test('--keep-signals without the launcher (node main.js) is refused: the state is unknown, not silently empty', () => {
  const result = runCli(['run', '--keep-signals', '--', 'true']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--keep-signals: the signal state tasklens inherited is unknown/);
  assert.match(result.stderr, /bin\/tasklens/);
});

test('a limit the kernel refuses exits 125 with prlimit\'s reason and the program never runs; the program exiting 1 stays 1', () => {
  const nrOpen = BigInt(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim());
  const tooMany = String(nrOpen + 1n); // above fs.nr_open: EPERM even for root
  const marker = join(reportPath(), '..', 'ran');
  const program = ['--', 'sh', '-c', `: > ${marker}; exit 1`];
  const file = reportPath();
  const refused = runCli(['run', '--json', '--report-file', file, '--limit', `NOFILE=${tooMany}:${tooMany}`, ...program]);
  assert.equal(refused.status, SETUP_FAILED_EXIT);
  assert.match(refused.stderr, /could not apply --limit NOFILE=\d+:\d+: prlimit: failed to set the NOFILE resource limit: Operation not permitted/);
  assert.match(refused.stderr, /the program did not run: exit 125/);
  const report = readReport(file) as ReturnType<typeof readReport> & { setupError?: string };
  assert.match(report.setupError ?? '', /NOFILE/);
  assert.equal(report.outcome, undefined);
  assert.throws(() => readFileSync(marker), 'the program did not run');

  const own = runCli(['run', '--json', '--report-file', file, '--limit', 'NOFILE=300', ...program]);
  assert.equal(own.status, 1);
  const ownReport = readReport(file) as ReturnType<typeof readReport> & { setupError?: string };
  assert.equal(ownReport.setupError, undefined);
  assert.deepEqual(ownReport.outcome, { kind: 'exited', code: 1 });
  assert.equal(readFileSync(marker, 'utf8'), '');
});

test('raising a hard limit without privilege is refused before starting, also with exit 125', () => {
  // As root, tasklens runs as nobody (setpriv keeps the limits); as an unprivileged user, directly.
  const asNobody = process.geteuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
  const hard = /^Max open files\s+\d+\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))![1];
  const above = String(BigInt(hard) + 1n);
  const result = spawnSync(asNobody[0], [...asNobody.slice(1), ...cliArgv(), 'run', '--limit', `NOFILE=100:${above}`, '--', 'true'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(result.status, SETUP_FAILED_EXIT, result.stderr);
  assert.match(result.stderr, new RegExp(`cannot raise the hard limit above ${hard} without CAP_SYS_RESOURCE`));
});
