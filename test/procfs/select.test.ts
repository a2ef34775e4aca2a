/** ps's process selection as a library function (issue 11 item 2): pids with descendants, kernel threads, user, name. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectProcesses, TasklensError, type ProcessEntry } from '../../src/index.js';

function entry(pid: number, ppid: number, comm: string, more: Partial<ProcessEntry> = {}): ProcessEntry {
  return { pid, ppid, comm, uid: 1000, kernelThread: false, cmdline: [comm], ...more } as ProcessEntry;
}

const list = [
  entry(1, 0, 'init', { uid: 0 }),
  entry(2, 0, 'kthreadd', { uid: 0, kernelThread: true, cmdline: [] }),
  entry(10, 1, 'nginx', { cmdline: ['nginx', '-g', 'daemon off;'] }),
  entry(11, 10, 'worker', { cmdline: ['nginx: worker process'] }),
  entry(20, 1, 'bash'),
];
const users = new Map([[0, 'root'], [1000, 'me']]);
const pids = (r: { shown: ProcessEntry[] }) => r.shown.map((p) => p.pid);

test('selectProcesses: requested PIDs keep their descendants; unknown ones are reported missing', () => {
  const r = selectProcesses(list, { pids: [10, 4194304] }, users);
  assert.deepEqual(pids(r), [10, 11]);
  assert.deepEqual(r.missing, [4194304]);
  assert.deepEqual(pids(selectProcesses(list, {}, users)), [1, 2, 10, 11, 20]);
});

test('selectProcesses: kernel threads, user by name or UID, name in comm or command line, never itself', () => {
  assert.deepEqual(pids(selectProcesses(list, { kernel: false }, users)), [1, 10, 11, 20]);
  assert.deepEqual(pids(selectProcesses(list, { user: 'root' }, users)), [1, 2]);
  assert.deepEqual(pids(selectProcesses(list, { user: '1000' }, users)), [10, 11, 20]);
  assert.deepEqual(pids(selectProcesses(list, { name: 'NGINX', self: 999 }, users)), [10, 11]);
  assert.deepEqual(pids(selectProcesses(list, { name: 'nginx', self: 11 }, users)), [10]);
  assert.throws(() => selectProcesses(list, { user: 'nobody-here' }, users), (e: unknown) => e instanceof TasklensError && e.code === 'unknown-user' && e.exitCode === 2);
});
