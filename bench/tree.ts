/**
 * Task model + tree scaling: the time to build the task graph and the tree document of a log with N
 * tasks, against the same at 2N, in one run. Linear work doubles (ratio 2); a rule that is quadratic in
 * the threads of one process (re-sorting its task list on every new thread, scanning every thread for
 * every thread's end) shows as a ratio near 4. Two shapes: one process with many threads whose exit
 * lines are hidden (-qq: every end is derived), and a lifecycle-filtered log (`-e trace=execve,exit_group`)
 * of many processes whose threads are seen only by their exit lines. Target: ratio <= 2.5.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { median, timeBest, type Benchmark, type BenchResult } from './harness.js';
import { benchDir, processHeavyLog } from './logs.js';
import { packageRoot } from '../src/paths.js';
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

/** Where Debian's strace package puts the upstream `strace-graph` Perl script (gzipped). */
const STRACE_GRAPH_PATHS = ['/usr/share/doc/strace/examples/strace-graph.gz', '/usr/share/doc/strace/examples/strace-graph'];

/** strace's own `strace-graph`, unpacked under build/bench (never committed); undefined when not installed. */
function straceGraphScript(): string | undefined {
  const found = STRACE_GRAPH_PATHS.find((p) => existsSync(p));
  if (found === undefined) return undefined;
  const script = join(benchDir, 'strace-graph');
  writeFileSync(script, found.endsWith('.gz') ? gunzipSync(readFileSync(found)) : readFileSync(found));
  return script;
}

/** The first `bytes` of the process-heavy log, cut at a line end: the same log for both tools. */
function logOfSize(progress: (m: string) => void, bytes: number): string {
  const path = join(benchDir, `shell-pipelines-${Math.round(bytes / 1e6)}MB.strace`);
  if (existsSync(path)) return path;
  const source = processHeavyLog(progress);
  const fd = openSync(source, 'r');
  const buffer = Buffer.alloc(bytes);
  const n = readSync(fd, buffer, 0, bytes, 0);
  closeSync(fd);
  writeFileSync(path, buffer.subarray(0, buffer.lastIndexOf(10, n - 1) + 1));
  return path;
}

/** Wall milliseconds of one run (output to /dev/null) and its CPU time (user+system, from the shell's `times`). */
function timeRun(command: string, args: string[], mayFail = false): { wall: number; cpu: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync('/bin/sh', ['-c', '"$@" >/dev/null 2>&1; echo $?; times', 'sh', command, ...args], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const [status, , children] = result.stdout.trim().split('\n');
  if (status !== '0' && !mayFail) throw new Error(`${command} ${args.join(' ')} failed with ${status}`);
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(children ?? '');
  const cpu = m ? (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000 : NaN;
  return { wall, cpu };
}

const TREE_RUNS = 5;

export const treeVsStraceGraphBenchmark: Benchmark = {
  name: 'tree-vs-strace-graph',
  description: "tasklens tree end to end vs strace's own strace-graph Perl script on the same 40 MB strace -f -tt -T -yy log",
  async run(progress) {
    mkdirSync(benchDir, { recursive: true });
    const script = straceGraphScript();
    if (script === undefined) {
      progress(`strace-graph not found (${STRACE_GRAPH_PATHS.join(', ')}): skipped`);
      return [];
    }
    const log = logOfSize(progress, 40e6);
    const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js');
    const variants = {
      tasklens: () => timeRun(process.execPath, [cli, 'tree', log]),
      // It reads the whole log, then dies printing it (exit 255: `-yy` lines defeat its argument
      // parser, so execve argv is undefined); the time is still that of reading the log.
      straceGraph: () => timeRun('perl', [script, log], true),
    };
    variants.tasklens();
    variants.straceGraph();
    const wall = { tasklens: [] as number[], straceGraph: [] as number[] };
    const cpu = { tasklens: [] as number[], straceGraph: [] as number[] };
    for (let i = 0; i < TREE_RUNS; i++) {
      for (const name of i % 2 ? (['straceGraph', 'tasklens'] as const) : (['tasklens', 'straceGraph'] as const)) {
        const r = variants[name]();
        wall[name].push(r.wall);
        cpu[name].push(r.cpu);
      }
      progress(`run ${i + 1}/${TREE_RUNS}`);
    }
    const ours = median(wall.tasklens);
    const theirs = median(wall.straceGraph);
    const ratio = theirs / ours;
    const mb = statSync(log).size / 1e6;
    return [{
      name: `tree of a ${mb.toFixed(0)} MB strace -f -tt -T -yy log (end to end, node start-up included)`,
      value: ours,
      unit: 'ms',
      baseline: { name: 'strace-graph (perl)', value: theirs, unit: 'ms' },
      ratio,
      ratioMeaning: 'strace-graph time / tasklens time, higher is better',
      target: '>= 4x',
      met: ratio >= 4,
      notes: `medians of ${TREE_RUNS} alternating runs; CPU (user+system) tasklens ${median(cpu.tasklens).toFixed(0)} ms, strace-graph ${median(cpu.straceGraph).toFixed(0)} ms ` +
        `(${(median(cpu.straceGraph) / median(cpu.tasklens)).toFixed(2)}x); tasklens ${(mb / (ours / 1000)).toFixed(0)} MB/s; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    }];
  },
};
