/**
 * Logs from the wild (issues 10 and 17): old strace formats, current glibc and strace forms, argv
 * truncation and quoting, relative seeks and the failures real tools make as a matter of course.
 * Every log here is written by hand in the shape of the real ones quoted in the issues.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainLog, textAt } from './support.js';
import { runCliInProcess } from '../support/cli.js';
import { KB_COVERAGE } from '../../src/kb/index.js';

test('strace < 4.13: a positional sigaction struct is read by field (SIG_IGN ignores, an address is a handler)', async () => {
  const log = explainLog(`
    495 rt_sigaction(SIGINT, {SIG_IGN, [], SA_RESTORER, 0x7f3b8e6c6d60}, {SIG_DFL, [], 0}, 8) = 0
    495 rt_sigaction(SIGCHLD, {0x4321a0, [], SA_RESTORER|SA_RESTART, 0x7f3b8e6c6d60}, {SIG_DFL, [], 0}, 8) = 0
    495 rt_sigaction(SIGTERM, {SIG_DFL, [], SA_RESTORER, 0x7f3b8e6c6d60}, NULL, 8) = 0
  `);
  assert.equal(textAt(log, 1), 'ignores SIGINT from now on');
  assert.match(textAt(log, 2), /^installs a handler at 0x4321a0 for SIGCHLD; slow calls it interrupts are restarted afterwards \(SA_RESTART\)/);
  assert.match(textAt(log, 3), /^restores the default action for SIGTERM/);
  for (const line of [1, 2, 3]) assert.doesNotMatch(textAt(log, line), /\{/);
});

test('strace < 4.13: kill(pid, SIG_0) is an existence probe; {1, 0} and {0, 832724} are durations', () => {
  const log = explainLog(`
    495 kill(495, SIG_0) = 0
    495 kill(496, SIG_0) = -1 ESRCH (No such process)
    495 nanosleep({1, 0}, NULL) = 0
    495 select(0, NULL, NULL, NULL, {0, 832724}) = 0 (Timeout)
    495 select(0, NULL, NULL, NULL, {tv_sec=0, tv_usec=832724}) = 0 (Timeout)
    495 select(4, [3], NULL, NULL, {tv_sec=5, tv_usec=0}) = 1 (in [3], left {tv_sec=4, tv_usec=999000})
    495 clock_nanosleep(CLOCK_MONOTONIC, 0, {2, 500000000}, NULL) = 0
  `);
  assert.equal(textAt(log, 1), textAt(explainLog('495 kill(495, 0) = 0'), 1));
  assert.match(textAt(log, 1), /^checks whether process 495 exists/);
  assert.ok(log.at(2).explanation!.benign, 'a probe that finds the process gone is normal');
  assert.equal(textAt(log, 3), 'sleeps for 1 s');
  assert.match(textAt(log, 4), /^sleeps for about 0\.83 s \(832724 µs\): a select with no descriptors to watch is a sleep/);
  assert.equal(textAt(log, 5), textAt(log, 4));
  assert.match(textAt(log, 6), /^waits for up to 5 s until one of the descriptors below 4 in its sets is ready → 1 ready/);
  assert.match(textAt(log, 7), /^sleeps for 2500 ms \(CLOCK_MONOTONIC\)/);
});

test('restart_syscall ending in ETIMEDOUT is a timed wait running out, not a failure that matters', () => {
  const log = explainLog(`
    7 restart_syscall(<... resuming interrupted futex ...>) = -1 ETIMEDOUT (Connection timed out)
  `);
  assert.ok(log.at(1).explanation!.benign);
  assert.deepEqual(log.summary.failures, []);
});

test('argv: quoted like a shell would, strace truncation marked with … and -s suggested', () => {
  const log = explainLog(`
    10 execve("/bin/sh", ["sh", "-c", "true & wait"], 0x7ffd4a2c1e08 /* 20 vars */) = 0
    11 execve("/bin/sh", ["sh", "-c", "find /usr/lib /usr/share -type f"...], 0x7ffd4a2c1e08 /* 20 vars */) = 0
    12 execve("/usr/bin/printf", ["printf", "it's", ""], 0x7ffd4a2c1e08 /* 20 vars */) = 0
    13 execve("/bin/echo", ["echo", "a", "b"...], 0x7ffd4a2c1e08 /* 20 vars */) = 0
    14 execve("/bin/true", ["true", "1", "2", "3", "4", "5", "6", "7", "8"], 0x7ffd4a2c1e08 /* 20 vars */) = 0
    15 execve("/bin/true", ["true", "1", ...], 0x7ffd4a2c1e08 /* 20 vars */) = 0
  `);
  assert.match(textAt(log, 1), /\(argv: sh -c 'true & wait'\)/);
  assert.match(textAt(log, 2), /\(argv: sh -c 'find \/usr\/lib \/usr\/share -type f'…\)/);
  assert.ok(log.at(2).explanation!.detail!.some((d) => /strace cut the arguments.*-s/.test(d)));
  assert.equal(log.at(1).explanation!.detail?.some((d) => /strace cut/.test(d)) ?? false, false);
  assert.match(textAt(log, 3), /\(argv: printf 'it'\\''s' ''\)/);
  assert.match(textAt(log, 4), /\(argv: echo a b…\)/);
  assert.match(textAt(log, 5), /\(argv: true 1 2 3 4 5 … \+3 more\)/);
  assert.match(textAt(log, 6), /\(argv: true 1 …\)/);
  const task = log.summary.tasks.find((t) => t.tid === 11)!;
  assert.equal(task.command, "sh -c 'find /usr/lib /usr/share -type f' …");
  assert.equal(task.commandTruncated, true);
});

/** An argv list as strace prints it. */
const argvText = (words: string[]): string => `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;

test('the summary cuts long commands with an ellipsis and says strace truncated them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-wild-'));
  try {
    const file = join(dir, 'long.log');
    const long = `curl --silent --show-error --max-time 30 http://localhost:18777/api/v1/things?x=${'y'.repeat(40)}`;
    writeFileSync(file, [
      `10 execve("/usr/bin/curl", ${argvText(long.split(' '))}, 0x7ffd4a2c1e08 /* 20 vars */) = 0`,
      '10 execve("/bin/sh", ["sh", "-c", "find /usr/lib /usr/share -type f"...], 0x7ffd4a2c1e08 /* 20 vars */) = 0',
      '10 exit_group(0) = ?',
      '10 +++ exited with 0 +++',
      '',
    ].join('\n'));
    const r = await runCliInProcess(['explain', file]);
    assert.equal(r.status, 0, r.stderr);
    const row = r.stdout.split('\n').find((l) => /^\s+10\s+root/.test(l))!;
    assert.match(row, /sh -c 'find \/usr\/lib \/usr\/share -type f' …$/);
    assert.match(r.stdout, /… marks arguments strace cut .* larger -s/);
    const one = join(dir, 'one.log');
    writeFileSync(one, `10 execve("/usr/bin/curl", ${argvText(long.split(' '))}, 0x7ffd4a2c1e08 /* 20 vars */) = 0\n10 exit_group(0) = ?\n10 +++ exited with 0 +++\n`);
    const r2 = await runCliInProcess(['explain', one]);
    const row2 = r2.stdout.split('\n').find((l) => /^\s+10\s+root/.test(l))!;
    assert.match(row2, /curl --silent .*…$/, 'a command cut for width ends in an ellipsis');
    assert.ok(row2.includes(':18777'), 'the port is not cut in the middle');
    assert.doesNotMatch(r2.stdout, /strace cut/, 'nothing was cut by strace here');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lseek: relative moves say how far and which way', () => {
  const log = explainLog(`
    5 lseek(3, -60, SEEK_CUR) = 100
    5 lseek(3, 4096, SEEK_CUR) = 4196
    5 lseek(3, 0, SEEK_END) = 8192
    5 lseek(3, -16, SEEK_END) = 8176
    5 lseek(3, 512, SEEK_SET) = 512
  `);
  assert.match(textAt(log, 1), /^moves back 60 bytes in fd 3 → now 100/);
  assert.match(textAt(log, 2), /^moves 4096 bytes forward in fd 3 → now 4196/);
  assert.match(textAt(log, 3), /^moves to the end of fd 3 → now 8192/);
  assert.match(textAt(log, 4), /^moves to 16 bytes before the end of fd 3/);
  assert.match(textAt(log, 5), /^moves to offset 512 of fd 3/);
});

test('failures real tools make as a matter of course are benign, each with its reason', () => {
  const log = explainLog(`
    7 statfs("/sys/fs/selinux", 0x7ffd1021e800) = -1 ENOENT (No such file or directory)
    7 statfs("/selinux", 0x7ffd1021e800) = -1 ENOENT (No such file or directory)
    7 access("/etc/selinux/config", F_OK) = -1 ENOENT (No such file or directory)
    7 lgetxattr("/etc", "security.selinux", 0x5599c7698640, 255) = -1 ENODATA (No data available)
    7 getxattr("/etc", "system.posix_acl_access", NULL, 0) = -1 ENODATA (No data available)
    7 getxattr("/proc/1", "system.posix_acl_access", NULL, 0) = -1 EOPNOTSUPP (Operation not supported)
    7 openat(AT_FDCWD, "/dev/tty", O_RDWR|O_NONBLOCK) = -1 ENXIO (No such device or address)
    7 fcntl(255, F_GETFD) = -1 EBADF (Bad file descriptor)
    7 getpeername(0, 0x7ffc6b468660, [16]) = -1 ENOTSOCK (Socket operation on non-socket)
    7 newfstatat(AT_FDCWD, "/usr/local/sbin/ls", 0x7ffc6b467d30, 0) = -1 ENOENT (No such file or directory)
    7 fadvise64(0, 0, 0, POSIX_FADV_SEQUENTIAL) = -1 ESPIPE (Illegal seek)
    7 ioctl(4, BTRFS_IOC_CLONE or FICLONE, 3) = -1 EOPNOTSUPP (Operation not supported)
    7 openat(AT_FDCWD, "/tmp/dst", O_RDONLY|O_PATH|O_DIRECTORY) = -1 ENOENT (No such file or directory)
    7 openat(AT_FDCWD, "/root/.curlrc", O_RDONLY) = -1 ENOENT (No such file or directory)
    7 access("/home/ann/.config/git/config", R_OK) = -1 ENOENT (No such file or directory)
    7 newfstatat(AT_FDCWD, "/srv/repo/.git/packed-refs", 0x7ffe98d795f0, 0) = -1 ENOENT (No such file or directory)
    7 openat(AT_FDCWD, "/usr/lib/locale/C.UTF-8/LC_CTYPE", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)
    7 openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache", O_RDONLY) = -1 ENOENT (No such file or directory)
    7 openat(AT_FDCWD, "/opt/py/pyvenv.cfg", O_RDONLY) = -1 ENOENT (No such file or directory)
    7 openat(AT_FDCWD, "/proc/4242/environ", O_RDONLY) = -1 ESRCH (No such process)
    7 pkey_alloc(0, PKEY_DISABLE_ACCESS) = -1 EINVAL (Invalid argument)
    7 readlink("/usr/bin/python3.11", 0x7ffd00000000, 4096) = -1 EINVAL (Invalid argument)
    7 openat(AT_FDCWD, "/srv/data/input.csv", O_RDONLY) = -1 ENOENT (No such file or directory)
    7 getxattr("/etc", "user.mine", 0x7ffd00000000, 64) = -1 E2BIG (Argument list too long)
  `);
  for (let line = 1; line <= 22; line++) {
    const e = log.at(line).explanation!;
    assert.ok(e.benign && e.benign.length > 20, `line ${line} should be benign with a reason: ${textAt(log, line)}`);
    assert.equal(e.failure, undefined);
  }
  assert.deepEqual(log.summary.failures.map((f) => `${f.syscall} ${f.errno}`), ['openat ENOENT', 'getxattr E2BIG']);
  assert.match(log.at(1).explanation!.benign!, /SELinux/);
  assert.match(log.at(5).explanation!.benign!, /ACL/);
});

test('a double close in a single-threaded process is harmless (bash closes pipe ends twice)', () => {
  const log = explainLog(`
    25404 pipe2([3, 4], 0) = 0
    25404 close(4) = 0
    25404 close(4) = -1 EBADF (Bad file descriptor)
  `);
  assert.match(textAt(log, 3), /already closed on line 2 .*double close/);
  assert.ok(log.at(3).explanation!.benign);
});

test('explain --only failures on a fresh `strace -f ls -la /etc` lists no benign failure', async (t) => {
  const probe = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('strace is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-ls-'));
  try {
    const log = join(dir, 'ls.log');
    const r = spawnSync('strace', ['-f', '-o', log, 'ls', '-la', '/etc'], { encoding: 'utf8', maxBuffer: 16 << 20 });
    assert.equal(r.status, 0, r.stderr);
    const out = await runCliInProcess(['explain', '--brief', '--only', 'failures', '--no-summary', log]);
    assert.equal(out.status, 0, out.stderr);
    const lines = out.stdout.split('\n').filter((l) => /^\s+\d+ /.test(l));
    assert.deepEqual(lines, [], 'ls makes no failure that matters');
    const all = await runCliInProcess(['explain', '--json', log]);
    const summary = JSON.parse(all.stdout.trim().split('\n').pop()!) as { summary?: { benignFailures: Array<{ syscall: string; errno: string }> } } & { benignFailures?: Array<{ syscall: string; errno: string }> };
    const benign = (summary.summary ?? summary).benignFailures ?? [];
    assert.ok(benign.some((f) => f.errno === 'ENODATA' || f.errno === 'ENOENT'), 'the probes are listed as normal failures');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('glibc 2.41+ thread stacks: read-write mmap + madvise(MADV_GUARD_INSTALL) names the guard page', () => {
  const log = explainLog(`
    100 mmap(NULL, 8392704, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f5e3f600000
    100 madvise(0x7f5e3f600000, 4096, MADV_GUARD_INSTALL) = 0
    100 rt_sigprocmask(SIG_BLOCK, ~[], [], 8) = 0
    100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f5e3fe00990, parent_tid=0x7f5e3fe00990, exit_signal=0, stack=0x7f5e3f600000, stack_size=0x7fff80, tls=0x7f5e3fe006c0} => {parent_tid=[101]}, 88) = 101
    101 rseq({cpu_id_start=0, cpu_id=-1, rseq_cs=NULL, flags=0, node_id=0, mm_cid=0}, 32, 0, 0x53053053) = 0
    100 rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = 0
    101 set_robust_list(0x7f5e3fe009a0, 24) = 0
    101 rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = 0
    100 mmap(NULL, 8392704, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f5e3ee00000
    100 madvise(0x7f5e3ee00000, 4096, 0x66 /* MADV_??? */) = -1 EINVAL (Invalid argument)
    100 mprotect(0x7f5e3ee00000, 4096, PROT_NONE) = 0
    100 rt_sigprocmask(SIG_BLOCK, ~[], [], 8) = 0
    100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f5e3f600990, parent_tid=0x7f5e3f600990, exit_signal=0, stack=0x7f5e3ee00000, stack_size=0x7fff80, tls=0x7f5e3f6006c0} => {parent_tid=[102]}, 88) = 102
    102 rseq(0x7f5e3f600fe0, 0x20, 0, 0x53053053) = 0
  `);
  const creations = log.items.flatMap((i) => i.patternsStarting).filter((p) => p.id === 'thread-create');
  assert.equal(creations.length, 2);
  assert.match(creations[0].summary, /^a read-write stack of 8 MiB \+ 4 KiB is mapped; its lowest 4 KiB becomes the guard page through madvise\(MADV_GUARD_INSTALL\)/);
  assert.doesNotMatch(creations[0].summary, /cached stack/);
  assert.match(creations[1].summary, /refused MADV_GUARD_INSTALL .* PROT_NONE as the guard page/);
  assert.match(textAt(log, 2), /^installs a 4 KiB guard region at the bottom of the 8 MiB \+ 4 KiB stack mapping from line 1/);
  assert.match(textAt(log, 4), /\(guard page 4 KiB\)/);
  assert.ok(log.at(10).explanation!.benign, 'an old kernel refusing the guard install is normal');
  assert.match(textAt(log, 13), /\(guard page 4 KiB\)/);
});

test('strace 6.13+ rseq area and current ioctl names are explained, not echoed', () => {
  const log = explainLog(`
    101 rseq({cpu_id_start=0, cpu_id=RSEQ_CPU_ID_UNINITIALIZED, rseq_cs=NULL, flags=0, node_id=0, mm_cid=0}, 32, 0, 0x53053053) = 0
    101 rseq({cpu_id_start=3, cpu_id=3, rseq_cs=NULL, flags=0, node_id=0, mm_cid=1}, 32, RSEQ_FLAG_UNREGISTER, 0x53053053) = 0
    101 ioctl(1, TCGETS2, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO, ...}) = 0
    101 ioctl(0, TCGETS2, 0x7ffd5a3c1b40) = -1 ENOTTY (Inappropriate ioctl for device)
    101 ioctl(4, BTRFS_IOC_CLONE or FICLONE, 3) = 0
    101 ioctl(0, SNDCTL_TMR_TIMEBASE or SNDRV_TIMER_IOCTL_NEXT_DEVICE or TCGETS, {B38400 opost isig icanon echo ...}) = 0
    101 ioctl(3, TIOCGPTN, [4]) = 0
  `);
  assert.match(textAt(log, 1), /^registers a 32-byte restartable-sequences \(rseq\) area \(shown by strace: its CPU number not yet filled in, no critical section active\)/);
  assert.doesNotMatch(textAt(log, 1), /\{cpu_id_start/);
  assert.match(textAt(log, 2), /^unregisters this thread's restartable-sequences area/);
  assert.match(textAt(log, 3), /^TCGETS2 on stdout: read terminal settings with arbitrary baud rates/);
  assert.ok(log.at(4).explanation!.benign, 'isatty() through TCGETS2 on a non-terminal is normal');
  assert.match(textAt(log, 5), /^FICLONE on fd 4: make the file share all blocks of another file/);
  assert.match(textAt(log, 6), /^TCGETS on stdin: read terminal settings/);
  assert.match(textAt(log, 7), /^TIOCGPTN on fd 3: read the number of this pseudo-terminal/);
  for (const line of [3, 5, 6, 7]) assert.doesNotMatch(textAt(log, line), /not in our tables/);
});

test('the knowledge base says which kernel, glibc and strace versions it covers', () => {
  const components = KB_COVERAGE.map((c) => c.component);
  assert.deepEqual(components, ['kernel', 'kernel headers', 'glibc', 'strace']);
  const glibc = KB_COVERAGE.find((c) => c.component === 'glibc')!;
  assert.equal(glibc.newest, '2.42');
  assert.match(glibc.handWritten, /MADV_GUARD_INSTALL/);
  assert.ok(KB_COVERAGE.every((c) => c.checked.length > 30 && c.measured.length > 0));
});

test('a log without pid prefixes says "the traced process" until set_tid_address gives the pid', () => {
  const log = explainLog(`
    execve("./proxy", ["./proxy", "-n", "6"], 0x7ffd4a2c1e08 /* 20 vars */) = 0
    set_tid_address(0x7f0000000a10) = 3864
    exit_group(0) = ?
    +++ exited with 0 +++
  `);
  assert.match(textAt(log, 1), /^replaces the program of the traced process with \.\/proxy/);
  assert.match(textAt(log, 3), /^ends process 3864 with status 0/);
  const never = explainLog(`
    execve("./proxy", ["./proxy"], 0x7ffd4a2c1e08 /* 20 vars */) = 0
    exit_group(1) = ?
  `);
  assert.match(textAt(never, 2), /^ends the traced process with status 1/);
  for (const item of [...log.items, ...never.items]) assert.doesNotMatch(item.explanation?.text ?? '', /process 0\b/);
});

test("strings strace cut at -s keep an ellipsis in paths, buffers and link targets; the summary counts the calls", () => {
  const log = explainLog(`
    5 openat(AT_FDCWD, "/usr/lib/x86_64"..., O_RDONLY) = 3
    5 readlink("/proc/self/exe", "/work/main/build/corpus-bin/vfor"..., 4096) = 33
    5 write(1, "hello wo"..., 20) = 20
    5 unlink("/tmp/abcd"...) = 0
    5 openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 4
  `);
  assert.match(textAt(log, 1), /^opens \/usr\/lib\/x86_64… read-only/);
  assert.match(textAt(log, 2), /points: \/work\/main\/build\/corpus-bin\/vfor…$/);
  assert.match(textAt(log, 3), /^writes 20 bytes "hello wo"… to stdout/);
  assert.match(textAt(log, 4), /^removes the name \/tmp\/abcd…/);
  assert.doesNotMatch(textAt(log, 5), /…/);
  assert.ok(log.at(1).explanation!.detail!.some((d) => /strace cut a string .* larger -s/.test(d)));
  assert.equal(log.at(3).explanation!.detail?.some((d) => /strace cut/.test(d)) ?? false, false, 'data buffers are cut all the time: no hint');
  assert.equal(log.summary.cutCalls, 3);
});

test('names of current kernels and glibc are in the tables: MAP_DROPPABLE, F_DUPFD_QUERY, PR_GET_AUXV, shadow-stack prctls', () => {
  const log = explainLog(`
    9 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_DROPPABLE|MAP_ANONYMOUS, -1, 0) = 0x7f0000001000
    9 fcntl(3, F_DUPFD_QUERY, 4) = 1
    9 fcntl(3, F_CREATED_QUERY) = 0
    9 prctl(PR_GET_AUXV, 0x7ffd00000000, 368, 0, 0) = 368
    9 prctl(PR_GET_SHADOW_STACK_STATUS, 0x7ffd00000010, 0, 0, 0) = 0
    9 prctl(PR_FUTEX_HASH, 1, 16, 0, 0) = 0
  `);
  for (const item of log.items) {
    const e = item.explanation!;
    assert.doesNotMatch(JSON.stringify(e.decoded ?? {}) + (e.detail ?? []).join('\n') + e.text, /not in our tables/, `line ${item.event.line}: ${e.text}`);
  }
  assert.ok(log.at(1).explanation!.detail!.some((d) => /^MAP_DROPPABLE: .*getrandom/.test(d)));
});
