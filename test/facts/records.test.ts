/** The fact records other than task creation, each from real strace line shapes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseText } from '../../src/parse/index.js';
import { factOf, factsOf, type Fact } from '../../src/facts/index.js';

function fact<K extends Fact['fact']>(line: string, kind: K): Extract<Fact, { fact: K }> {
  const events = parseText(line);
  const f = factOf(events[events.length - 1]);
  assert.equal(f?.fact, kind, line);
  return f as Extract<Fact, { fact: K }>;
}

test('wait fact: wait4 that reaps an exited child', () => {
  const w = fact('10 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 11', 'wait');
  assert.deepEqual(w.target, { kind: 'any' });
  assert.equal(w.child, 11);
  assert.deepEqual(w.status, { kind: 'exited', code: 3 });
  assert.equal(w.reaped, true);
  assert.equal(w.statusNull, false);
  assert.equal(w.noneReady, false);
});

test('wait fact: a killed child that dumped core, a stopped one, a continued one', () => {
  assert.deepEqual(fact('10 wait4(11, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}], 0, NULL) = 11', 'wait').status, { kind: 'killed', signal: 'SIGABRT', coreDumped: true });
  const stopped = fact('10 wait4(11, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WUNTRACED, NULL) = 11', 'wait');
  assert.deepEqual(stopped.status, { kind: 'stopped', signal: 'SIGSTOP' });
  assert.equal(stopped.reaped, false);
  assert.deepEqual(stopped.target, { kind: 'pid', pid: 11 });
  assert.deepEqual(stopped.options, ['WUNTRACED']);
  const cont = fact('10 wait4(-1, [{WIFCONTINUED(s)}], WCONTINUED, NULL) = 11', 'wait');
  assert.deepEqual(cont.status, { kind: 'continued' });
  assert.equal(cont.reaped, false);
  const ptrace = fact('10 wait4(-1, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP && s >> 16 == PTRACE_EVENT_EXEC}], __WALL, NULL) = 11', 'wait');
  assert.deepEqual(ptrace.status, { kind: 'stopped', signal: 'SIGTRAP' });
});

test('wait fact: a NULL status still reaps; WNOHANG returning 0 reaps nothing', () => {
  const nul = fact('10 wait4(-1, NULL, 0, NULL) = 12', 'wait');
  assert.equal(nul.statusNull, true);
  assert.equal(nul.status, undefined);
  assert.equal(nul.reaped, true);
  const none = fact('10 wait4(-1, 0x7ffc1234, WNOHANG, NULL) = 0', 'wait');
  assert.equal(none.noneReady, true);
  assert.equal(none.child, undefined);
  assert.equal(none.reaped, false);
  const echild = fact('10 wait4(-1, 0x7ffc1234, 0, NULL) = -1 ECHILD (No child processes)', 'wait');
  assert.equal(echild.ok, false);
  assert.equal(echild.errno, 'ECHILD');
  assert.deepEqual(fact('10 wait4(0, NULL, 0, NULL) = 12', 'wait').target, { kind: 'group' });
  assert.deepEqual(fact('10 wait4(-77, NULL, 0, NULL) = 12', 'wait').target, { kind: 'group', pgid: 77 });
});

test('wait fact: a raw status word (-X raw)', () => {
  assert.deepEqual(fact('10 wait4(0xffffffff, [0x300], 0, NULL) = 11', 'wait').status, { kind: 'exited', code: 3 });
  assert.deepEqual(fact('10 wait4(-1, [0x86], 0, NULL) = 11', 'wait').status, { kind: 'killed', signal: 'SIGABRT', coreDumped: true });
});

test('wait fact: waitid with a siginfo, WNOWAIT, and WNOHANG with nothing ready', () => {
  const w = fact('10 waitid(P_PID, 11, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=11, si_uid=1000, si_status=SIGKILL, si_utime=0, si_stime=0}, WEXITED, NULL) = 0', 'wait');
  assert.deepEqual(w.target, { kind: 'pid', pid: 11 });
  assert.equal(w.child, 11);
  assert.deepEqual(w.status, { kind: 'killed', signal: 'SIGKILL', coreDumped: false });
  assert.equal(w.reaped, true);
  const peek = fact('10 waitid(P_ALL, 0, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=11, si_uid=0, si_status=0, si_utime=0, si_stime=0}, WEXITED|WNOWAIT, NULL) = 0', 'wait');
  assert.equal(peek.reaped, false);
  assert.deepEqual(peek.target, { kind: 'any' });
  const none = fact('10 waitid(P_ALL, 0, {}, WNOHANG|WEXITED, NULL) = 0', 'wait');
  assert.equal(none.noneReady, true);
  assert.equal(none.child, undefined);
  assert.deepEqual(fact('10 waitid(P_PIDFD, 5, {}, WEXITED, NULL) = 0', 'wait').target, { kind: 'pidfd', fd: 5 });
});

test('signal fact: SIGCHLD news, a fault address, a kill from another process, a group stop', () => {
  const chld = fact('10 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=11, si_uid=1000, si_status=0, si_utime=0, si_stime=0} ---', 'signal');
  assert.equal(chld.sender, 11);
  assert.equal(chld.code, 'CLD_EXITED');
  assert.deepEqual(chld.status, { kind: 'exited', code: 0 });
  assert.equal(chld.statusText, '0');
  const segv = fact('10 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---', 'signal');
  assert.equal(segv.addr, 0n);
  assert.equal(segv.addrText, 'NULL');
  assert.equal(segv.signo, 11);
  assert.equal(segv.status, undefined);
  const term = fact('10 --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1, si_uid=0} ---', 'signal');
  assert.equal(term.sender, 1);
  assert.equal(term.senderUid, 0);
  const stop = fact('10 --- stopped by SIGSTOP ---', 'signal');
  assert.equal(stop.stopped, true);
  assert.equal(stop.code, undefined);
});

test('send fact: kill, tgkill, a probe, pidfd_send_signal with -yy', () => {
  const k = fact('10 kill(11, SIGTERM) = 0', 'send');
  assert.equal(k.targetPid, 11);
  assert.equal(k.signo, 15);
  assert.equal(k.probe, false);
  const tg = fact('10 tgkill(10, 12, SIGABRT) = 0', 'send');
  assert.equal(tg.tgid, 10);
  assert.equal(tg.tid, 12);
  assert.equal(tg.targetPid, 12);
  assert.equal(fact('10 kill(11, 0) = -1 ESRCH (No such process)', 'send').probe, true);
  assert.equal(fact('10 kill(-11, SIGHUP) = 0', 'send').targetPid, undefined);
  assert.equal(fact('10 pidfd_send_signal(3<pid:11>, SIGKILL, NULL, 0) = 0', 'send').targetPid, 11);
});

test('exit facts: calls and strace\'s reports', () => {
  assert.deepEqual(fact('10 exit_group(256) = ?', 'exit'), { fact: 'exit', how: 'exit_group', code: 0, argument: 256n });
  assert.deepEqual(fact('10 exit(-1) = ?', 'exit'), { fact: 'exit', how: 'exit', code: 255, argument: -1n });
  assert.deepEqual(fact('10 +++ exited with 3 +++', 'exit'), { fact: 'exit', how: 'exited', code: 3 });
  assert.deepEqual(fact('10 +++ killed by SIGSEGV (core dumped) +++', 'exit'), { fact: 'exit', how: 'killed', signal: 'SIGSEGV', coreDumped: true });
});

test('exec fact: path, argv, environment size, outcome', () => {
  const e = fact('10 execve("/bin/ls", ["ls", "-l"], 0x7ffd2c3b8f38 /* 23 vars */) = 0', 'exec');
  assert.equal(e.path, '/bin/ls');
  assert.deepEqual(e.argv, ['ls', '-l']);
  assert.equal(e.envCount, 23);
  assert.equal(e.ok, true);
  const missing = fact('10 execve("/usr/local/bin/x", ["x"], ["A=1", "B=2"]) = -1 ENOENT (No such file or directory)', 'exec');
  assert.equal(missing.ok, false);
  assert.equal(missing.errno, 'ENOENT');
  assert.equal(missing.envCount, 2);
  const cut = fact('10 execve("/bin/sh", ["sh", "-c", "a very long"...], 0x7ffd /* 3 vars */ <unfinished ...>', 'exec');
  assert.equal(cut.truncated, true);
  assert.equal(cut.pending, true);
  assert.equal(fact('10 execve("/bin/é", ["é"], NULL) = 0', 'exec').path, '/bin/é');
});

test('limit facts: prlimit64 with both values, setrlimit, getrlimit, sizes and infinity', () => {
  const p = fact('10 prlimit64(0, RLIMIT_NOFILE, {rlim_cur=4096, rlim_max=512*1024}, {rlim_cur=1024, rlim_max=RLIM64_INFINITY}) = 0', 'limit');
  assert.equal(p.pid, 0);
  assert.equal(p.resource, 'RLIMIT_NOFILE');
  assert.deepEqual(p.set, { soft: 4096n, hard: 524288n });
  assert.deepEqual(p.read, { soft: 1024n, hard: 'infinity' });
  const read = fact('10 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0', 'limit');
  assert.equal(read.set, undefined);
  assert.deepEqual(read.read, { soft: 8388608n, hard: 'infinity' });
  assert.deepEqual(fact('10 setrlimit(RLIMIT_CORE, {rlim_cur=0, rlim_max=0}) = 0', 'limit').set, { soft: 0n, hard: 0n });
  assert.equal(fact('10 getrlimit(RLIMIT_NPROC, 0x7ffd) = -1 EFAULT (Bad address)', 'limit').read, undefined);
  assert.equal(fact('10 prlimit64(0, 0x7, NULL, {rlim_cur=1, rlim_max=2}) = 0', 'limit').resource, 'RLIMIT_NOFILE');
});

test('fd facts: opens with and without close-on-exec, pipes, dups, fcntl, close_range', () => {
  const o = fact('10 openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3', 'fd');
  assert.deepEqual([o.op, o.fds, o.cloexec, o.path], ['open', [3], true, '/etc/passwd']);
  assert.equal(fact('10 openat(AT_FDCWD, "/tmp/log", O_WRONLY|O_CREAT|O_APPEND, 0644) = 4', 'fd').cloexec, false);
  assert.equal(fact('10 openat(AT_FDCWD, "/tmp/x", 0x80000) = 4', 'fd').cloexec, true);
  const p = fact('10 pipe2([5, 6], O_CLOEXEC) = 0', 'fd');
  assert.deepEqual([p.op, p.fds, p.cloexec], ['pipe', [5, 6], true]);
  assert.deepEqual(fact('10 pipe([5, 6]) = 0', 'fd').cloexec, false);
  assert.equal(fact('10 socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 7', 'fd').cloexec, true);
  const d = fact('10 dup2(3, 1) = 1', 'fd');
  assert.deepEqual([d.op, d.fds, d.from, d.cloexec], ['dup', [1], 3, false]);
  assert.equal(fact('10 dup3(3, 9, O_CLOEXEC) = 9', 'fd').cloexec, true);
  const fd = fact('10 fcntl(3, F_DUPFD_CLOEXEC, 10) = 10', 'fd');
  assert.deepEqual([fd.op, fd.fds, fd.from, fd.cloexec], ['dup', [10], 3, true]);
  assert.deepEqual(fact('10 fcntl(4, F_SETFD, FD_CLOEXEC) = 0', 'fd').cloexec, true);
  assert.equal(factOf(parseText('10 fcntl(4, F_GETFL) = 0x2 (flags O_RDWR)')[0]), undefined);
  const c = fact('10 close(3) = 0', 'fd');
  assert.deepEqual([c.op, c.fds], ['close', [3]]);
  const r = fact('10 close_range(3, 4294967295, CLOSE_RANGE_CLOEXEC) = 0', 'fd');
  assert.deepEqual(r.range, { first: 3, last: 0xffffffffn, cloexecOnly: true });
  assert.equal(fact('10 openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory)', 'fd').fds.length, 0);
});

test('factsOf: only events that state a fact, in order', () => {
  const events = parseText(['10 getpid() = 10', '10 fork() = 11', '11 exit_group(0) = ?', '11 +++ exited with 0 +++', '10 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=11, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---', '10 wait4(-1, NULL, 0, NULL) = 11'].join('\n'));
  assert.deepEqual([...factsOf(events)].map(({ fact: f }) => f.fact), ['create', 'exit', 'exit', 'signal', 'wait']);
});
