/** Unit tests of the knowledge-base lookups: every accepted spelling, masks, unknown values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  signalName, signalByName, signalInfo, signalsInMask, maskOfSignals, SIGNALS,
  capabilityName, capabilitiesInMask, capabilityByName,
  syscallByNumber, syscallByName, syscallName, SYSCALLS,
  errnoByName, errnoByNumber, errnoName,
} from '../../src/kb/index.js';

test('signalName uses strace spellings by default and glibc ones on request', () => {
  assert.equal(signalName(10), 'SIGUSR1');
  assert.equal(signalName(32), 'SIGRTMIN');
  assert.equal(signalName(33), 'SIGRT_1');
  assert.equal(signalName(37), 'SIGRT_5');
  assert.equal(signalName(64), 'SIGRT_32');
  assert.equal(signalName(37, 'glibc'), 'SIGRTMIN+3');
  assert.equal(signalName(50, 'glibc'), 'SIGRTMAX-14');
  assert.equal(signalName(32, 'glibc'), 'SIGCANCEL');
  assert.equal(signalName(33, 'glibc'), 'SIGSETXID');
  assert.equal(signalName(0), '0');
  assert.equal(signalName(65), '65');
});

test('signalByName accepts every spelling', () => {
  const cases: Array<[string, number]> = [
    ['SIGUSR1', 10], ['USR1', 10], ['usr1', 10], ['10', 10], [' SIGTERM ', 15],
    ['SIGIOT', 6], ['SIGPOLL', 29], ['SIGCLD', 17],
    ['RT_1', 33], ['SIGRT_1', 33], ['SIGRT_0', 32], ['RTMIN', 32], ['SIGRTMIN', 32], ['SIGRT_32', 64],
    ['SIGRTMAX', 64], ['RTMAX-2', 62], ['SIGRTMIN+3', 35], ['SIGCANCEL', 32], ['SIGSETXID', 33],
  ];
  for (const [name, n] of cases) assert.equal(signalByName(name)?.number, n, name);
  assert.equal(signalByName('SIGRTMIN', { convention: 'glibc' })?.number, 34);
  assert.equal(signalByName('SIGRTMIN+3', { convention: 'glibc' })?.number, 37);
  assert.equal(signalByName('RTMAX-14', { convention: 'glibc' })?.number, 50);
  for (const bad of ['SIGFOO', 'RTMIN+40', 'SIGRTMAX+1', '0', '65', '']) assert.equal(signalByName(bad), undefined, bad);
});

test('signal table rows: kinds, actions, synchronous faults, glibc-reserved signals', () => {
  assert.equal(SIGNALS.length, 64);
  assert.deepEqual(SIGNALS.map((s) => s.number), Array.from({ length: 64 }, (_, i) => i + 1));
  assert.equal(signalInfo(9)?.defaultAction, 'term');
  assert.equal(signalInfo(11)?.defaultAction, 'core');
  assert.equal(signalInfo(17)?.defaultAction, 'ignore');
  assert.equal(signalInfo(19)?.defaultAction, 'stop');
  assert.equal(signalInfo(18)?.defaultAction, 'continue');
  const sync = SIGNALS.filter((s) => s.synchronous).map((s) => s.name).sort();
  assert.deepEqual(sync, ['SIGBUS', 'SIGFPE', 'SIGILL', 'SIGSEGV', 'SIGSYS', 'SIGTRAP']);
  assert.deepEqual(SIGNALS.filter((s) => s.reservedByGlibc).map((s) => s.number), [32, 33]);
  assert.ok(SIGNALS.every((s) => (s.number >= 32) === (s.kind === 'realtime')));
  assert.equal(signalInfo(0), undefined);
});

test('signalsInMask reads bit n-1 as signal n, like /proc SigBlk', () => {
  assert.deepEqual(signalsInMask(0n), []);
  assert.deepEqual(signalsInMask(0x0000000000010000n), [17]);
  // SigBlk after sigfillset + sigprocmask: the kernel drops SIGKILL/SIGSTOP, glibc drops 32 and 33.
  const all = Array.from({ length: 64 }, (_, i) => i + 1);
  assert.deepEqual(signalsInMask(0xfffffffe7ffbfeffn), all.filter((n) => ![9, 19, 32, 33].includes(n)));
  assert.deepEqual(signalsInMask(0x1_8000_0000n), [32, 33]);
  assert.deepEqual(signalsInMask(0xffffffffffffffffn), Array.from({ length: 64 }, (_, i) => i + 1));
  assert.deepEqual(signalsInMask(-1n).length, 64, 'negative input is read as 64 bits');
  assert.equal(maskOfSignals([1, 17, 64]), 0x8000000000010001n);
  assert.deepEqual(signalsInMask(maskOfSignals([2, 15, 33])), [2, 15, 33]);
});

test('capabilities: names by bit, masks with unknown bits, lookup spellings', () => {
  assert.equal(capabilityName(0), 'CAP_CHOWN');
  assert.equal(capabilityName(21), 'CAP_SYS_ADMIN');
  assert.equal(capabilityName(40), 'CAP_CHECKPOINT_RESTORE');
  assert.equal(capabilityName(41), undefined);
  // CapBnd of root on a 6.x kernel: bits 0..40.
  assert.equal(capabilitiesInMask(0x000001ffffffffffn).length, 41);
  assert.deepEqual(capabilitiesInMask((1n << 5n) | (1n << 45n)), [{ bit: 5, name: 'CAP_KILL' }, { bit: 45 }]);
  assert.deepEqual(capabilitiesInMask(0n), []);
  assert.equal(capabilityByName('cap_net_raw')?.bit, 13);
  assert.equal(capabilityByName('SYS_PTRACE')?.bit, 19);
  assert.equal(capabilityByName('19')?.name, 'CAP_SYS_PTRACE');
  assert.equal(capabilityByName('CAP_NOPE'), undefined);
});

test('syscalls: lookups by number, name, alias and strace\'s syscall_0xNNN', () => {
  assert.equal(syscallByNumber(0)?.name, 'read');
  assert.equal(syscallByNumber(435)?.name, 'clone3');
  assert.equal(syscallByNumber(400), undefined, 'inside the unused gap');
  assert.equal(syscallByName('clone3')?.number, 435);
  assert.equal(syscallByName('syscall_0x1c8')?.name, 'futex_requeue');
  assert.equal(syscallByName('syscall_0x1C6')?.name, 'futex_wake');
  assert.equal(syscallByName('syscall_462')?.name, 'mseal');
  assert.equal(syscallByName('fstatat')?.name, 'newfstatat');
  assert.equal(syscallByName('prlimit')?.name, 'prlimit64');
  assert.equal(syscallByName('nosuchcall'), undefined);
  assert.equal(syscallName(59), 'execve');
  assert.equal(syscallName(999), 'syscall_0x3e7');
  assert.deepEqual(syscallByName('clone')?.args, ['flags', 'newsp', 'parent_tidptr', 'child_tidptr', 'tls']);
  assert.deepEqual(syscallByName('getpid')?.args, []);
  assert.deepEqual(syscallByName('mmap')?.args.length, 6);
});

test('syscall table covers 0..336 and 424..471 with no duplicates', () => {
  const numbers = SYSCALLS.map((s) => s.number);
  const expected = [...Array.from({ length: 337 }, (_, i) => i), ...Array.from({ length: 48 }, (_, i) => 424 + i)];
  assert.deepEqual(numbers, expected);
  assert.equal(new Set(SYSCALLS.map((s) => s.name)).size, SYSCALLS.length);
  assert.ok(SYSCALLS.every((s) => s.args.length <= 6), 'x86-64 passes at most six arguments');
});

test('errno lookups, aliases and kernel restart codes', () => {
  assert.equal(errnoByName('ENOENT')?.number, 2);
  assert.equal(errnoByName('EWOULDBLOCK')?.name, 'EAGAIN');
  assert.equal(errnoByName('enotsup')?.name, 'EOPNOTSUPP');
  assert.equal(errnoByName('4')?.name, 'EINTR');
  assert.equal(errnoName(110), 'ETIMEDOUT');
  assert.equal(errnoName(9999), '9999');
  for (const name of ['ERESTARTSYS', 'ERESTARTNOINTR', 'ERESTARTNOHAND', 'ERESTART_RESTARTBLOCK']) {
    const e = errnoByName(name);
    assert.ok(e?.kernelInternal, name);
    assert.ok(e.tracerNote && e.tracerNote.length > 30, `${name} explains what the tracer sees`);
  }
  assert.equal(errnoByNumber(512)?.name, 'ERESTARTSYS');
  assert.equal(errnoByNumber(516)?.name, 'ERESTART_RESTARTBLOCK');
});
