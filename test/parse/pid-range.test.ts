/** PIDs in logs (issue 9.8): a pid field no process can have makes the line unknown, never a task. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseText, pidFromFileName } from '../../src/parse/index.js';
import { TaskGraph } from '../../src/model/index.js';

const LOG = [
  '100 execve("/bin/true", ["true"], 0x7ffd /* 1 vars */) = 0',
  '0 brk(NULL) = 0x55',
  '100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = 101',
  '99999999999 getpid() = 5',
  '[pid 0] getpid() = 1',
  '4194305<x> getpid() = 1',
  '101 exit_group(0) = ?',
  '101 +++ exited with 0 +++',
  '100 exit_group(0) = ?',
  '100 +++ exited with 0 +++',
].join('\n');

test('pid 0 and absurd pids: unknown lines with the reason; the tree has only the real processes', () => {
  const events = parseText(LOG);
  const unknown = events.filter((e) => e.kind === 'unknown');
  assert.deepEqual(unknown.map((e) => e.line), [2, 4, 5, 6]);
  assert.match(unknown[0].kind === 'unknown' ? unknown[0].reason : '', /pid field 0 is not a process ID \(PIDs start at 1\)/);
  assert.match(unknown[1].kind === 'unknown' ? unknown[1].reason : '', /pid field 99999999999 is not a process ID \(above the largest possible PID/);
  for (const e of unknown) assert.equal(e.prefix.pid, undefined);
  const graph = new TaskGraph();
  for (const e of events) graph.apply(e);
  graph.finish();
  assert.deepEqual(graph.processes().map((p) => p.tgid).sort(), [100, 101]);
});

test('-ff file names: a suffix out of range is not a tid', () => {
  assert.equal(pidFromFileName('trace.1234'), 1234);
  assert.equal(pidFromFileName('trace.0'), undefined);
  assert.equal(pidFromFileName('trace.99999999999'), undefined);
});
