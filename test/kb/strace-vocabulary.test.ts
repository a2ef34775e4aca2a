/**
 * Runs real programs under real strace and checks that the knowledge base knows every syscall name
 * and every symbolic constant strace printed: the vocabulary the explainer will meet first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SYSCALLS, syscallByName, findFlag, signalByName, errnoByName, capabilityByName, WAIT_STATUS_MACROS,
} from '../../src/kb/index.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the test');
    dir = parent;
  }
  return dir;
}

// Workloads of the corpus that run on their own and finish quickly, built dynamically so the
// loader's start-up (mmap flags, mprotect, arch_prctl...) appears in the trace too.
const WORKLOADS = ['threads', 'signals', 'eintr', 'net', 'pipeline', 'forkexec', 'vfork', 'spawn'];

/** Words strace prints that are not constants of any table: the NULL pointer and the wait macros. */
const NOT_CONSTANTS = new Set(['NULL', ...WAIT_STATUS_MACROS.map((m) => m.name)]);

function knows(token: string): boolean {
  return NOT_CONSTANTS.has(token) || findFlag(token).length > 0 || signalByName(token) !== undefined
    || errnoByName(token) !== undefined || (token.startsWith('CAP_') && capabilityByName(token) !== undefined);
}

test('every syscall and constant in real strace output of the corpus workloads is in the knowledge base', () => {
  const root = repoRoot();
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-kb-strace-'));
  try {
    const logs: string[] = [];
    for (const w of WORKLOADS) {
      const exe = join(dir, w);
      execFileSync('gcc', ['-O1', '-pthread', '-o', exe, join(root, 'test', 'workloads', 'corpus', `${w}.c`)]);
      const log = join(dir, `${w}.log`);
      const r = spawnSync('strace', ['-f', '-v', '-o', log, exe], { cwd: dir, stdio: 'ignore', timeout: 20_000 });
      assert.equal(r.error, undefined, `strace on ${w}: ${r.error}`);
      logs.push(log);
    }
    const ls = join(dir, 'ls.log');
    spawnSync('strace', ['-f', '-v', '-o', ls, 'sh', '-c', 'ls -l / >/dev/null; cat /proc/self/status >/dev/null'], { cwd: dir, stdio: 'ignore', timeout: 20_000 });
    logs.push(ls);

    const syscalls = new Set<string>();
    const tokens = new Set<string>();
    for (const log of logs) {
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        const call = /^\d+\s+(?:<\.\.\. )?([a-z_][a-z0-9_]*)[( ]/.exec(line);
        if (call && !line.includes('+++') && !line.includes('---')) syscalls.add(call[1]);
        // Constants only outside quoted strings (argv, environment and file contents are data).
        const code = line.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\([A-Z][a-z][^)]*\)/g, '');
        for (const m of code.matchAll(/\b_{0,2}[A-Z][A-Z0-9_]{2,}\b/g)) tokens.add(m[0]);
      }
    }
    assert.ok(syscalls.size >= 40, `only ${syscalls.size} distinct syscalls traced`);
    assert.ok(tokens.size >= 60, `only ${tokens.size} distinct constants seen`);
    assert.deepEqual([...syscalls].filter((s) => !syscallByName(s)).sort(), [], 'syscalls missing from the table');
    assert.deepEqual([...tokens].filter((t) => !knows(t)).sort(), [], 'constants missing from the tables');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(existsSync(dir), false, 'temporary build directory removed');
});

test('strace accepts every syscall name of the table that the installed headers also have', () => {
  const names = SYSCALLS.filter((s) => s.since === undefined).map((s) => s.name);
  const r = spawnSync('strace', ['-e', `trace=${names.join(',')}`, '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `strace rejected a name: ${r.stderr}`);
});
