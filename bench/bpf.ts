/**
 * The bpf engine (issue 16): 500 spawns of /bin/true in a shell loop, untraced vs `trace --engine
 * strace` vs `trace --engine bpf` (and strace alone with the same lifecycle flags), medians of
 * interleaved rounds, ratios in the same run. The loop times itself (date +%s%N before and after), so
 * the ratio is what tracing costs the workload; tasklens's start-up is reported on its own (time from
 * launching `tasklens trace` to the program's first instruction). The bpf log is checked for loss:
 * every exec, exit and SIGCHLD of the 500 children, and no "lost events" report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './harness.js';
import { median } from './harness.js';
import { packageRoot } from '../src/paths.js';

const SPAWNS = 500;
const ROUNDS = 5;

/** The workload: writes its own elapsed nanoseconds to $1 (two `date` spawns outside the timed loop). */
const LOOP = `s=$(date +%s%N); i=0; while [ $i -lt ${SPAWNS} ]; do /bin/true; i=$((i+1)); done; e=$(date +%s%N); echo $((e-s)) > "$1"`;

export const bpfBenchmark: Benchmark = {
  name: 'bpf',
  description: `bpf engine: ${SPAWNS} spawns of /bin/true untraced vs trace --engine strace vs --engine bpf (workload time), start-up, no event lost`,
  async run(progress) {
    const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js');
    if (!existsSync(cli)) throw new Error(`build first: ${cli} is missing`);
    const dir = mkdtempSync(join(tmpdir(), 'tasklens-bench-bpf-'));
    const stamp = join(dir, 'elapsed');
    const workload = ['/bin/sh', '-c', LOOP, 'loop', stamp];
    const variants: Record<string, string[]> = {
      untraced: workload,
      'strace alone': ['strace', '-f', '--seccomp-bpf', '-e', 'trace=process,signal', '-o', '/dev/null', ...workload],
      'trace --engine strace': [process.execPath, cli, 'trace', '--engine', 'strace', '--no-timeline', '--', ...workload],
      'trace --engine bpf': [process.execPath, cli, 'trace', '--engine', 'bpf', '--no-timeline', '-o', join(dir, 'bpf.log'), '--force', '--', ...workload],
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    const walls: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    let lossNote = '';
    let lossless = true;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        progress(`round ${round + 1}/${ROUNDS}`);
        for (const [name, argv] of Object.entries(variants)) {
          rmSync(stamp, { force: true });
          const start = process.hrtime.bigint();
          const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
          walls[name].push(Number(process.hrtime.bigint() - start) / 1e6);
          if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
          times[name].push(Number(readFileSync(stamp, 'utf8').trim()) / 1e6);
          if (name === 'trace --engine bpf') {
            const log = readFileSync(join(dir, 'bpf.log'), 'latin1');
            const execs = (log.match(/execve\("\/bin\/true", \["\/bin\/true"\], 0x[0-9a-f]+\) = 0/g) ?? []).length;
            const exits = (log.match(/\+\+\+ exited with 0 \+\+\+/g) ?? []).length;
            const sigchld = (log.match(/--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED/g) ?? []).length;
            const lost = /lost \d+ events/.test(r.stderr);
            // 500 children of /bin/true plus the two date children, and the shell itself.
            const ok = execs === SPAWNS && exits >= SPAWNS + 3 && sigchld >= SPAWNS + 2 && !lost;
            lossless &&= ok;
            lossNote = `last bpf log: ${execs} execs of /bin/true, ${exits} exits, ${sigchld} SIGCHLD (expected ${SPAWNS}, >= ${SPAWNS + 3}, >= ${SPAWNS + 2})${lost ? '; bpftrace reported lost events' : ''}`;
          }
        }
      }
      progress('start-up: time from launching tasklens trace to the program running');
      const startup: Record<string, number[]> = { bpf: [], strace: [] };
      const first = join(dir, 'first');
      for (let round = 0; round < ROUNDS; round++) {
        for (const engine of ['bpf', 'strace']) {
          const launched = BigInt(Date.now()) * 1_000_000n;
          spawnSync(process.execPath, [cli, 'trace', '--engine', engine, '--no-timeline', '--', '/bin/sh', '-c', 'date +%s%N > "$1"', 'first', first], { stdio: 'ignore' });
          startup[engine].push(Number(BigInt(readFileSync(first, 'utf8').trim()) - launched) / 1e6);
        }
      }
      const med = (name: string): number => median(times[name]);
      const untraced = med('untraced');
      const result = (name: string, target?: { text: string; limit: number }): BenchResult => ({
        name: `${SPAWNS} spawns, ${name} (workload time, median of ${ROUNDS})`,
        value: med(name),
        unit: 'ms',
        baseline: { name: 'untraced', value: untraced, unit: 'ms' },
        ratio: med(name) / untraced,
        ratioMeaning: 'times the untraced run',
        ...(target ? { target: target.text, met: med(name) / untraced <= target.limit } : {}),
        notes: `wall including tasklens start-up: ${median(walls[name]).toFixed(0)} ms`,
      });
      return [
        result('trace --engine bpf', { text: '<= 1.10x untraced', limit: 1.1 }),
        result('trace --engine strace'),
        result('strace alone'),
        {
          name: 'bpf engine vs strace alone (same lifecycle flags)',
          value: med('trace --engine bpf'),
          unit: 'ms',
          baseline: { name: 'strace -f --seccomp-bpf -e trace=process,signal', value: med('strace alone'), unit: 'ms' },
          ratio: med('trace --engine bpf') / med('strace alone'),
          target: '< 1x strace alone',
          met: med('trace --engine bpf') < med('strace alone'),
        },
        {
          name: `bpf engine: every event of ${SPAWNS} spawns, ${ROUNDS} runs`,
          value: lossless ? 1 : 0,
          unit: 'all seen',
          target: 'no event lost',
          met: lossless,
          notes: lossNote,
        },
        {
          name: 'start-up: launch of tasklens trace to the program running (median)',
          value: median(startup.bpf),
          unit: 'ms',
          baseline: { name: '--engine strace', value: median(startup.strace), unit: 'ms' },
          ratio: median(startup.bpf) / median(startup.strace),
          ratioMeaning: 'bpf start-up (bpftrace compiles its script) vs strace start-up',
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
