/**
 * `tasklens ps --threads` against `ps -eLf` on a machine with ~5,000 tasks. The benchmark starts its
 * own load (a C program, several processes of sleeping threads), measures both commands end to end
 * (process start included, output to /dev/null) in alternating runs, and always kills the load.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark, BenchResult } from './harness.js';
import { listProcesses } from '../src/procfs/listing.js';
import { packageRoot } from '../src/paths.js';

const TARGET_TASKS = 5000;
const LOAD_PROCESSES = 10;
const RUNS = 9;
const TARGET_RATIO = 0.75;


function countTasks(): number {
  let n = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      n += readdirSync(`/proc/${name}/task`).length;
    } catch {
      // exited while counting
    }
  }
  return n;
}

function compileLoad(root: string): string {
  const out = join(root, 'build', 'procfs');
  mkdirSync(out, { recursive: true });
  const binary = join(out, 'load');
  const source = join(root, 'test', 'workloads', 'procfs', 'load.c');
  const gcc = spawnSync('gcc', ['-O1', '-pthread', '-o', binary, source], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) throw new Error(`gcc failed on ${source}: ${gcc.error?.message ?? gcc.stderr}`);
  return binary;
}

/** Starts `count` load processes of `threads` threads each; resolves once all print "ready". */
async function startLoad(binary: string, count: number, threads: number, children: ChildProcess[]): Promise<void> {
  const ready: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(binary, [String(threads)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`load process exited early (code ${code})`)));
        child.stdout?.on('data', (data: Buffer) => {
          if (data.toString().includes('ready')) resolve();
        });
      }),
    );
  }
  await Promise.all(ready);
}

/**
 * The ps verb registered alone, as if cli/main loaded only the verb being run: shows how much of
 * our time is the start-up import of every other verb's modules.
 */
function aloneArgs(root: string): string[] {
  const verb = pathToFileURL(join(root, 'dist', 'src', 'cli', 'ps.js')).href;
  const code = `import { Command } from 'commander'; import { register } from '${verb}'; const p = new Command(); register(p); await p.parseAsync(['node', 'tasklens', 'ps', '--threads']);`;
  return ['--input-type=module', '-e', code];
}

function timeCommand(command: string, args: string[], devNull: number, cwd?: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', devNull, 'pipe'], cwd });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error || result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const psBenchmark: Benchmark = {
  name: 'ps',
  description: `tasklens ps --threads vs ps -eLf with ~${TARGET_TASKS} tasks (end to end, process start included)`,
  async run(progress) {
    const root = packageRoot;
    const cli = join(root, 'dist', 'src', 'cli', 'main.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run the benchmark with npm run bench (it compiles first)`);
    const children: ChildProcess[] = [];
    const devNull = openSync('/dev/null', 'w');
    try {
      progress('compiling the load program');
      const binary = compileLoad(root);
      const existing = countTasks();
      const perProcess = Math.max(1, Math.ceil((TARGET_TASKS - existing) / LOAD_PROCESSES) - 1);
      progress(`starting ${LOAD_PROCESSES} x ${perProcess} threads (machine has ${existing} tasks)`);
      await startLoad(binary, LOAD_PROCESSES, perProcess, children);
      const tasks = countTasks();
      progress(`${tasks} tasks; timing ${RUNS} alternating runs of each`);
      const ours: number[] = [];
      const theirs: number[] = [];
      timeCommand('ps', ['-eLf'], devNull);
      timeCommand(process.execPath, [cli, 'ps', '--threads'], devNull);
      const alone: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        theirs.push(timeCommand('ps', ['-eLf'], devNull));
        ours.push(timeCommand(process.execPath, [cli, 'ps', '--threads'], devNull));
        alone.push(timeCommand(process.execPath, aloneArgs(root), devNull, root));
      }
      const library: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = process.hrtime.bigint();
        listProcesses({ threads: true });
        library.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const baseline = median(theirs);
      const value = median(ours);
      const ratio = value / baseline;
      const nodeStart = median(Array.from({ length: 5 }, () => timeCommand(process.execPath, ['-e', '0'], devNull)));
      const result: BenchResult = {
        name: `list every task (${tasks} tasks)`,
        value,
        unit: 'ms',
        baseline: { name: 'ps -eLf', value: baseline, unit: 'ms' },
        ratio,
        ratioMeaning: 'tasklens time / ps time, lower is better',
        target: `<= ${TARGET_RATIO}x ps -eLf`,
        met: ratio <= TARGET_RATIO,
        notes:
          `medians of ${RUNS}; bare node startup ${nodeStart.toFixed(0)} ms; in-process scan (listProcesses threads:true, warm) ${median(library).toFixed(1)} ms; ` +
          `the ps verb loaded alone (no other verbs imported at start-up) ${median(alone).toFixed(0)} ms = ${(median(alone) / baseline).toFixed(3)}x ps -eLf`,
      };
      return [result];
    } finally {
      for (const child of children) child.kill('SIGKILL');
      await Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)))));
      closeSync(devNull);
    }
  },
};
