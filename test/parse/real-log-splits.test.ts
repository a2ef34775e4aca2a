/**
 * Lines split, glued and interleaved the way they are in strace logs written by other people (issue 17,
 * issue 10): each test is built from lines of the same shape as the real ones quoted in the issue.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseText, valueText } from '../../src/parse/index.js';
import type { MessageEvent, OutputEvent, SyscallEvent, TraceEvent } from '../../src/parse/index.js';
import { splitOpenerOutput } from '../../src/parse/splice.js';
import { TaskGraph } from '../../src/model/index.js';
import { explainAll } from '../../src/explain/index.js';

const syscalls = (events: TraceEvent[]): SyscallEvent[] => events.filter((e): e is SyscallEvent => e.kind === 'syscall');
const outputs = (events: TraceEvent[]): OutputEvent[] => events.filter((e): e is OutputEvent => e.kind === 'output');
const unknowns = (events: TraceEvent[]): TraceEvent[] => events.filter((e) => e.kind === 'unknown');
const messages = (events: TraceEvent[]): MessageEvent[] => events.filter((e): e is MessageEvent => e.kind === 'message');

test('issue 17.5: a wait4 the child\'s output split in two (no -f) is joined and reaps the child', () => {
  const log = [
    'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f3a1c2e9a10) = 12730',
    'wait4(12730, Running test suite',
    'test 1 passed',
    'test 2 FAILED',
    '[{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 12730',
    '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=12730, si_uid=1000, si_status=1, si_utime=0, si_stime=0} ---',
    'nanosleep({tv_sec=1, tv_nsec=0}, NULL) = 0',
  ];
  const events = parseText(log.join('\n'));
  assert.deepEqual(unknowns(events), []);
  const wait = syscalls(events).find((e) => e.name === 'wait4')!;
  assert.equal(wait.argsText, '12730, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL');
  assert.equal(wait.ret?.value, '12730');
  assert.deepEqual([wait.line, wait.endLine], [2, 5]);
  assert.equal(valueText(wait.args[1]), '[{WIFEXITED(s) && WEXITSTATUS(s) == 1}]');
  assert.deepEqual(outputs(events).map((e) => [e.line, e.text]), [[2, 'Running test suite'], [3, 'test 1 passed'], [4, 'test 2 FAILED']]);

  // Output that merely looks like the end of a call is not taken for the rest.
  const lookalike = parseText(['wait4(12730, checking', 'result) = 3', '[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 12730'].join('\n'));
  assert.deepEqual(syscalls(lookalike).map((e) => [e.argsText, e.ret?.value]), [['12730, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL', '12730']]);
  assert.deepEqual(outputs(lookalike).map((e) => e.text), ['checking', 'result) = 3']);

  // The model sees the reap: 12730 is no zombie.
  const graph = new TaskGraph();
  for (const e of events) graph.apply(e);
  graph.finish();
  assert.deepEqual(graph.unreaped().map((p) => p.tgid), []);
  assert.deepEqual(graph.reaps().map((r) => r.process.tgid), [12730]);
});

test('glued output is told from the arguments strace printed before it', () => {
  assert.deepEqual(splitOpenerOutput('12730, OK, 3 passed'), { args: '12730, ', output: 'OK, 3 passed' });
  assert.deepEqual(splitOpenerOutput('CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=0}, tick 1'), { args: 'CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=0}, ', output: 'tick 1' });
  assert.deepEqual(splitOpenerOutput('3, '), { args: '3, ', output: '' });
  assert.equal(splitOpenerOutput('Hello'), null);
});

test('issue 17.6: typed input echoed into an open read(0, ...) line is stitched', () => {
  const events = parseText(['read(0, file1.txt', '"file1.txt\\n", 1024) = 10', 'openat(AT_FDCWD, "file1.txt", O_RDONLY) = 3'].join('\n'));
  assert.deepEqual(unknowns(events), []);
  const [read, open] = syscalls(events);
  assert.equal(read.name, 'read');
  assert.deepEqual(read.args.map(valueText), ['0', '"file1.txt\\n"', '1024']);
  assert.equal(read.ret?.value, '10');
  assert.deepEqual([read.line, read.endLine], [1, 2]);
  assert.equal(open.ret?.value, '3');
  assert.deepEqual(outputs(events).map((e) => e.text), ['file1.txt']);

  // With -f, strace closes the echoed line with <unfinished ...> when another task prints first.
  const threaded = parseText([
    '[pid  5001] read(0, file1.txt',
    ' <unfinished ...>',
    '[pid  5002] getpid()                    = 5000',
    '[pid  5001] <... read resumed>"file1.txt\\n", 1024) = 10',
  ].join('\n'));
  assert.deepEqual(unknowns(threaded), []);
  const joined = syscalls(threaded).find((e) => e.name === 'read')!;
  assert.equal(joined.state, 'joined');
  assert.deepEqual(joined.args.map(valueText), ['0', '"file1.txt\\n"', '1024']);
  assert.deepEqual(outputs(threaded).map((e) => [e.line, e.text, e.prefix.pid]), [[1, 'file1.txt', 5001]]);
});

test('issue 17.6: output holding "[" or a quote inside a write\'s line is cut out', () => {
  const events = parseText(['write(2, "[", 1[)    = 1', 'write(2, "\\"", 1")    = 1', 'write(2, "]", 1])    = 1', 'write(1, "[\\n", 2[', ')                       = 2'].join('\n'));
  assert.deepEqual(unknowns(events), []);
  const writes = syscalls(events);
  assert.deepEqual(writes.map((w) => [w.argsText, w.ret?.value]), [['2, "[", 1', '1'], ['2, "\\"", 1', '1'], ['2, "]", 1', '1'], ['1, "[\\n", 2', '2']]);
  assert.deepEqual(outputs(events).map((e) => e.text), ['[', '"', ']', '[']);
});

test('issue 17.6: a thread\'s output glued to its write before strace closes the line with <unfinished ...>', () => {
  const events = parseText([
    '[pid  1961] write(1, "Thread running\\n", 15Thread running',
    ' <unfinished ...>',
    '[pid  1960] rt_sigprocmask(SIG_BLOCK, ~[],  <unfinished ...>',
    '[pid  1961] <... write resumed>)        = 15',
    '[pid  1960] <... rt_sigprocmask resumed>[], 8) = 0',
  ].join('\n'));
  assert.deepEqual(unknowns(events), []);
  const write = syscalls(events).find((e) => e.name === 'write')!;
  assert.equal(write.argsText, '1, "Thread running\\n", 15');
  assert.equal(write.state, 'joined');
  assert.deepEqual(outputs(events).map((e) => [e.text, e.prefix.pid]), [['Thread running', 1961]]);
});

test('issue 10.10: a program-output line alone on a line is the output of the write in progress', () => {
  const events = parseText([
    '[pid  1962] write(1, "Thread running\\n", 15 <unfinished ...>',
    '[pid  1960] <... rt_sigprocmask resumed>[], 8) = 0',
    'Thread running',
    '[pid  1962] <... write resumed>)        = 15',
    '[pid  1963] write(1, "Thread running\\n", 15Thread running',
    ')      = 15',
  ].join('\n'));
  assert.deepEqual(unknowns(events), []);
  assert.deepEqual(outputs(events).map((e) => [e.line, e.text, e.prefix.pid]), [[3, 'Thread running', 1962], [5, 'Thread running', 1963]]);
  // A line no write in progress holds stays unknown.
  const stray = parseText(['[pid  1962] write(1, "Thread running\\n", 15 <unfinished ...>', 'Something else', '[pid  1962] <... write resumed>) = 15'].join('\n'));
  assert.deepEqual(unknowns(stray).map((e) => e.line), [2]);
});

test('issue 17.7: a line cut by an attach message never swallows the next lines that parse on their own', () => {
  const events = parseText([
    '[pid 513336] sigaltstack(NULL, strace: Process 513337 attached',
    '[pid 513337] gettid() = 513337',
    '[pid 513337] --- SIGURG {si_signo=SIGURG, si_code=SI_TKILL, si_pid=513335, si_uid=1000} ---',
    '[pid 513337] --- SIGURG {si_signo=SIGURG, si_code=SI_TKILL, si_pid=513335, si_uid=1000} ---',
    '{ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0',
    '[pid 513336] futex(0xc000080148, FUTEX_WAKE_PRIVATE, 1strace: Process 513338 attached',
    '[pid 513338] --- SIGURG {si_signo=SIGURG, si_code=SI_TKILL, si_pid=513335, si_uid=1000} ---',
    '[pid 513336] <... futex resumed>)       = 1',
  ].join('\n'));
  assert.deepEqual(unknowns(events), []);
  const calls = syscalls(events);
  assert.deepEqual(calls.map((e) => [e.name, e.prefix.pid, e.line, e.ret?.value]), [
    ['gettid', 513337, 2, '513337'],
    ['sigaltstack', 513336, 1, '0'],
    ['futex', 513336, 6, '1'],
  ]);
  assert.equal(calls[1].argsText, 'NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}');
  assert.equal(calls[2].argsText, '0xc000080148, FUTEX_WAKE_PRIVATE, 1');
  assert.equal(events.filter((e) => e.kind === 'signal').length, 3);
  assert.equal(messages(events).length, 2);
});

test('issue 17.13: an attach message inside or during a clone is strace -f following the child, not an attach', () => {
  const glued = parseText([
    '[pid  6841] clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 6842 attached',
    ', child_tidptr=0x7f6d2a1b7a10) = 6842',
  ].join('\n'));
  assert.deepEqual(messages(glued)[0].attached, { pid: 6842, how: 'follow', parent: 6841 });
  assert.equal(syscalls(glued)[0].ret?.value, '6842');

  const during = parseText(['[pid  6841] vfork( <unfinished ...>', 'strace: Process 6843 attached', '[pid  6843] execve("/bin/true", ["true"], 0x7ffd1 /* 3 vars */) = 0', '[pid  6841] <... vfork resumed>) = 6843'].join('\n'));
  assert.deepEqual(messages(during)[0].attached, { pid: 6843, how: 'follow', parent: 6841 });

  // Two children announced while the clone line is cut: both are followed.
  const twice = parseText([
    '[pid  6841] clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 6845 attached',
    'strace: Process 6846 attached',
    ', child_tidptr=0x7f6d2a1b7a10) = 6845',
  ].join('\n'));
  assert.deepEqual(messages(twice).map((m) => m.attached), [{ pid: 6845, how: 'follow', parent: 6841 }, { pid: 6846, how: 'follow', parent: 6841 }]);
  assert.equal(syscalls(twice)[0].ret?.value, '6845');

  const after = parseText(['clone(child_stack=NULL, flags=SIGCHLD) = 6844', 'strace: Process 6844 attached'].join('\n'));
  assert.equal(messages(after)[0].attached?.how, 'follow');

  const attach = parseText(['strace: Process 6840 attached', 'restart_syscall(<... resuming interrupted read ...>) = 0'].join('\n'));
  assert.deepEqual(messages(attach)[0].attached, { pid: 6840, how: 'attach' });

  // explain says so (it used to say "tracing starts mid-flight" for both).
  const texts = explainAll(glued).items.filter((i) => i.event.kind === 'message').map((i) => i.explanation?.text ?? '');
  assert.match(texts[0], /follows new task 6842, created by 6841/);
  assert.doesNotMatch(texts[0], /mid-flight/);
});

test('issue 17.16: -c table rows have their own kind, not "summary"', () => {
  const events = parseText([
    '% time     seconds  usecs/call     calls    errors syscall',
    '------ ----------- ----------- --------- --------- ----------------',
    ' 82.67    0.001441         360         4           wait4',
    '  0.00    0.000000           0         6         3 execve',
    '------ ----------- ----------- --------- --------- ----------------',
    '100.00    0.001743          28        62         4 total',
  ].join('\n'));
  assert.deepEqual(events.map((e) => e.kind), Array(6).fill('summary-row'));
  assert.deepEqual(events.map((e) => (e.kind === 'summary-row' ? e.row : '')), ['header', 'separator', 'data', 'data', 'separator', 'total']);
});

test('issue 10.13: a resumed half without its opener has no argument positions, only trailing arguments', () => {
  const events = parseText(['10002 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 10003', '10002 <... read resumed>"abc", 1024) = 3'].join('\n'));
  const [wait, read] = syscalls(events);
  assert.equal(wait.state, 'resumed');
  assert.equal(wait.orphanResume, true);
  assert.equal(wait.ret?.value, '10003');
  // Positions are unknown: no value at index 2 may pass for wait4's options.
  assert.deepEqual(wait.args, []);
  assert.equal(wait.argAt?.(1), undefined);
  assert.equal(wait.argAt?.(2), undefined);
  assert.deepEqual(wait.tailArgs?.().map(valueText), ['[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]', '0', 'NULL']);
  assert.deepEqual(read.tailArgs?.().map(valueText), ['"abc"', '1024']);
  // A joined call is not orphaned.
  const joined = syscalls(parseText(['5 read(3,  <unfinished ...>', '5 <... read resumed>"abc", 1024) = 3'].join('\n')))[0];
  assert.equal(joined.orphanResume, undefined);
  assert.deepEqual(joined.args.map(valueText), ['3', '"abc"', '1024']);
});
