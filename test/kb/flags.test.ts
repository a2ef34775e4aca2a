/** Unit tests of the generic flag decoder over real strace spellings, numbers and unknown bits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFlags, flagMeaning, flagByName, findFlag, flagTable, parseIntegerText, FLAG_TABLES, decodeWaitStatus,
  CLONE_FLAGS, CLONE3_FLAGS, EXIT_SIGNAL, OPEN_FLAGS, AT_FLAGS, AT_DIRFD, PROT, MAP_FLAGS, MADVISE_ADVICE, FUTEX_OPS,
  FUTEX2_FLAGS, SIGACTION_FLAGS, SIGPROCMASK_HOW, WAIT_OPTIONS, PRCTL_OPTIONS, ARCH_PRCTL_CODES, RLIMIT_RESOURCES,
  RLIMIT_VALUES, SI_CODE, FCNTL_CMDS,
} from '../../src/kb/index.js';

const names = (d: { known: ReadonlyArray<{ name: string }> }) => d.known.map((k) => k.name);

test('clone flags as strace prints them for pthread_create and fork', () => {
  const thread = 'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID';
  const d = decodeFlags(CLONE3_FLAGS, thread);
  assert.equal(d.known.length, 9);
  assert.deepEqual(d.unknownNames, []);
  assert.equal(d.value, 0x3d0f00n);
  assert.deepEqual(names(decodeFlags(CLONE3_FLAGS, 0x3d0f00n)), thread.split('|'));

  const fork = decodeFlags(CLONE_FLAGS, 'CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD');
  assert.equal(fork.value, 0x1200011n);
  assert.deepEqual(names(decodeFlags(CLONE_FLAGS, 0x1200011n)), ['CLONE_CHILD_CLEARTID', 'CLONE_CHILD_SETTID', 'SIGCHLD']);
  assert.match(flagMeaning(CLONE_FLAGS, 'SIGCHLD') ?? '', /parent/);
});

test('clone: the low byte is the exit signal, so 0x80 is not CLONE_NEWTIME there but is in clone3', () => {
  assert.deepEqual(names(decodeFlags(CLONE_FLAGS, 0x80n)), []);
  assert.equal(decodeFlags(CLONE_FLAGS, 0x80n).unknownBits, 0x80n, 'signal 128 does not exist');
  assert.deepEqual(names(decodeFlags(CLONE3_FLAGS, 0x80n)), ['CLONE_NEWTIME']);
  assert.deepEqual(names(decodeFlags(CLONE3_FLAGS, 0x300000000n)), ['CLONE_CLEAR_SIGHAND', 'CLONE_INTO_CGROUP']);
  assert.ok(flagMeaning(CLONE_FLAGS, 'CLONE_NEWTIME'), 'still known by name');
  assert.deepEqual(names(decodeFlags(EXIT_SIGNAL, 0n)), ['0']);
  assert.deepEqual(names(decodeFlags(EXIT_SIGNAL, 'SIGCHLD')), ['SIGCHLD']);
});

test('unknown bits are reported, never dropped', () => {
  const d = decodeFlags(CLONE3_FLAGS, (1n << 40n) | 0x100n);
  assert.deepEqual(names(d), ['CLONE_VM']);
  assert.equal(d.unknownBits, 1n << 40n);
  const t = decodeFlags(OPEN_FLAGS, 'O_RDONLY|0x40000000');
  assert.deepEqual(names(t), ['O_RDONLY']);
  assert.equal(t.unknownBits, 0x40000000n);
  assert.equal(t.value, 0x40000000n);
  const n = decodeFlags(OPEN_FLAGS, 'O_RDONLY|O_BOGUS');
  assert.deepEqual(n.unknownNames, ['O_BOGUS']);
  assert.equal(n.value, undefined, 'no numeric value when a name is unknown');
});

test('open flags: access mode field, O_SYNC before its O_DSYNC part, octal input', () => {
  assert.deepEqual(names(decodeFlags(OPEN_FLAGS, 0n)), ['O_RDONLY']);
  assert.deepEqual(names(decodeFlags(OPEN_FLAGS, 0o2000000n)), ['O_RDONLY', 'O_CLOEXEC']);
  assert.deepEqual(names(decodeFlags(OPEN_FLAGS, 0o4010001n)), ['O_WRONLY', 'O_SYNC']);
  assert.deepEqual(names(decodeFlags(OPEN_FLAGS, 0o10001n)), ['O_WRONLY', 'O_DSYNC']);
  assert.deepEqual(names(decodeFlags(OPEN_FLAGS, '01101')), ['O_WRONLY', 'O_CREAT', 'O_TRUNC']);
  assert.equal(decodeFlags(OPEN_FLAGS, 'O_WRONLY|O_CREAT|O_TRUNC').value, 0o1101n);
  assert.equal(flagMeaning(OPEN_FLAGS, 'O_NDELAY'), flagByName(OPEN_FLAGS, 'O_NDELAY')?.meaning);
  assert.equal(flagByName(OPEN_FLAGS, 'O_NDELAY')?.value, flagByName(OPEN_FLAGS, 'O_NONBLOCK')?.value);
});

test('AT_* flags and AT_FDCWD', () => {
  assert.deepEqual(names(decodeFlags(AT_FLAGS, 'AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW')), ['AT_SYMLINK_NOFOLLOW', 'AT_EMPTY_PATH']);
  assert.deepEqual(names(decodeFlags(AT_FLAGS, 0x200n)), ['AT_REMOVEDIR'], '0x200 decodes as unlinkat reads it');
  assert.deepEqual(names(decodeFlags(AT_FLAGS, 0n)), [], 'AT_STATX_SYNC_AS_STAT is not printed for 0');
  assert.deepEqual(names(decodeFlags(AT_DIRFD, -100n)), ['AT_FDCWD']);
  assert.deepEqual(names(decodeFlags(AT_DIRFD, 0xffffff9cn)), ['AT_FDCWD'], 'also as an unsigned 32-bit int');
});

test('mmap protections and flags as in the thread-stack and loader patterns', () => {
  assert.deepEqual(names(decodeFlags(PROT, 'PROT_NONE')), ['PROT_NONE']);
  assert.deepEqual(names(decodeFlags(PROT, 0n)), ['PROT_NONE']);
  assert.deepEqual(names(decodeFlags(PROT, 5n)), ['PROT_READ', 'PROT_EXEC']);
  const stack = decodeFlags(MAP_FLAGS, 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK');
  assert.equal(stack.value, 0x20022n);
  assert.deepEqual(names(decodeFlags(MAP_FLAGS, 0x20022n)), ['MAP_PRIVATE', 'MAP_ANONYMOUS', 'MAP_STACK']);
  assert.deepEqual(names(decodeFlags(MAP_FLAGS, 'MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE')), ['MAP_PRIVATE', 'MAP_FIXED', 'MAP_DENYWRITE']);
  const huge = decodeFlags(MAP_FLAGS, 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT');
  assert.ok(names(huge).includes('MAP_HUGE_2MB'));
  assert.equal(huge.unknownBits, 0n);
  // Without MAP_HUGETLB bit 26 is MAP_UNINITIALIZED, not a huge-page size.
  assert.deepEqual(names(decodeFlags(MAP_FLAGS, 0x4000022n)), ['MAP_PRIVATE', 'MAP_ANONYMOUS', 'MAP_UNINITIALIZED']);
});

test('enumerations: madvise, sigprocmask how, prctl, arch_prctl, rlimit, fcntl, si_code', () => {
  assert.deepEqual(names(decodeFlags(MADVISE_ADVICE, 4n)), ['MADV_DONTNEED']);
  assert.deepEqual(names(decodeFlags(MADVISE_ADVICE, 'MADV_DONTNEED')), ['MADV_DONTNEED']);
  const unknown = decodeFlags(MADVISE_ADVICE, 77n);
  assert.deepEqual(unknown.known, []);
  assert.equal(unknown.unknownBits, 77n);
  assert.deepEqual(names(decodeFlags(SIGPROCMASK_HOW, 'SIG_SETMASK')), ['SIG_SETMASK']);
  assert.deepEqual(names(decodeFlags(PRCTL_OPTIONS, 15n)), ['PR_SET_NAME']);
  assert.deepEqual(names(decodeFlags(PRCTL_OPTIONS, 0x59616d61n)), ['PR_SET_PTRACER']);
  assert.deepEqual(names(decodeFlags(ARCH_PRCTL_CODES, 'ARCH_SET_FS')), ['ARCH_SET_FS']);
  assert.deepEqual(names(decodeFlags(ARCH_PRCTL_CODES, '0x3001 /* ARCH_??? */')), ['ARCH_CET_STATUS']);
  assert.match(flagMeaning(RLIMIT_RESOURCES, 'RLIMIT_NPROC') ?? '', /thread/);
  assert.match(flagMeaning(RLIMIT_RESOURCES, 'RLIMIT_STACK') ?? '', /pthread stack/);
  assert.deepEqual(names(decodeFlags(RLIMIT_VALUES, 'RLIM64_INFINITY')), ['RLIM64_INFINITY']);
  assert.deepEqual(names(decodeFlags(FCNTL_CMDS, 'F_DUPFD_CLOEXEC')), ['F_DUPFD_CLOEXEC']);
  assert.deepEqual(names(decodeFlags(SI_CODE, -6n)), ['SI_TKILL']);
  assert.deepEqual(names(decodeFlags(SI_CODE, 'SI_TKILL')), ['SI_TKILL']);
});

test('futex ops: command and _PRIVATE folded into one name, clock flag separate', () => {
  const join = decodeFlags(FUTEX_OPS, 'FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME');
  assert.equal(join.value, 0x109n);
  assert.deepEqual(names(decodeFlags(FUTEX_OPS, 0x109n)), ['FUTEX_WAIT_BITSET', 'FUTEX_CLOCK_REALTIME']);
  assert.deepEqual(names(decodeFlags(FUTEX_OPS, 0x81n)), ['FUTEX_WAKE_PRIVATE']);
  assert.deepEqual(names(decodeFlags(FUTEX_OPS, 0n)), ['FUTEX_WAIT']);
  assert.match(flagMeaning(FUTEX_OPS, 'FUTEX_WAKE_PRIVATE') ?? '', /private/);
  assert.ok(flagMeaning(FUTEX_OPS, 'FUTEX_PRIVATE_FLAG'));
  const bogus = decodeFlags(FUTEX_OPS, 0x7fn);
  assert.deepEqual(bogus.known, []);
  assert.equal(bogus.unknownBits, 0x7fn);
  assert.deepEqual(names(decodeFlags(FUTEX2_FLAGS, 0x82n)), ['FUTEX2_SIZE_U32', 'FUTEX2_PRIVATE']);
});

test('sigaction flags and wait options', () => {
  const sa = decodeFlags(SIGACTION_FLAGS, 'SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_SIGINFO');
  assert.equal(sa.value, 0x1c000004n);
  assert.deepEqual(names(decodeFlags(SIGACTION_FLAGS, 0x1c000004n)), ['SA_SIGINFO', 'SA_RESTORER', 'SA_ONSTACK', 'SA_RESTART']);
  assert.deepEqual(names(decodeFlags(WAIT_OPTIONS, 0x40000000n)), ['__WALL']);
  assert.deepEqual(names(decodeFlags(WAIT_OPTIONS, 'WNOHANG|__WALL')), ['WNOHANG', '__WALL']);
  assert.equal(flagByName(WAIT_OPTIONS, 'WSTOPPED')?.value, 2n);
});

test('wait status words decode like the W* macros', () => {
  assert.deepEqual(decodeWaitStatus(0), { kind: 'exited', code: 0 });
  assert.deepEqual(decodeWaitStatus(3 << 8), { kind: 'exited', code: 3 });
  assert.deepEqual(decodeWaitStatus(9), { kind: 'signaled', signal: 9, signalName: 'SIGKILL', coreDumped: false });
  assert.deepEqual(decodeWaitStatus(0x80 | 11), { kind: 'signaled', signal: 11, signalName: 'SIGSEGV', coreDumped: true });
  assert.deepEqual(decodeWaitStatus((19 << 8) | 0x7f), { kind: 'stopped', signal: 19, signalName: 'SIGSTOP', ptraceEvent: 0 });
  assert.deepEqual(decodeWaitStatus((3 << 16) | (5 << 8) | 0x7f), { kind: 'stopped', signal: 5, signalName: 'SIGTRAP', ptraceEvent: 3 });
  assert.deepEqual(decodeWaitStatus(0xffff), { kind: 'continued' });
});

test('integer text in every base strace uses', () => {
  assert.equal(parseIntegerText('0x1f'), 31n);
  assert.equal(parseIntegerText('0755'), 0o755n);
  assert.equal(parseIntegerText('0'), 0n);
  assert.equal(parseIntegerText('-100'), -100n);
  assert.equal(parseIntegerText('12ab'), undefined);
  assert.equal(parseIntegerText('0x'), undefined);
});

test('table registry: ids are unique and findFlag finds every name', () => {
  assert.equal(new Set(FLAG_TABLES.map((t) => t.id)).size, FLAG_TABLES.length);
  for (const t of FLAG_TABLES) {
    assert.equal(flagTable(t.id), t);
    for (const v of t.values) assert.ok(findFlag(v.name).some((f) => f.table === t), `${t.id}: ${v.name}`);
  }
  assert.deepEqual(findFlag('CLONE_VM').map((f) => f.table.id), ['clone', 'clone3']);
  assert.deepEqual(findFlag('NO_SUCH_FLAG'), []);
});

test('results are frozen, so the per-table cache of text answers cannot be corrupted', () => {
  const a = decodeFlags(OPEN_FLAGS, 'O_RDONLY|O_CLOEXEC');
  const b = decodeFlags(OPEN_FLAGS, 'O_RDONLY|O_CLOEXEC');
  assert.equal(a, b, 'repeated text is answered from the cache');
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.known) && Object.isFrozen(a.unknownNames));
  assert.throws(() => { (a.known as unknown as unknown[]).push(1); });
  assert.ok(Object.isFrozen(decodeFlags(OPEN_FLAGS, 1n)));
});
