/**
 * TaskGraph rules, one by one, on small hand-written logs (real strace line shapes) and, where the
 * parser's output is the point, on hand-built events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseText, parseArgs } from '../../src/parse/index.js';
import type { SyscallEvent, TraceEvent, Prefix, ReturnValue } from '../../src/parse/types.js';
import { TaskGraph } from '../../src/model/index.js';

const graphOf = (log: string): TaskGraph => TaskGraph.fromEvents(parseText(log.replace(/^\n/, '')));
const taskOf = (g: TaskGraph, key: string) => {
  const t = g.task(key);
  assert.ok(t, `task ${key} exists (have ${g.tasks().map((x) => x.key).join(', ')})`);
  return t;
};
const processOf = (g: TaskGraph, pid: number) => {
  const p = g.processByPid(pid);
  assert.ok(p, `process ${pid} exists`);
  return p;
};

/** A syscall event built by hand (for shapes that need exact control over prefixes). */
function syscall(pid: number | undefined, name: string, argsText: string, ret: string | undefined, extra: Partial<SyscallEvent> = {}, line = 1): SyscallEvent {
  const prefix: Prefix = pid === undefined ? {} : { pid, pidSource: 'prefix' };
  const retValue: ReturnValue | undefined = ret === undefined ? undefined : { raw: ret, value: ret.split(' ')[0], aux: [], ...(ret.includes(' E') ? { errno: ret.split(' ')[1] } : {}) };
  return { kind: 'syscall', name, state: 'complete', argsText, args: parseArgs(argsText), ret: retValue, line, raw: '', prefix, ...extra } as SyscallEvent;
}

const THREAD_FLAGS = 'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID';

test('birth kinds from clone, clone3, fork and vfork', () => {
  const g = graphOf(`
100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000001) = 101
100 clone3({flags=${THREAD_FLAGS}, child_tid=0x7f01, parent_tid=0x7f01, exit_signal=0, stack=0x7f02, stack_size=0x7fff80, tls=0x7f03} => {parent_tid=[102]}, 88) = 102
100 vfork()                             = 103
100 clone3({flags=CLONE_VM|CLONE_VFORK|CLONE_CLEAR_SIGHAND, exit_signal=SIGCHLD, stack=0x7f04, stack_size=0x9000}, 88) = 104
100 clone(child_stack=NULL, flags=CLONE_NEWNS|CLONE_NEWPID|SIGCHLD) = 105
100 clone(child_stack=0x7f05, flags=CLONE_VM|SIGCHLD) = 106
100 fork()                              = 107
100 clone(child_stack=NULL, flags=CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f06) = -1 EAGAIN (Resource temporarily unavailable)
`);
  const kinds = Object.fromEntries(g.tasks().map((t) => [t.key, t.birth.kind]));
  assert.deepEqual(kinds, { '100': 'root', '101': 'fork', '102': 'thread', '103': 'vfork', '104': 'spawn', '105': 'namespaces', '106': 'clone', '107': 'fork' });
  assert.deepEqual(taskOf(g, '105').birth.namespaces, ['CLONE_NEWNS', 'CLONE_NEWPID']);
  // the thread joins its creator's thread group; the others are processes whose parent is 100
  assert.equal(taskOf(g, '102').process, taskOf(g, '100').process);
  assert.equal(g.processes().length, 7);
  assert.deepEqual(g.childrenOf(processOf(g, 100)).map((p) => p.tgid), [101, 103, 104, 105, 106, 107]);
  assert.equal(taskOf(g, '102').parent, '100');
  assert.ok(!taskOf(g, '101').traced, 'a child with no line of its own is not traced');
});

test('raw clone flags are decoded with the kb table (checked against <linux/sched.h> in test/kb)', () => {
  const g = graphOf(`
100 clone(child_stack=NULL, flags=0x1200011, child_tidptr=0x7f0) = 101
100 clone(child_stack=0x7f, flags=0x3d0f00) = 102
`);
  assert.deepEqual(taskOf(g, '101').birth.flags, ['CLONE_CHILD_CLEARTID', 'CLONE_CHILD_SETTID']);
  assert.equal(taskOf(g, '101').birth.kind, 'fork');
  assert.equal(taskOf(g, '102').birth.kind, 'thread');
});

test('raw clone arguments (-X raw) are read in the kernel order: flags first, then the stack', () => {
  const g = graphOf(`
100 clone(0x3d0f00, 0x7f5e1a7fefb0, 0x7f5e1a7ff9d0, 0x7f5e1a7ff9d0, 0x7f5e1a7ff700) = 101
`);
  assert.equal(taskOf(g, '101').birth.kind, 'thread');
  assert.equal(processOf(g, 100).tasks.length, 2);
});

test('a spawn into a new PID namespace is a namespace birth', () => {
  const g = graphOf(`
100 clone(child_stack=0x7f00, flags=CLONE_VM|CLONE_VFORK|CLONE_NEWPID|SIGCHLD) = 101
`);
  assert.equal(taskOf(g, '101').birth.kind, 'namespaces');
  assert.deepEqual(taskOf(g, '101').birth.namespaces, ['CLONE_NEWPID']);
  assert.deepEqual(taskOf(g, '101').birth.flags, ['CLONE_VM', 'CLONE_VFORK', 'CLONE_NEWPID', 'SIGCHLD']);
});

test('CLONE_PARENT makes the child a sibling of its creator', () => {
  const g = graphOf(`
100 fork()                              = 101
101 clone(child_stack=NULL, flags=CLONE_PARENT|SIGCHLD) = 102
`);
  assert.equal(processOf(g, 102).parent, processOf(g, 100).key);
  assert.equal(taskOf(g, '102').parent, '101');
});

test('a child whose lines come before its parent\'s clone returns is adopted, not a root', () => {
  const g = graphOf(`
200 vfork( <unfinished ...>
201 execve("./child", ["child", "exit", "0"], 0x7ffe /* 3 vars */ <unfinished ...>
200 <... vfork resumed>)                = 201
200 wait4(201,  <unfinished ...>
201 <... execve resumed>)               = 0
201 exit_group(0)                       = ?
201 +++ exited with 0 +++
200 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 201
200 +++ exited with 0 +++
`);
  const child = taskOf(g, '201');
  assert.equal(child.birth.kind, 'vfork');
  assert.equal(child.birth.creator, '200');
  assert.deepEqual(g.roots().map((p) => p.tgid), [200]);
  assert.deepEqual(g.command(processOf(g, 201)), ['child', 'exit', '0']);
  assert.equal(processOf(g, 201).reaped?.by, '200');
  assert.deepEqual(processOf(g, 201).reaped?.status, { kind: 'exited', code: 0 });
});

test('a thread created before its creator\'s clone3 returns moves into the creator\'s group', () => {
  const g = graphOf(`
300 clone3({flags=${THREAD_FLAGS}, child_tid=0x7f01, parent_tid=0x7f01, exit_signal=0, stack=0x7f02, stack_size=0x7fff80, tls=0x7f03} <unfinished ...>
301 rseq(0x7f04, 0x20, 0, 0x53053053) = 0
300 <... clone3 resumed> => {parent_tid=[301]}, 88) = 301
301 exit(0)                             = ?
301 +++ exited with 0 +++
300 exit_group(0)                       = ?
300 +++ exited with 0 +++
`);
  assert.equal(g.processes().length, 1);
  const p = processOf(g, 300);
  assert.deepEqual(p.tasks, ['300', '301']);
  assert.equal(taskOf(g, '301').birth.kind, 'thread');
});

test('exec history: argv, failures with errno, execveat, the command is the last successful exec', () => {
  const g = graphOf(`
400 execve("/nonexistent/bin/child", ["child", "echo", "hi there"], 0x7ffd /* 3 vars */) = -1 ENOENT (No such file or directory)
400 execve("./child", ["child", "echo", "hi there"], 0x7ffd /* 3 vars */) = 0
400 execveat(3, "", ["prog", "x"], NULL, AT_EMPTY_PATH) = -1 EACCES (Permission denied)
400 +++ exited with 0 +++
`);
  const t = taskOf(g, '400');
  assert.deepEqual(t.execs.map((e) => [e.syscall, e.path, e.result, e.errno]), [
    ['execve', '/nonexistent/bin/child', 'failed', 'ENOENT'],
    ['execve', './child', 'ok', undefined],
    ['execveat', '', 'failed', 'EACCES'],
  ]);
  assert.deepEqual(t.execs[1].argv, ['child', 'echo', 'hi there']);
  assert.deepEqual(g.command(processOf(g, 400)), ['child', 'echo', 'hi there']);
});

/** The three ways a log shows execve from a non-leader thread. */
const TAKEOVER_LOGS: Record<string, string> = {
  'shared -o file (unfinished execve, superseded, resumed under the leader)': `
500 clone3({flags=${THREAD_FLAGS}, child_tid=0x7f01, parent_tid=0x7f01, exit_signal=0, stack=0x7f02, stack_size=0x7fff80, tls=0x7f03} => {parent_tid=[501]}, 88) = 501
500 clone3({flags=${THREAD_FLAGS}, child_tid=0x7f01, parent_tid=0x7f01, exit_signal=0, stack=0x7f02, stack_size=0x7fff80, tls=0x7f03} => {parent_tid=[502]}, 88) = 502
502 read(3,  <unfinished ...>
500 pause( <unfinished ...>
501 execve("./child", ["child", "exit", "5"], 0x7ffe /* 39 vars */ <unfinished ...>
502 <... read resumed> <unfinished ...>) = ?
500 <... pause resumed>)              = ?
502 +++ exited with 0 +++
500 +++ superseded by execve in pid 501 +++
500 <... execve resumed>)             = 0
500 exit_group(5)                     = ?
500 +++ exited with 5 +++
`,
  '<pid changed to N ...> on the execve line': `
500 clone3({flags=${THREAD_FLAGS}, child_tid=0x7f01, parent_tid=0x7f01, exit_signal=0, stack=0x7f02, stack_size=0x7fff80, tls=0x7f03} => {parent_tid=[501]}, 88) = 501
500 clone3({flags=${THREAD_FLAGS}, child_tid=0x7f01, parent_tid=0x7f01, exit_signal=0, stack=0x7f02, stack_size=0x7fff80, tls=0x7f03} => {parent_tid=[502]}, 88) = 502
502 read(3,  <unfinished ...>
500 pause( <unfinished ...>
502 <... read resumed> <unfinished ...>) = ?
500 <... pause resumed>)              = ?
502 +++ exited with 0 +++
501 execve("./child", ["child", "exit", "5"], 0x7ffe /* 39 vars */ <pid changed to 500 ...>
500 +++ superseded by execve in pid 501 +++
500 <... execve resumed>)             = 0
500 exit_group(5)                     = ?
500 +++ exited with 5 +++
`,
};

for (const [name, log] of Object.entries(TAKEOVER_LOGS)) {
  test(`exec from a non-leader thread, ${name}`, () => {
    const g = graphOf(log);
    assert.equal(g.processes().length, 1, 'one process');
    const p = processOf(g, 500);
    assert.deepEqual(
      g.tasksOf(p).map((t) => [t.key, t.birth.kind, t.end?.kind]),
      [
        ['500', 'root', 'superseded'],
        ['501', 'thread', 'became-leader'],
        ['502', 'thread', 'exited'],
        ['500#2', 'exec-takeover', 'exited'],
      ],
    );
    assert.equal(taskOf(g, '500').end?.byTid, 501);
    assert.equal(taskOf(g, '501').end?.asTid, 500);
    assert.equal(p.leader, '500#2');
    const exec = p.execs[p.execs.length - 1];
    assert.deepEqual([exec.tid, exec.path, exec.result, exec.tookOverTid], [501, './child', 'ok', 500]);
    assert.deepEqual(g.command(p), ['child', 'exit', '5']);
    assert.deepEqual(g.processEnd(p), { kind: 'exited', code: 5, at: g.processEnd(p)?.at, source: 'trace' });
    assert.deepEqual(taskOf(g, '500').openCalls.map((c) => [c.name, c.closedBy]), [['pause', 'exec']]);
    assert.deepEqual(taskOf(g, '502').openCalls.map((c) => [c.name, c.closedBy]), [['read', 'death']]);
    assert.deepEqual(taskOf(g, '501').openCalls, [], 'the takeover execve is not a call cut short');
  });
}

test('exec takeover from a joined execve whose halves have different pids (hand-built event)', () => {
  const g = new TaskGraph();
  g.apply(syscall(600, 'clone', `child_stack=0x7f, flags=${THREAD_FLAGS}`, '601', {}, 1));
  g.apply({ kind: 'superseded', byPid: 601, prefix: { pid: 600 }, line: 3, raw: '' });
  g.apply(syscall(601, 'execve', '"/bin/true", ["true"], 0x7ffe /* 3 vars */', '0', { state: 'joined', endPrefix: { pid: 600 }, endLine: 4 }, 2));
  g.apply({ kind: 'exit', code: 0, prefix: { pid: 600 }, line: 5, raw: '' });
  g.finish();
  assert.deepEqual(g.tasks().map((t) => [t.key, t.end?.kind]), [['600', 'superseded'], ['601', 'became-leader'], ['600#2', 'exited']]);
  assert.deepEqual(g.command(processOf(g, 600)), ['true']);
  assert.equal(g.tasks().length, 3, 'the execve event does not create a new task for the vanished tid');
});

test('exits: code, killed with core dump, detached, running at end; open calls at death and at end', () => {
  const g = graphOf(`
700 fork()                              = 701
700 fork()                              = 702
700 fork()                              = 703
701 exit_group(3)                       = ?
701 +++ exited with 3 +++
702 --- SIGABRT {si_signo=SIGABRT, si_code=SI_TKILL, si_pid=702, si_uid=0} ---
702 +++ killed by SIGABRT (core dumped) +++
703 read(0,  <unfinished ...>
700 wait4(701, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 701
700 wait4(702, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}], 0, NULL) = 702
700 pause( <detached ...>
`);
  assert.deepEqual(taskOf(g, '701').end, { kind: 'exited', code: 3, at: taskOf(g, '701').end?.at, source: 'trace' });
  const killed = taskOf(g, '702').end!;
  assert.deepEqual([killed.kind, killed.signal, killed.coreDumped], ['killed', 'SIGABRT', true]);
  assert.deepEqual(processOf(g, 702).reaped?.status, { kind: 'killed', signal: 'SIGABRT', coreDumped: true });
  assert.equal(taskOf(g, '703').end?.kind, 'running');
  assert.deepEqual(taskOf(g, '703').openCalls.map((c) => [c.name, c.closedBy]), [['read', 'end-of-log']]);
  assert.equal(taskOf(g, '700').end?.kind, 'detached');
  assert.deepEqual(taskOf(g, '700').openCalls.map((c) => [c.name, c.closedBy]), [['pause', 'detach']]);
  // 703 is alive, its parent detached: not unreaped; 701/702 were reaped
  assert.deepEqual(g.unreaped(), []);
});

test('ends missing from the log (-qq, -e signal=none) come from exit_group, wait statuses and SIGCHLD', () => {
  const g = graphOf(`
800 clone3({flags=${THREAD_FLAGS}, child_tid=0x7f01, parent_tid=0x7f01, exit_signal=0, stack=0x7f02, stack_size=0x7fff80, tls=0x7f03} => {parent_tid=[801]}, 88) = 801
800 fork()                              = 802
800 fork()                              = 803
801 read(3,  <unfinished ...>
800 wait4(802, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 802
800 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=803, si_uid=0, si_status=4, si_utime=0, si_stime=0} ---
800 exit_group(2)                       = ?
`);
  const ends = Object.fromEntries(g.tasks().map((t) => [t.key, [t.end?.kind, t.end?.code ?? t.end?.signal, t.end?.source]]));
  assert.deepEqual(ends, {
    '800': ['exited', 2, 'exit-call'],
    '801': ['exited', 2, 'group-exit'],
    '802': ['killed', 'SIGKILL', 'wait'],
    '803': ['exited', 4, 'sigchld'],
  });
});

test('signals received (sender, si_code) and sent (kill, tkill, tgkill)', () => {
  const g = graphOf(`
900 fork()                              = 901
900 kill(901, SIGSTOP)                  = 0
901 --- SIGSTOP {si_signo=SIGSTOP, si_code=SI_USER, si_pid=900, si_uid=0} ---
901 --- stopped by SIGSTOP ---
900 tgkill(900, 900, SIGUSR1)           = 0
900 --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=900, si_uid=0} ---
900 tkill(901, SIGTERM)                 = 0
900 kill(-1, 0)                         = -1 EPERM (Operation not permitted)
901 +++ killed by SIGTERM +++
`);
  assert.deepEqual(taskOf(g, '901').signalsReceived.map((s) => [s.signal, s.stopped, s.code, s.senderPid]), [
    ['SIGSTOP', false, 'SI_USER', 900],
    ['SIGSTOP', true, undefined, undefined],
  ]);
  assert.deepEqual(taskOf(g, '900').signalsSent.map((s) => [s.syscall, s.target, s.targetPid, s.signal, s.ok, s.errno]), [
    ['kill', '901', 901, 'SIGSTOP', true, undefined],
    ['tgkill', '900', 900, 'SIGUSR1', true, undefined],
    ['tkill', '901', 901, 'SIGTERM', true, undefined],
    ['kill', '-1', undefined, '0', false, 'EPERM'],
  ]);
});

test('reaping: wait4 and waitid pairs; WNOHANG with nothing, WNOWAIT and stop reports are not reaps', () => {
  const g = graphOf(`
1000 fork()                             = 1001
1000 fork()                             = 1002
1000 fork()                             = 1003
1000 wait4(-1, 0x7ffd, WNOHANG, NULL)   = 0
1001 +++ exited with 1 +++
1002 +++ exited with 0 +++
1003 --- stopped by SIGSTOP ---
1000 wait4(1003, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WUNTRACED, NULL) = 1003
1000 waitid(P_PID, 1002, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1002, si_uid=0, si_status=0, si_utime=0, si_stime=0}, WEXITED|WNOWAIT, NULL) = 0
1000 waitid(P_ALL, 0, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1001, si_uid=0, si_status=1, si_utime=0, si_stime=0}, WEXITED, NULL) = 0
1000 wait4(-1, NULL, 0, NULL)           = 1002
1000 +++ exited with 0 +++
`);
  assert.deepEqual(g.reaps().map(({ reaper, process }) => [reaper?.tid, process.tgid, process.reaped?.syscall, process.reaped?.status]), [
    [1000, 1001, 'waitid', { kind: 'exited', code: 1 }],
    [1000, 1002, 'wait4', undefined],
  ]);
  assert.equal(processOf(g, 1003).reaped, undefined);
});

test('zombies: at end of log, while the parent lived, orphans, and SIGCHLD ignored', () => {
  const g = graphOf(`
1100 fork()                             = 1101
1100 fork()                             = 1102
1100 wait4(-1, 0x7ffd, WNOHANG, NULL)   = 0
1101 +++ exited with 7 +++
1102 fork()                             = 1103
1102 fork()                             = 1104
1104 +++ exited with 0 +++
1102 +++ exited with 0 +++
1103 +++ exited with 0 +++
1100 rt_sigaction(SIGCHLD, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f}, NULL, 8) = 0
1100 fork()                             = 1105
1105 +++ exited with 0 +++
1100 pause( <unfinished ...>
`);
  const u = (pid: number) => processOf(g, pid).unreaped;
  // 1101: parent 1100 still alive at the end: a zombie now
  assert.deepEqual({ ...u(1101), since: undefined }, { zombieAtEnd: true, zombieWhileParentLived: true, reparented: false, parentState: 'alive', since: undefined });
  // 1104: died before its parent 1102 exited: zombie until then, then reparented
  assert.deepEqual({ ...u(1104), since: undefined }, { zombieAtEnd: false, zombieWhileParentLived: true, reparented: true, parentState: 'ended', since: undefined });
  // 1103: its parent exited first: orphaned, reparented, reaped outside the trace
  assert.equal(u(1103)?.zombieWhileParentLived, false);
  assert.equal(u(1103)?.reparented, true);
  assert.equal(processOf(g, 1103).orphaned, true);
  // 1105: auto-reaped (SIGCHLD ignored)
  assert.equal(u(1105), undefined);
  assert.match(processOf(g, 1105).reaped?.syscall ?? '', /auto/);
  // 1102 was itself never reaped while 1100 lives: a zombie
  assert.deepEqual(g.zombies().map((p) => p.tgid), [1101, 1102]);
});

test('a filtered log that may hide the wait calls reports no unreaped process; SIGCHLD names the parent', () => {
  const g = graphOf(`
2001 exit_group(3)                      = ?
2001 +++ exited with 3 +++
2000 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2001, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---
2000 exit_group(0)                      = ?
2000 +++ exited with 0 +++
`);
  assert.equal(g.waitsVisible, false);
  assert.deepEqual(g.unreaped(), []);
  assert.equal(processOf(g, 2001).parent, processOf(g, 2000).key, 'the SIGCHLD receiver is the parent');
  assert.deepEqual(g.tasks().map((t) => [t.key, t.birth.kind]), [['2001', 'unknown'], ['2000', 'root']]);
});

test('PID reuse: a TID seen again after its task ended is a new task', () => {
  const g = graphOf(`
1200 fork()                             = 1201
1201 +++ exited with 0 +++
1200 wait4(1201, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 1201
1200 fork()                             = 1201
1201 execve("/bin/true", ["true"], 0x7ffd /* 3 vars */) = 0
1201 +++ exited with 0 +++
1201 write(1, "late", 4)                 = 4
`);
  assert.deepEqual(g.tasks().map((t) => [t.key, t.generation, t.birth.kind]), [
    ['1200', 1, 'root'],
    ['1201', 1, 'fork'],
    ['1201#2', 2, 'fork'],
    ['1201#3', 3, 'unknown'],
  ]);
  assert.equal(g.command(g.processOf(taskOf(g, '1201#2'))!)?.[0], 'true');
  assert.equal(processOf(g, 1201).key, '1201#3', 'the latest process with the pid');
});

test('times: -tt midnight rollover, and first/last seen', () => {
  const g = graphOf(`
1300 23:59:59.500000 fork()             = 1301
1301 23:59:59.900000 getppid()          = 1300
1301 00:00:00.250000 exit_group(0)      = ?
1301 00:00:00.260000 +++ exited with 0 +++
`);
  assert.equal(g.timeBase, 'midnight');
  const child = taskOf(g, '1301');
  assert.ok(Math.abs(child.lastSeen.time! - 86400.26) < 1e-6, `after midnight: ${child.lastSeen.time}`);
  assert.ok(child.lastSeen.time! > child.firstSeen.time!);
});

test('a log without pid prefixes: the pid comes from set_tid_address; untraced children from clone returns and SIGCHLD', () => {
  const g = graphOf(`
execve("./zombie", ["./zombie"], 0x7ffd /* 3 vars */) = 0
set_tid_address(0x2e3c650)              = 1400
clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x2e3c650) = 1401
--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1401, si_uid=0, si_status=7, si_utime=0, si_stime=0} ---
wait4(-1, 0x7ffd, WNOHANG, NULL)        = 0
exit_group(0)                           = ?
+++ exited with 0 +++
`);
  assert.deepEqual(g.tasks().map((t) => [t.key, t.birth.kind, t.traced]), [['1400', 'root', true], ['1401', 'fork', false]]);
  assert.deepEqual(g.roots().map((p) => p.key), ['1400']);
  const child = taskOf(g, '1401');
  assert.deepEqual([child.end?.kind, child.end?.code, child.end?.source], ['exited', 7, 'sigchld']);
  assert.equal(processOf(g, 1401).unreaped?.zombieWhileParentLived, true);
});

test('lifecycle-only filters: a child first seen by its own line has an unknown birth', () => {
  const g = graphOf(`
1500 execve("./forkexec", ["./forkexec"], 0x7ffd /* 3 vars */) = 0
1501 execve("./child", ["child", "exit", "0"], 0x7ffd /* 3 vars */) = 0
1501 exit_group(0)                      = ?
1501 +++ exited with 0 +++
1500 exit_group(0)                      = ?
1500 +++ exited with 0 +++
`);
  assert.deepEqual(g.tasks().map((t) => [t.key, t.birth.kind]), [['1500', 'root'], ['1501', 'unknown']]);
  assert.equal(g.roots().length, 2);
});

test('getpid() in a task seen without a creation line reveals its thread group', () => {
  const g = graphOf(`
1600 getpid()                           = 1600
1601 getpid()                           = 1600
1601 +++ exited with 0 +++
1600 +++ exited with 0 +++
`);
  assert.equal(g.processes().length, 1);
  assert.deepEqual(processOf(g, 1600).tasks, ['1600', '1601']);
});

test('strace attaching to a multithreaded process: its threads share the group', () => {
  const events: TraceEvent[] = [
    { kind: 'message', text: 'Process 1700 attached with 3 threads', attached: { pid: 1700, threads: 3 }, prefix: {}, line: 1, raw: '' },
    syscall(1702, 'restart_syscall', '<... resuming interrupted read ...>', '0', {}, 2),
    syscall(1700, 'clock_nanosleep', 'CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=100000000}, NULL', '0', {}, 3),
    syscall(1701, 'read', '3, "x", 1', '1', {}, 4),
  ];
  const g = TaskGraph.fromEvents(events);
  assert.equal(g.processes().length, 1);
  assert.equal(taskOf(g, '1700').birth.kind, 'root');
  assert.deepEqual(processOf(g, 1700).tasks.sort(), ['1700', '1701', '1702']);
});

test('toJSON is plain JSON and apply() after finish() is an error', () => {
  const g = graphOf(`
1800 fork()                             = 1801
1801 +++ exited with 0 +++
1800 +++ exited with 0 +++
`);
  const snapshot = g.toJSON();
  assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  assert.equal(snapshot.tasks.length, 2);
  assert.deepEqual(snapshot.roots, ['1800']);
  assert.equal(snapshot.finished, true);
  assert.throws(() => g.apply(syscall(1800, 'getpid', '', '1800')), /after finish/);
});

test('unknown lines are counted, never fatal', () => {
  const g = graphOf(`
1900 fork()                             = 1901
this is not strace output
1900 +++ exited with 0 +++
`);
  assert.equal(g.stats.unknownLines, 1);
  assert.equal(g.stats.unknownSamples[0].line, 2);
  assert.equal(g.processes().length, 2);
});
