/**
 * `tasklens snapshot` against eu-stack (elfutils) and `gdb -batch -ex 'thread apply all bt'` on the
 * same target: our C workload with 100 and then 1,000 threads blocked for good, plus one busy thread
 * that records the largest gap between two of its clock readings, i.e. how long it was stopped.
 * Per tool and size: that pause, the wall time (process start included), and how many frames were
 * symbolized (a function name, not just an address). Tools run in alternation; medians are reported.
 * An idle interval of the same length gives the gap the machine's own scheduling causes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from './harness.js';
import { packageRoot } from '../src/paths.js';

const SIZES = [100, 1000];
const RUNS: Record<number, number> = { 100: 5, 1000: 3 };
const TARGETS = { pauseMs100: 10, gdbPauseRatio100: 20, wallRatio: 1, frameRatio: 0.95 };

interface Run {
  pauseMs: number;
  wallMs: number;
  frames: number;
  threads: number;
  /** tasklens's own measurements: first interrupt to last detach, and takeSnapshot's duration in-process. */
  selfPauseMs?: number;
  inProcessMs?: number;
}

interface Tool {
  name: string;
  argv(pid: number): string[];
  /** Symbolized frames and threads in the tool's output. */
  count(stdout: string): { frames: number; threads: number; selfPauseMs?: number; inProcessMs?: number };
}

const here = dirname(fileURLToPath(import.meta.url));


/** The CLI as the benchmark itself runs: compiled from dist/, or through tsx from the sources. */
function tasklensArgv(root: string): string[] {
  return here.includes(join('dist', 'bench'))
    ? [process.execPath, join(root, 'dist', 'src', 'cli', 'main.js')]
    : [process.execPath, '--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
}

function tools(root: string): Tool[] {
  const cli = tasklensArgv(root);
  return [
    {
      name: 'tasklens',
      argv: (pid) => [...cli, 'snapshot', '--json', String(pid)],
      count(stdout) {
        const data = JSON.parse(stdout) as { threads: Array<{ frames: Array<{ symbol?: string }> }>; pause: { pauseMs: number }; wallMs: number };
        const frames = data.threads.reduce((n, t) => n + t.frames.filter((f) => f.symbol).length, 0);
        return { frames, threads: data.threads.length, selfPauseMs: data.pause.pauseMs, inProcessMs: data.wallMs };
      },
    },
    {
      name: 'tasklens --unwind-while-stopped',
      argv: (pid) => [...cli, 'snapshot', '--json', '--unwind-while-stopped', String(pid)],
      count(stdout) {
        const data = JSON.parse(stdout) as { threads: Array<{ frames: Array<{ symbol?: string }> }>; pause: { pauseMs: number } };
        return { frames: data.threads.reduce((n, t) => n + t.frames.filter((f) => f.symbol).length, 0), threads: data.threads.length, selfPauseMs: data.pause.pauseMs };
      },
    },
    {
      name: 'eu-stack',
      argv: (pid) => ['eu-stack', '-p', String(pid)],
      // "#3  0x00007f...  name" when symbolized, "#3  0x00007f..." when not.
      count: (stdout) => ({ frames: (stdout.match(/^#\d+\s+0x[0-9a-f]+( - 1)?\s+\S+/gm) ?? []).length, threads: (stdout.match(/^TID \d+:/gm) ?? []).length }),
    },
    {
      name: 'gdb',
      argv: (pid) => ['gdb', '-nx', '-batch', '-p', String(pid), '-ex', 'thread apply all bt'],
      // "#2  0x... in name (...)" or "#0  name (...) at file:line" when symbolized, "in ?? ()" when not.
      count: (stdout) => ({
        frames: (stdout.match(/^#\d+\s+(0x[0-9a-f]+ in )?[^?\s]\S* \(/gm) ?? []).length,
        threads: (stdout.match(/^Thread \d+ /gm) ?? []).length,
      }),
    },
  ];
}

function compileTarget(root: string): string {
  const out = join(root, 'build', 'bench');
  mkdirSync(out, { recursive: true });
  const binary = join(out, 'snapshot-target');
  const source = join(root, 'test', 'workloads', 'snapshot', 'threads.c');
  const gcc = spawnSync('gcc', ['-O2', '-pthread', '-o', binary, source], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) throw new Error(`gcc failed on ${source}: ${gcc.error?.message ?? gcc.stderr}`);
  return binary;
}

function requireTool(command: string, pkg: string): void {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
    throw new Error(`${command} not found: apt-get install ${pkg} (scripts/install-system-deps.sh does it)`);
  }
}

/** The target process and a line-oriented conversation with it. */
class Target {
  private readonly child;
  private buffer = '';
  private waiting?: { pattern: RegExp; resolve: (m: RegExpExecArray) => void };
  private readonly lines: string[] = [];

  constructor(binary: string, blocked: number, spinning = 0) {
    this.child = spawn(binary, [String(blocked), String(spinning)], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffer += chunk;
      const parts = this.buffer.split('\n');
      this.buffer = parts.pop()!;
      this.lines.push(...parts);
      this.check();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  private check(): void {
    if (!this.waiting) return;
    for (let i = 0; i < this.lines.length; i++) {
      const m = this.waiting.pattern.exec(this.lines[i]);
      if (m) {
        this.lines.splice(0, i + 1);
        const { resolve } = this.waiting;
        this.waiting = undefined;
        resolve(m);
        return;
      }
    }
  }

  expect(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`target did not print ${pattern}`)), timeoutMs);
      this.waiting = {
        pattern,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      this.check();
    });
  }

  /** The busy thread's largest gap since the last call, in ms. */
  async gapMs(): Promise<number> {
    const reply = this.expect(/^gap max_us=(\d+)/);
    this.child.stdin.write('gap\n');
    return Number((await reply)[1]) / 1000;
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}

function runTool(argv: string[], timeoutMs = 0): Promise<{ wallMs: number; stdout: string; code: number | null }> {
  const started = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  if (timeoutMs) setTimeout(() => child.kill('SIGTERM'), timeoutMs).unref();
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.resume();
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ wallMs: Number(process.hrtime.bigint() - started) / 1e6, stdout, code }));
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(target: Target, tool: Tool): Promise<Run> {
  await target.gapMs(); // reset
  const { wallMs, stdout, code } = await runTool(tool.argv(target.pid));
  if (code !== 0 && !stdout) throw new Error(`${tool.name} failed (exit ${code})`);
  const pauseMs = await target.gapMs();
  return { pauseMs, wallMs, ...tool.count(stdout) };
}

async function benchSize(root: string, binary: string, blocked: number, progress: (m: string) => void): Promise<BenchResult[]> {
  const target = new Target(binary, blocked);
  try {
    await target.expect(/^ready threads=(\d+)/);
    const all = tools(root);
    const runs = new Map<string, Run[]>(all.map((t) => [t.name, []]));
    const idle: number[] = [];
    const nodeStart: number[] = [];
    // One unmeasured round so every tool finds its files in the page cache.
    for (const tool of all) await runTool(tool.argv(target.pid));
    for (let i = 0; i < RUNS[blocked]; i++) {
      for (const tool of all) {
        const run = await measure(target, tool);
        runs.get(tool.name)!.push(run);
        progress(`${blocked} threads, ${tool.name} run ${i + 1}: pause ${run.pauseMs.toFixed(1)} ms, wall ${run.wallMs.toFixed(0)} ms, ${run.frames} frames`);
      }
      await target.gapMs();
      await sleep(median(runs.get('tasklens')!.map((r) => r.wallMs)));
      idle.push(await target.gapMs());
      nodeStart.push((await runTool([process.execPath, '-e', '0'])).wallMs);
    }
    const m = (tool: string, key: keyof Run) => median(runs.get(tool)!.map((r) => r[key] as number));
    const threads = blocked + 6;
    const noise = `idle gap over the same interval: ${median(idle).toFixed(2)} ms (scheduling noise)`;
    const selfPause = `tasklens's own measurement (first interrupt to last detach): ${m('tasklens', 'selfPauseMs').toFixed(2)} ms`;
    const pause = m('tasklens', 'pauseMs');
    const results: BenchResult[] = [
      {
        name: `pause, ${threads} threads (busy thread's largest gap)`,
        value: pause,
        unit: 'ms',
        baseline: { name: 'gdb batch', value: m('gdb', 'pauseMs'), unit: 'ms' },
        ratio: m('gdb', 'pauseMs') / pause,
        ratioMeaning: 'times shorter than gdb',
        ...(blocked === 100
          ? {
              target: `<= ${TARGETS.pauseMs100} ms and >= ${TARGETS.gdbPauseRatio100}x below gdb`,
              met: pause <= TARGETS.pauseMs100 && m('gdb', 'pauseMs') / pause >= TARGETS.gdbPauseRatio100,
            }
          : {}),
        notes: `${selfPause}; ${noise}`,
      },
      {
        name: `pause by capture order, ${threads} threads (tasklens's own measurement)`,
        value: m('tasklens', 'selfPauseMs'),
        unit: 'ms',
        baseline: { name: 'unwinding before resuming', value: m('tasklens --unwind-while-stopped', 'selfPauseMs'), unit: 'ms' },
        ratio: m('tasklens --unwind-while-stopped', 'selfPauseMs') / m('tasklens', 'selfPauseMs'),
        ratioMeaning: 'times shorter when stacks are copied and threads resumed before unwinding (the default)',
        notes: `busy thread's gap: ${pause.toFixed(2)} ms copying first, ${m('tasklens --unwind-while-stopped', 'pauseMs').toFixed(2)} ms unwinding first`,
      },
      {
        name: `pause vs eu-stack, ${threads} threads`,
        value: pause,
        unit: 'ms',
        baseline: { name: 'eu-stack', value: m('eu-stack', 'pauseMs'), unit: 'ms' },
        ratio: m('eu-stack', 'pauseMs') / pause,
        ratioMeaning: 'times shorter than eu-stack',
        notes:
          'eu-stack attaches, unwinds and detaches one thread at a time (strace shows ATTACH, GETREGS, DETACH per thread): ' +
          'each thread is held briefly, but the threads are never stopped together, so its stacks are not one moment',
      },
      {
        name: `wall time, ${threads} threads`,
        value: m('tasklens', 'wallMs'),
        unit: 'ms',
        baseline: { name: 'eu-stack', value: m('eu-stack', 'wallMs'), unit: 'ms' },
        ratio: m('tasklens', 'wallMs') / m('eu-stack', 'wallMs'),
        ratioMeaning: 'tasklens / eu-stack',
        target: `<= ${TARGETS.wallRatio}x eu-stack`,
        met: m('tasklens', 'wallMs') <= m('eu-stack', 'wallMs') * TARGETS.wallRatio,
        notes:
          `gdb batch: ${m('gdb', 'wallMs').toFixed(0)} ms; of tasklens's time, \`node -e 0\` alone takes ${median(nodeStart).toFixed(0)} ms ` +
          `and the snapshot itself (takeSnapshot, in-process) ${m('tasklens', 'inProcessMs').toFixed(0)} ms`,
      },
      {
        name: `symbolized frames, ${threads} threads`,
        value: m('tasklens', 'frames'),
        unit: 'frames',
        baseline: { name: 'eu-stack', value: m('eu-stack', 'frames'), unit: 'frames' },
        ratio: m('tasklens', 'frames') / m('eu-stack', 'frames'),
        ratioMeaning: 'tasklens / eu-stack',
        target: `>= ${TARGETS.frameRatio}`,
        met: m('tasklens', 'frames') >= m('eu-stack', 'frames') * TARGETS.frameRatio,
        notes:
          `per thread: tasklens ${(m('tasklens', 'frames') / m('tasklens', 'threads')).toFixed(2)}, ` +
          `eu-stack ${(m('eu-stack', 'frames') / m('eu-stack', 'threads')).toFixed(2)}, ` +
          `gdb ${(m('gdb', 'frames') / m('gdb', 'threads')).toFixed(2)} (gdb also lists inlined functions from DWARF debug info)`,
      },
    ];
    return results;
  } finally {
    target.stop();
  }
}

export const snapshotBenchmark: Benchmark = {
  name: 'snapshot',
  description: 'tasklens snapshot vs eu-stack and gdb batch: pause, wall time, symbolized frames (100 and 1,000 threads)',
  async run(progress) {
    requireTool('eu-stack', 'elfutils');
    requireTool('gdb', 'gdb');
    const root = packageRoot;
    const binary = compileTarget(root);
    const results: BenchResult[] = [];
    for (const blocked of SIZES) results.push(...(await benchSize(root, binary, blocked, progress)));
    return results;
  },
};

/** The many-threads cases: 3,000 idle threads, and 3,000 of which 750 spin (more runners than CPUs). */
const MANY = [
  { name: '3,000 idle threads', blocked: 3000, spinning: 0 },
  { name: '3,000 threads, 750 spinning', blocked: 2250, spinning: 750 },
];
const EU_STACK_TIMEOUT_MS = 60_000;

/**
 * One run of each tool per case (eu-stack stopped after a minute). Both run under `chrt -f 1` when
 * available: with 750 spinning threads an ordinary process gets 1/751 of the CPUs, so tasklens's own
 * start-up (before it can raise its priority) and eu-stack would measure the scheduler, not the tool.
 */
async function benchMany(root: string, binary: string, progress: (m: string) => void): Promise<BenchResult[]> {
  const prefix = spawnSync('chrt', ['-f', '1', 'true']).status === 0 ? ['chrt', '-f', '1'] : [];
  const tasklens = tools(root)[0];
  const results: BenchResult[] = [];
  for (const size of MANY) {
    const target = new Target(binary, size.blocked, size.spinning);
    try {
      await target.expect(/^ready threads=(\d+)/);
      await runTool([...prefix, ...tasklens.argv(target.pid)]); // page cache
      const ours = await measure(target, { ...tasklens, argv: (pid) => [...prefix, ...tasklens.argv(pid)] });
      progress(`${size.name}, tasklens: pause ${ours.pauseMs.toFixed(1)} ms, wall ${ours.wallMs.toFixed(0)} ms`);
      const eu = await runTool([...prefix, 'eu-stack', '-p', String(target.pid)], EU_STACK_TIMEOUT_MS);
      const euThreads = (eu.stdout.match(/^TID \d+:/gm) ?? []).length;
      const timedOut = eu.wallMs >= EU_STACK_TIMEOUT_MS;
      progress(`${size.name}, eu-stack: wall ${eu.wallMs.toFixed(0)} ms, ${euThreads} threads${timedOut ? ' (stopped at the time limit)' : ''}`);
      results.push({
        name: `wall time, ${size.name}`,
        value: ours.wallMs,
        unit: 'ms',
        baseline: { name: timedOut ? `eu-stack (stopped after ${EU_STACK_TIMEOUT_MS / 1000} s, ${euThreads} threads done)` : 'eu-stack', value: eu.wallMs, unit: 'ms' },
        ratio: ours.wallMs / eu.wallMs,
        ratioMeaning: timedOut ? 'tasklens / eu-stack (at most: eu-stack had not finished)' : 'tasklens / eu-stack',
        notes:
          `${ours.threads} threads, ${ours.frames} symbolized frames; pause: busy thread's largest gap ${ours.pauseMs.toFixed(1)} ms, ` +
          `tasklens's own measurement ${ours.selfPauseMs?.toFixed(1)} ms; snapshot in-process ${ours.inProcessMs?.toFixed(0)} ms` +
          (prefix.length ? '; both tools under chrt -f 1' : ''),
      });
    } finally {
      target.stop();
    }
  }
  return results;
}

export const snapshotManyBenchmark: Benchmark = {
  name: 'snapshot-many',
  description: 'tasklens snapshot vs eu-stack on 3,000 idle threads and on 3,000 threads of which 750 spin',
  async run(progress) {
    requireTool('eu-stack', 'elfutils');
    return benchMany(packageRoot, compileTarget(packageRoot), progress);
  },
};
