/**
 * Task model + tree scaling: the time to build the task graph and the tree document of a log with N
 * tasks, against the same at 2N, in one run. Linear work doubles (ratio 2); a rule that is quadratic in
 * the threads of one process (re-sorting its task list on every new thread, scanning every thread for
 * every thread's end) shows as a ratio near 4. Two shapes: one process with many threads whose exit
 * lines are hidden (-qq: every end is derived), and a lifecycle-filtered log (`-e trace=execve,exit_group`)
 * of many processes whose threads are seen only by their exit lines. Target: ratio <= 2.5.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { timeBest, type Benchmark, type BenchResult } from './harness.js';
import { benchDir } from './logs.js';
import { parseFileSync } from '../src/parse/index.js';
import { TaskGraph } from '../src/model/graph.js';
import { buildTree } from '../src/render/tree/index.js';

const THREAD_FLAGS = 'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID';

/** One process creating `n` threads, then exit_group; no `+++` lines (as with -qq). */
function manyThreads(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`100 clone(child_stack=0x7f0000001000, flags=${THREAD_FLAGS}, parent_tidptr=0x7f${i.toString(16)}9d0, tls=0x7f0000002000, child_tidptr=0x7f${i.toString(16)}9d0) = ${1000 + i}`);
  lines.push('100 exit_group(0)                       = ?');
  return lines.join('\n') + '\n';
}

/** `n` processes that exec and exit_group, each with two threads seen only by their exit lines. */
function filteredProcesses(n: number): string {
  const lines: string[] = [];
  for (let p = 0; p < n; p++) {
    const pid = 1000 + p * 3;
    lines.push(`${pid} execve("/usr/bin/worker", ["worker"], 0x7ffd2c1e8f38 /* 20 vars */) = 0`, `${pid} exit_group(0)                  = ?`);
    lines.push(`${pid + 1} +++ exited with 0 +++`, `${pid + 2} +++ exited with 0 +++`, `${pid} +++ exited with 0 +++`);
  }
  return lines.join('\n') + '\n';
}

function treeOf(path: string): number {
  const graph = TaskGraph.fromEvents(parseFileSync(path));
  return buildTree(graph).summary.tasks;
}

function scaling(name: string, make: (n: number) => string, n: number, progress: (m: string) => void): BenchResult {
  mkdirSync(benchDir, { recursive: true });
  const small = join(benchDir, `tree-${name}-${n}.strace`);
  const large = join(benchDir, `tree-${name}-${2 * n}.strace`);
  writeFileSync(small, make(n));
  writeFileSync(large, make(2 * n));
  treeOf(small); // warm-up
  const smallSec = timeBest(3, () => treeOf(small));
  const largeSec = timeBest(3, () => treeOf(large));
  progress(`${name}: ${n} -> ${smallSec.toFixed(3)} s, ${2 * n} -> ${largeSec.toFixed(3)} s`);
  const ratio = largeSec / smallSec;
  return {
    name: `task model + tree, ${name} (${n} vs ${2 * n})`,
    value: largeSec,
    unit: 's',
    baseline: { name: `the same at ${n}`, value: smallSec, unit: 's' },
    ratio,
    ratioMeaning: 'time at 2N / time at N (2 = linear)',
    target: '<= 2.5',
    met: ratio <= 2.5,
  };
}

export const treeBenchmark: Benchmark = {
  name: 'tree',
  description: 'task model + tree document: time at 2N tasks vs N (linear scaling)',
  async run(progress) {
    return [scaling('threads of one process', manyThreads, 10_000, progress), scaling('filtered processes', filteredProcesses, 3_000, progress)];
  },
};
