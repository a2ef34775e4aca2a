/**
 * The task model on logs shaped like the real ones of issue 17 (logs written by other people: attach
 * logs, Go and glibc thread joins, pid-less logs, PID reuse). The lines are written here by hand in the
 * exact shapes the issue quotes; each test names the item it covers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, parseText } from '../../src/parse/index.js';
import type { SyscallEvent, TraceEvent } from '../../src/parse/types.js';
import { TaskGraph } from '../../src/model/index.js';
import { buildTree, renderTreeText } from '../../src/render/tree/index.js';
import { explainAll } from '../../src/explain/index.js';

const graphOf = (log: string): TaskGraph => TaskGraph.fromEvents(parseText(log.replace(/^\n/, '')));
const endOf = (g: TaskGraph, key: string) => {
  const t = g.task(key);
  assert.ok(t, `task ${key} exists (have ${g.tasks().map((x) => x.key).join(', ')})`);
  return t.end;
};
const text = (g: TaskGraph): string => renderTreeText(g, { color: false, legend: false });

const THREAD_FLAGS = 'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID';

test('issue 17 item 2: abort() with a core dump ends the other threads too', () => {
  const g = graphOf(`
9447 clone(child_stack=0x7f9c2d1fdfb0, flags=${THREAD_FLAGS}, parent_tidptr=0x7f9c2d1fe9d0, tls=0x7f9c2d1fe700, child_tidptr=0x7f9c2d1fe9d0) = 9448
9448 futex(0x55d1c0a4e0c8, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>
9447 write(2, "a.out: main.c:12: main: Assertion \`0' failed.\\n", 46) = 46
9447 rt_sigprocmask(SIG_UNBLOCK, [ABRT], NULL, 8) = 0
9447 getpid()                           = 9447
9447 gettid()                           = 9447
9447 tgkill(9447, 9447, SIGABRT)        = 0
9447 --- SIGABRT {si_signo=SIGABRT, si_code=SI_TKILL, si_pid=9447, si_uid=1000} ---
9447 +++ killed by SIGABRT (core dumped) +++
`);
  const thread = endOf(g, '9448');
  assert.deepEqual([thread?.kind, thread?.signal, thread?.coreDumped, thread?.source], ['killed', 'SIGABRT', true, 'group-signal']);
  const out = text(g);
  assert.match(out, /thread 9448 .*killed by SIGABRT \(core dumped\)/);
  assert.doesNotMatch(out, /end unknown|still running/);
});

test('issue 17 item 2: a SIGSEGV in one thread kills the leader blocked in a call', () => {
  const g = graphOf(`
7100 clone3({flags=${THREAD_FLAGS}, child_tid=0x7f3a9e5ff990, parent_tid=0x7f3a9e5ff990, exit_signal=0, stack=0x7f3a9ddff000, stack_size=0x7fff00, tls=0x7f3a9e5ff6c0} => {parent_tid=[7101]}, 88) = 7101
7100 futex(0x7f3a9e5ff990, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 7101, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>
7101 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---
7101 +++ killed by SIGSEGV +++
`);
  const leader = endOf(g, '7100');
  assert.deepEqual([leader?.kind, leader?.signal, leader?.source], ['killed', 'SIGSEGV', 'group-signal']);
  assert.equal(g.processEnd(g.processByPid(7100)!)?.signal, 'SIGSEGV');
  assert.deepEqual(g.task('7100')!.openCalls.map((c) => [c.name, c.closedBy]), [['futex', 'death']]);
  assert.equal(g.task('7101')!.joined, undefined, 'a wait that never returned proves no join');
});

test('issue 17 item 10: a thread whose join is visible ended before the exit_group', () => {
  // strace without -f: the thread's own lines are not in the log; the leader's join is.
  const woken = graphOf(`
execve("./proxy", ["./proxy", "-n", "6"], 0x7ffd3b1c6e58 /* 20 vars */) = 0
set_tid_address(0x7fdb55a74a10)         = 3864
clone(child_stack=0x7fdb55272ff0, flags=${THREAD_FLAGS}, parent_tidptr=0x7fdb552739d0, tls=0x7fdb55273700, child_tidptr=0x7fdb552739d0) = 3865
futex(0x7fdb552739d0, FUTEX_WAIT, 3865, NULL) = 0
exit_group(0)                           = ?
+++ exited with 0 +++
`);
  const end = endOf(woken, '3865');
  assert.deepEqual([end?.kind, end?.source, end?.at?.line], ['exited', 'join', 4]);
  assert.doesNotMatch(text(woken), /per a thread's exit_group/);
  assert.match(text(woken), /thread 3865 .*exited \(joined by another thread\)/);

  // -qq hides the thread's exit line; the join found the TID word already cleared (EAGAIN).
  const gone = graphOf(`
5200 clone(child_stack=0x7f0aa1ffeff0, flags=${THREAD_FLAGS}, parent_tidptr=0x7f0aa1fff9d0, tls=0x7f0aa1fff700, child_tidptr=0x7f0aa1fff9d0) = 5201
5201 write(1, "worker done\\n", 12)     = 12
5201 exit(0)                            = ?
5200 futex(0x7f0aa1fff9d0, FUTEX_WAIT, 5201, NULL) = -1 EAGAIN (Resource temporarily unavailable)
5200 exit_group(3)                      = ?
`);
  assert.deepEqual([endOf(gone, '5201')?.kind, endOf(gone, '5201')?.code, endOf(gone, '5201')?.source], ['exited', 0, 'exit-call']);
  const noExit = graphOf(`
5300 clone(child_stack=0x7f0aa1ffeff0, flags=${THREAD_FLAGS}, parent_tidptr=0x7f0aa1fff9d0, tls=0x7f0aa1fff700, child_tidptr=0x7f0aa1fff9d0) = 5301
5301 write(1, "worker done\\n", 12)     = 12
5300 futex(0x7f0aa1fff9d0, FUTEX_WAIT, 5301, NULL) = -1 EAGAIN (Resource temporarily unavailable)
5300 exit_group(3)                      = ?
`);
  assert.deepEqual([endOf(noExit, '5301')?.kind, endOf(noExit, '5301')?.source, endOf(noExit, '5301')?.at?.line], ['exited', 'join', 3]);
  assert.equal(g3Leader(noExit)?.code, 3, 'the leader still ends with the group status');
});

function g3Leader(g: TaskGraph) {
  return g.processEnd(g.processes()[0]);
}

test('issue 17 item 10: a wait on another word holding the same number is no join', () => {
  const g = graphOf(`
5400 clone(child_stack=0x7f0aa1ffeff0, flags=${THREAD_FLAGS}, parent_tidptr=0x7f0aa1fff9d0, tls=0x7f0aa1fff700, child_tidptr=0x7f0aa1fff9d0) = 5401
5400 futex(0x55d1c0a4e0c8, FUTEX_WAIT_PRIVATE, 5401, NULL) = 0
5400 futex(0x7f0aa1fff9d0, FUTEX_WAKE, 5401) = 0
5400 exit_group(0)                      = ?
`);
  assert.deepEqual([endOf(g, '5401')?.kind, endOf(g, '5401')?.source], ['exited', 'group-exit']);
  // The kernel wakes a clear-TID word as a shared futex: a private wait on it is no join; glibc 2.34+'s
  // FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME is.
  const wait = (op: string, tid: number) => graphOf(`
5500 clone(child_stack=0x7f0aa1ffeff0, flags=${THREAD_FLAGS}, parent_tidptr=0x7f0aa1fff9d0, tls=0x7f0aa1fff700, child_tidptr=0x7f0aa1fff9d0) = ${tid}
5500 futex(0x7f0aa1fff9d0, ${op}, ${tid}, NULL, FUTEX_BITSET_MATCH_ANY) = 0
5500 exit_group(0)                      = ?
`);
  assert.equal(endOf(wait('FUTEX_WAIT_PRIVATE', 5501), '5501')?.source, 'group-exit');
  assert.equal(endOf(wait('FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME', 5502), '5502')?.source, 'join');
});

test('issue 17 item 11: a reap with a NULL status pointer says the process ended, not how', () => {
  const g = graphOf(`
43600 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f2b1c8e0a10) = 43617
43600 wait4(-1, NULL, 0, NULL)          = 43617
43600 exit_group(0)                     = ?
43600 +++ exited with 0 +++
`);
  const child = g.processByPid(43617)!;
  assert.equal(child.reaped?.status, undefined);
  assert.deepEqual([endOf(g, '43617')?.kind, endOf(g, '43617')?.source], ['ended', 'wait']);
  assert.equal(g.processEnd(child)?.kind, 'ended');
  const line = text(g).split('\n').find((l) => l.includes('43617'))!;
  assert.match(line, /ended \(reaped, status not collected\)/);
  assert.doesNotMatch(line, /exited/);
  assert.equal(child.unreaped, undefined);
});

test('issue 17 item 4: an exec right after "+++ exited" under the same pid belongs to a new instance', () => {
  // A lifecycle-filtered log (-e trace=execve,exit_group): the forks that reused pid 2200 are hidden.
  const g = graphOf(`
2200 execve("/usr/bin/php", ["php", "worker.php"], 0x7ffd2c1e8f38 /* 20 vars */) = 0
2200 exit_group(0)                      = ?
2200 +++ exited with 0 +++
2200 execve("/usr/bin/php", ["php", "cron.php"], 0x7ffd2c1e8f38 /* 20 vars */) = 0
2200 exit_group(0)                      = ?
2200 +++ exited with 0 +++
2200 execve("/usr/bin/php", ["php", "mail.php"], 0x7ffd2c1e8f38 /* 20 vars */) = 0
2200 +++ exited with 1 +++
`);
  assert.deepEqual(g.tasks().map((t) => [t.key, t.execs.map((e) => e.argv?.[1]), t.end?.code]), [
    ['2200', ['worker.php'], 0],
    ['2200#2', ['cron.php'], 0],
    ['2200#3', ['mail.php'], 1],
  ]);
  assert.equal(g.processes().length, 3);
});

test('issue 17 item 4: a call the task died in still belongs to it (joined after its end line)', () => {
  const g = graphOf(`
2300 read(0,  <unfinished ...>
2301 exit_group(2)                      = ?
2300 <... read resumed> <unfinished ...>) = ?
2300 +++ exited with 2 +++
`);
  assert.equal(g.tasks().filter((t) => t.tid === 2300).length, 1);
  assert.deepEqual(g.task('2300')!.openCalls.map((c) => [c.name, c.closedBy]), [['read', 'death']]);
});

test('issue 17 item 8: the first task seen is the root of an attach log; the others were attached', () => {
  // strace -f -p 29063 -o LOG: the attach messages went to stderr; the leader's restart only completes later.
  const g = graphOf(`
29063 restart_syscall(<... resuming interrupted read ...> <unfinished ...>
29392 read(3, "", 1)                    = 0
29392 futex(0x7f5bd41fe9d0, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>
29063 <... restart_syscall resumed>)    = 0
29063 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f5bd52a8a10) = 29400
29400 exit_group(0)                     = ?
29400 +++ exited with 0 +++
`);
  assert.deepEqual(g.tasks().map((t) => [t.key, t.birth.kind]), [['29063', 'root'], ['29392', 'attached'], ['29400', 'fork']]);
  assert.match(text(g), /^29063 .*\[root\]/m);
  assert.match(text(g), /^29392 .*\[attached\]/m);
});

test('issue 17 item 8: a task without a creation line in a log of a started command is not "attached"', () => {
  const g = graphOf(`
1500 execve("./forkexec", ["./forkexec"], 0x7ffd /* 3 vars */) = 0
1501 execve("./child", ["child"], 0x7ffd /* 3 vars */) = 0
1501 +++ exited with 0 +++
1500 +++ exited with 0 +++
`);
  assert.deepEqual(g.tasks().map((t) => [t.key, t.birth.kind]), [['1500', 'root'], ['1501', 'unknown']]);
});

test('issue 17 item 9: a log without pids learns the pid, or says "the traced process"', () => {
  // strace -o LOG ./proxy (no -f): no pid prefix; set_tid_address comes after the first calls.
  const learned = graphOf(`
execve("./proxy", ["./proxy", "-n", "6"], 0x7ffd3b1c6e58 /* 20 vars */) = 0
brk(NULL)                               = 0x55d0c9a6f000
set_tid_address(0x7f2b1c8e0a10)         = 3864
exit_group(0)                           = ?
+++ exited with 0 +++
`);
  assert.deepEqual(learned.tasks().map((t) => t.tid), [3864]);
  assert.match(text(learned), /^3864 {2}\.\/proxy -n 6 {2}\[root\]/m);
  assert.equal(learned.taskByTid(0), undefined);

  // attached without -f (strace -p 3864 -o LOG): nothing gives the pid.
  const unknown = graphOf(`
restart_syscall(<... resuming interrupted read ...>) = 0
write(1, "tick\\n", 5)                   = 5
exit_group(0)                           = ?
+++ exited with 0 +++
`);
  const doc = buildTree(unknown);
  assert.equal(doc.roots[0].pidUnknown, true);
  assert.match(text(unknown), /^the traced process {2}\[root\] {2}exited 0/m);
  assert.doesNotMatch(text(unknown), /^0 /m);
});

test('issue 9 item 8: lines with pid 0 or an absurd pid never make bogus roots or negative counts', () => {
  const events: TraceEvent[] = [
    syscall(100, 'clone', `child_stack=0x7f, flags=${THREAD_FLAGS}, child_tidptr=0x7f9d0`, '101', 1),
    syscall(0, 'write', '1, "x", 1', '1', 2),
    syscall(99_999_999, 'write', '1, "x", 1', '1', 3),
    syscall(0, 'exit_group', '0', '?', 4),
    syscall(101, 'exit', '0', '?', 5),
    syscall(100, 'exit_group', '0', '?', 6),
  ];
  const g = TaskGraph.fromEvents(events);
  assert.deepEqual(g.tasks().map((t) => t.key), ['100', '101']);
  const { summary } = buildTree(g);
  assert.deepEqual([summary.processes, summary.threads, summary.tasks], [1, 1, 2]);
});

function syscall(pid: number, name: string, argsText: string, ret: string, line: number): SyscallEvent {
  return { kind: 'syscall', name, state: 'complete', argsText, args: parseArgs(argsText), ret: { raw: ret, value: ret, aux: [] }, line, raw: '', prefix: { pid, pidSource: 'prefix' } } as SyscallEvent;
}

test('issue 17 item 3: tgkill(TGID, TID) makes TID a thread of TGID; "signals sent" keeps the TID', () => {
  // A Go program attached with -f -p: the runtime preempts goroutines with tgkill(pid, tid, SIGURG).
  const g = graphOf(`
29328 epoll_pwait(4,  <unfinished ...>
29380 futex(0xc000100148, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>
29381 nanosleep({tv_sec=0, tv_nsec=20000}, NULL) = 0
29381 tgkill(29328, 29380, SIGURG)      = 0
29380 <... futex resumed>)              = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
29380 --- SIGURG {si_signo=SIGURG, si_code=SI_TKILL, si_pid=29328, si_uid=1000} ---
29380 rt_sigreturn({mask=[]})           = 202
29381 getpid()                          = 29328
29382 read(7, "", 512)                  = 0
29328 <... epoll_pwait resumed>[], 128, 0, NULL, 0) = 0
`);
  const leader = g.processByPid(29328)!;
  assert.deepEqual(leader.tasks.sort(), ['29328', '29380', '29381']);
  assert.equal(g.membershipKnown(leader), true);
  assert.equal(g.membershipKnown(g.processByPid(29382)!), false, 'nothing ties 29382 to a group');
  const doc = buildTree(g);
  assert.deepEqual([doc.summary.processes, doc.summary.threads, doc.summary.ungrouped, doc.summary.tasks], [1, 2, 1, 4]);
  const out = text(g);
  assert.match(out, /^process tree: 1 process, 2 threads, 1 task of unknown membership/m);
  assert.match(out, /signals sent: tgkill\(29328, 29380, SIGURG\)/);
  assert.match(out, /^29382 .*process or thread\?/m);
});

test('issue 17 item 3: a tgkill before the thread\'s first line, and a failed tgkill proves nothing', () => {
  const g = graphOf(`
4100 execve("./server", ["./server"], 0x7ffd /* 3 vars */) = 0
4100 tgkill(4100, 4107, SIGUSR1)        = 0
4100 tgkill(4100, 4108, SIGUSR1)        = -1 ESRCH (No such process)
4107 --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=4100, si_uid=0} ---
4108 write(1, "x", 1)                   = 1
`);
  assert.deepEqual(g.processByPid(4100)!.tasks, ['4100', '4107']);
  assert.equal(g.processByPid(4108)!.tasks.length, 1);
  assert.equal(g.finish().processByPid(4108)!.membershipUnknown, true);
});

test('issue 17 item 3: exit_group taking down threads seen only by their exit lines', () => {
  // --seccomp-bpf -e trace=execve,exit_group: the clones are not traced.
  const g = graphOf(`
10001 execve("./exit_group", ["./exit_group"], 0x7f0000000001 /* 3 vars */) = 0
10001 exit_group(0)                     = ?
10004 +++ exited with 0 +++
10003 +++ exited with 0 +++
10001 +++ exited with 0 +++
10009 +++ exited with 0 +++
`);
  assert.deepEqual(g.processByPid(10001)!.tasks, ['10001', '10004', '10003']);
  assert.equal(g.processByPid(10009)!.membershipUnknown, true, 'after the leader\'s end: not one of its threads');
});

test('issue 17 item 5: a child forked before its parent\'s later exec runs the program of fork time', () => {
  const g = graphOf(`
12729 execve("/bin/sh", ["sh", "build.sh"], 0x7ffd1e2c3a48 /* 20 vars */) = 0
12729 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f3c1a2b4a10) = 12730
12730 exit_group(1)                     = ?
12730 +++ exited with 1 +++
12729 wait4(12730, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 12730
12729 execve("/usr/bin/make", ["make", "all"], 0x7ffd1e2c3a48 /* 20 vars */) = 0
12729 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f8e2a3b4a10) = 12731
12731 exit_group(0)                     = ?
12731 +++ exited with 0 +++
12729 wait4(12731, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 12731
12729 exit_group(0)                     = ?
12729 +++ exited with 0 +++
`);
  const [root] = buildTree(g).roots;
  assert.deepEqual(root.command, ['make', 'all']);
  assert.deepEqual(root.children.map((c) => [c.pid, c.inheritedCommand]), [[12730, ['sh', 'build.sh']], [12731, ['make', 'all']]]);
  assert.match(text(g), /12730 {2}\(sh build\.sh\)/);
});

test('issue 10 item 9: an execvp PATH search folds into one line; one that fails entirely stays compact', () => {
  const dirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', '/snap/bin', '/opt/tools/bin'];
  const misses = dirs.map((d) => `3000 execve("${d}/true", ["true"], 0x7ffc5e0a1b28 /* 20 vars */) = -1 ENOENT (No such file or directory)`).join('\n');
  const found = graphOf(`
3000 execve("./launcher", ["./launcher"], 0x7ffc5e0a1b28 /* 20 vars */) = 0
3000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0a1b2c3a10) = 3001
${misses.replaceAll('3000 ', '3001 ')}
3001 execve("/usr/lib/true/true", ["true"], 0x7ffc5e0a1b28 /* 20 vars */) = 0
3001 exit_group(0)                      = ?
3001 +++ exited with 0 +++
3000 exit_group(0)                      = ?
`);
  const lines = text(found).split('\n').filter((l) => l.includes('exec '));
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /exec \/usr\/lib\/true\/true {2}true {2}ok {2}\(found after 8 misses\)/);

  const failed = graphOf(`
3100 execve("/usr/local/bin/nosuch", ["nosuch", "-v"], 0x7ffc5e0a1b28 /* 20 vars */) = -1 ENOENT (No such file or directory)
3100 execve("/usr/bin/nosuch", ["nosuch", "-v"], 0x7ffc5e0a1b28 /* 20 vars */) = -1 ENOENT (No such file or directory)
3100 execve("/bin/nosuch", ["nosuch", "-v"], 0x7ffc5e0a1b28 /* 20 vars */) = -1 EACCES (Permission denied)
3100 exit_group(127)                    = ?
3100 +++ exited with 127 +++
`);
  const failLines = text(failed).split('\n').filter((l) => l.includes('exec '));
  assert.deepEqual(failLines.map((l) => l.trim()), ['exec nosuch  nosuch -v  not found: ENOENT/EACCES in 3 PATH directories (/usr/local/bin, /usr/bin, /bin)']);
  // Two different programs are two lines, and the JSON document keeps every attempt.
  assert.equal(buildTree(failed).roots[0].execs.length, 3);
});

test('issue 17 item 9: explain learns the pid of a log without prefixes from set_tid_address', () => {
  const events = [...parseText(`execve("./proxy", ["./proxy", "-n", "6"], 0x7ffd3b1c6e58 /* 20 vars */) = 0
set_tid_address(0x7f2b1c8e0a10)         = 3864
exit_group(0)                           = ?
+++ exited with 0 +++
`)];
  assert.equal(TaskGraph.fromEvents(events).unprefixedTask()?.tid, 3864);
  const { items } = explainAll(events);
  const exit = items.find((i) => i.event.kind === 'syscall' && i.event.name === 'exit_group');
  assert.match(exit?.explanation?.text ?? '', /ends process 3864\b/);
});

test('issue 17 item 3: in an attach log, a wait on a TID word woken after that task\'s exit ties the two together', () => {
  const g = graphOf(`
3864 futex(0x7fdb552739d0, FUTEX_WAIT, 3865, NULL <unfinished ...>
3865 write(1, "done\\n", 5)              = 5
3865 exit(0)                            = ?
3865 +++ exited with 0 +++
3864 <... futex resumed>)               = 0
3866 futex(0x7fdb55a749d0, FUTEX_WAIT, 3867, NULL) = 0
3867 +++ exited with 0 +++
`);
  assert.deepEqual(g.processByPid(3864)!.tasks, ['3864', '3865']);
  assert.equal(g.task('3865')!.joined?.how, 'woken');
  // 3866's wait returned before 3867's exit line: no evidence.
  assert.notEqual(g.task('3867')!.process, g.task('3866')!.process);
});

test('issue 10 item 2: trace -p seeds the model with the target\'s threads from /proc (idle threads too)', () => {
  const g = new TaskGraph();
  g.seedAttached(6100, [6100, 6101, 6102, 6103, 6104, 6105]);
  for (const event of parseText(`strace: Process 6100 attached with 6 threads
6200 write(1, "x", 1)                   = 1
6100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f5bd52a8a10) = 6200
6102 restart_syscall(<... resuming interrupted read ...>) = 0
6102 write(1, "tick\\n", 5)               = 5
6100 restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0
`)) g.apply(event);
  g.finish();
  const doc = buildTree(g);
  assert.deepEqual([doc.summary.processes, doc.summary.threads, doc.summary.ungrouped], [2, 5, 0]);
  assert.equal(doc.roots[0].pid, 6100);
  assert.deepEqual(g.tasks().map((t) => [t.tid, t.birth.kind]), [[6100, 'root'], [6101, 'attached'], [6102, 'attached'], [6103, 'attached'], [6104, 'attached'], [6105, 'attached'], [6200, 'fork']]);
  // strace's "attached with 6 threads" does not take the child seen before its clone returned for a thread.
  assert.deepEqual(g.processByPid(6200)!.tasks, ['6200']);
  assert.equal(g.task('6102')!.syscalls, 2);
  assert.equal(g.task('6101')!.end?.kind, 'running');
});

test('issue 17 item 2: a leader\'s reported end means its untraced threads were gone by then', () => {
  // strace without -f: the thread's lines are not traced; the kernel reports the leader's exit last.
  const g = graphOf(`
execve("./thread_exec", ["./thread_exec"], 0x7ffe4bc1d850 /* 3 vars */) = 0
set_tid_address(0x122b4690)             = 11668
clone3({flags=${THREAD_FLAGS}, child_tid=0x7f44fd2ca990, parent_tid=0x7f44fd2ca990, exit_signal=0, stack=0x7f44fcaca000, stack_size=0x800300, tls=0x7f44fd2ca6c0} => {parent_tid=[11669]}, 88) = 11669
pause()                                 = ?
+++ exited with 0 +++
`);
  const end = endOf(g, '11669');
  assert.deepEqual([end?.kind, end?.source, end?.at?.line], ['ended', 'leader-end', 5]);
  assert.match(text(g), /thread 11669 .*ended, how unknown \(gone before its leader's end\)/);
  assert.doesNotMatch(text(g), /end unknown/);
});

test('strace\'s "attached with N threads" does not keep a forked child it took for one of the threads', () => {
  const g = graphOf(`
strace: Process 7000 attached with 2 threads
7005 execve("/bin/true", ["true"], 0x7ffd /* 3 vars */) = 0
7000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f5bd52a8a10) = 7005
7001 read(3, "", 1)                     = 0
7005 +++ exited with 0 +++
`);
  assert.deepEqual(g.processByPid(7005)!.tasks, ['7005']);
  assert.deepEqual(g.processByPid(7000)!.tasks.sort(), ['7000', '7001']);
  assert.equal(g.command(g.processByPid(7005)!)?.[0], 'true');
  assert.equal(g.processByPid(7000)!.execs.length, 0);
});
