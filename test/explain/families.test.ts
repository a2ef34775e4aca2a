/**
 * Per-call explanations: the words use the actual values (sizes in binary units, decoded flags with
 * their meaning), relate a call to earlier ones (stack + guard page, clone3's stack, the join futex),
 * and tell normal failures from the ones that matter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainLog, textAt } from './support.js';
import { parseText } from '../../src/parse/index.js';
import { TaskGraph } from '../../src/model/index.js';
import { humanSize } from '../../src/explain/format.js';
import { describedSyscalls } from '../../src/explain/index.js';
import { SYSCALLS } from '../../src/kb/syscalls.js';
import { abiNames } from '../../src/kb/abi/index.js';

test('humanSize: exact binary units, two terms, approximations', () => {
  assert.equal(humanSize(0n), '0 bytes');
  assert.equal(humanSize(1n), '1 byte');
  assert.equal(humanSize(4096n), '4 KiB');
  assert.equal(humanSize(8392704n), '8 MiB + 4 KiB');
  assert.equal(humanSize(8372224n), '7 MiB + 1008 KiB');
  assert.equal(humanSize(3392n), '3 KiB + 320 bytes');
  assert.equal(humanSize(1n << 64n), '16 EiB');
  assert.match(humanSize(1234567n), /^about 1\.2 MiB$/);
  assert.equal(humanSize(-5n), '-5 bytes');
});

test('humanSize: the float path for sizes below 2^53 says exactly what bigint arithmetic says', () => {
  // The definition, in exact bigint arithmetic (humanSize itself uses it only above 2^53).
  const units: Array<[bigint, string]> = [[1n << 60n, 'EiB'], [1n << 50n, 'PiB'], [1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  const exact = (n: bigint): string => {
    if (n < 1024n) return n === 1n ? '1 byte' : `${n} bytes`;
    const [unit, name] = units.find(([u]) => n >= u)!;
    const whole = n / unit;
    const rest = n % unit;
    if (rest === 0n) return `${whole} ${name}`;
    const smaller = units.find(([u]) => u < unit && rest >= u && rest % u === 0n);
    if (smaller && rest / smaller[0] < 1024n) return `${whole} ${name} + ${rest / smaller[0]} ${smaller[1]}`;
    if (rest < 1024n && whole < 1024n) return `${whole} ${name} + ${rest} bytes`;
    const tenths = (n * 10n + unit / 2n) / unit;
    return `about ${tenths / 10n}.${tenths % 10n} ${name}`;
  };
  let seed = 12345;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const samples: bigint[] = [];
  for (let bits = 10; bits <= 53; bits++) {
    for (let k = 0; k < 200; k++) samples.push(BigInt(Math.floor(random() * 2 ** Math.min(bits, 52))) * (bits === 53 ? 2n : 1n));
    const round = 1n << BigInt(bits);
    samples.push(round, round - 1n, round + 1n, round + 1024n, round + 4096n);
  }
  samples.push(BigInt(Number.MAX_SAFE_INTEGER));
  for (const n of samples) assert.equal(humanSize(n), exact(n), `n = ${n}`);
});

const THREAD = `
  100 mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f1000000000
  100 mprotect(0x7f1000001000, 8388608, PROT_READ|PROT_WRITE) = 0
  100 rt_sigprocmask(SIG_BLOCK, ~[], [], 8) = 0
  100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f10007ff910, parent_tid=0x7f10007ff910, exit_signal=0, stack=0x7f1000000000, stack_size=0x7fff00, tls=0x7f10007ff640} => {parent_tid=[101]}, 88) = 101
  100 rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = 0
  101 rseq(0x7f10007fffe0, 0x20, 0, 0x53053053) = 0
  101 set_robust_list(0x7f10007ff920, 24) = 0
  101 rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = 0
  100 futex(0x7f10007ff910, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 101, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>
  101 rt_sigprocmask(SIG_BLOCK, ~[RT_1], NULL, 8) = 0
  101 madvise(0x7f1000000000, 8368128, MADV_DONTNEED) = 0
  101 exit(0)                           = ?
  100 <... futex resumed>)              = 0
  101 +++ exited with 0 +++
`;

test('mmap of a thread stack: size in words, no access, the guard page to come; prot and flags decoded', () => {
  const log = explainLog(THREAD);
  assert.match(textAt(log, 1), /reserves 8 MiB \+ 4 KiB of address space with no access for a thread stack/);
  const decoded = log.at(1).explanation!.decoded!;
  assert.deepEqual((decoded.flags as Array<{ name: string }>).map((f) => f.name), ['MAP_PRIVATE', 'MAP_ANONYMOUS', 'MAP_STACK']);
  assert.deepEqual(decoded.length, { bytes: '8392704', text: '8 MiB + 4 KiB' });
  assert.ok(log.at(1).explanation!.detail!.some((d) => d.startsWith('MAP_STACK: ')));
});

test('mprotect opening the stack names the guard page from the address arithmetic', () => {
  const log = explainLog(THREAD);
  assert.match(textAt(log, 2), /upper 8 MiB of the 8 MiB \+ 4 KiB stack mapping from line 1 read-write; the lowest 4 KiB stays PROT_NONE as the guard page/);
});

test('clone3 creating a thread: what is shared, the stack from line 1, the TID word cleared at exit', () => {
  const log = explainLog(THREAD);
  const text = textAt(log, 4);
  assert.match(text, /creates thread 101 in process 100/);
  assert.match(text, /shares memory, descriptors/);
  assert.match(text, /runs on the 8 MiB \+ 4 KiB stack mapped on line 1 \(guard page 4 KiB\)/);
  assert.match(text, /zero the TID word at 0x7f10007ff910/);
  const flags = log.at(4).explanation!.decoded!.flags as Array<{ name: string; meaning: string }>;
  assert.ok(flags.find((f) => f.name === 'CLONE_THREAD')!.meaning.includes('thread group'));
});

test('the futex wait on the clear-TID word is a join of that thread; madvise of the own stack; exit of one thread', () => {
  const log = explainLog(THREAD);
  assert.match(textAt(log, 9), /waits for thread 101 to exit \(pthread_join\)/);
  assert.match(textAt(log, 11), /exiting thread drops the contents of 7 MiB \+ 1004 KiB of its own stack/);
  assert.match(textAt(log, 12), /ends this thread only \(status 0\); the other 1 thread of process 100 keeps running/);
  assert.match(textAt(log, 3), /blocks every signal in this thread/);
  assert.match(textAt(log, 10), /every signal except SIGRT_1/);
  assert.match(textAt(log, 6), /32-byte restartable-sequences \(rseq\).*glibc's/);
});

test('-X raw numbers decode the same way as symbols', () => {
  const log = explainLog(`
    7 mmap(0, 0x801000, 0, 0x20022, 0xffffffff, 0) = 0x7f2000000000
    7 mprotect(0x7f2000001000, 0x800000, 0x3) = 0
  `);
  assert.match(textAt(log, 1), /8 MiB \+ 4 KiB .* no access for a thread stack/);
  assert.deepEqual((log.at(1).explanation!.decoded!.flags as Array<{ name: string }>).map((f) => f.name), ['MAP_PRIVATE', 'MAP_ANONYMOUS', 'MAP_STACK']);
  assert.match(textAt(log, 2), /guard page/);
});

test('benign failures are explained as normal; failures that matter are not', () => {
  // Line 1 starts a second thread: a double close then may hit a number another thread reused.
  const log = explainLog(`
    5 clone(child_stack=0x7f0000ff0000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[6], tls=0x7f0000ff06c0, child_tidptr=0x7f0000ff0990) = 6
    5 access("/etc/ld.so.preload", R_OK)      = -1 ENOENT (No such file or directory)
    5 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libc.so.6", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)
    5 close(7) = -1 EBADF (Bad file descriptor)
    5 openat(AT_FDCWD, "/tmp/data", O_RDONLY) = 3
    5 close(3) = 0
    5 close(3) = -1 EBADF (Bad file descriptor)
    5 ioctl(1, TCGETS, 0x7ffc00000000) = -1 ENOTTY (Inappropriate ioctl for device)
    5 openat(AT_FDCWD, "/etc/app.conf", O_RDONLY) = -1 EACCES (Permission denied)
    5 wait4(-1, 0x7ffc00000010, WNOHANG, NULL) = -1 ECHILD (No child processes)
  `);
  for (const line of [2, 3, 4, 8, 10]) {
    assert.ok(log.at(line).explanation!.benign, `line ${line} should be benign: ${textAt(log, line)}`);
    assert.equal(log.at(line).explanation!.failure, undefined);
  }
  assert.match(textAt(log, 7), /already closed on line 6 .*double close, a bug if another thread/);
  assert.equal(log.at(7).explanation!.failure, 'EBADF');
  assert.equal(log.at(9).explanation!.failure, 'EACCES');
  assert.ok(log.at(9).explanation!.detail!.some((d) => d.startsWith('EACCES: ')));
  assert.deepEqual(log.summary.failures.map((f) => `${f.syscall} ${f.errno}`), ['close EBADF', 'openat EACCES']);
  assert.equal(log.summary.benignFailures.length, 5);
});

test('fork-style clone, execve, wait4 status, SIGCHLD siginfo in words', () => {
  const log = explainLog(`
    10 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 11
    11 execve("/bin/true", ["true"], 0x7ffd00000000 /* 20 vars */) = 0
    11 exit_group(3)                     = ?
    11 +++ exited with 3 +++
    10 wait4(11, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 11
    10 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=11, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
  `);
  assert.match(textAt(log, 1), /creates child process 11 \(a fork\).*SIGCHLD will tell the parent/);
  assert.match(textAt(log, 2), /replaces the program of process 11 with \/bin\/true \(argv: true\)/);
  assert.match(textAt(log, 3), /ends process 11 with status 3; its parent 10 gets SIGCHLD/);
  assert.match(textAt(log, 5), /collects 11, which exited with status 3/);
  assert.match(textAt(log, 6), /child 11 exited with status 3; the parent has already collected it/);
  assert.deepEqual(log.at(6).explanation!.decoded!.si_code, { name: 'CLD_EXITED', meaning: log.at(6).explanation!.decoded!.si_code && (log.at(6).explanation!.decoded!.si_code as { meaning: string }).meaning });
});

test('clone into a new PID namespace: a namespace birth in explain as in tree (namespaces win over spawn)', () => {
  const log = explainLog(`
    40 clone(child_stack=0x7f0000ff0000, flags=CLONE_VM|CLONE_VFORK|CLONE_NEWPID|SIGCHLD) = 41
    40 clone(child_stack=NULL, flags=CLONE_THREAD|SIGCHLD) = -1 EINVAL (Invalid argument)
    40 wait4(-1, [0x8b], 0, NULL)         = 41
    40 rt_sigreturn({mask=[]})           = ?
  `);
  assert.match(textAt(log, 1), /borrows this process's memory until it calls execve .*; it starts in a new PID namespace \(the child is PID 1 there\)/);
  assert.equal(TaskGraph.fromEvents(parseText('40 clone(child_stack=0x7f0000ff0000, flags=CLONE_VM|CLONE_VFORK|CLONE_NEWPID|SIGCHLD) = 41')).taskByTid(41)?.birth.kind, 'namespaces');
  assert.match(textAt(log, 2), /refuses with EINVAL: CLONE_THREAD needs CLONE_SIGHAND/);
  assert.match(textAt(log, 3), /collects 41, which was killed by SIGSEGV \(core dumped\)/);
  assert.match(textAt(log, 4), /it never returned: the thread ended during the call/);
  const forks = explainLog(`
    40 clone(child_stack=NULL, flags=CLONE_NEWNS|CLONE_NEWUSER|SIGCHLD) = 42
    40 clone(child_stack=NULL, flags=CLONE_NEWPID|SIGCHLD) = 43
  `);
  assert.match(textAt(forks, 1), /\(a fork\): .*, in new mount and user namespaces/);
  assert.match(textAt(forks, 2), /\(a fork\): .*, in a new PID namespace \(the child is PID 1 there\)/);
});

test('signals: handler install with flags, masks in words, rt_sigreturn back to the handler line', () => {
  const log = explainLog(`
    20 rt_sigaction(SIGUSR1, {sa_handler=0x401136, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f00000000}, NULL, 8) = 0
    20 rt_sigprocmask(SIG_UNBLOCK, [RTMIN RT_1], NULL, 8) = 0
    20 tgkill(20, 20, SIGUSR1)           = 0
    20 --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=20, si_uid=0} ---
    20 rt_sigreturn({mask=[]})           = 0
    20 rt_sigaction(SIGCHLD, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f00000000}, NULL, 8) = 0
  `);
  assert.match(textAt(log, 1), /installs a handler at 0x401136 for SIGUSR1; slow calls it interrupts are restarted afterwards \(SA_RESTART\); while it runs, SIGTERM is blocked too/);
  assert.match(textAt(log, 2), /SIGRTMIN \(SIGCANCEL\) and SIGRT_1 \(SIGSETXID\)/);
  assert.match(textAt(log, 3), /sends SIGUSR1 to thread 20 of process 20 \(itself: this is how raise\(\)/);
  assert.match(textAt(log, 4), /SIGUSR1 arrives at thread 20 sent with tgkill\/tkill by 20 \(itself/);
  assert.match(textAt(log, 4), /handler installed on line 1 runs now/);
  assert.match(textAt(log, 5), /returns from the SIGUSR1 handler entered on line 4/);
  assert.match(textAt(log, 6), /ignores SIGCHLD .*children reap themselves/);
});

test('pipes and dup2: ends named, redirection words, descriptor state copied at fork', () => {
  const log = explainLog(`
    30 pipe2([3, 4], O_CLOEXEC) = 0
    30 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 31
    30 close(4) = 0
    31 dup2(4, 1) = 1
  `);
  assert.match(textAt(log, 1), /what is written to fd 4 can be read from fd 3 \(both close-on-exec\)/);
  assert.match(textAt(log, 4), /makes stdout a copy of fd 4 \(write end of the pipe from line 1\): what it writes to stdout now goes into the pipe/);
});

test('every syscall in the knowledge base gets a non-empty explanation, even with odd or missing arguments', () => {
  const names = SYSCALLS.map((s) => s.name);
  const lines = names.flatMap((n) => [`9 ${n}() = 0`, `9 ${n}(1, "x", NULL, {a=1}, [2], 0x10) = -1 EINVAL (Invalid argument)`, `9 ${n}(-1 <unfinished ...>`]);
  const log = explainLog(lines.join('\n'));
  const syscalls = log.items.filter((i) => i.event.kind === 'syscall');
  assert.equal(syscalls.length, names.length * 3);
  for (const item of syscalls) assert.ok((item.explanation?.text ?? '').length > 10, `empty explanation for ${item.event.raw}`);
  assert.deepEqual(log.summary.unknownSyscalls, []);
});

test('at least 70 forensic syscalls have argument-aware describers, all names known to the kb', () => {
  const described = describedSyscalls();
  assert.ok(described.length >= 150, `only ${described.length}`);
  const known = new Set([...SYSCALLS.map((s) => s.name), ...abiNames('i386'), ...abiNames('aarch64')]);
  for (const n of described) assert.ok(known.has(n), `${n} is not a kb syscall name on any ABI`);
  const forensic = ['execve', 'execveat', 'fork', 'vfork', 'clone', 'clone3', 'exit', 'exit_group', 'wait4', 'waitid', 'kill', 'tgkill', 'tkill', 'pidfd_open', 'pidfd_send_signal', 'ptrace', 'prctl', 'setsid', 'setpgid', 'getpid', 'getppid', 'gettid', 'unshare', 'brk', 'mmap', 'mprotect', 'munmap', 'arch_prctl', 'set_tid_address', 'set_robust_list', 'rseq', 'access', 'openat', 'newfstatat', 'pread64', 'read', 'close', 'prlimit64', 'getrandom', 'futex', 'futex_waitv', 'madvise', 'sched_yield', 'get_robust_list', 'sched_getaffinity', 'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'rt_sigsuspend', 'rt_sigtimedwait', 'rt_sigpending', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'sigaltstack', 'signalfd4', 'pause', 'alarm', 'setitimer', 'restart_syscall', 'pipe', 'pipe2', 'dup', 'dup2', 'dup3', 'fcntl', 'close_range', 'chdir', 'umask', 'ioctl'];
  const missing = forensic.filter((n) => !described.includes(n));
  assert.deepEqual(missing, []);
});
