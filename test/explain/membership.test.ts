/**
 * Issue 17 item 3: explain's summary counts processes like `tree` does: a task with no creation line
 * and nothing tying it to a thread group is neither counted as a process nor guessed to be one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainLog } from './support.js';
import { TaskGraph } from '../../src/model/index.js';
import { buildTree } from '../../src/render/tree/build.js';
import { parseText } from '../../src/parse/index.js';

// A filtered Go-style log: threads seen only by their calls, no clone line, no tgkill.
const goLog = `
  [pid 2001] futex(0xc000100148, FUTEX_WAKE_PRIVATE, 1) = 1
  [pid 2002] futex(0xc000100148, FUTEX_WAIT_PRIVATE, 0, NULL) = 0
  [pid 2003] epoll_pwait(4, [], 128, 0, NULL, 0) = 0
  [pid 2001] nanosleep({tv_sec=0, tv_nsec=20000}, NULL) = 0
`;

test('tasks of unknown membership are counted apart, the same in explain and tree', () => {
  const { summary } = explainLog(goLog);
  const graph = new TaskGraph();
  for (const e of parseText(goLog.replace(/^\s+/gm, ''))) graph.apply(e);
  graph.finish();
  const tree = buildTree(graph).summary;
  assert.equal(summary.threads, 3);
  assert.equal(summary.processes, tree.processes);
  assert.equal(summary.ungrouped ?? 0, tree.ungrouped);
  assert.ok((summary.ungrouped ?? 0) >= 2, JSON.stringify(summary));
});

test('a log whose tasks are all tied to their groups has no ungrouped count', () => {
  const { summary } = explainLog(`
    100 clone(child_stack=0x7f, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM) = 101
    101 exit(0) = ?
    101 +++ exited with 0 +++
    100 exit_group(0) = ?
    100 +++ exited with 0 +++
  `);
  assert.equal(summary.processes, 1);
  assert.equal(summary.threads, 2);
  assert.equal(summary.ungrouped, undefined);
});
