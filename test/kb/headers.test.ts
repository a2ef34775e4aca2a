/**
 * Checks the knowledge-base tables against the kernel headers installed on this machine
 * (linux-libc-dev): every header constant we claim to cover is in our table with the same value,
 * and every table name the headers lack is marked as newer (`since`) or out-of-tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headerConstants, compiledConstants } from './header-macros.js';
import {
  SYSCALLS, syscallByName, signalByName, signalInfo, KERNEL_SIGRTMAX, CAPABILITIES, CAP_LAST_CAP, capabilityByName,
  ERRNOS, errnoByName, flagByName, type FlagTable,
  CLONE3_FLAGS, CLONE_FLAGS, OPEN_FLAGS, AT_FLAGS, AT_DIRFD, PROT, MAP_FLAGS, MADVISE_ADVICE, MSYNC_FLAGS, MLOCKALL_FLAGS,
  MLOCK2_FLAGS, MREMAP_FLAGS, FUTEX_OPS, FUTEX2_FLAGS, FUTEX_WORD_BITS, FUTEX_WAKE_OP_OPS, FUTEX_WAKE_OP_CMPS, PRCTL_OPTIONS,
  ARCH_PRCTL_CODES, WAIT_OPTIONS, WAITID_IDTYPE, SIGACTION_FLAGS, SIGPROCMASK_HOW, SIGALTSTACK_FLAGS, RLIMIT_RESOURCES,
  RLIM_INFINITY, SI_CODE, SI_CODE_CHLD, SI_CODE_SEGV, SI_CODE_BUS, SI_CODE_ILL, SI_CODE_FPE, SI_CODE_TRAP, SI_CODE_SYS,
  SI_CODE_POLL, FCNTL_CMDS, FD_FLAGS, SEEK_WHENCE, CLOSE_RANGE_FLAGS, CLOCK_IDS, TIMER_FLAGS, ITIMER_WHICH, GETRANDOM_FLAGS,
  FUTEX_BITSET, FILE_TYPES, MODE_SPECIAL_BITS, IOCTL_REQUESTS, ADDRESS_FAMILIES, SOCKET_TYPES, SOCKET_LEVELS, IP_PROTOCOLS,
  SCM_TYPES, DIRENT_TYPES, ACCESS_MODE, STATX_MASK, STATX_ATTRIBUTES, FADVISE_ADVICE,
} from '../../src/kb/index.js';

/**
 * Compares header constants with tables. `covered` selects the header names the tables must know;
 * every table row must either match a kernel header constant, match a glibc header constant (names
 * such as O_ASYNC exist only in libc), or be marked `since`/`outOfTree`.
 */
function checkAgainstHeader(headers: string[], covered: RegExp, tables: FlagTable[], except: readonly string[] = [], libcHeaders: string[] = []): void {
  const consts = headerConstants(headers, covered);
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const [name, value] of consts) {
    if (except.includes(name)) continue;
    const hits = tables.map((t) => flagByName(t, name)).filter((v) => v !== undefined);
    if (hits.length === 0) missing.push(name);
    for (const hit of hits) if (hit.value !== value) wrong.push(`${name}: table ${hit.value}, header ${value}`);
  }
  assert.deepEqual(missing, [], `header constants missing from ${tables.map((t) => t.id)}`);
  assert.deepEqual(wrong, [], 'values differ from the headers');
  const libc = libcHeaders.length > 0 ? headerConstants(libcHeaders, covered) : new Map<string, bigint>();
  for (const v of tables.flatMap((t) => t.values)) {
    const fromLibc = libc.get(v.name);
    if (!consts.has(v.name) && fromLibc !== undefined) assert.equal(v.value, fromLibc, `${v.name} vs glibc headers`);
  }
  const undocumented = tables.flatMap((t) => t.values)
    .filter((v) => !consts.has(v.name) && !libc.has(v.name) && v.since === undefined && !v.outOfTree)
    .map((v) => v.name);
  assert.deepEqual(undocumented, [], 'table names absent from the headers must carry `since` or `outOfTree`');
}

test('syscall table matches asm/unistd_64.h exactly; extra numbers are marked with a kernel version', () => {
  const nr = headerConstants(['asm/unistd_64.h'], /^__NR_/);
  assert.ok(nr.size >= 362, `expected at least 362 syscalls in the header, got ${nr.size}`);
  for (const [macro, value] of nr) {
    const name = macro.slice('__NR_'.length);
    const row = syscallByName(name);
    assert.ok(row, `${name} missing`);
    assert.equal(row.name, name);
    assert.equal(BigInt(row.number), value, `${name} number`);
    assert.equal(row.since, undefined, `${name} is in the 6.1 headers and must not carry since`);
  }
  for (const row of SYSCALLS) {
    if (!nr.has(`__NR_${row.name}`)) assert.ok(row.since, `${row.name} (${row.number}) is not in the headers and has no since`);
  }
  const unused = SYSCALLS.filter((s) => s.number >= 337 && s.number <= 423);
  assert.deepEqual(unused, [], '337..423 are unused on x86-64');
});

test('signal numbers match asm/signal.h', () => {
  const consts = headerConstants(['asm/signal.h'], /^SIG[A-Z0-9]+$/);
  let checked = 0;
  for (const [name, value] of consts) {
    if (name === 'SIGSTKSZ') continue; // a stack size, not a signal
    assert.equal(BigInt(signalByName(name)?.number ?? -1), value, name);
    checked++;
  }
  assert.ok(checked >= 34, `only ${checked} signals checked`);
  assert.equal(signalByName('SIGRTMIN')?.number, 32, 'kernel SIGRTMIN');
});

test('glibc names of every signal match bash `kill -l`', () => {
  const out = execFileSync('bash', ['-c', 'kill -l'], { encoding: 'utf8' });
  const pairs = [...out.matchAll(/(\d+)\)\s+(SIG[A-Z0-9+-]+)/g)].map((m) => [Number(m[1]), m[2]] as const);
  assert.ok(pairs.length >= 60, `kill -l listed ${pairs.length} signals`);
  for (const [n, name] of pairs) {
    assert.equal(signalInfo(n)?.glibcName, name, `signal ${n}`);
    assert.equal(signalByName(name, { convention: 'glibc' })?.number, n, `${name} in glibc convention`);
  }
  assert.equal(Math.max(...pairs.map(([n]) => n)), KERNEL_SIGRTMAX);
});

test('capability bits match linux/capability.h', () => {
  const consts = headerConstants(['linux/capability.h'], /^CAP_[A-Z_]+$/);
  for (const [name, value] of consts) {
    if (name === 'CAP_LAST_CAP') { assert.equal(BigInt(CAP_LAST_CAP), value); continue; }
    assert.equal(BigInt(capabilityByName(name)?.bit ?? -1), value, name);
  }
  assert.equal(CAPABILITIES.length, consts.size - 1, 'every capability in the header and nothing else');
});

test('errno numbers match asm-generic/errno.h and errno-base.h', () => {
  const consts = headerConstants(['asm-generic/errno.h'], /^E[A-Z0-9]+$/);
  for (const [name, value] of consts) assert.equal(BigInt(errnoByName(name)?.number ?? -1), value, name);
  // glibc adds ENOTSUP as a second name for EOPNOTSUPP; check such names against glibc's <errno.h>.
  const libc = headerConstants(['errno.h'], /^E[A-Z0-9]+$/);
  for (const e of ERRNOS.filter((x) => !x.kernelInternal)) {
    for (const n of [e.name, ...e.aliases]) {
      const v = consts.get(n) ?? libc.get(n);
      assert.equal(v, BigInt(e.number), `${n} must be in the kernel or glibc headers with number ${e.number}`);
    }
  }
  assert.ok(ERRNOS.filter((e) => e.kernelInternal).every((e) => e.number >= 512), 'kernel-internal codes start at 512');
});

test('CLONE_* flags match linux/sched.h', () => {
  checkAgainstHeader(['linux/sched.h'], /^CLONE_/, [CLONE3_FLAGS], ['CLONE_ARGS_SIZE_VER0', 'CLONE_ARGS_SIZE_VER1', 'CLONE_ARGS_SIZE_VER2']);
  for (const v of CLONE3_FLAGS.values) assert.equal(flagByName(CLONE_FLAGS, v.name)?.value, v.value, v.name);
});

test('O_*, AT_*, F_*, SEEK_* and close_range flags match linux/fcntl.h, linux/fs.h, linux/close_range.h', () => {
  checkAgainstHeader(['linux/fcntl.h'], /^(O_|FASYNC$)/, [OPEN_FLAGS], ['O_ACCMODE'], ['fcntl.h']);
  checkAgainstHeader(['linux/fcntl.h'], /^AT_/, [AT_FLAGS, AT_DIRFD], ['AT_STATX_SYNC_TYPE']);
  checkAgainstHeader(['linux/fcntl.h'], /^(F_[A-Z_0-9]+|FD_CLOEXEC)$/, [FCNTL_CMDS, FD_FLAGS], [
    // lock types, owner types, seal bits and the base of the Linux-specific range are arguments, not commands
    'F_RDLCK', 'F_WRLCK', 'F_UNLCK', 'F_EXLCK', 'F_SHLCK', 'F_OWNER_TID', 'F_OWNER_PID', 'F_OWNER_PGRP',
    'F_SEAL_SEAL', 'F_SEAL_SHRINK', 'F_SEAL_GROW', 'F_SEAL_WRITE', 'F_SEAL_FUTURE_WRITE', 'F_LINUX_SPECIFIC_BASE',
  ]);
  checkAgainstHeader(['linux/fs.h'], /^SEEK_/, [SEEK_WHENCE], ['SEEK_MAX']);
  checkAgainstHeader(['linux/close_range.h'], /^CLOSE_RANGE_/, [CLOSE_RANGE_FLAGS]);
});

test('PROT_*, MAP_*, MADV_*, MS_*, MCL_*, MLOCK_*, MREMAP_* match the mman headers', () => {
  checkAgainstHeader(['linux/mman.h'], /^PROT_/, [PROT]);
  checkAgainstHeader(['linux/mman.h'], /^MAP_/, [MAP_FLAGS], ['MAP_TYPE', 'MAP_HUGE_SHIFT', 'MAP_HUGE_MASK'], ['sys/mman.h']);
  checkAgainstHeader(['linux/mman.h'], /^MADV_/, [MADVISE_ADVICE]);
  checkAgainstHeader(['linux/mman.h'], /^MS_/, [MSYNC_FLAGS]);
  checkAgainstHeader(['linux/mman.h'], /^MCL_/, [MLOCKALL_FLAGS]);
  checkAgainstHeader(['linux/mman.h'], /^MLOCK_/, [MLOCK2_FLAGS]);
  checkAgainstHeader(['linux/mman.h'], /^MREMAP_/, [MREMAP_FLAGS]);
});

test('futex constants match linux/futex.h', () => {
  checkAgainstHeader(['linux/futex.h'], /^FUTEX_/, [FUTEX_OPS, FUTEX2_FLAGS, FUTEX_WORD_BITS, FUTEX_WAKE_OP_OPS, FUTEX_WAKE_OP_CMPS, FUTEX_BITSET], [
    // a mask and a limit rather than named values
    'FUTEX_CMD_MASK', 'FUTEX_WAITV_MAX',
  ]);
});

test('prctl options match the top-level #defines of linux/prctl.h', () => {
  // Option numbers are written `#define PR_X n`; their argument values are indented as `# define`.
  const text = readFileSync('/usr/include/linux/prctl.h', 'utf8');
  const options = [...text.matchAll(/^#define\s+(PR_[A-Z0-9_]+)\s+(0x[0-9a-fA-F]+|\d+)\b/gm)].map((m) => [m[1], BigInt(m[2])] as const);
  assert.ok(options.length >= 60, `parsed ${options.length} options`);
  for (const [name, value] of options) assert.equal(flagByName(PRCTL_OPTIONS, name)?.value, value, name);
  const names = new Set(options.map(([n]) => n));
  const undocumented = PRCTL_OPTIONS.values.filter((v) => !names.has(v.name) && !v.since).map((v) => v.name);
  assert.deepEqual(undocumented, []);
});

test('arch_prctl codes match asm/prctl.h', () => {
  checkAgainstHeader(['asm/prctl.h'], /^ARCH_/, [ARCH_PRCTL_CODES]);
});

test('wait options and idtypes match linux/wait.h', () => {
  checkAgainstHeader(['linux/wait.h'], /^(W[A-Z]+|__W(ALL|CLONE|NOTHREAD))$/, [WAIT_OPTIONS]);
  checkAgainstHeader(['linux/wait.h'], /^P_/, [WAITID_IDTYPE]);
});

test('sigaction flags, sigprocmask how and sigaltstack flags match asm/signal.h and linux/signal.h', () => {
  checkAgainstHeader(['asm/signal.h'], /^SA_/, [SIGACTION_FLAGS]);
  checkAgainstHeader(['asm/signal.h'], /^SIG_(BLOCK|UNBLOCK|SETMASK)$/, [SIGPROCMASK_HOW]);
  checkAgainstHeader(['linux/signal.h'], /^SS_/, [SIGALTSTACK_FLAGS], ['SS_FLAG_BITS']);
});

test('si_code values match asm/siginfo.h', () => {
  const tables = [SI_CODE, SI_CODE_CHLD, SI_CODE_SEGV, SI_CODE_BUS, SI_CODE_ILL, SI_CODE_FPE, SI_CODE_TRAP, SI_CODE_SYS, SI_CODE_POLL];
  // One table per signal because the same numbers mean different things for different signals.
  const families: Array<[RegExp, FlagTable]> = [
    [/^SI_/, SI_CODE], [/^CLD_/, SI_CODE_CHLD], [/^SEGV_/, SI_CODE_SEGV], [/^BUS_/, SI_CODE_BUS], [/^ILL_/, SI_CODE_ILL],
    [/^FPE_/, SI_CODE_FPE], [/^TRAP_/, SI_CODE_TRAP], [/^SYS_/, SI_CODE_SYS], [/^POLL_/, SI_CODE_POLL],
  ];
  for (const [re, table] of families) checkAgainstHeader(['asm/siginfo.h'], re, [table], ['SI_MAX_SIZE', 'TRAP_PERF_FLAG_ASYNC']);
  assert.equal(tables.length, families.length);
});

test('rlimit resources match linux/resource.h', () => {
  checkAgainstHeader(['linux/resource.h'], /^RLIMIT_/, [RLIMIT_RESOURCES]);
  const inf = headerConstants(['linux/resource.h'], /^RLIM64_INFINITY$/).get('RLIM64_INFINITY');
  assert.equal(inf === undefined ? undefined : BigInt.asUintN(64, inf), RLIM_INFINITY);
});

test('clock, timer, itimer and getrandom constants match linux/time.h and linux/random.h', () => {
  checkAgainstHeader(['linux/time.h'], /^CLOCK_/, [CLOCK_IDS]);
  checkAgainstHeader(['linux/time.h'], /^TIMER_/, [TIMER_FLAGS]);
  checkAgainstHeader(['linux/time.h'], /^ITIMER_/, [ITIMER_WHICH]);
  checkAgainstHeader(['linux/random.h'], /^GRND_/, [GETRANDOM_FLAGS]);
});

test('file types, mode bits, statx masks, fadvise and common ioctls match linux/stat.h, linux/fadvise.h, asm/ioctls.h', () => {
  checkAgainstHeader(['linux/stat.h'], /^S_IF/, [FILE_TYPES], ['S_IFMT']);
  checkAgainstHeader(['linux/stat.h'], /^S_IS(UID|GID|VTX)$/, [MODE_SPECIAL_BITS]);
  checkAgainstHeader(['linux/stat.h'], /^STATX_ATTR_/, [STATX_ATTRIBUTES]);
  checkAgainstHeader(['linux/stat.h'], /^STATX_(?!ATTR_)/, [STATX_MASK]);
  checkAgainstHeader(['linux/fadvise.h'], /^POSIX_FADV_/, [FADVISE_ADVICE]);
  // Only the common requests are tabled; each must exist in the headers with the same number. Many
  // are _IOR/_IOW macros (TCGETS2, FICLONE) that only the compiler can evaluate.
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-kb-'));
  try {
    const names = IOCTL_REQUESTS.values.map((v) => v.name);
    const compiled = compiledConstants(['asm/termbits.h', 'asm/ioctls.h', 'linux/fs.h', 'linux/fiemap.h'], names, dir);
    for (const v of IOCTL_REQUESTS.values) assert.equal(BigInt.asUintN(32, compiled.get(v.name)!), v.value, `${v.name} vs the headers`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('socket, directory-entry and access() constants match what the C compiler sees', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-kb-'));
  try {
    const tables = [ADDRESS_FAMILIES, SOCKET_TYPES, SOCKET_LEVELS, IP_PROTOCOLS, SCM_TYPES, DIRENT_TYPES, ACCESS_MODE];
    const names = tables.flatMap((t) => t.values.map((v) => v.name));
    const values = compiledConstants(['sys/socket.h', 'netinet/in.h', 'dirent.h', 'unistd.h'], names, dir);
    for (const t of tables) for (const v of t.values) assert.equal(values.get(v.name), v.value, `${t.id}: ${v.name}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
