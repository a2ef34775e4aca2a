/**
 * Edge cases from a committed /proc tree (test/procfs/fixtures/edge): command names with spaces and
 * parentheses, unknown capability bits, `(deleted)` paths with spaces in maps, a thread that vanished
 * mid-scan, a leader-exited process, a zombie under a SIGCHLD-ignoring parent. Plus the decoders.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';
import { listProcesses } from '../../src/procfs/listing.js';
import { inspectProcess } from '../../src/procfs/process.js';
import { findZombies } from '../../src/procfs/zombies.js';
import { decodeCapabilities, decodeSignalMask, signalNames } from '../../src/procfs/decode.js';
import { parseStat, parseStatBrief } from '../../src/procfs/stat.js';
import { parseStatus, hexMask } from '../../src/procfs/status.js';
import { parseMaps, stackOf } from '../../src/procfs/maps.js';
import { parseSyscall } from '../../src/procfs/syscall.js';
import { parseLimits } from '../../src/procfs/limits.js';
import { parseSchedStat } from '../../src/procfs/schedstat.js';
import { isUnavailable } from '../../src/procfs/files.js';
import { TasklensError } from '../../src/errors.js';
import { renderInspectText } from '../../src/render/procfs/inspect.js';
import { renderPsText } from '../../src/render/procfs/ps.js';
import { palette } from '../../src/render/color.js';

const root = join(repoRoot, 'test', 'procfs', 'fixtures', 'edge');

test('stat: the command name ends at the last ")" even with spaces and parentheses inside', () => {
  const s = parseStat('4242 (a) (b c) S 1 4242 4242 0 -1 4194304 1 0 0 0 7 3 0 0 20 0 2 0 999 4096 10 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 1792\n');
  assert.equal(s.comm, 'a) (b c');
  assert.equal(s.state, 'S');
  assert.equal(s.ppid, 1);
  assert.equal(s.utime, 7);
  assert.equal(s.numThreads, 2);
  assert.equal(s.startTicks, 999);
  assert.equal(s.exitCode, 1792);
  const line = '4242 (a) (b c) S 1 4242 4242 0 -1 4194304 1 0 0 0 7 3 0 0 20 0 2 0 999 4096 10 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 1792\n';
  const brief = parseStatBrief(line);
  const full = parseStat(line);
  assert.deepEqual(brief, { comm: full.comm, state: full.state, utime: full.utime, stime: full.stime, startTicks: full.startTicks, processor: full.processor });
  assert.throws(() => parseStatBrief('1 (x) S 2 3'), TasklensError);
  assert.throws(() => parseStat('garbage'), TasklensError);
});

test('listing from a fixture tree: odd names, a vanished thread skipped, leader-exited detected', () => {
  const list = listProcesses({ root, threads: true });
  assert.deepEqual(list.map((p) => p.pid), [100, 200, 300]);
  const weird = list[0];
  assert.equal(weird.comm, 'a) (b c');
  assert.deepEqual(weird.cmdline, ['weird', '--flag', 'two words']);
  assert.deepEqual(weird.threads?.map((t) => [t.tid, t.comm]), [[100, 'a) (b c'], [101, 'w (x)']], 'TID 102 has no stat: gone, skipped');
  assert.equal(list[1].leaderExited, true);
  assert.equal(list[2].leaderExited, false);
  assert.equal(list[2].state, 'Z');
  const text = renderPsText(list, { threads: true, tree: true, palette: palette(false), uptime: 1000, users: new Map([[0, 'root']]) });
  assert.match(text, /main-exited/);
  assert.match(text, /not a zombie/);
  assert.match(text, /└─ child <defunct>/, 'the zombie is drawn under its parent 100');
  assert.match(text, /\{w \(x\)\}/);
});

test('status: 64-bit masks stay exact; unknown capability bits keep their number', () => {
  assert.equal(hexMask('8000200000000020'), 0x8000200000000020n);
  const caps = decodeCapabilities(0x8000200000000020n);
  assert.deepEqual(caps.map((c) => c.name), ['CAP_KILL', 'cap_45', 'cap_63']);
  assert.deepEqual(caps.map((c) => c.known), [true, false, false]);
  const sigs = decodeSignalMask(0x0000001180010200n);
  assert.deepEqual(sigs.map((s) => s.name), ['SIGUSR1', 'SIGCHLD', 'SIGCANCEL', 'SIGSETXID', 'SIGRTMIN+3']);
  assert.deepEqual(sigs.filter((s) => s.glibcInternal).map((s) => s.signo), [32, 33]);
  assert.deepEqual(signalNames(1n << 63n), ['SIGRTMAX']);
  const status = parseStatus('Name:\tx\nState:\tS (sleeping)\nSigBlk:\tffffffffffffffff\nNSpid:\t15844\t1\nUid:\t1\t2\t3\t4\n');
  assert.equal(status.signals.blocked, 0xffffffffffffffffn);
  assert.deepEqual(status.nsPid, [15844, 1]);
  assert.deepEqual(status.uid, { real: 1, effective: 2, saved: 3, filesystem: 4 });
});

test('maps: "(deleted)" is stripped and flagged, paths keep their spaces, stacks find their guard', () => {
  const maps = parseMaps('00400000-00401000 r-xp 00000000 08:01 1234      /opt/my app (deleted)\n7f0000000000-7f0000001000 ---p 00000000 00:00 0 \n7f0000001000-7f0000041000 rw-p 00000000 00:00 0\n');
  assert.equal(maps[0].path, '/opt/my app');
  assert.equal(maps[0].deleted, true);
  assert.equal(maps[1].path, '');
  assert.equal(maps[2].inode, 0);
  const stack = stackOf(maps, 0x7f0000040e00n);
  assert.ok(stack);
  assert.equal(stack.sizeBytes, 0x40000n);
  assert.equal(stack.usedBytes, 0x200n);
  assert.deepEqual(stack.guard, { start: 0x7f0000000000n, end: 0x7f0000001000n, sizeBytes: 4096n });
  assert.equal(stackOf(maps, 0x10n), undefined);
});

test('syscall, limits, schedstat decoders', () => {
  const wait = parseSyscall('61 0x3b61 0x7ffc0 0x0 0x0 0x0 0x64 0x7ffce1cd1ef8 0x7f3c22f4dbd3\n');
  assert.ok(wait && wait.state === 'in-syscall');
  assert.equal(wait.name, 'wait4');
  assert.equal(wait.args[0], 0x3b61n);
  assert.equal(wait.argNames?.length, 4, 'wait4 has four arguments in the knowledge base');
  assert.deepEqual(parseSyscall('running\n'), { state: 'running' });
  assert.deepEqual(parseSyscall('-1 0x7ffc 0x4000\n'), { state: 'not-in-syscall', sp: 0x7ffcn, pc: 0x4000n });
  const unknown = parseSyscall('999 0x0 0x0 0x0 0x0 0x0 0x0 0x1 0x2');
  assert.ok(unknown && unknown.state === 'in-syscall' && unknown.name === undefined && unknown.nr === 999);
  assert.equal(parseSyscall('nonsense'), undefined);
  const limits = parseLimits('Limit                     Soft Limit           Hard Limit           Units     \nMax processes             4096                 unlimited            processes \nMax nice priority         0                    0                    \n');
  assert.deepEqual(limits.map((l) => [l.resource, l.soft, l.hard, l.units]), [['RLIMIT_NPROC', 4096n, 'unlimited', 'processes'], ['RLIMIT_NICE', 0n, 0n, '']]);
  assert.deepEqual(parseSchedStat('1500000 250000 12\n'), { runNs: 1500000n, waitNs: 250000n, timeslices: 12 });
});

test('inspect from the fixture tree: per-thread masks, futex wait, stack and guard, missing links marked gone', () => {
  const d = inspectProcess(100, { root });
  assert.equal(d.comm, 'a) (b c');
  assert.deepEqual(d.threads.map((t) => t.name), ['a) (b c', 'w (x)']);
  const worker = d.threads[1];
  assert.deepEqual(signalNames(worker.status.signals.pending), ['SIGUSR1']);
  assert.ok(!isUnavailable(worker.syscall) && worker.syscall.state === 'in-syscall' && worker.syscall.name === 'futex');
  assert.ok(worker.stack && !isUnavailable(worker.stack) && worker.stack.guard?.sizeBytes === 4096n);
  const main = d.threads[0];
  assert.ok(main.stack && !isUnavailable(main.stack) && main.stack.label === '[stack]');
  assert.deepEqual(d.exe, { unavailable: 'gone', errno: 'ENOENT' });
  assert.equal(d.oomScore, 42);
  assert.equal(d.oomScoreAdj, -100);
  assert.equal(d.status.seccomp, 2);
  const text = renderInspectText(d, { palette: palette(false), users: new Map(), groups: new Map() });
  assert.match(text, /CAP_KILL cap_45 cap_63/);
  assert.match(text, /futex\(\)/);
  assert.match(text, /256 KiB \+ 4 KiB guard/);
  assert.match(text, /RLIMIT_NPROC .*counts THREADS/);
  assert.match(text, /pending SIGUSR1 \(blocked here/);
  assert.throws(() => inspectProcess(4321, { root }), (e: unknown) => e instanceof TasklensError && e.code === 'no-such-pid' && e.exitCode === 3);
});

test('zombies from the fixture tree: zombie under a SIGCHLD-ignoring parent, leader-exited apart', () => {
  const report = findZombies({ root, readerUid: 0 });
  assert.equal(report.groups.length, 1);
  const g = report.groups[0];
  assert.equal(g.parent.pid, 100);
  assert.equal(g.parent.sigchld, 'ignored');
  assert.deepEqual(g.zombies.map((z) => [z.pid, z.exit]), [[300, { kind: 'exited', code: 1 }]]);
  assert.equal(g.zombies[0].startedSecondsAgo, 500);
  assert.deepEqual(g.findings.map((f) => f.code), ['sigchld-ignored']);
  assert.match(g.fix, /predate/);
  assert.deepEqual(report.leaderExited, [{ pid: 200, comm: 'leader', liveThreads: [{ tid: 201, name: 'survivor', state: 'S' }] }]);
});
