/**
 * Pattern recognizers, one test each on the call sequences glibc 2.36 / bash really produce
 * (shared/reference/explainers.md §5), plus the engine's promises: log order, every event exactly
 * once, a bounded hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainLog } from './support.js';
import { Explainer } from '../../src/explain/index.js';
import { MAX_HOLD } from '../../src/explain/patterns/index.js';
import { parseText } from '../../src/parse/index.js';

function patterns(log: ReturnType<typeof explainLog>, id: string) {
  return log.items.flatMap((i) => i.patternsStarting.map((p) => ({ ...p, at: i.event.line }))).filter((p) => p.id === id);
}

const LOADER = `
  500 execve("/usr/bin/true", ["true"], 0x7ffd00000000 /* 20 vars */) = 0
  500 brk(NULL)                         = 0x55d000000000
  500 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f5000010000
  500 access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)
  500 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3
  500 newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=20268, ...}, AT_EMPTY_PATH) = 0
  500 mmap(NULL, 20268, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f5000000000
  500 close(3)                          = 0
  500 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3
  500 read(3, "\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0P\\237\\2\\0\\0\\0\\0\\0"..., 832) = 832
  500 pread64(3, "\\6\\0\\0\\0\\4\\0\\0\\0@\\0\\0\\0\\0\\0\\0\\0@\\0\\0\\0\\0\\0\\0\\0@\\0\\0\\0\\0\\0\\0\\0"..., 784, 64) = 784
  500 newfstatat(3, "", {st_mode=S_IFREG|0755, st_size=1922136, ...}, AT_EMPTY_PATH) = 0
  500 mmap(NULL, 1970000, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7f4000000000
  500 mmap(0x7f4000026000, 1396736, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7f4000026000
  500 mmap(0x7f400017b000, 339968, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x17b000) = 0x7f400017b000
  500 mmap(0x7f40001ce000, 24576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x1d3000) = 0x7f40001ce000
  500 mmap(0x7f40001d4000, 53072, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7f40001d4000
  500 close(3)                          = 0
  500 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f5000020000
  500 arch_prctl(ARCH_SET_FS, 0x7f5000020740) = 0
  500 set_tid_address(0x7f5000020a10)   = 500
  500 set_robust_list(0x7f5000020a20, 24) = 0
  500 rseq(0x7f5000021060, 0x20, 0, 0x53053053) = 0
  500 mprotect(0x7f40001ce000, 16384, PROT_READ) = 0
  500 mprotect(0x55d000004000, 4096, PROT_READ) = 0
  500 mprotect(0x7f5000030000, 8192, PROT_READ) = 0
  500 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0
  500 munmap(0x7f5000000000, 20268)     = 0
  500 exit_group(0)                     = ?
  500 +++ exited with 0 +++
`;

test('dynamic loader start-up: one pattern from execve to the cache munmap, libraries and RELRO named', () => {
  const log = explainLog(LOADER);
  const [p] = patterns(log, 'loader-startup');
  assert.ok(p, 'loader-startup recognised');
  assert.equal(p.at, 1);
  assert.deepEqual([p.lines[0], p.lines[p.lines.length - 1]], [1, 28]);
  assert.match(p.summary, /checks \/etc\/ld\.so\.preload/);
  assert.match(p.summary, /1 library \(libc\.so\.6\)/);
  assert.match(p.summary, /seals 3 RELRO/);
  assert.ok(log.at(4).explanation!.benign, 'ld.so.preload ENOENT is normal');
  assert.match(log.at(10).explanation!.text, /ELF header .* of libc\.so\.6/);
  assert.match(log.at(14).explanation!.text, /code segment \(\.text\) of libc\.so\.6/);
  assert.match(log.at(17).explanation!.text, /rest of its \.bss/);
  assert.match(log.at(28).explanation!.text, /unmaps the library cache mapped on line 7/);
  assert.equal(patterns(log, 'tls-setup').length, 1);
  assert.deepEqual(log.summary.failures, []);
});

const THREADS = `
  100 mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f1000000000
  100 mprotect(0x7f1000001000, 8388608, PROT_READ|PROT_WRITE) = 0
  100 rt_sigprocmask(SIG_BLOCK, ~[], [], 8) = 0
  100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f10007ff910, parent_tid=0x7f10007ff910, exit_signal=0, stack=0x7f1000000000, stack_size=0x7fff00, tls=0x7f10007ff640} <unfinished ...>
  101 rseq(0x7f10007fffe0, 0x20, 0, 0x53053053) = 0
  100 <... clone3 resumed> => {parent_tid=[101]}, 88) = 101
  100 rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = 0
  101 set_robust_list(0x7f10007ff920, 24) = 0
  101 rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = 0
  100 futex(0x7f10007ff910, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 101, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>
  101 rt_sigprocmask(SIG_BLOCK, ~[RT_1], NULL, 8) = 0
  101 madvise(0x7f1000000000, 8368128, MADV_DONTNEED) = 0
  101 exit(0)                           = ?
  100 <... futex resumed>)              = 0
  101 +++ exited with 0 +++
  100 exit_group(0)                     = ?
  100 +++ exited with 0 +++
`;

test('thread creation: stack, guard, blocked signals, clone3, and the new thread\'s first calls (even those logged before clone3 returned)', () => {
  const log = explainLog(THREADS);
  const [p] = patterns(log, 'thread-create');
  assert.ok(p);
  assert.equal(p.at, 1);
  assert.deepEqual(p.lines, [1, 2, 3, 4, 5, 7, 8, 9]);
  assert.match(p.title, /thread 101/);
  assert.match(p.summary, /8 MiB \+ 4 KiB .*guard page.*clone creates thread 101.*rseq, set_robust_list, rt_sigprocmask/);
  const roles = log.at(5).partOf.map((r) => r.role);
  assert.deepEqual(roles, ['new thread: rseq']);
});

test('thread exit and join: mask, madvise, exit, the joiner\'s futex, the exit line', () => {
  const log = explainLog(THREADS);
  const [p] = patterns(log, 'thread-exit');
  assert.ok(p);
  assert.equal(p.title, 'thread exit and join: thread 101');
  assert.deepEqual(p.lines, [10, 11, 12, 13, 15]);
  assert.match(p.summary, /zeroes its TID word at 0x7f10007ff910 .* thread 100 was waiting on it/);
});

test('fork + exec + wait + SIGCHLD, and execvp\'s PATH search marked normal', () => {
  const log = explainLog(`
    10 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 11
    10 wait4(11,  <unfinished ...>
    11 execve("/usr/local/bin/ls", ["ls"], 0x7ffd00000000 /* 20 vars */) = -1 ENOENT (No such file or directory)
    11 execve("/usr/bin/ls", ["ls"], 0x7ffd00000000 /* 20 vars */) = 0
    11 exit_group(0)                     = ?
    11 +++ exited with 0 +++
    10 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 11
    10 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=11, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---
  `);
  const [fork] = patterns(log, 'fork-exec');
  assert.ok(fork);
  assert.equal(fork.at, 1);
  assert.deepEqual(fork.lines, [1, 2, 3, 4, 6, 8]);
  assert.equal(fork.title, 'fork + exec + wait: ls (process 11)');
  const [search] = patterns(log, 'exec-search');
  assert.deepEqual(search.lines, [3, 4]);
  assert.ok(log.at(3).explanation!.benign);
  assert.equal(log.at(3).explanation!.failure, undefined);
  assert.deepEqual(log.summary.failures, []);
});

test('a failed exec with no retry stays a failure that matters', () => {
  const log = explainLog(`
    10 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 11
    11 execve("/nonexistent", ["x"], 0x7ffd00000000 /* 20 vars */) = -1 ENOENT (No such file or directory)
    11 exit_group(127)                   = ?
    11 +++ exited with 127 +++
  `);
  assert.equal(log.at(2).explanation!.failure, 'ENOENT');
  assert.equal(patterns(log, 'exec-search').length, 0);
  assert.match(patterns(log, 'fork-exec')[0].title, /fork \+ failed exec/);
});

test('posix_spawn: clone3 CLONE_VM|CLONE_VFORK returning after the child\'s exec', () => {
  const log = explainLog(`
    1 clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7f0000000002, stack_size=0x9000}, 88 <unfinished ...>
    2 execve("./child", ["child"], 0x7f0000000003 /* 3 vars */) = 0
    1 <... clone3 resumed>)             = 2
    2 exit_group(0)                     = ?
  `);
  const [p] = patterns(log, 'spawn');
  assert.ok(p);
  assert.match(p.title, /vfork\/posix_spawn of child: process 2/);
});

test('daemonisation: setsid, second fork, chdir("/"), stdio onto /dev/null', () => {
  const log = explainLog(`
    1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 2
    1 exit_group(0)                     = ?
    2 setsid()                          = 2
    2 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 3
    2 exit_group(0)                     = ?
    3 chdir("/")                        = 0
    3 openat(AT_FDCWD, "/dev/null", O_RDWR) = 3
    3 dup2(3, 0)                        = 0
    3 dup2(3, 1)                        = 1
    3 dup2(3, 2)                        = 2
    3 close(3)                          = 0
  `);
  const [p] = patterns(log, 'daemonize');
  assert.ok(p);
  assert.equal(p.at, 3);
  assert.ok(p.lines.includes(1), 'the first fork is part of it');
  assert.match(p.summary, /setsid.*forks again.*moves to \/.*points 3 of stdin\/stdout\/stderr at \/dev\/null/);
  assert.equal(patterns(log, 'file-redirect').length, 3);
});

test('signal delivery: sender, interrupted call, handler body, rt_sigreturn, and SA_RESTART consequence', () => {
  const log = explainLog(`
    7 rt_sigaction(SIGALRM, {sa_handler=0x401615, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x408820}, NULL, 8) = 0
    7 read(3, 0x7ffc00000000, 1)        = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
    7 --- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---
    7 write(1, "tick\\n", 5)             = 5
    7 rt_sigreturn({mask=[]})           = -1 EINTR (Interrupted system call)
  `);
  const [p] = patterns(log, 'signal-delivery');
  assert.ok(p);
  assert.equal(p.at, 3);
  assert.deepEqual(p.lines, [1, 2, 3, 4, 5]);
  assert.match(p.summary, /blocked in read \(line 2\).*makes 1 call.*no SA_RESTART: the interrupted call fails with EINTR/);
  assert.ok(log.at(5).explanation!.benign, 'rt_sigreturn does not fail');
});

test('pipe + dup2: both ends onto stdout/stdin of two children, then their execs', () => {
  const log = explainLog(`
    1 pipe2([3, 4], 0)                  = 0
    1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 2
    1 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 3
    2 dup2(4, 1)                        = 1
    3 dup2(3, 0)                        = 0
    2 execve("/bin/echo", ["echo", "hi"], 0x7ffd00000000 /* 20 vars */) = 0
    3 execve("/bin/cat", ["cat"], 0x7ffd00000000 /* 20 vars */) = 0
  `);
  const [p] = patterns(log, 'pipe-redirect');
  assert.ok(p);
  assert.equal(p.title, 'pipe + dup2: 2 | 3');
  assert.equal(p.at, 4);
  assert.deepEqual(p.lines, [1, 4, 5, 6, 7]);
});

test('heap growth by brk, and a static binary\'s TLS block', () => {
  const log = explainLog(`
    1 brk(NULL)                         = 0xf5c9000
    1 brk(0xf5c9d40)                    = 0xf5c9d40
    1 arch_prctl(ARCH_SET_FS, 0xf5c93c0) = 0
    1 brk(NULL)                         = 0xf5c9d40
    1 brk(0xf5ead40)                    = 0xf5ead40
    1 brk(0xf5eb000)                    = 0xf5eb000
    1 getpid()                          = 1
  `);
  const heaps = patterns(log, 'heap-growth');
  assert.equal(heaps.length, 2);
  assert.match(heaps[0].summary, /TLS block/);
  assert.match(heaps[1].title, /\+132 KiB \+ 704 bytes/);
  assert.match(log.at(5).explanation!.text, /grows the heap by 132 KiB/);
});

test('events leave in log order, each exactly once, and the hold is bounded', () => {
  // A thread that keeps reserving stacks and never clones holds candidates open; output must flow anyway.
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    lines.push(`1 mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f${(i + 0x100000).toString(16)}000`);
    lines.push('1 rt_sigprocmask(SIG_BLOCK, ~[], [], 8) = 0');
  }
  const explainer = new Explainer();
  let out = 0;
  let pushed = 0;
  let lastLine = 0;
  let maxLag = 0;
  for (const event of parseText(lines.join('\n'))) {
    pushed++;
    for (const item of explainer.push(event)) {
      out++;
      assert.ok(item.event.line > lastLine, 'log order');
      lastLine = item.event.line;
    }
    maxLag = Math.max(maxLag, pushed - out);
  }
  out += explainer.end().length;
  assert.equal(out, pushed);
  assert.ok(maxLag <= MAX_HOLD, `held ${maxLag} events`);
});
