/**
 * `tasklens run`: (1) start-up overhead of launching through it against exec'ing the program
 * directly (`/bin/true`, interleaved runs, medians), with and without a --limit (the prlimit exec
 * wrapper); (2) reaping throughput: 1,000 orphans re-parented to tasklens in one burst, all reaped,
 * every exit status accounted for, no zombie left.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './harness.js';
import { median, secondsOf } from './harness.js';
import { packageRoot } from '../src/paths.js';

const RUNS = 9;
const ORPHANS = 1000;

function compile(): string {
  const out = join(packageRoot, 'build', 'bench');
  mkdirSync(out, { recursive: true });
  const binary = join(out, 'orphan-burst');
  const source = join(packageRoot, 'bench', 'workloads', 'orphan-burst.c');
  const gcc = spawnSync('gcc', ['-O1', '-o', binary, source], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) throw new Error(`gcc failed on ${source}: ${gcc.error?.message ?? gcc.stderr}`);
  return binary;
}

function runOnce(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
}

export const runLauncherBenchmark: Benchmark = {
  name: 'run',
  description: 'tasklens run: start-up overhead vs direct exec, and 1,000 orphans reaped in one burst',
  async run(progress) {
    const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js');
    if (!existsSync(cli)) throw new Error(`build first: ${cli} is missing`);
    const direct: number[] = [];
    const launched: number[] = [];
    const limited: number[] = [];
    const nodeOnly: number[] = [];
    progress(`start-up: ${RUNS} interleaved rounds of /bin/true direct, node -e "", run, run --limit`);
    for (let i = 0; i < RUNS; i++) {
      direct.push(secondsOf(() => runOnce('/bin/true', [])));
      nodeOnly.push(secondsOf(() => runOnce(process.execPath, ['-e', ''])));
      launched.push(secondsOf(() => runOnce(process.execPath, [cli, 'run', '--', '/bin/true'])));
      limited.push(secondsOf(() => runOnce(process.execPath, [cli, 'run', '--limit', 'NOFILE=1024', '--', '/bin/true'])));
    }
    const ms = (x: number) => x * 1000;
    const results: BenchResult[] = [
      {
        name: 'run -- /bin/true (wall, median)',
        value: ms(median(launched)),
        unit: 'ms',
        baseline: { name: '/bin/true exec\'d directly', value: ms(median(direct)), unit: 'ms' },
        ratio: median(launched) / median(direct),
        ratioMeaning: 'times slower than a direct exec',
        notes: `node -e "" alone: ${ms(median(nodeOnly)).toFixed(1)} ms, so run adds ${(ms(median(launched)) - ms(median(nodeOnly))).toFixed(1)} ms over Node's own start; with --limit (prlimit exec): ${ms(median(limited)).toFixed(1)} ms`,
      },
      {
        name: 'run vs node -e "" (wall, median)',
        value: ms(median(launched)),
        unit: 'ms',
        baseline: { name: 'node -e ""', value: ms(median(nodeOnly)), unit: 'ms' },
        ratio: median(launched) / median(nodeOnly),
        ratioMeaning: 'of the cost of starting Node at all',
        target: '<= 2x node -e ""',
        met: median(launched) / median(nodeOnly) <= 2,
      },
    ];

    progress(`reaping: ${ORPHANS} orphans exiting in one burst`);
    const binary = compile();
    const report = join(mkdtempSync(join(tmpdir(), 'tasklens-bench-run-')), 'report.json');
    let exitCode: number | null = null;
    const wall = secondsOf(() => {
      exitCode = spawnSync(process.execPath, [cli, 'run', '--wait-all', '--json', '--report-file', report, '--', binary, String(ORPHANS)], { stdio: 'ignore' }).status;
    });
    const doc = JSON.parse(readFileSync(report, 'utf8')) as { reaped: Array<{ pid: number; atMs: number; outcome: { kind: string; code?: number } }>; leftRunning: unknown[] };
    const codes = new Map<number, number>();
    for (const r of doc.reaped) if (r.outcome.kind === 'exited') codes.set(r.outcome.code!, (codes.get(r.outcome.code!) ?? 0) + 1);
    let lost = 0;
    for (let code = 0; code < 200; code++) {
      const expected = Math.floor(ORPHANS / 200) + (code < ORPHANS % 200 ? 1 : 0);
      lost += Math.max(0, expected - (codes.get(code) ?? 0));
    }
    const zombies = doc.reaped.filter((r) => {
      try {
        return readFileSync(`/proc/${r.pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
      } catch {
        return false;
      }
    }).length;
    const span = doc.reaped.length ? Math.max(...doc.reaped.map((r) => r.atMs)) - Math.min(...doc.reaped.map((r) => r.atMs)) : 0;
    results.push({
      name: `${ORPHANS} orphans in a burst: reaped`,
      value: doc.reaped.length,
      unit: 'orphans',
      target: `${ORPHANS} reaped, 0 statuses lost, 0 zombies, exit 0`,
      met: doc.reaped.length === ORPHANS && lost === 0 && zombies === 0 && exitCode === 0 && doc.leftRunning.length === 0,
      notes: `whole run ${(wall * 1000).toFixed(0)} ms (fork of ${ORPHANS} included); first to last reap ${span} ms; statuses lost ${lost}; zombies left ${zombies}; exit ${exitCode}`,
    });
    return results;
  },
};
