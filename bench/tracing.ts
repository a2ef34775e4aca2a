/**
 * Tracing slowdown, measured against baselines from the same run (medians of several repetitions):
 * - lifecycle mode (--seccomp-bpf, process/signal events) vs the untraced program, on `find /usr -xdev`,
 *   a parallel build, and (worst case) a shell loop spawning processes that do nothing; target <= 1.10x;
 * - full mode through startTrace (FIFO, lines drained; then also parsed by the parser) vs plain
 *   `strace -f -o FILE`; target <= 1.05x. Also against `strace` with the same flags to a file, which
 *   isolates the cost of streaming the log to us.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateStrace, startTrace, straceFlags, type CaptureMode } from '../src/capture/index.js';
import { StraceParser } from '../src/parse/index.js';
import type { TraceEvent } from '../src/parse/types.js';
import { median, type Benchmark, type BenchResult } from './harness.js';
import { packageRoot } from '../src/paths.js';

const REPETITIONS = 7;

interface Workload {
  label: string;
  command: string[];
}

const FIND_USR: Workload = { label: 'find /usr -xdev', command: ['find', '/usr', '-xdev'] };
/** Worst case: processes that do nothing, so the per-process tracing cost (about ten ptrace stops) is all there is. */
const SPAWN_LOOP: Workload = {
  label: 'sh loop spawning 200 processes',
  command: ['sh', '-c', 'i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i+1)); done'],
};
/** The project's own C workloads compiled in parallel, as a build does: gcc, cc1, as, collect2 per file. */
function parallelBuild(outDir: string): Workload {
  const sources = ['threads', 'forkexec', 'signals', 'syntax', 'eintr', 'pipeline'].map((n) => join(packageRoot, 'test/workloads/corpus', `${n}.c`));
  const jobs = sources.map((src, i) => `gcc -O2 -c -o ${outDir}/${i}.o ${src} &`).join(' ');
  return { label: `parallel build (${sources.length} x gcc -O2 -c)`, command: ['sh', '-c', `${jobs} wait`] };
}


/** Full tracing writes a line per syscall: a smaller tree keeps each run to about a second. */
const FIND_SHARE: Workload = { label: 'find /usr/share -xdev', command: ['find', '/usr/share', '-xdev'] };

/**
 * Issue 10 item 11: six `find /usr -xdev` in parallel with a loop spawning 300 /bin/true, in one shell:
 * IO, CPU and process creation at once, about 2.5 s here.
 */
const MIXED: Workload = {
  label: 'mixed: 6x find /usr -xdev & 300 spawns of /bin/true',
  command: ['sh', '-c', 'for j in 1 2 3 4 5 6; do find /usr -xdev >/dev/null & done; i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i+1)); done; wait'],
};

type Consumer = 'drain' | 'parse';

/** Runs a program to completion with stdout to /dev/null; resolves to the elapsed milliseconds. */
function timeSpawn(cmd: string, args: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    child.once('error', fail);
    child.once('close', () => done(Number(process.hrtime.bigint() - started) / 1e6));
  });
}

/**
 * Like timeSpawn, and also the CPU time (user + system) the program and all its descendants used,
 * read from the `times` builtin of a /bin/sh that runs it: on a shared machine CPU time says what a
 * run cost far more steadily than wall time does.
 */
function timeSpawnWithCpu(cmd: string, args: string[], cpu: number[]): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((done, fail) => {
    const child = spawn('/bin/sh', ['-c', '"$@" </dev/null >/dev/null 2>&1; times', 'sh', cmd, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => { out += text; });
    child.once('error', fail);
    child.once('close', () => {
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      // Second line: children's user and system time, e.g. `0m1.780000s 0m0.410000s`.
      const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(out.trim().split('\n')[1] ?? '');
      if (m) cpu.push((Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000);
      done(wall);
    });
  });
}

async function timeStartTrace(workload: Workload, mode: CaptureMode, consumer: Consumer): Promise<number> {
  const started = process.hrtime.bigint();
  const session = await startTrace({ command: workload.command, mode, stdio: ['ignore', 'ignore', 'ignore'] });
  if (consumer === 'parse') {
    const parser = new StraceParser();
    const out: TraceEvent[] = [];
    for await (const batch of session.batches) {
      for (const line of batch) parser.push(line, out);
      out.length = 0;
    }
    parser.end(out);
  } else {
    for await (const _batch of session.batches) { /* drain */ }
  }
  const result = await session.result;
  if (result.exitCode !== 0) throw new Error(`${workload.label} under tasklens exited with ${result.exitCode ?? result.signal}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}


interface Stats {
  median: number;
  min: number;
}

/** Alternates the variants in each repetition (so drift in machine load hits all of them alike). */
async function medians(variants: Record<string, () => Promise<number>>, progress: (m: string) => void, label: string): Promise<Record<string, Stats>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const run of Object.values(variants)) await run(); // warm caches (dentries, page cache, binaries)
  const entries = Object.entries(variants);
  for (let rep = 0; rep < REPETITIONS; rep++) {
    // The order turns each round: whichever runs first or last in a round gets no systematic advantage.
    for (let i = 0; i < entries.length; i++) {
      const [name, run] = entries[(rep + i) % entries.length];
      samples[name].push(await run());
    }
    progress(`${label}: repetition ${rep + 1}/${REPETITIONS}`);
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { median: median(v), min: Math.min(...v) }]));
}

/** Other developers' jobs share this machine: the load average says how much to trust a run. */
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function ratioResult(name: string, measured: Stats, baselineName: string, base: Stats, target: number, notes: string): BenchResult {
  const ratio = measured.median / base.median;
  const minRatio = measured.min / base.min;
  return {
    name,
    value: measured.median,
    unit: 'ms',
    baseline: { name: baselineName, value: base.median, unit: 'ms' },
    ratio,
    ratioMeaning: 'traced time / baseline time, lower is better',
    target: `<= ${target.toFixed(2)}x`,
    met: ratio <= target,
    notes: `${notes}; ratio of the fastest runs ${minRatio.toFixed(3)}x; load average ${load()}`,
  };
}

async function lifecycleSlowdown(workload: Workload, progress: (m: string) => void): Promise<BenchResult> {
  const [cmd, ...args] = workload.command;
  const flags = straceFlags('lifecycle', 'command');
  const m = await medians({
    untraced: () => timeSpawn(cmd, args),
    strace: () => timeSpawn(locateStrace(), [...flags, '-o', '/dev/null', ...workload.command]),
    lifecycle: () => timeStartTrace(workload, 'lifecycle', 'drain'),
  }, progress, workload.label);
  return ratioResult(`lifecycle tracing, ${workload.label}`, m.lifecycle, 'untraced run', m.untraced, 1.10,
    `tasklens startTrace --lifecycle (${flags.join(' ')}), lines drained; median of ${REPETITIONS}; ` +
      `strace alone with these flags to /dev/null: ${m.strace.median.toFixed(0)} ms (${(m.strace.median / m.untraced.median).toFixed(3)}x)`);
}

async function fullModeOverhead(progress: (m: string) => void): Promise<BenchResult[]> {
  const strace = locateStrace();
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-bench-'));
  try {
    const log = join(dir, 'plain.log');
    const sameFlags = straceFlags('full', 'command');
    const m = await medians({
      plain: () => timeSpawn(strace, ['-f', '-o', log, ...FIND_SHARE.command]),
      sameFlags: () => timeSpawn(strace, [...sameFlags, '-o', log, ...FIND_SHARE.command]),
      drain: () => timeStartTrace(FIND_SHARE, 'full', 'drain'),
      parse: () => timeStartTrace(FIND_SHARE, 'full', 'parse'),
    }, progress, `full mode, ${FIND_SHARE.label}`);
    const note = `full mode = ${sameFlags.join(' ')}; median of ${REPETITIONS}`;
    return [
      ratioResult(`full tracing via startTrace, lines drained, ${FIND_SHARE.label}`, m.drain, 'strace -f -o FILE', m.plain, 1.05, note),
      ratioResult(`full tracing via startTrace, lines parsed, ${FIND_SHARE.label}`, m.parse, 'strace -f -o FILE', m.plain, 1.05, note),
      ratioResult(`full tracing via startTrace, lines drained, ${FIND_SHARE.label}`, m.drain, `strace ${sameFlags.join(' ')} -o FILE`, m.sameFlags, 1.05,
        'same strace flags to a plain file: the cost of streaming the log through the FIFO to tasklens'),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a user pays for tasklens over strace: `tasklens trace -o FILE -- CMD` (the CLI, node start-up
 * included, timeline written to stderr = /dev/null) against `strace` with the very same flags and
 * `-o FILE`, both started as processes and timed from spawn to exit. Also startTrace in this process
 * (no node start-up), which shows how much of the difference start-up is.
 */
async function cliOverStrace(workload: Workload, progress: (m: string) => void): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-bench-'));
  const flags = straceFlags('lifecycle', 'command');
  const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js');
  let n = 0;
  const fresh = (): string => join(dir, `log-${n++}`);
  const cpu = { strace: [] as number[], tasklens: [] as number[] };
  try {
    const m = await medians({
      strace: () => timeSpawnWithCpu(locateStrace(), [...flags, '-o', fresh(), '--', ...workload.command], cpu.strace),
      tasklens: () => timeSpawnWithCpu(process.execPath, [cli, 'trace', '-o', fresh(), '--', ...workload.command], cpu.tasklens),
      library: () => timeStartTrace(workload, 'lifecycle', 'parse'),
    }, progress, workload.label);
    const note = `strace ${flags.join(' ')} -o FILE; median of ${REPETITIONS} interleaved rounds`;
    const results = [
      ratioResult(`tasklens trace (lifecycle) over strace alone, ${workload.label}`, m.tasklens, 'strace alone, same flags, -o FILE', m.strace, 1.05, note),
      ratioResult(`startTrace in-process (lifecycle, parsed) over strace alone, ${workload.label}`, m.library, 'strace alone, same flags, -o FILE', m.strace, 1.05,
        `${note}; no node start-up: the difference to the line above is tasklens's start-up`),
    ];
    if (cpu.strace.length > 0 && cpu.tasklens.length > 0) {
      const ours = median(cpu.tasklens);
      const theirs = median(cpu.strace);
      results.push({
        name: `CPU time of tasklens trace over strace alone (program and tracer included), ${workload.label}`,
        value: ours,
        unit: 'ms',
        baseline: { name: 'strace alone, same flags, -o FILE', value: theirs, unit: 'ms' },
        ratio: ours / theirs,
        ratioMeaning: 'CPU time / baseline CPU time, lower is better',
        notes: `tasklens's own CPU: ${(ours - theirs).toFixed(0)} ms a run (node start-up, parsing, model, timeline); steadier than wall time on a loaded machine; load average ${load()}`,
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { cliOverStrace, MIXED };

/** Only the first section of `tracing` (issue 10 item 11): `npm run bench -- tracing-cli`, about a minute. */
export const tracingCliBenchmark: Benchmark = {
  name: 'tracing-cli',
  description: 'tasklens trace (CLI) and startTrace vs strace alone with the same flags, on the mixed workload (the first section of tracing)',
  run: (progress) => cliOverStrace(MIXED, progress),
};

export const tracingBenchmark: Benchmark = {
  name: 'tracing',
  description: 'slowdown of traced programs: tasklens trace vs strace alone, lifecycle mode vs untraced, full mode vs plain strace -f -o FILE',
  async run(progress) {
    const buildDir = mkdtempSync(join(tmpdir(), 'tasklens-bench-build-'));
    try {
      return [
        ...(await cliOverStrace(MIXED, progress)),
        await lifecycleSlowdown(FIND_USR, progress),
        await lifecycleSlowdown(parallelBuild(buildDir), progress),
        await lifecycleSlowdown(SPAWN_LOOP, progress),
        ...(await fullModeOverhead(progress)),
      ];
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
    }
  },
};
