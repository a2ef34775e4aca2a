/**
 * System call ABIs other than x86-64: names and numbers of i386 (32-bit x86) and aarch64 (64-bit
 * Arm), and for each name only i386 has, the x86-64 call that does the same job and how it differs.
 *
 * Names mean the same call on every ABI (strace prints the name the tracee's ABI gives the number),
 * so a name is explained the same way whatever the ABI; numbers differ, so `syscall_0xNNN` and -n
 * numbers are looked up in the table of the ABI the log was recorded on. aarch64 uses the kernel's
 * generic table: every name it has is also an x86-64 name (it only lacks the legacy ones).
 */
import { SYSCALLS, syscallByName, type SyscallInfo } from '../syscalls.js';
import { I386_NUMBERS } from './i386-numbers.js';
import { AARCH64_NUMBERS } from './aarch64-numbers.js';

export type Abi = 'x86_64' | 'i386' | 'aarch64';

export const ABI_LABELS: Readonly<Record<Abi, string>> = {
  x86_64: 'x86-64',
  i386: 'i386 (32-bit x86)',
  aarch64: 'aarch64 (64-bit Arm)',
};

/** First number of the table every architecture shares (Linux 5.1 unified new syscall numbers). */
const SHARED_FROM = 424;

function numberTable(rows: ReadonlyArray<readonly [number, string]>): { byNumber: Map<number, string>; byName: Map<string, number> } {
  const all: Array<readonly [number, string]> = [...rows, ...SYSCALLS.filter((s) => s.number >= SHARED_FROM).map((s) => [s.number, s.name] as const)];
  return { byNumber: new Map(all), byName: new Map(all.map(([n, name]) => [name, n])) };
}

const TABLES: Readonly<Record<Exclude<Abi, 'x86_64'>, ReturnType<typeof numberTable>>> = {
  i386: numberTable(I386_NUMBERS),
  aarch64: numberTable(AARCH64_NUMBERS),
};

interface Equivalent {
  /** The x86-64 call with the same arguments in the same places (its describer and category apply). */
  like: string;
  /** How this one differs, in words. */
  note: string;
  /** The arguments are not laid out as `like`'s: only its description applies, not its describer. */
  ownShape?: boolean;
}

const ID32 = 'the 32-bit-ID version (i386 first had 16-bit user and group IDs)';
const T64 = 'the 64-bit time_t version 32-bit programs use since glibc 2.34 (y2038-safe)';
const OLD = 'an obsolete i386 call kept for old binaries';

/** i386-only names -> the x86-64 call that does the same job. */
export const I386_EQUIVALENTS: Readonly<Record<string, Equivalent>> = {
  mmap2: { like: 'mmap', note: 'the offset is counted in 4096-byte pages so 32-bit programs can map beyond 4 GiB of a file' },
  _llseek: { like: 'lseek', note: 'a 64-bit offset passed in two 32-bit halves, the result written to memory', ownShape: true },
  _newselect: { like: 'select', note: 'the i386 name of select' },
  waitpid: { like: 'wait4', note: 'wait4 without the resource usage' },
  ugetrlimit: { like: 'getrlimit', note: 'the version with unsigned limits' },
  fstat64: { like: 'fstat', note: 'the large-file version (64-bit sizes and inodes)' },
  stat64: { like: 'stat', note: 'the large-file version (64-bit sizes and inodes)' },
  lstat64: { like: 'lstat', note: 'the large-file version (64-bit sizes and inodes)' },
  fstatat64: { like: 'newfstatat', note: 'the large-file version (64-bit sizes and inodes)' },
  fcntl64: { like: 'fcntl', note: 'the version with 64-bit file locks' },
  sendfile64: { like: 'sendfile', note: 'the version with a 64-bit offset' },
  truncate64: { like: 'truncate', note: 'the version with a 64-bit length' },
  ftruncate64: { like: 'ftruncate', note: 'the version with a 64-bit length' },
  statfs64: { like: 'statfs', note: 'the version with 64-bit counts (its second argument is the struct size)' },
  fstatfs64: { like: 'fstatfs', note: 'the version with 64-bit counts (its second argument is the struct size)' },
  fadvise64_64: { like: 'fadvise64', note: 'the version with 64-bit offset and length' },
  getuid32: { like: 'getuid', note: ID32 },
  getgid32: { like: 'getgid', note: ID32 },
  geteuid32: { like: 'geteuid', note: ID32 },
  getegid32: { like: 'getegid', note: ID32 },
  setuid32: { like: 'setuid', note: ID32 },
  setgid32: { like: 'setgid', note: ID32 },
  setreuid32: { like: 'setreuid', note: ID32 },
  setregid32: { like: 'setregid', note: ID32 },
  setresuid32: { like: 'setresuid', note: ID32 },
  setresgid32: { like: 'setresgid', note: ID32 },
  getresuid32: { like: 'getresuid', note: ID32 },
  getresgid32: { like: 'getresgid', note: ID32 },
  getgroups32: { like: 'getgroups', note: ID32 },
  setgroups32: { like: 'setgroups', note: ID32 },
  setfsuid32: { like: 'setfsuid', note: ID32 },
  setfsgid32: { like: 'setfsgid', note: ID32 },
  chown32: { like: 'chown', note: ID32 },
  fchown32: { like: 'fchown', note: ID32 },
  lchown32: { like: 'lchown', note: ID32 },
  clock_gettime64: { like: 'clock_gettime', note: T64 },
  clock_settime64: { like: 'clock_settime', note: T64 },
  clock_adjtime64: { like: 'clock_adjtime', note: T64 },
  clock_getres_time64: { like: 'clock_getres', note: T64 },
  clock_nanosleep_time64: { like: 'clock_nanosleep', note: T64 },
  timer_gettime64: { like: 'timer_gettime', note: T64 },
  timer_settime64: { like: 'timer_settime', note: T64 },
  timerfd_gettime64: { like: 'timerfd_gettime', note: T64 },
  timerfd_settime64: { like: 'timerfd_settime', note: T64 },
  utimensat_time64: { like: 'utimensat', note: T64 },
  pselect6_time64: { like: 'pselect6', note: T64 },
  ppoll_time64: { like: 'ppoll', note: T64 },
  io_pgetevents_time64: { like: 'io_pgetevents', note: T64 },
  recvmmsg_time64: { like: 'recvmmsg', note: T64 },
  mq_timedsend_time64: { like: 'mq_timedsend', note: T64 },
  mq_timedreceive_time64: { like: 'mq_timedreceive', note: T64 },
  semtimedop_time64: { like: 'semtimedop', note: T64 },
  rt_sigtimedwait_time64: { like: 'rt_sigtimedwait', note: T64 },
  futex_time64: { like: 'futex', note: T64 },
  sched_rr_get_interval_time64: { like: 'sched_rr_get_interval', note: T64 },
  sigaction: { like: 'rt_sigaction', note: 'the old form with a 32-signal mask' },
  sigprocmask: { like: 'rt_sigprocmask', note: 'the old form with a 32-signal mask' },
  sigpending: { like: 'rt_sigpending', note: 'the old form with a 32-signal mask' },
  sigsuspend: { like: 'rt_sigsuspend', note: 'the old form with a 32-signal mask' },
  sigreturn: { like: 'rt_sigreturn', note: 'the return path of handlers installed without SA_SIGINFO on i386' },
  signal: { like: 'rt_sigaction', note: 'the old System V signal(): installs a handler that is reset after one delivery', ownShape: true },
  sgetmask: { like: 'rt_sigprocmask', note: 'an obsolete way to read the signal mask', ownShape: true },
  ssetmask: { like: 'rt_sigprocmask', note: 'an obsolete way to set the signal mask', ownShape: true },
  set_thread_area: { like: 'arch_prctl', note: 'the i386 way to set the thread pointer: a TLS segment (%gs) in the GDT', ownShape: true },
  get_thread_area: { like: 'arch_prctl', note: 'reads a TLS segment descriptor (%gs) of the calling thread', ownShape: true },
  socketcall: { like: 'socket', note: 'the i386 multiplexer for every socket call: the first argument says which (SYS_SOCKET, SYS_CONNECT...)', ownShape: true },
  ipc: { like: 'semget', note: 'the i386 multiplexer for System V IPC: the first argument says which (SEMOP, MSGSND, SHMAT...)', ownShape: true },
  readdir: { like: 'getdents', note: 'an obsolete call that reads one directory entry', ownShape: true },
  nice: { like: 'setpriority', note: 'changes the caller\'s nice value by an increment (the old interface)', ownShape: true },
  stime: { like: 'settimeofday', note: 'sets the time in whole seconds (obsolete)', ownShape: true },
  umount: { like: 'umount2', note: 'the old unmount without flags' },
  oldstat: { like: 'stat', note: OLD, ownShape: true },
  oldfstat: { like: 'fstat', note: OLD, ownShape: true },
  oldlstat: { like: 'lstat', note: OLD, ownShape: true },
  olduname: { like: 'uname', note: OLD, ownShape: true },
  oldolduname: { like: 'uname', note: OLD, ownShape: true },
  vm86: { like: 'arch_prctl', note: 'runs 16-bit real-mode code in virtual 8086 mode (DOS emulators)', ownShape: true },
  vm86old: { like: 'arch_prctl', note: 'the old virtual 8086 mode entry', ownShape: true },
  idle: { like: 'sched_yield', note: 'was used by the kernel\'s idle task; always fails for programs', ownShape: true },
  bdflush: { like: 'sync', note: 'tuned the old buffer-flush daemon; does nothing since Linux 2.6', ownShape: true },
  break: { like: 'brk', note: 'a reserved number that was never implemented (ENOSYS)', ownShape: true },
  stty: { like: 'ioctl', note: 'a reserved number that was never implemented (ENOSYS)', ownShape: true },
  gtty: { like: 'ioctl', note: 'a reserved number that was never implemented (ENOSYS)', ownShape: true },
  ftime: { like: 'gettimeofday', note: 'a reserved number that was never implemented (ENOSYS)', ownShape: true },
  prof: { like: 'getitimer', note: 'a reserved number that was never implemented (ENOSYS)', ownShape: true },
  profil: { like: 'getitimer', note: 'a reserved number that was never implemented (ENOSYS)', ownShape: true },
  lock: { like: 'flock', note: 'a reserved number that was never implemented (ENOSYS)', ownShape: true },
  mpx: { like: 'ioctl', note: 'a reserved number that was never implemented (ENOSYS)', ownShape: true },
  ulimit: { like: 'getrlimit', note: 'a reserved number that was never implemented (ENOSYS)', ownShape: true },
};

const equivalentInfo = new Map<string, SyscallInfo>();

/**
 * The knowledge-base entry for a name on any ABI: the x86-64 entry when the name exists there
 * (numbers aside, it is the same call), else an entry built from the i386 equivalent, numbered as
 * on i386. `syscall_0xNNN` / `syscall_NNN` names are resolved in the given ABI's number table.
 */
export function syscallOnAbi(name: string, abi: Abi = 'x86_64'): SyscallInfo | undefined {
  if (abi !== 'x86_64' && name.startsWith('syscall_')) {
    const m = /^syscall_(0x[0-9a-f]+|\d+)$/i.exec(name);
    const real = m ? TABLES[abi].byNumber.get(Number(m[1])) : undefined;
    return real === undefined ? undefined : syscallOnAbi(real, abi);
  }
  const direct = syscallByName(name);
  if (direct) return direct;
  if (!Object.hasOwn(I386_EQUIVALENTS, name)) return undefined; // names come from logs
  let info = equivalentInfo.get(name);
  if (!info) {
    const eq = I386_EQUIVALENTS[name];
    const like = syscallByName(eq.like)!;
    info = {
      number: TABLES.i386.byName.get(name) ?? -1,
      name,
      args: like.args,
      category: like.category,
      description: `${eq.ownShape ? eq.note : `${like.description} (${eq.note})`}; an i386 (32-bit x86) call`,
    };
    equivalentInfo.set(name, info);
  }
  return info;
}

/** The x86-64 call whose describer explains an i386-only name (same arguments in the same places). */
export function describedLike(name: string): string | undefined {
  const eq = Object.hasOwn(I386_EQUIVALENTS, name) ? I386_EQUIVALENTS[name] : undefined;
  return eq && !eq.ownShape ? eq.like : undefined;
}

/** A syscall number on an ABI -> its name (undefined when the table has no such number). */
export function syscallNameOnAbi(nr: number, abi: Abi): string | undefined {
  if (abi === 'x86_64') return SYSCALLS.find((s) => s.number === nr)?.name;
  return TABLES[abi].byNumber.get(nr);
}

/** A name -> its number on an ABI. */
export function syscallNumberOnAbi(name: string, abi: Abi): number | undefined {
  if (abi === 'x86_64') return syscallByName(name)?.number;
  return TABLES[abi].byName.get(name);
}

/** Every name an ABI's table has (for tests and completeness checks). */
export function abiNames(abi: Exclude<Abi, 'x86_64'>): string[] {
  return [...TABLES[abi].byName.keys()];
}
