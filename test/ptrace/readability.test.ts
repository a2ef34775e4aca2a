/**
 * Snapshot readability (issue 10 item 8): C++ and Rust names demangled (checked against c++filt and
 * the Rust mangling spec), source file:line from .debug_line (DWARF 4 and 5, -O1 and -O2, checked
 * against eu-addr2line), and threads with identical stacks printed once (50 parked C++ threads).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demangle } from '../../src/ptrace/demangle.js';
import { LineTable } from '../../src/ptrace/dwarf/line.js';
import { findSection, parseElf, sectionData } from '../../src/ptrace/elf/elf.js';
import { fileSource } from '../../src/ptrace/elf/source.js';
import { palette } from '../../src/render/color.js';
import { renderSnapshotText } from '../../src/render/snapshot/text.js';
import { tidRanges } from '../../src/render/snapshot/groups.js';
import type { Snapshot, ThreadSnapshot } from '../../src/ptrace/snapshot.js';
import { root, runCli } from './support.js';

const SOURCE = join(root, 'test', 'workloads', 'snapshot', 'parked.cpp');

function compileParked(flags: string[]): string {
  const out = join(root, 'build', 'test-workloads', `parked${flags.join('')}`);
  mkdirSync(join(root, 'build', 'test-workloads'), { recursive: true });
  execFileSync('g++', ['-Wall', '-pthread', ...flags, '-o', out, SOURCE], { stdio: 'inherit' });
  return out;
}

/** 1-based line of the source that holds `marker`. */
function lineOf(marker: string): number {
  return readFileSync(SOURCE, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;
}

function lineTableOf(binary: string): LineTable {
  const elf = parseElf(fileSource(binary));
  const read = (name: string): Buffer | undefined => {
    const s = findSection(elf, name);
    return s && sectionData(elf, s);
  };
  return new LineTable({ debugLine: read('.debug_line')!, debugLineStr: read('.debug_line_str'), debugStr: read('.debug_str') });
}

describe('demangling', () => {
  test('C++ names read as c++filt prints them', () => {
    const names = [
      '_ZNSt6vectorIiSaIiEE9push_backERKi',
      '_ZN13tasklens_test6ParkerIiE4parkEi',
      '_ZN13tasklens_test6workerEi',
      '_ZZ4mainENKUlvE_clEv',
      '_ZNKSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE4sizeEv',
      '_ZN9__gnu_cxx13new_allocatorIcED2Ev',
      '_ZNSt6thread11_State_implINS_8_InvokerISt5tupleIJPFviEiEEEEE6_M_runEv',
      '_ZN13tasklens_test6ParkerIiE4parkEi.isra.0',
    ];
    const expected = execFileSync('c++filt', names, { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(names.map((n) => demangle(n)), expected);
  });

  test('Rust legacy (hash dropped) and v0 names', () => {
    assert.equal(demangle('_ZN3foo3bar17h05af221e174051e9E'), 'foo::bar');
    assert.equal(demangle('_ZN5tokio7runtime4task3raw7RawTask4poll17h1234567890abcdefE'), 'tokio::runtime::task::raw::RawTask::poll');
    assert.equal(demangle('_RNvCs15kBYyAo9fc_7mycrate7example'), 'mycrate::example');
  });

  test('C names, malformed and hostile names stay as they are', () => {
    for (const name of ['main', 'pthread_cond_wait', '__libc_start_main', '_Zbad', '_Z', '_RNv', '_ZN\x1b]2;x\x07']) assert.equal(demangle(name), undefined, name);
  });
});

describe('.debug_line reader', () => {
  for (const flags of [['-g', '-gdwarf-4', '-O1'], ['-g', '-gdwarf-5', '-O1'], ['-g', '-gdwarf-4', '-O2'], ['-g', '-gdwarf-5', '-O2']]) {
    test(`file, line and column of every third .text address match eu-addr2line (${flags.join(' ')})`, () => {
      const binary = compileParked(flags);
      const table = lineTableOf(binary);
      assert.equal(table.skippedUnits, 0);
      const text = findSection(parseElf(fileSource(binary)), '.text')!;
      const addresses: string[] = [];
      for (let a = text.addr; a < text.addr + BigInt(text.size); a += 3n) addresses.push(`0x${a.toString(16)}`);
      const eu = execFileSync('eu-addr2line', ['-e', binary, ...addresses], { encoding: 'utf8' }).trim().split('\n');
      // GNU addr2line says where no line table covers an address (crt code, padding): eu-addr2line then
      // repeats the previous row, which is not an answer to compare with.
      const gnu = execFileSync('addr2line', ['-e', binary, ...addresses], { encoding: 'utf8' }).trim().split('\n');
      let compared = 0;
      addresses.forEach((a, i) => {
        if (/^\?\?:|:[?0]$/.test(gnu[i])) return;
        const ours = table.lookup(BigInt(a));
        assert.ok(ours, `${a}: no row, eu-addr2line says ${eu[i]}`);
        assert.equal(`${ours.file}:${ours.line}${ours.column ? `:${ours.column}` : ''}`, eu[i], a);
        compared++;
      });
      assert.ok(compared > 100, `only ${compared} addresses compared`);
    });
  }

  test('a truncated or garbage table gives no rows for the bad units and never throws', () => {
    const binary = compileParked(['-g', '-gdwarf-5', '-O1']);
    const elf = parseElf(fileSource(binary));
    const debugLine = sectionData(elf, findSection(elf, '.debug_line')!)!;
    const cut = new LineTable({ debugLine: debugLine.subarray(0, Math.floor(debugLine.length / 2)) });
    assert.ok(cut.skippedUnits >= 1);
    const garbage = Buffer.alloc(4096, 0xa5);
    garbage.writeUInt32LE(100, 0);
    const bad = new LineTable({ debugLine: garbage });
    assert.equal(bad.size, 0);
    assert.equal(bad.lookup(0x1000n), undefined);
  });
});

describe('snapshot of 50 parked C++ threads built with -g', { timeout: 120_000 }, () => {
  const WORKERS = 50;
  let binary: string;
  let child: ChildProcess;
  let workers: number[];

  before(async () => {
    binary = compileParked(['-g', '-O1']);
    child = spawn(binary, [String(WORKERS)], { stdio: 'ignore' });
    const pid = child.pid!;
    // Every task blocked in pause() (syscall 34): the stacks are then final.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const tids = readdirSync(`/proc/${pid}/task`).map(Number);
      const parked = tids.filter((tid) => {
        try {
          return readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'latin1').startsWith('34 ');
        } catch {
          return false;
        }
      });
      if (tids.length === WORKERS + 1 && parked.length === tids.length) {
        workers = tids.filter((t) => t !== pid);
        break;
      }
      if (Date.now() > deadline) throw new Error(`only ${parked.length} of ${WORKERS + 1} tasks parked`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  });

  test('text: one group of 50 with every TID, demangled names, file:line of the calls', async () => {
    const { code, stdout, stderr } = await runCli(['snapshot', String(child.pid)]);
    assert.equal(code, 0, stderr);
    const header = new RegExp(`^${WORKERS} threads with the same stack  "parked-g-O1" ×${WORKERS}  state S \\(sleeping\\)  blocked in pause\\(\\)$`, 'm');
    assert.match(stdout, header);
    assert.ok(stdout.includes(`  TIDs ${tidRanges(workers)}\n`), stdout);
    assert.equal(stdout.match(/^Thread \d+/gm)?.length, 1, 'only the main thread is printed on its own');
    const park = new RegExp(`  tasklens_test::Parker<int>::park\\(int\\)\\+0x[0-9a-f]+ \\(parked-g-O1\\) at \\S*parked\\.cpp:${lineOf('PARK_LINE')}$`, 'm');
    assert.match(stdout, park);
    assert.match(stdout, new RegExp(`  tasklens_test::worker\\(int\\)\\+0x[0-9a-f]+ \\(parked-g-O1\\) at \\S*parked\\.cpp:${lineOf('WORKER_LINE')}$`, 'm'));
    assert.match(stdout, /^50 threads shown in 1 group of identical stacks \(--all prints each thread\)$/m);
    const all = await runCli(['snapshot', '--all', String(child.pid)]);
    assert.equal(all.stdout.match(/^Thread \d+/gm)?.length, WORKERS + 1);
    assert.ok(stdout.split('\n').length * 5 < all.stdout.split('\n').length, 'grouped output is much shorter');
  });

  test('JSON keeps every thread, the mangled symbol, the demangled name and a source matching eu-addr2line', async () => {
    const { code, stdout } = await runCli(['snapshot', '--json', String(child.pid)]);
    assert.equal(code, 0);
    const doc = JSON.parse(stdout) as { threads: Array<{ tid: number; frames: Array<{ pc: string; symbol?: string; demangled?: string; module?: string; moduleOffset?: string; source?: { file: string; line: number } }> }> };
    assert.equal(doc.threads.length, WORKERS + 1);
    const frames = doc.threads.find((t) => t.tid === workers[0])!.frames;
    const park = frames.find((f) => f.symbol === '_ZN13tasklens_test6ParkerIiE4parkEi');
    assert.equal(park?.demangled, 'tasklens_test::Parker<int>::park(int)');
    // Return addresses are looked up at pc - 1 (the call), as addr2line users do by hand.
    const ours = frames.filter((f, i) => i > 0 && f.module === 'parked-g-O1' && f.source);
    assert.ok(ours.length >= 2);
    const eu = execFileSync('eu-addr2line', ['-e', binary, ...ours.map((f) => `0x${(BigInt(f.moduleOffset!) - 1n).toString(16)}`)], { encoding: 'utf8' }).trim().split('\n');
    ours.forEach((f, i) => {
      const where = `${f.source!.file}:${f.source!.line}`;
      assert.ok(eu[i] === where || (eu[i].startsWith(`${where}:`) && /^\d+$/.test(eu[i].slice(where.length + 1))), `${eu[i]} vs ${where}`);
    });
  });
});

test('render: identical stacks grouped with folded TID ranges; different states stay apart; --all and --registers print each', () => {
  const frame = { pc: 0x7f0000001000n, sp: 0x7000n, method: 'registers' as const, module: 'app', symbol: '_ZN3app4idleEv', demangled: 'app::idle()', symbolOffset: 0x10n, source: { file: '/src/app.cpp', line: 42, column: 3 } };
  const thread = (tid: number, state = 'S'): ThreadSnapshot => ({ tid, name: 'pool', state, stop: 'interrupt', frames: [frame], unwindEnd: 'end' });
  const snapshot: Snapshot = {
    pid: 10, command: 'app', takenAt: '', arch: 'x86_64', order: 'copy-then-resume',
    threads: [thread(10), thread(11), thread(12), thread(14), thread(13, 'R')],
    threadsSeen: 5, appeared: [], vanished: [], notStopped: [],
    pause: { pauseMs: 1, runningPauseMs: 0, stopMs: 0, captureMs: 0, resumeMs: 0, bytesCopied: 0, readCalls: 0, boosted: false },
    wallMs: 1,
  };
  const text = renderSnapshotText(snapshot, { palette: palette(false) });
  assert.match(text, /^4 threads with the same stack {2}"pool" ×4 {2}state S \(sleeping\)\n {2}TIDs 10-12, 14\n {2}#0 0x00007f0000001000 {2}app::idle\(\)\+0x10 \(app\) at \/src\/app\.cpp:42$/m);
  assert.match(text, /^Thread 13 {2}"pool" {2}state R/m);
  assert.match(text, /^4 threads shown in 1 group of identical stacks/m);
  for (const options of [{ all: true }, { registers: true }]) {
    assert.equal(renderSnapshotText(snapshot, { palette: palette(false), ...options }).match(/^Thread \d+/gm)?.length, 5);
  }
  assert.equal(tidRanges([5, 3, 4, 9, 1]), '1, 3-5, 9');
});
