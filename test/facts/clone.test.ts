/**
 * The one clone classifier: a table of flag combinations (as strace prints them, and as raw numbers),
 * each with the kind the kernel makes of it. Namespaces win over spawn; combinations the kernel
 * refuses with EINVAL are `invalid` with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseText } from '../../src/parse/index.js';
import type { SyscallEvent } from '../../src/parse/types.js';
import { classifyClone, factOf, type TaskCreationFact } from '../../src/facts/index.js';

function creation(line: string): TaskCreationFact {
  const [event] = parseText(line);
  assert.equal(event.kind, 'syscall', line);
  const fact = factOf(event);
  assert.equal(fact?.fact, 'create', line);
  return fact as TaskCreationFact;
}

const THREAD_FLAGS = 'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID';

const TABLE: ReadonlyArray<{ name: string; line: string; kind: TaskCreationFact['kind']; exitSignal?: string; namespaces?: string[]; sibling?: boolean }> = [
  { name: 'pthread_create (clone)', line: `100 clone(child_stack=0x7f5e1a7fefb0, flags=${THREAD_FLAGS}, parent_tidptr=0x7f5e1a7ff9d0, tls=0x7f5e1a7ff700, child_tidptr=0x7f5e1a7ff9d0) = 101`, kind: 'thread', exitSignal: '0', sibling: true },
  { name: 'pthread_create (clone3)', line: `100 clone3({flags=${THREAD_FLAGS}, child_tid=0x7f3c4e9ff910, parent_tid=0x7f3c4e9ff910, exit_signal=0, stack=0x7f3c4e1ff000, stack_size=0x7fff00, tls=0x7f3c4e9ff640} => {parent_tid=[101]}, 88) = 101`, kind: 'thread', exitSignal: '0' },
  { name: 'glibc fork', line: '100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f5e1a8a3a10) = 102', kind: 'fork', exitSignal: 'SIGCHLD', sibling: false },
  { name: 'fork syscall', line: '100 fork() = 103', kind: 'fork', exitSignal: 'SIGCHLD' },
  { name: 'vfork syscall', line: '100 vfork() = 104', kind: 'vfork', exitSignal: 'SIGCHLD' },
  { name: 'posix_spawn (clone)', line: '100 clone(child_stack=0x7f5e1a000ff0, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 105', kind: 'spawn', exitSignal: 'SIGCHLD' },
  { name: 'posix_spawn (clone3)', line: '100 clone3({flags=CLONE_VM|CLONE_VFORK|CLONE_CLEAR_SIGHAND, exit_signal=SIGCHLD, stack=0x7f8e2b5fe000, stack_size=0x9000}, 88) = 106', kind: 'spawn', exitSignal: 'SIGCHLD' },
  { name: 'CLONE_VFORK without CLONE_VM', line: '100 clone(child_stack=NULL, flags=CLONE_VFORK|SIGCHLD) = 107', kind: 'vfork' },
  { name: 'CLONE_VM without CLONE_THREAD', line: '100 clone(child_stack=0x7f00, flags=CLONE_VM|SIGCHLD) = 108', kind: 'shared-vm' },
  { name: 'spawn into a new PID namespace', line: '100 clone(child_stack=0x7f00, flags=CLONE_VM|CLONE_VFORK|CLONE_NEWPID|SIGCHLD) = 109', kind: 'namespaces', namespaces: ['CLONE_NEWPID'] },
  { name: 'unshare-style fork: user+mount namespaces', line: '100 clone(child_stack=NULL, flags=CLONE_NEWNS|CLONE_NEWUSER|SIGCHLD) = 110', kind: 'namespaces', namespaces: ['CLONE_NEWNS', 'CLONE_NEWUSER'] },
  { name: 'network namespace', line: '100 clone(child_stack=NULL, flags=CLONE_NEWNET|SIGCHLD) = 111', kind: 'namespaces', namespaces: ['CLONE_NEWNET'] },
  { name: 'UTS + IPC namespaces', line: '100 clone(child_stack=NULL, flags=CLONE_NEWUTS|CLONE_NEWIPC|SIGCHLD) = 112', kind: 'namespaces', namespaces: ['CLONE_NEWIPC', 'CLONE_NEWUTS'] },
  { name: 'cgroup namespace', line: '100 clone(child_stack=NULL, flags=CLONE_NEWCGROUP|SIGCHLD) = 113', kind: 'namespaces', namespaces: ['CLONE_NEWCGROUP'] },
  { name: 'time namespace (clone3 only)', line: '100 clone3({flags=CLONE_NEWTIME, exit_signal=SIGCHLD}, 88) = 114', kind: 'namespaces', namespaces: ['CLONE_NEWTIME'] },
  { name: 'CLONE_PARENT: a sibling', line: '100 clone(child_stack=NULL, flags=CLONE_PARENT|SIGCHLD) = 115', kind: 'fork', sibling: true },
  { name: 'no exit signal: a clone child', line: '100 clone(child_stack=NULL, flags=CLONE_FILES) = 116', kind: 'fork', exitSignal: '0' },
  { name: 'another exit signal', line: '100 clone(child_stack=NULL, flags=SIGUSR1) = 117', kind: 'fork', exitSignal: 'SIGUSR1' },
  { name: 'raw thread flags (-X raw: flags first)', line: '100 clone(0x3d0f00, 0x7f5e1a7fefb0, 0x7f5e1a7ff9d0, 0x7f5e1a7ff9d0, 0x7f5e1a7ff700) = 118', kind: 'thread', exitSignal: '0' },
  { name: 'raw fork flags', line: '100 clone(0x1200011, 0, 0, 0x7f5e1a8a3a10, 0) = 119', kind: 'fork', exitSignal: 'SIGCHLD' },
  { name: 'raw spawn into a PID namespace', line: '100 clone(0x20004111, 0x7f00, 0, 0, 0) = 120', kind: 'namespaces', exitSignal: 'SIGCHLD', namespaces: ['CLONE_NEWPID'] },
  { name: 'raw clone3 flags', line: '100 clone3({flags=0x4100, exit_signal=17, stack=0x7f8e2b5fe000, stack_size=0x9000}, 88) = 121', kind: 'spawn', exitSignal: '17' },
  { name: 'CLONE_THREAD without CLONE_VM is invalid', line: '100 clone(child_stack=NULL, flags=CLONE_THREAD|SIGCHLD) = -1 EINVAL (Invalid argument)', kind: 'invalid' },
  { name: 'CLONE_SIGHAND without CLONE_VM is invalid', line: '100 clone(child_stack=NULL, flags=CLONE_SIGHAND|SIGCHLD) = -1 EINVAL (Invalid argument)', kind: 'invalid' },
  { name: 'a thread in a new PID namespace is invalid', line: `100 clone(child_stack=0x7f00, flags=${THREAD_FLAGS}|CLONE_NEWPID) = -1 EINVAL (Invalid argument)`, kind: 'invalid' },
  { name: 'new mount namespace sharing the fs context is invalid', line: '100 clone(child_stack=NULL, flags=CLONE_FS|CLONE_NEWNS|SIGCHLD) = -1 EINVAL (Invalid argument)', kind: 'invalid' },
];

for (const row of TABLE) {
  test(`clone classifier: ${row.name} -> ${row.kind}`, () => {
    const fact = creation(row.line);
    assert.equal(fact.kind, row.kind);
    if (row.exitSignal !== undefined) assert.equal(fact.exitSignal, row.exitSignal);
    if (row.namespaces !== undefined) assert.deepEqual([...fact.namespaces].sort(), [...row.namespaces].sort());
    if (row.sibling !== undefined) assert.equal(fact.sibling, row.sibling);
    if (row.kind === 'invalid') {
      assert.match(fact.invalid ?? '', /CLONE_/);
      assert.equal(fact.ok, false);
      assert.equal(fact.errno, 'EINVAL');
      assert.equal(fact.child, undefined);
    } else {
      assert.equal(fact.invalid, undefined);
      assert.equal(fact.ok, true);
      assert.ok(fact.child !== undefined && fact.child > 100);
    }
  });
}

test('clone classifier: the kind does not depend on how the flags are spelled', () => {
  const named = creation('1 clone(child_stack=0x7f00, flags=CLONE_VM|CLONE_VFORK|CLONE_NEWPID|SIGCHLD) = 2');
  const raw = creation('1 clone(0x20004111, 0x7f00, 0, 0, 0) = 2');
  assert.deepEqual(raw.flags, named.flags);
  assert.equal(raw.kind, named.kind);
  assert.equal(named.printedSignal, 'SIGCHLD');
  assert.equal(raw.printedSignal, undefined);
});

test('clone classifier: classifyClone on names alone', () => {
  assert.equal(classifyClone('clone', ['CLONE_VM', 'CLONE_VFORK']).kind, 'spawn');
  assert.equal(classifyClone('clone', ['CLONE_VM', 'CLONE_VFORK', 'CLONE_NEWPID']).kind, 'namespaces');
  assert.equal(classifyClone('vfork', []).kind, 'vfork');
  assert.equal(classifyClone('clone', ['CLONE_THREAD']).kind, 'invalid');
  assert.equal(classifyClone('clone', []).kind, 'fork');
});

test('clone fact: stack, TLS and the TID words, from the named and the clone3 forms', () => {
  const c = creation(`100 clone(child_stack=0x7f5e1a7fefb0, flags=${THREAD_FLAGS}, parent_tidptr=0x7f5e1a7ff9d0, tls=0x7f5e1a7ff700, child_tidptr=0x7f5e1a7ff9d1) = 101`);
  assert.equal(c.stack, 0x7f5e1a7fefb0n);
  assert.equal(c.tls, 0x7f5e1a7ff700n);
  assert.equal(c.childTid, 0x7f5e1a7ff9d1n);
  assert.equal(c.parentTid, 0x7f5e1a7ff9d0n);
  const c3 = creation(`100 clone3({flags=${THREAD_FLAGS}, child_tid=0x7f3c4e9ff910, parent_tid=0x7f3c4e9ff910, exit_signal=0, stack=0x7f3c4e1ff000, stack_size=0x7fff00, tls=0x7f3c4e9ff640} => {parent_tid=[101]}, 88) = 101`);
  assert.equal(c3.stack, 0x7f3c4e1ff000n);
  assert.equal(c3.stackSize, 0x7fff00n);
  assert.equal(c3.childTid, 0x7f3c4e9ff910n);
  assert.equal(c3.child, 101);
});

test('clone fact: bits no table names are kept as hex', () => {
  const c = creation('1 clone3({flags=CLONE_VM|0x800000000, exit_signal=SIGCHLD}, 88) = -1 EINVAL (Invalid argument)');
  assert.deepEqual(c.flags, ['CLONE_VM', '0x800000000']);
});

test('clone fact: an event asked about again (model, then explain) is decoded once', () => {
  const [event] = parseText('1 clone(child_stack=NULL, flags=SIGCHLD) = 2') as SyscallEvent[];
  assert.equal(factOf(event), factOf(event));
});
