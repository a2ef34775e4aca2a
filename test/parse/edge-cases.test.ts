/** The hardest real strace lines (reference §5), each asserted field by field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseText, valueText, toBigInt, structField, flagNames } from '../../src/parse/index.js';
import type { SyscallEvent, TraceEvent } from '../../src/parse/index.js';

const syscalls = (events: TraceEvent[]): SyscallEvent[] => events.filter((e): e is SyscallEvent => e.kind === 'syscall');
const only = (text: string): SyscallEvent => {
  const calls = syscalls(parseText(text));
  assert.equal(calls.length, 1, `one syscall in ${text}`);
  return calls[0];
};

test('strace diagnostics spliced into the middle of a line are cut out and the halves joined', () => {
  const events = parseText([
    '[pid  5719] clone3({flags=CLONE_VM|CLONE_THREAD, tls=0x7fef8b2156c0}strace: Process 5720 attached',
    ' => {parent_tid=[5720]}, 88) = 5720',
    '[pid  5720] exit(0) = ?',
  ].join('\n'));
  const message = events.find((e) => e.kind === 'message');
  assert.ok(message && message.kind === 'message');
  assert.deepEqual(message.attached, { pid: 5720, how: 'follow', parent: 5719 });
  const clone = syscalls(events)[0];
  assert.equal(clone.name, 'clone3');
  assert.equal(clone.ret?.value, '5720');
  assert.equal(clone.line, 1);
  assert.equal(clone.endLine, 2);
  assert.equal(clone.prefix.pid, 5719);
  const arg = clone.args[0];
  assert.equal(arg.t, 'changed');
  assert.deepEqual(flagNames(structField(arg, 'flags')), ['CLONE_VM', 'CLONE_THREAD']);
  assert.equal(valueText(structField(arg, 'parent_tid')!), '[5720]');
});

test('vfork( split by an attach message, then <unfinished ...> on the next line', () => {
  const events = parseText(['vfork(strace: Process 5725 attached', ' <unfinished ...>', '[pid  5725] execve("/bin/true", ["true"], 0x7ffd1 /* 3 vars */) = 0', '[pid  5724] <... vfork resumed>) = 5725'].join('\n'));
  const vfork = syscalls(events).find((e) => e.name === 'vfork');
  assert.equal(vfork?.state, 'joined');
  assert.equal(vfork?.ret?.value, '5725');
});

test('program output spliced into a write line is separated from the arguments', () => {
  const events = parseText(['write(1, "vm\\n", 3vm', ')                     = 3'].join('\n'));
  const write = syscalls(events)[0];
  assert.equal(write.argsText, '1, "vm\\n", 3');
  assert.equal(write.ret?.value, '3');
  const output = events.find((e) => e.kind === 'output');
  assert.equal(output?.kind === 'output' && output.text, 'vm');
});

test('the stderr pid prefix that comes and goes: unprefixed lines go to the only live tracee', () => {
  const events = parseText([
    'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = 101',
    '[pid   101] exit_group(0) = ?',
    '[pid   101] +++ exited with 0 +++',
    '[pid   100] --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---',
    'socketpair(AF_UNIX, SOCK_STREAM, 0, [5, 6]) = 0',
  ].join('\n'));
  const last = events[events.length - 1];
  assert.equal(last.prefix.pid, 100);
  assert.equal(last.prefix.pidSource, 'inferred');
  assert.equal(events[0].prefix.pid, undefined, 'the first process is unknown until it is named');
});

test('crossed unfinished/resumed pairs with the same name are matched by tid', () => {
  const events = syscalls(parseText([
    '[pid  5721] rt_sigprocmask(SIG_BLOCK, ~[RT_1],  <unfinished ...>',
    '[pid  5720] rt_sigprocmask(SIG_BLOCK, ~[RT_1],  <unfinished ...>',
    '[pid  5721] <... rt_sigprocmask resumed>NULL, 8) = 0',
    '[pid  5720] <... rt_sigprocmask resumed>[], 8) = 0',
  ].join('\n')));
  assert.equal(events.length, 2);
  assert.deepEqual(events.map((e) => [e.prefix.pid, e.state, e.argsText, e.line, e.endLine]), [
    [5721, 'joined', 'SIG_BLOCK, ~[RT_1], NULL, 8', 1, 3],
    [5720, 'joined', 'SIG_BLOCK, ~[RT_1], [], 8', 2, 4],
  ]);
  assert.deepEqual(events[0].args[1], { t: 'set', negated: true, items: ['RT_1'] });
});

test('death inside a syscall: resumed-then-unfinished, -ff form, and no closing line at all', () => {
  const a = syscalls(parseText(['18764 read(3,  <unfinished ...>', '18763 exit_group(0) = ?', '18764 <... read resumed> <unfinished ...>) = ?', '18764 +++ exited with 0 +++'].join('\n')));
  const read = a.find((e) => e.name === 'read')!;
  assert.equal(read.state, 'unfinished');
  assert.equal(read.interruption?.kind, 'killed');
  assert.equal(read.ret?.value, '?');

  const b = only('read(3,  <unfinished ...>)              = ?');
  assert.equal(b.state, 'unfinished');
  assert.equal(b.argsText, '3, ');

  const c = parseText(['20912 read(0,  <unfinished ...>', '20912 --- SIGALRM {si_signo=SIGALRM, si_code=SI_USER, si_pid=20911, si_uid=0} ---', '20912 +++ killed by SIGALRM +++'].join('\n'));
  assert.deepEqual(c.map((e) => e.kind), ['signal', 'syscall', 'killed']);
  const open = c[1] as SyscallEvent;
  assert.equal(open.state, 'unfinished');
  assert.match(open.interruption?.text ?? '', /killed by SIGALRM/);
});

test('execve from a non-leader thread completes under the leader pid', () => {
  const events = parseText([
    '19987 execve("/bin/true", ["true"], 0x7fff25a4abb8 /* 42 vars */ <pid changed to 19946 ...>',
    '19946 +++ superseded by execve in pid 19987 +++',
    '19946 <... execve resumed>)             = 0',
  ].join('\n'));
  assert.deepEqual(events.map((e) => e.kind), ['superseded', 'syscall']);
  const execve = events[1] as SyscallEvent;
  assert.equal(execve.state, 'joined');
  assert.equal(execve.prefix.pid, 19987);
  assert.equal(execve.endPrefix?.pid, 19946);
  assert.deepEqual(execve.interruption, { kind: 'pid-changed', text: '<pid changed to 19946 ...>', pid: 19946 });
  assert.equal(valueText(execve.args[1]), '["true"]');
  assert.equal((events[0] as { byPid: number }).byPid, 19987);
});

test('strings that look like strace syntax are data', () => {
  const write = only('write(1, "<unfinished ...>) = 0\\n--- SIGX -"..., 35) = 35');
  assert.equal(write.state, 'complete');
  assert.equal(write.ret?.value, '35');
  const data = write.args[1];
  assert.equal(data.t, 'str');
  assert.ok(data.t === 'str' && data.truncated && data.bytes === '<unfinished ...>) = 0\n--- SIGX -');
  const octal = only('read(3, "ab\\0001c", 131072) = 5');
  assert.ok(octal.args[1].t === 'str' && octal.args[1].bytes === 'ab\x001c');
  const quotes = only('write(1, "a \\" b \\\\", 6) = 6');
  assert.ok(quotes.args[1].t === 'str' && quotes.args[1].bytes === 'a " b \\');
});

test('fd decorations with nesting, escapes, sockets and (deleted)', () => {
  const open = only('openat(AT_FDCWD</tmp/x>, "/tmp/x/we<ird>\\nname", O_RDWR|O_CREAT, 0600) = 13</tmp/x/we\\74ird\\76\\nname>');
  assert.equal(open.ret?.decoration, '/tmp/x/we\\74ird\\76\\nname');
  assert.deepEqual(open.args[0], { t: 'fd', value: { t: 'ident', text: 'AT_FDCWD' }, decoration: '/tmp/x', deleted: false });
  const dev = only('write(1</dev/null<char 1:3>>, "x", 1) = 1');
  assert.ok(dev.args[0].t === 'fd' && dev.args[0].decoration === '/dev/null<char 1:3>');
  const tcp = only('getpeername(4<TCPv6:[[::1]:57638->[::1]:60695]>, {sa_family=AF_INET6}, [28]) = 0');
  assert.ok(tcp.args[0].t === 'fd' && tcp.args[0].decoration === 'TCPv6:[[::1]:57638->[::1]:60695]');
  const deleted = only('fstat(12</tmp/x/del.tmp>(deleted), {st_mode=S_IFREG|0600, st_size=0, ...}) = 0');
  assert.ok(deleted.args[0].t === 'fd' && deleted.args[0].deleted);
  const paren = only('close(3</tmp/a) = 5>) = 0');
  assert.equal(paren.ret?.value, '0');
  assert.ok(paren.args[0].t === 'fd' && paren.args[0].decoration === '/tmp/a) = 5');
});

test('return values with every annotation', () => {
  const cases: Array<[string, Partial<Record<string, unknown>>]> = [
    ['fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)', { value: '0x8002', aux: ['flags O_RDWR|O_LARGEFILE'] }],
    ['pselect6(5, [4], NULL, NULL, {tv_sec=1, tv_nsec=0}, NULL) = 1 (in [4], left {tv_sec=0, tv_nsec=0})', { value: '1', aux: ['in [4], left {tv_sec=0, tv_nsec=0}'] }],
    ['poll([{fd=4, events=POLLIN}], 1, 100) = 1 ([{fd=4, revents=POLLIN}])', { value: '1', aux: ['[{fd=4, revents=POLLIN}]'] }],
    ['nanosleep({tv_sec=1, tv_nsec=0}, 0x7ffc) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)', { value: '?', errno: 'ERESTART_RESTARTBLOCK', errnoText: 'Interrupted by signal' }],
    ['openat(AT_FDCWD, "/x", O_RDONLY) = -1 ENOSYS (Function not implemented) (INJECTED)', { value: '-1', errno: 'ENOSYS', errnoText: 'Function not implemented', injected: true }],
    ['clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=10000000}, NULL) = 0 (DELAYED)', { value: '0', delayed: true }],
    ['umask(022) = 022', { value: '022' }],
    ['clone(child_stack=NULL, flags=SIGCHLD) = 11319<mt>', { value: '11319', decoration: 'mt' }],
    ['foo(1) = -1 (errno 531)', { value: '-1', errno: 'errno 531' }],
    ['getpid() = ? <unavailable>', { value: '?', unavailable: true }],
  ];
  for (const [line, expected] of cases) {
    const ret = only(line).ret as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(ret[key], value, `${key} of ${line}`);
  }
  const timed = only('openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3 <0.000015>');
  assert.equal(timed.durationSec, 0.000015);
  assert.equal(timed.ret?.value, '3');
});

test('C-expression values are kept as text rather than failing', () => {
  const wait = only('wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}], 0, NULL) = 5724');
  assert.equal(valueText(wait.args[1]), '[{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}]');
  const rlimit = only('prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0');
  assert.equal(valueText(structField(rlimit.args[3], 'rlim_cur')!), '8192*1024');
  const ioctl = only('ioctl(3, _IOC(_IOC_NONE, 0x56, 0x78, 0x1234), 0x1) = -1 ENOTTY (Inappropriate ioctl for device)');
  assert.ok(ioctl.args[1].t === 'call' && ioctl.args[1].fn === '_IOC' && ioctl.args[1].args.length === 4);
  const unknownCall = only('syscall_0x3e7(0x1, 0x2, 0x3, 0xffffffff, 0, 0x6d616e2064720177) = -1 ENOSYS (Function not implemented)');
  assert.equal(unknownCall.name, 'syscall_0x3e7');
  assert.equal(toBigInt(unknownCall.args[5]), 0x6d616e2064720177n);
});

test('continuation lines: -k frames, hex dumps, iovec headers', () => {
  const events = parseText([
    '5 write(1, "hi\\n", 3) = 3',
    ' > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x4f) [0xf838f]',
    ' > /usr/bin/prog(+0x1234) [0x1234]',
    ' | 00000  7f 45 4c 46 02 01 01 03  00 00 00 00 00 00 00 00  .ELF............ |',
    ' * 2 bytes in buffer 0',
  ].join('\n'));
  assert.deepEqual(events.map((e) => e.kind), ['syscall', 'stack', 'stack', 'dump', 'dump']);
  const frame = events[1];
  assert.ok(frame.kind === 'stack' && frame.module === '/usr/lib/x86_64-linux-gnu/libc.so.6' && frame.symbol === '__write' && frame.offset === '0x4f' && frame.address === '0xf838f');
  assert.equal(frame.prefix.pid, 5);
  const anon = events[2];
  assert.ok(anon.kind === 'stack' && anon.symbol === undefined && anon.offset === '0x1234');
  const dump = events[3];
  assert.ok(dump.kind === 'dump' && dump.offset === 0 && dump.hex === '7f454c46020101030000000000000000');
});

test('64-bit values stay exact', () => {
  const rseq = only('rseq(0x7f8ab3193060, 0x20, 0, 0x53053053) = 0');
  assert.equal(toBigInt(rseq.args[0]), 0x7f8ab3193060n);
  const mmap = only('mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0xffffffffffffffff');
  assert.equal(toBigInt(mmap.ret!.value), 0xffffffffffffffffn);
  assert.equal(toBigInt('-1'), -1n);
  assert.equal(toBigInt('0644'), 0o644n);
});

test('every prefix field in order', () => {
  const e = only('11031 03:11:07.550854 (+     0.000277) [ 257] [00007fa5cca1c011] openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3 <0.000015>');
  assert.equal(e.prefix.pid, 11031);
  assert.equal(e.prefix.time, '03:11:07.550854');
  assert.ok(Math.abs((e.prefix.timeSec ?? 0) - (3 * 3600 + 11 * 60 + 7.550854)) < 1e-6);
  assert.equal(e.prefix.relativeSec, 0.000277);
  assert.equal(e.prefix.scno, 257);
  assert.equal(e.prefix.ip, '00007fa5cca1c011');
  const ttt = only('[pid 11371<mt>] 1795576266.528656 getpid() = 11371<mt>');
  assert.equal(ttt.prefix.comm, 'mt');
  assert.equal(ttt.prefix.timeIsEpoch, true);
  const rel = only('     0.000246 getpid() = 7');
  assert.equal(rel.prefix.relativeSec, 0.000246);
  const stale = parseText('11031 03:11:07.551790 [ 231] [????????????????] +++ exited with 0 +++')[0];
  assert.ok(stale.kind === 'exit' && stale.code === 0 && stale.prefix.ip === null && stale.prefix.scno === 231);
  const y = only('11316<mt> kill(11316<mt>, SIGUSR1) = 0');
  assert.equal(y.prefix.pid, 11316);
  assert.ok(y.args[0].t === 'fd' && y.args[0].decoration === 'mt');
});

test('signal, exit, killed, superseded, personality and summary lines', () => {
  const events = parseText([
    '5 --- SIGABRT {si_signo=SIGABRT, si_code=SI_TKILL, si_pid=5, si_uid=0} ---',
    '5 +++ killed by SIGABRT (core dumped) +++',
    '6 --- stopped by SIGSTOP ---',
    '6 +++ exited with 3 +++',
    '[ Process PID=7 runs in 32 bit mode. ]',
    'restart_syscall(<... resuming interrupted read ...>) = 0',
    '% time     seconds  usecs/call     calls    errors syscall',
    '------ ----------- ----------- --------- --------- ----------------',
    ' 19.24    0.001036         345         3           clone',
    ' 11.76    0.000633          57        11         8 execve',
    '------ ----------- ----------- --------- --------- ----------------',
    '100.00    0.005384          28       188        12 total',
  ].join('\n'));
  const [sig, killed, stopped, exit, pers, restart, header, , clone, execve, , total] = events;
  assert.ok(sig.kind === 'signal' && sig.signal === 'SIGABRT' && !sig.stopped && sig.siginfo?.t === 'struct');
  assert.ok(killed.kind === 'killed' && killed.signal === 'SIGABRT' && killed.coreDumped);
  assert.ok(stopped.kind === 'signal' && stopped.stopped && stopped.signal === 'SIGSTOP');
  assert.ok(exit.kind === 'exit' && exit.code === 3);
  assert.ok(pers.kind === 'personality' && pers.pid === 7 && pers.mode === '32 bit');
  assert.ok(restart.kind === 'syscall' && restart.restarting === 'read');
  assert.ok(header.kind === 'summary-row' && header.row === 'header');
  assert.ok(clone.kind === 'summary-row' && clone.syscall === 'clone' && clone.calls === 3 && clone.errors === 0);
  assert.ok(execve.kind === 'summary-row' && execve.calls === 11 && execve.errors === 8 && execve.percent === 11.76);
  assert.ok(total.kind === 'summary-row' && total.row === 'total' && total.calls === 188);
});

test('detach and ptrace failure close an open line', () => {
  const events = syscalls(parseText(['wait4(-1, strace: Process 11856 detached', ' <detached ...>'].join('\n')));
  assert.equal(events.length, 1);
  assert.equal(events[0].state, 'unfinished');
  assert.equal(events[0].interruption?.kind, 'detached');
});

test('version quirks: old resumed spacing, old envp form, colour codes', () => {
  const old = syscalls(parseText(['select(4, [3], NULL, NULL, NULL <unfinished ...>', '<... select resumed> )      = 1 (in [3])'].join('\n')));
  assert.equal(old[0].state, 'joined');
  assert.equal(old[0].ret?.value, '1');
  const envp = only('execve("/bin/ls", ["ls"], [/* 45 vars */]) = 0');
  assert.ok(envp.args[2].t === 'array');
  const colour = parseText('\x1b[33mopenat\x1b[0m(AT_FDCWD, "/x", O_RDONLY) = 3'.replace(/\x1b\[[0-9;]*m/g, ''));
  assert.equal(colour[0].kind, 'syscall');
});

test('garbage becomes unknown with a reason and never throws', () => {
  const events = parseText(['\x00\x01\x02binary', '+++ exited with', '--- SIGX', '<... resumed', '', 'foo bar'].join('\n'));
  assert.equal(events.length, 6);
  for (const e of events) {
    assert.equal(e.kind, 'unknown');
    assert.ok(e.kind === 'unknown' && e.reason.length > 0);
  }
});

test('a spliced line keeps the inferred pid it had before the attach message in its middle', () => {
  const events = parseText([
    '[pid   101] +++ exited with 0 +++',
    '[pid   100] --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---',
    'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 102 attached',
    ', child_tidptr=0x7f1) = 102',
  ].join('\n'));
  const clone = syscalls(events)[0];
  assert.equal(clone.prefix.pid, 100);
  assert.equal(clone.ret?.value, '102');
});

test('an unfinished call has no empty last argument; -X verbose fields keep their names', () => {
  const open = parseText('5 read(3,  <unfinished ...>\n5 +++ exited with 0 +++').find((e) => e.kind === 'syscall') as SyscallEvent;
  assert.equal(open.state, 'unfinished');
  assert.deepEqual(open.args, [{ t: 'int', text: '3' }]);
  const verbose = only('clone3({flags=0x10000 /* CLONE_THREAD */, exit_signal=0}, 88) = 5');
  assert.deepEqual(structField(verbose.args[0], 'flags'), { t: 'comment', value: { t: 'int', text: '0x10000' }, comment: 'CLONE_THREAD' });
  assert.equal(toBigInt(structField(verbose.args[0], 'flags')), 0x10000n);
});
