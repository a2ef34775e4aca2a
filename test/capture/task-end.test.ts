/** How an attached target ended, read from its `+++` line through the parser (no regex of capture's own). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { taskEnd } from '../../src/capture/trace.js';

test('taskEnd: the target\'s exit or kill line, with or without a timestamp; other pids and lines give nothing', () => {
  assert.deepEqual(taskEnd('4242  +++ exited with 3 +++', 4242), { code: 3, signal: null });
  assert.deepEqual(taskEnd('4242  12:00:01.123456 +++ killed by SIGTERM +++', 4242), { code: null, signal: 'SIGTERM' });
  assert.deepEqual(taskEnd('4242 1700000000.000001 +++ killed by SIGSEGV (core dumped) +++', 4242), { code: null, signal: 'SIGSEGV' });
  assert.equal(taskEnd('4243  +++ exited with 0 +++', 4242), undefined);
  assert.equal(taskEnd('4242  write(1, "+++ exited with 9 +++\\n", 21) = 21', 4242), undefined);
  assert.equal(taskEnd('4242  exit_group(0) = ?', 4242), undefined);
});
