/**
 * Each doctor rule on a small log that shows its bug, and on near-miss logs from diagnosis.md's
 * false-positive traps that must not trigger it (or only at info).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, parseText, type DoctorReport, type RuleId } from '../../src/index.js';

/** Lines written `PID SECONDS call...` with small times; the times become -ttt epoch times. */
const epoch = (line: string): string => line.replace(/^(\d+) (\d+\.\d+) /, (_m, pid: string, t: string) => `${pid} ${(1_700_000_000 + Number(t)).toFixed(6)} `);
const log = (lines: string[]): DoctorReport => diagnose(parseText(lines.map(epoch).join('\n') + '\n', { source: 't.log' }));
const of = (r: DoctorReport, rule: RuleId) => r.findings.filter((f) => f.rule === rule);
const serious = (r: DoctorReport, rule: RuleId) => of(r, rule).filter((f) => f.severity !== 'info');

/** A program's start-up, so the log reads as an unfiltered one (descriptor and memory calls). */
const START = (pid: number, t = 1.0): string[] => [
  `${pid} ${t.toFixed(6)} execve("./prog", ["./prog"], 0x7ffd /* 3 vars */) = 0`,
  `${pid} ${(t + 0.0001).toFixed(6)} brk(NULL) = 0x55d000`,
  `${pid} ${(t + 0.0002).toFixed(6)} mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000`,
  `${pid} ${(t + 0.0003).toFixed(6)} arch_prctl(ARCH_SET_FS, 0x7f0000000740) = 0`,
  `${pid} ${(t + 0.0004).toFixed(6)} set_tid_address(0x7f0000000a10) = ${pid}`,
  `${pid} ${(t + 0.0005).toFixed(6)} set_robust_list(0x7f0000000a20, 24) = 0`,
  `${pid} ${(t + 0.0006).toFixed(6)} rseq(0x7f0000001060, 0x20, 0, 0x53053053) = 0`,
  `${pid} ${(t + 0.0007).toFixed(6)} mprotect(0x7f0000002000, 16384, PROT_READ) = 0`,
];

test('never-reaped: a zombie for 2 s while the parent works is a warning; a prompt wait4 is nothing', () => {
  const bug = log([
    ...START(100),
    '100 1.001000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00) = 101',
    '101 1.002000 exit_group(3) = ?',
    '101 1.002100 +++ exited with 3 +++',
    '100 1.002200 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---',
    '100 1.003000 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=2, tv_nsec=0}, NULL) = 0',
    '100 3.010000 exit_group(0) = ?',
    '100 3.010100 +++ exited with 0 +++',
  ]);
  const [f] = of(bug, 'never-reaped');
  assert.equal(f?.severity, 'warning');
  assert.deepEqual(f.lines.map((l) => l.line), [11, 15]);
  assert.equal(f.details?.child, 101);
  const ok = log([
    ...START(100),
    '100 1.001000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00) = 101',
    '100 1.001500 wait4(-1,  <unfinished ...>',
    '101 1.002000 exit_group(3) = ?',
    '101 1.002100 +++ exited with 3 +++',
    '100 1.002200 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 101',
    '100 1.003000 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=2, tv_nsec=0}, NULL) = 0',
    '100 3.010000 exit_group(0) = ?',
    '100 3.010100 +++ exited with 0 +++',
  ]);
  assert.equal(of(ok, 'never-reaped').length, 0);
  // Trap: a parent that exits a moment after its child is reaped by init: info at most.
  const brief = log([
    ...START(100),
    '100 1.001000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00) = 101',
    '101 1.002000 exit_group(0) = ?',
    '101 1.002100 +++ exited with 0 +++',
    '100 1.003000 exit_group(0) = ?',
    '100 1.003100 +++ exited with 0 +++',
  ]);
  assert.equal(serious(brief, 'never-reaped').length, 0);
});

test('orphaned-children: a parent failing while its child runs is a warning; a shell or setsid daemon is info', () => {
  const bug = log([
    ...START(100),
    '100 1.001 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00) = 101',
    '100 1.002 exit_group(1) = ?',
    '100 1.003 +++ exited with 1 +++',
    '101 1.500 getppid() = 1',
    '101 1.600 exit_group(0) = ?',
    '101 1.601 +++ exited with 0 +++',
  ]);
  const [f] = of(bug, 'orphaned-children');
  assert.equal(f?.severity, 'warning');
  assert.deepEqual(f.details?.children, [101]);
  const daemon = log([
    ...START(100),
    '100 1.001 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00) = 101',
    '101 1.0015 setsid() = 101',
    '100 1.002 exit_group(1) = ?',
    '100 1.003 +++ exited with 1 +++',
    '101 1.500 getppid() = 1',
    '101 1.600 exit_group(0) = ?',
    '101 1.601 +++ exited with 0 +++',
  ]);
  assert.equal(serious(daemon, 'orphaned-children').length, 0);
});

const THREAD = (parent: number, tid: number, t: string) => `${parent} ${t} clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f10, parent_tid=0x7f10, exit_signal=0, stack=0x7f20, stack_size=0x7fff00, tls=0x7f30} => {parent_tid=[${tid}]}, 88) = ${tid}`;
const FORK = (parent: number, child: number, t: string) => `${parent} ${t} clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00) = ${child}`;

test('fork-in-threaded-process: malloc in the child before exec is an error; exec at once is info; posix_spawn is nothing', () => {
  const threaded = [...START(100), THREAD(100, 101, '1.001'), '101 1.0015 futex(0x7f40, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>', FORK(100, 102, '1.002')];
  const bug = log([...threaded, '102 1.003 brk(0x560000) = 0x560000', '102 1.004 execve("/bin/true", ["true"], 0x7ffd /* 3 vars */) = 0', '102 1.005 exit_group(0) = ?', '102 1.006 +++ exited with 0 +++']);
  const [f] = of(bug, 'fork-in-threaded-process');
  assert.equal(f?.severity, 'error');
  assert.equal(f.details?.threads, 2);
  assert.ok(f.lines.some((l) => l.role.includes('not async-signal-safe')));
  const quick = log([...threaded, '102 1.003 execve("/bin/true", ["true"], 0x7ffd /* 3 vars */) = 0', '102 1.005 exit_group(0) = ?', '102 1.006 +++ exited with 0 +++']);
  assert.equal(of(quick, 'fork-in-threaded-process')[0]?.severity, 'info');
  const spawn = log([...START(100), THREAD(100, 101, '1.001'),
    '100 1.002 clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7f50, stack_size=0x9000}, 88) = 102',
    '102 1.003 brk(0x560000) = 0x560000', '102 1.004 execve("/bin/true", ["true"], 0x7ffd /* 3 vars */) = 0']);
  assert.equal(of(spawn, 'fork-in-threaded-process').length, 0);
  // Single-threaded fork: not this rule.
  const single = log([...START(100), FORK(100, 102, '1.002'), '102 1.003 brk(0x560000) = 0x560000']);
  assert.equal(of(single, 'fork-in-threaded-process').length, 0);
});

test('fd-leaked-across-exec: a pipe without O_CLOEXEC reaching exec is a warning; O_CLOEXEC, fcntl FD_CLOEXEC, close and dup2 to stdio are not', () => {
  const head = [...START(100), '100 1.001 pipe2([3, 4], 0) = 0', '100 1.002 openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 5'];
  const bug = log([...head, '100 1.003 execve("/bin/cat", ["cat"], 0x7ffd /* 3 vars */) = 0']);
  const [f] = of(bug, 'fd-leaked-across-exec');
  assert.equal(f?.severity, 'warning');
  assert.deepEqual(f.details?.fds, [3, 4, 5]);
  assert.deepEqual(f.lines.map((l) => l.line), [9, 9, 10, 11]);
  const fixed = log([...START(100), '100 1.001 pipe2([3, 4], O_CLOEXEC) = 0', '100 1.002 openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 5',
    '100 1.0021 fcntl(5, F_SETFD, FD_CLOEXEC) = 0', '100 1.0022 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 6', '100 1.0023 openat(AT_FDCWD, "/tmp/x", O_WRONLY|O_CREAT, 0644) = 7',
    '100 1.0024 dup2(7, 1) = 1', '100 1.0025 close(7) = 0', '100 1.003 execve("/bin/cat", ["cat"], 0x7ffd /* 3 vars */) = 0']);
  assert.equal(of(fixed, 'fd-leaked-across-exec').length, 0);
  // Only a read-only file: info.
  const readOnly = log([...START(100), '100 1.002 openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 5', '100 1.003 execve("/bin/cat", ["cat"], 0x7ffd /* 3 vars */) = 0']);
  assert.equal(of(readOnly, 'fd-leaked-across-exec')[0]?.severity, 'info');
  // Cleared on purpose (make's jobserver): not flagged.
  const intended = log([...START(100), '100 1.001 pipe2([3, 4], O_CLOEXEC) = 0', '100 1.002 fcntl(3, F_SETFD, 0) = 0', '100 1.0021 fcntl(4, F_SETFD, 0) = 0', '100 1.003 execve("/bin/make", ["make"], 0x7ffd /* 3 vars */) = 0']);
  assert.equal(of(intended, 'fd-leaked-across-exec').length, 0);
});

test('killed-by-sigpipe: on a socket it is an error, a pipeline writer on a pipe is info, an ignored SIGPIPE is nothing', () => {
  const kill = (decor: string): DoctorReport => log([...START(100),
    `100 1.001 write(1${decor}, "y\\n", 2) = -1 EPIPE (Broken pipe)`,
    '100 1.002 --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=100, si_uid=0} ---',
    '100 1.003 +++ killed by SIGPIPE +++']);
  assert.equal(of(kill('<TCP:[127.0.0.1:80->127.0.0.1:5000]>'), 'killed-by-sigpipe')[0]?.severity, 'error');
  assert.equal(of(kill('<pipe:[1234]>'), 'killed-by-sigpipe')[0]?.severity, 'info');
  const ignored = log([...START(100), '100 1.001 write(1<pipe:[1234]>, "y\\n", 2) = -1 EPIPE (Broken pipe)', '100 1.002 --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=100, si_uid=0} ---', '100 1.003 exit_group(1) = ?', '100 1.004 +++ exited with 1 +++']);
  assert.equal(of(ignored, 'killed-by-sigpipe').length, 0);
});

test('rlimit-nproc-hit: fork EAGAIN cites the RLIMIT_NPROC line; ERESTARTNOINTR is not a failure', () => {
  const bug = log([...START(100), '100 1.001 prlimit64(0, RLIMIT_NPROC, {rlim_cur=4, rlim_max=4}, NULL) = 0',
    '100 1.002 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00) = -1 EAGAIN (Resource temporarily unavailable)']);
  const [f] = of(bug, 'rlimit-nproc-hit');
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f.lines.map((l) => l.line), [9, 10]);
  assert.equal(f.details?.limit, '4');
  const restart = log([...START(100), '100 1.002 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00) = ? ERESTARTNOINTR (To be restarted)']);
  assert.equal(of(restart, 'rlimit-nproc-hit').length, 0);
});

test('stack-overflow: a fault in the guard page of a thread stack; a NULL dereference or a handled SIGSEGV is not', () => {
  const stack = ['101 1.001 mmap(NULL, 1052672, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7fcb5c03e000', '101 1.002 mprotect(0x7fcb5c03f000, 1048576, PROT_READ|PROT_WRITE) = 0'];
  const bug = log([...START(101), ...stack, '101 1.003 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7fcb5c03ef2c} ---', '101 1.004 +++ killed by SIGSEGV +++']);
  const [f] = of(bug, 'stack-overflow');
  assert.equal(f?.severity, 'error');
  assert.equal(f.details?.guardBytes, 4096);
  const nullDeref = log([...START(101), ...stack, '101 1.003 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---', '101 1.004 +++ killed by SIGSEGV +++']);
  assert.equal(of(nullDeref, 'stack-overflow').length, 0);
  // The JVM's implicit null checks: SIGSEGV lines, no death.
  const jvm = log([...START(101), ...stack, '101 1.003 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7fcb5c03ef2c} ---', '101 1.004 exit_group(0) = ?', '101 1.005 +++ exited with 0 +++']);
  assert.equal(of(jvm, 'stack-overflow').length, 0);
});

test('sigterm-ignored: SIG_IGN then SIGKILL is a warning with the grace time; a default SIGTERM death is nothing; signalfd consumption is nothing', () => {
  const child = [...START(100), FORK(100, 101, '1.001'), '101 1.002 rt_sigaction(SIGTERM, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f60}, NULL, 8) = 0', '101 1.003 pause( <unfinished ...>', '100 1.100 kill(101, SIGTERM) = 0'];
  const bug = log([...child, '101 1.101 --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=100, si_uid=0} ---', '100 2.100 kill(101, SIGKILL) = 0', '101 2.101 <... pause resumed>) = ?', '101 2.102 +++ killed by SIGKILL +++']);
  const [f] = of(bug, 'sigterm-ignored');
  assert.equal(f?.severity, 'warning');
  assert.equal(f.details?.how, 'ignored');
  assert.equal(f.details?.graceSeconds, 1);
  const dies = log([...START(100), FORK(100, 101, '1.001'), '101 1.003 pause( <unfinished ...>', '100 1.100 kill(101, SIGTERM) = 0', '101 1.101 +++ killed by SIGTERM +++']);
  assert.equal(of(dies, 'sigterm-ignored').length, 0);
  const signalfd = log([...START(100), FORK(100, 101, '1.001'), '101 1.002 rt_sigprocmask(SIG_BLOCK, [TERM], NULL, 8) = 0', '101 1.0025 signalfd4(-1, [TERM], 8, SFD_CLOEXEC) = 3',
    '100 1.100 kill(101, SIGTERM) = 0', '101 1.101 read(3, "\\x0f", 128) = 128', '101 1.2 exit_group(0) = ?', '101 1.3 +++ exited with 0 +++']);
  assert.equal(of(signalfd, 'sigterm-ignored').length, 0);
});

test('eintr-not-retried: EINTR via rt_sigreturn then exit(1) is a warning; a retried read and a restart are nothing', () => {
  const handler = '100 1.001 rt_sigaction(SIGALRM, {sa_handler=0x401136, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f60}, NULL, 8) = 0';
  const interrupted = ['100 1.002 read(0,  <unfinished ...>', '100 1.022 <... read resumed>0x7ffc03843a1f, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)', '100 1.023 --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---'];
  const bug = log([...START(100), handler, ...interrupted, '100 1.024 rt_sigreturn({mask=[]}) = -1 EINTR (Interrupted system call)', '100 1.025 write(2, "read: Interrupted system call\\n", 30) = 30', '100 1.026 exit_group(1) = ?', '100 1.027 +++ exited with 1 +++']);
  const [f] = of(bug, 'eintr-not-retried');
  assert.equal(f?.severity, 'warning');
  assert.equal(f.details?.call, 'read');
  assert.equal(f.details?.signal, 'SIGALRM');
  assert.ok(f.message.includes('without SA_RESTART'));
  const retried = log([...START(100), handler, ...interrupted, '100 1.024 rt_sigreturn({mask=[]}) = -1 EINTR (Interrupted system call)', '100 1.025 read(0, "x", 1) = 1', '100 1.026 exit_group(1) = ?', '100 1.027 +++ exited with 1 +++']);
  assert.equal(of(retried, 'eintr-not-retried').length, 0);
  const restarted = log([...START(100), handler, ...interrupted, '100 1.024 rt_sigreturn({mask=[]}) = 0', '100 1.025 read(0, "x", 1) = 1', '100 1.026 exit_group(1) = ?', '100 1.027 +++ exited with 1 +++']);
  assert.equal(of(restarted, 'eintr-not-retried').length, 0);
  const sleep = log([...START(100), '100 1.002 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=0}, 0x7ffc) = -1 EINTR (Interrupted system call)', '100 1.026 exit_group(1) = ?']);
  assert.equal(of(sleep, 'eintr-not-retried').length, 0);
});

test('signal-lost-blocked: a blocked signal sent and never consumed is a warning; sigtimedwait consumption is nothing', () => {
  const head = [...START(100), '100 1.001 rt_sigprocmask(SIG_BLOCK, [USR1], NULL, 8) = 0', FORK(100, 101, '1.002'), '101 1.003 kill(100, SIGUSR1) = 0', '101 1.004 exit_group(0) = ?', '101 1.005 +++ exited with 0 +++'];
  const bug = log([...head, '100 1.1 wait4(101, NULL, 0, NULL) = 101', '100 1.2 exit_group(0) = ?', '100 1.3 +++ exited with 0 +++']);
  const [f] = of(bug, 'signal-lost-blocked');
  assert.equal(f?.severity, 'warning');
  assert.equal(f.details?.signal, 'SIGUSR1');
  assert.deepEqual(f.lines.slice(0, 2).map((l) => l.line), [9, 11]);
  const waited = log([...head, '100 1.1 rt_sigtimedwait([USR1], {si_signo=SIGUSR1, si_code=SI_USER, si_pid=101, si_uid=0}, NULL, 8) = 10 (SIGUSR1)', '100 1.15 wait4(101, NULL, 0, NULL) = 101', '100 1.2 exit_group(0) = ?', '100 1.3 +++ exited with 0 +++']);
  assert.equal(of(waited, 'signal-lost-blocked').length, 0);
});

test('sigchld-ignored-wait: a blocking wait4 ECHILD under SIGCHLD SIG_IGN is an error; a WNOHANG poll is nothing', () => {
  const head = [...START(100), '100 1.001 rt_sigaction(SIGCHLD, {sa_handler=SIG_IGN, sa_mask=[CHLD], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f60}, NULL, 8) = 0', FORK(100, 101, '1.002'), '101 1.003 exit_group(7) = ?', '101 1.004 +++ exited with 7 +++'];
  const bug = log([...head, '100 1.1 wait4(-1, 0x7ffd8fcfde68, 0, NULL) = -1 ECHILD (No child processes)']);
  const [f] = of(bug, 'sigchld-ignored-wait');
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f.lines.map((l) => l.line), [9, 13]);
  const poll = log([...head, '100 1.1 wait4(-1, 0x7ffd8fcfde68, WNOHANG, NULL) = -1 ECHILD (No child processes)']);
  assert.equal(of(poll, 'sigchld-ignored-wait').length, 0);
  // Trap: never-reaped must not fire either: the kernel reaped the child.
  assert.equal(of(bug, 'never-reaped').length, 0);
});

test('exec-failed: a final ENOENT then 127 is an error; a PATH search that succeeds is nothing', () => {
  const bug = log([...START(100), FORK(100, 101, '1.001'), '101 1.002 execve("/nonexist/x", ["x"], 0x7ffd /* 3 vars */) = -1 ENOENT (No such file or directory)', '101 1.003 exit_group(127) = ?', '101 1.004 +++ exited with 127 +++']);
  const [f] = of(bug, 'exec-failed');
  assert.equal(f?.severity, 'error');
  assert.equal(f.details?.errno, 'ENOENT');
  assert.equal(f.details?.path, '/nonexist/x');
  const search = log([...START(100), FORK(100, 101, '1.001'),
    '101 1.002 execve("/usr/local/bin/bash", ["bash"], 0x7ffd /* 3 vars */) = -1 ENOENT (No such file or directory)',
    '101 1.003 execve("/usr/bin/bash", ["bash"], 0x7ffd /* 3 vars */) = 0', '101 1.004 exit_group(0) = ?', '101 1.005 +++ exited with 0 +++']);
  assert.equal(of(search, 'exec-failed').length, 0);
});

test('slow-call: a slow fsync is listed (info), a long poll is waiting, not slowness', () => {
  const r = log([...START(100), '100 1.001 openat(AT_FDCWD, "/tmp/f", O_WRONLY|O_CREAT, 0644) = 3 <0.000010>', '100 1.002 fsync(3) = 0 <0.250000>', '100 1.3 poll([{fd=4, events=POLLIN}], 1, 5000) = 0 (Timeout) <5.000000>']);
  const [f] = of(r, 'slow-call');
  assert.equal(f?.severity, 'info');
  assert.deepEqual(f.details?.calls, ['fsync']);
});

test('slow-call: only the 10 threads with the slowest calls are reported', () => {
  const lines = [...START(100)];
  for (let i = 0; i < 15; i++) lines.push(`${200 + i} 2.${String(i).padStart(3, '0')} fsync(3</tmp/f>) = 0 <${(0.1 + i * 0.01).toFixed(6)}>`);
  const slow = of(log(lines), 'slow-call');
  assert.equal(slow.length, 10);
  assert.deepEqual(slow.map((f) => f.tasks[0].tid).sort((a, b) => a - b), [205, 206, 207, 208, 209, 210, 211, 212, 213, 214]);
  assert.equal(slow.find((f) => f.tasks[0].tid === 214)?.details?.threadsWithSlowCalls, 15);
});

test('sigkill-no-sender: killed by SIGKILL with no traced sender; a traced kill -9 is nothing', () => {
  const bug = log([...START(100), '100 1.001 getrandom("\\x01", 8, GRND_NONBLOCK) = 8', '100 1.038 +++ killed by SIGKILL +++']);
  assert.equal(of(bug, 'sigkill-no-sender')[0]?.severity, 'warning');
  const sent = log([...START(100), FORK(100, 101, '1.001'), '100 1.002 kill(101, SIGKILL) = 0', '101 1.003 +++ killed by SIGKILL +++']);
  assert.equal(of(sent, 'sigkill-no-sender').length, 0);
});

test('rules that need calls the log lacks are skipped with the flags that would let them run', () => {
  const lifecycle = log(['100 1.0 execve("./prog", ["./prog"], 0x7ffd /* 3 vars */) = 0', FORK(100, 101, '1.001'), '101 1.002 exit_group(0) = ?', '101 1.003 +++ exited with 0 +++', '100 1.1 wait4(-1, NULL, 0, NULL) = 101']);
  const skipped = new Map(lifecycle.skipped.map((s) => [s.rule, s.flags]));
  assert.deepEqual(skipped.get('fd-leaked-across-exec'), ['-e trace=all']);
  assert.ok(!lifecycle.ran.includes('fd-leaked-across-exec'));
  assert.ok(lifecycle.ran.includes('never-reaped'));
  const noFollow = diagnose(parseText(['execve("./prog", ["./prog"], 0x7ffd /* 3 vars */) = 0', 'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00) = 101', 'exit_group(0) = ?', '+++ exited with 0 +++'].join('\n') + '\n'));
  assert.deepEqual(noFollow.skipped.find((s) => s.rule === 'never-reaped')?.flags, ['-f']);
});
