/** PidAttribution: the pid of lines that print none, from the live tasks the log announced. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PidAttribution } from '../../src/parse/attribution.js';

test('an unprefixed line belongs to the only live task; with two live tasks it has no pid', () => {
  const pids = new PidAttribution();
  assert.equal(pids.prefixOf('execve("/bin/sh", ["sh"], 0x7ffd /* 3 vars */) = 0').prefix.pid, undefined); // the unnamed first process
  assert.equal(pids.prefixOf('[pid   100] getpid() = 100').prefix.pid, 100); // the first process's pid shows up
  const only = pids.prefixOf('getpid() = 100').prefix;
  assert.deepEqual([only.pid, only.pidSource], [100, 'inferred']);
  pids.created(101, 100);
  assert.equal(pids.prefixOf('getpid() = 101').prefix.pid, undefined); // two live: cannot tell
  assert.deepEqual(pids.takeCreator(101), { found: true, creator: 100 });
  assert.deepEqual(pids.takeCreator(101), { found: false }); // read once
  pids.ended(100);
  assert.equal(pids.prefixOf('getpid() = 101').prefix.pid, 101);
});

test('a -ff file gives every line its tid; after a non-leader execve the process goes on under the leader pid', () => {
  assert.deepEqual(new PidAttribution(42).prefixOf('getpid() = 42').prefix, { pid: 42, pidSource: 'file' });
  const pids = new PidAttribution();
  pids.announce(200);
  pids.announce(201);
  pids.ended(200); // `200 +++ superseded by execve in pid 201 +++`
  pids.superseded(201, 200); // thread 201's tid is gone; the process is 200 again
  assert.equal(pids.prefixOf('brk(NULL) = 0x55').prefix.pid, 200);
});
