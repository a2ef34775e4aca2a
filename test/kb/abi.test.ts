/**
 * The i386 and aarch64 tables against the machine's kernel headers (asm/unistd_32.h and the
 * generic asm-generic/unistd.h with arm64's choices), and the i386 equivalents against the x86-64
 * table: every i386-only name is explained through a real x86-64 call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headerConstants } from './header-macros.js';
import { I386_EQUIVALENTS, abiNames, syscallByName, syscallNameOnAbi, syscallNumberOnAbi, syscallOnAbi, SYSCALLS } from '../../src/kb/index.js';

test('i386 numbers match asm/unistd_32.h below the shared range', () => {
  const nr = headerConstants(['asm/unistd_32.h'], /^__NR_/);
  assert.ok(nr.size >= 400, `only ${nr.size} i386 syscalls in the header`);
  for (const [macro, value] of nr) {
    const name = macro.slice('__NR_'.length);
    assert.equal(syscallNumberOnAbi(name, 'i386'), Number(value), name);
  }
});

test('aarch64 numbers match the generic table arm64 uses', () => {
  const defines = ['__ARCH_WANT_RENAMEAT', '__ARCH_WANT_NEW_STAT', '__ARCH_WANT_SET_GET_RLIMIT', '__ARCH_WANT_TIME32_SYSCALLS', '__ARCH_WANT_SYS_CLONE3', '__ARCH_WANT_MEMFD_SECRET'];
  // The defines come first through a small header of our own, included by absolute path.
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-abi-'));
  const wants = join(dir, 'arm64-wants.h');
  writeFileSync(wants, defines.map((d) => `#define ${d} 1\n`).join(''));
  let nr: Map<string, bigint>;
  try {
    nr = headerConstants([wants, 'asm-generic/unistd.h'], /^__NR_/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const names = [...nr.keys()].map((m) => m.slice('__NR_'.length)).filter((n) => n !== 'syscalls' && n !== 'arch_specific_syscall' && !n.startsWith('3264'));
  assert.ok(names.length >= 270, `only ${names.length} generic syscalls`);
  for (const name of names) assert.equal(syscallNumberOnAbi(name, 'aarch64'), Number(nr.get(`__NR_${name}`)), name);
  assert.equal(syscallNameOnAbi(293, 'aarch64'), 'rseq');
  assert.equal(syscallNameOnAbi(293, 'x86_64'), 'pipe2');
  assert.equal(syscallNameOnAbi(435, 'aarch64'), 'clone3', 'numbers from 424 on are shared');
});

test('every i386-only name has an equivalent that exists on x86-64, and none is unknown', () => {
  for (const [name, eq] of Object.entries(I386_EQUIVALENTS)) assert.ok(syscallByName(eq.like), `${name}: ${eq.like} is not an x86-64 syscall`);
  const x86 = new Set(SYSCALLS.map((s) => s.name));
  const missing = abiNames('i386').filter((n) => !x86.has(n) && syscallOnAbi(n, 'i386') === undefined);
  assert.deepEqual(missing, []);
  assert.deepEqual(abiNames('aarch64').filter((n) => !x86.has(n)), [], 'aarch64 has no name x86-64 lacks');
  assert.equal(syscallOnAbi('mmap2')?.category, 'memory');
  assert.equal(syscallOnAbi('syscall_0x125', 'aarch64')?.name, 'rseq');
});
