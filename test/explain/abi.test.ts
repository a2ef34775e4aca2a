/**
 * Logs recorded on other architectures (issue 17 item 14): i386 and aarch64 logs are explained by
 * name, the ABI is detected from what the log shows and said in the summary, and numbered calls are
 * read in that ABI's table. The logs are hand-written in the shape of real ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainLog, textAt } from './support.js';

const I386 = `
  1234  execve("/bin/ls", ["ls", "-l"], 0xffd0a1cc /* 20 vars */) = 0
  1234  brk(NULL)                         = 0x8d3e000
  1234  access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)
  1234  openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_LARGEFILE|O_CLOEXEC) = 3
  1234  fstat64(3, {st_mode=S_IFREG|0644, st_size=24535, ...}) = 0
  1234  mmap2(NULL, 24535, PROT_READ, MAP_PRIVATE, 3, 0) = 0xf7f9a000
  1234  close(3)                          = 0
  1234  openat(AT_FDCWD, "/lib/i386-linux-gnu/libc.so.6", O_RDONLY|O_LARGEFILE|O_CLOEXEC) = 3
  1234  read(3, "\\177ELF\\1\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0\\3\\0\\1\\0\\0\\0\\260\\365\\1\\0004\\0\\0\\0"..., 512) = 512
  1234  mmap2(NULL, 1955712, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0xf7dbd000
  1234  close(3)                          = 0
  1234  set_thread_area({entry_number=-1, base_addr=0xf7f9f100, limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) = 0 (entry_number=12)
  1234  ugetrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM_INFINITY}) = 0
  1234  getuid32()                        = 1000
  1234  socketcall(0x1, 0xffd09f40)       = 3
  1234  _llseek(3, -60, [100], SEEK_CUR)  = 0
  1234  fcntl64(3, F_SETFD, FD_CLOEXEC)   = 0
  1234  clock_gettime64(CLOCK_REALTIME, {tv_sec=1700000000, tv_nsec=123456789}) = 0
  1234  _newselect(0, NULL, NULL, NULL, {tv_sec=0, tv_usec=250000}) = 0 (Timeout)
  1234  stat64("/etc/passwd", {st_mode=S_IFREG|0644, st_size=1647, ...}) = 0
  1234  waitpid(-1, 0xffd09e2c, WNOHANG)  = -1 ECHILD (No child processes)
  1234  setsid()                          = 1234
  1234  chdir("/")                        = 0
  1234  openat(AT_FDCWD, "/dev/null", O_RDWR|O_LARGEFILE) = 4
  1234  dup2(4, 0)                        = 0
  1234  dup2(4, 1)                        = 1
  1234  dup2(4, 2)                        = 2
  1234  close(4)                          = 0
  1234  exit_group(0)                     = ?
  1234  +++ exited with 0 +++
`;

test('an i386 log is explained by name: no call is unknown or generic, and the ABI is named', () => {
  const log = explainLog(I386);
  assert.deepEqual(log.summary.unknownSyscalls, []);
  assert.deepEqual(log.summary.genericOnly, []);
  for (const item of log.items) assert.doesNotMatch(item.explanation?.text ?? '', /do not know/, `line ${item.event.line}`);
  assert.equal(log.summary.abi.abi, 'i386');
  assert.equal(log.summary.abi.evidence?.line, 8);
  assert.match(log.summary.abi.evidence!.why, /i386 multiarch library directory/);
  assert.match(textAt(log, 5), /^reads the metadata of fd 3 \(ld\.so\.cache\)/);
  assert.match(textAt(log, 6), /^maps the loader's library cache/);
  assert.match(textAt(log, 12), /^sets this thread's TLS segment to base 0xf7f9f100: the i386 thread pointer/);
  assert.match(textAt(log, 15), /^makes the socket call \(SYS_SOCKET\) through the i386 socketcall\(\) multiplexer/);
  assert.match(textAt(log, 16), /^moves back 60 bytes in fd 3 → now 100/);
  assert.match(textAt(log, 19), /^sleeps for 250 ms/);
  assert.ok(log.at(21).explanation!.benign, 'waitpid ECHILD is as normal as wait4 ECHILD');
});

test('setsid in a process that was not forked in the log is not reported as daemonisation', () => {
  const log = explainLog(I386);
  assert.deepEqual(log.summary.patterns.filter((p) => p.id === 'daemonize'), []);
  const forked = explainLog(`
    1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0xf7d6e768) = 2
    1 exit_group(0) = ?
    1 +++ exited with 0 +++
    2 setsid() = 2
    2 chdir("/") = 0
    2 openat(AT_FDCWD, "/dev/null", O_RDWR) = 3
    2 dup2(3, 0) = 0
    2 dup2(3, 1) = 1
    2 dup2(3, 2) = 2
  `);
  assert.equal(forked.summary.patterns.find((p) => p.id === 'daemonize')?.count, 1);
});

test('an aarch64 log: numbered calls are read in the aarch64 table (syscall 293 is rseq there, pipe2 on x86-64)', () => {
  const log = explainLog(`
    2001  execve("/usr/bin/sleep", ["sleep", "1"], 0xffffd6a3e2b8 /* 18 vars */) = 0
    2001  faccessat(AT_FDCWD, "/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)
    2001  openat(AT_FDCWD, "/lib/aarch64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3
    2001  close(3)                          = 0
    2001  set_tid_address(0xffff9a5e0f50)   = 2001
    2001  syscall_0x125(0xffff9a5e15a0, 0x20, 0, 0xd428bc00) = 0
    2001  exit_group(0)                     = ?
  `);
  assert.equal(log.summary.abi.abi, 'aarch64');
  assert.match(textAt(log, 6), /^registers a 32-byte restartable-sequences \(rseq\) area .*glibc's on aarch64/);
  const x86 = explainLog('2001  syscall_0x125(0xffff9a5e15a0, 0x20, 0, 0xd428bc00) = 0');
  assert.doesNotMatch(textAt(x86, 1), /rseq/, 'the same number means another call on x86-64');
  assert.equal(x86.summary.abi.abi, 'x86_64');
  assert.equal(x86.summary.abi.evidence, undefined, 'nothing showed the architecture: x86-64 was assumed');
});

test("strace's personality messages (both forms) and i386-only names say 32-bit x86; a mixed log names both", () => {
  const modern = explainLog(`
    77 execve("/usr/bin/prog32", ["prog32"], 0x7ffc /* 5 vars */) = 0
    [ Process PID=77 runs in 32 bit mode. ]
    77 brk(NULL) = 0x9b4c000
  `);
  assert.equal(modern.summary.abi.abi, 'i386');
  assert.match(modern.summary.abi.evidence!.why, /runs in 32 bit mode/);
  const old = explainLog(`
    strace: [ Process PID=77 runs in 32 bit mode. ]
    77 brk(NULL) = 0x9b4c000
  `);
  assert.equal(old.summary.abi.abi, 'i386');
  const byName = explainLog('77 mmap2(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xf7f00000');
  assert.equal(byName.summary.abi.abi, 'i386');
  assert.match(byName.summary.abi.evidence!.why, /mmap2 exists only on 32-bit x86/);
  const mixed = explainLog(`
    10 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3
    11 execve("./prog32", ["./prog32"], 0x7ffc /* 5 vars */) = 0
    [ Process PID=11 runs in 32 bit mode. ]
  `);
  assert.equal(mixed.summary.abi.abi, 'x86_64');
  assert.equal(mixed.summary.abi.also?.abi, 'i386');
});

test('the idioms are recognised under i386 names: loader start-up with mmap2/fstat64/set_thread_area, thread stacks with mmap2, waitpid reaping', () => {
  const log = explainLog(I386);
  const startup = log.summary.patterns.find((p) => p.id === 'loader-startup');
  assert.ok(startup);
  assert.ok(log.at(12).partOf.some((r) => r.id === 'loader-startup' && r.role === 'thread pointer'), 'set_thread_area is the TLS step');
  const threads = explainLog(`
    50 mmap2(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0xf6d00000
    50 mprotect(0xf6d01000, 8388608, PROT_READ|PROT_WRITE) = 0
    50 clone(child_stack=0xf7500424, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[51], tls={entry_number=12, base_addr=0xf7500b40, limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}, child_tidptr=0xf7500ba8) = 51
    51 set_robust_list(0xf7500bb0, 12) = 0
    50 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0xf7d6e768) = 52
    52 exit_group(3) = ?
    52 +++ exited with 3 +++
    50 waitpid(52, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0) = 52
  `);
  const create = threads.items.flatMap((i) => i.patternsStarting).find((p) => p.id === 'thread-create');
  assert.match(create?.summary ?? '', /^a stack of 8 MiB \+ 4 KiB is reserved with no access/);
  assert.ok(threads.at(8).partOf.some((r) => r.id === 'fork-exec'), 'waitpid reaps like wait4');
});
