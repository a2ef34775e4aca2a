/**
 * `tasklens sched`: per-thread scheduling (wakeup) latency from a perf.data file, a live recording of
 * the scheduler tracepoints, or, when tracing is not permitted, /proc schedstat sampled over the window.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ExitCode, TasklensError, noSuchProcess, analyzePerfData, recordSched, locatePerf, tracingDenied, permissionError, sampleSchedstat, renderSchedText, renderSchedstatText, type SchedAnalysis, type ThreadWait } from '../index.js';
import { jsonLine, reportError, withExamples } from './common.js';
import { parsePidArgument } from './pid-arg.js';
import { parseDuration } from './duration.js';
import type { CliRun } from "./io.js";

interface Flags {
  perfData?: string;
  duration?: number;
  pid?: number;
  all?: boolean;
  record?: string;
  schedstat?: boolean;
  top: number;
  rows: number;
  byComm?: boolean;
  json?: boolean;
}

function positiveInt(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${what} must be a whole number`);
    return n;
  };
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('sched')
    .description('per-thread scheduling (wakeup) latency: runtime, switches, avg/max delay, longest waits and who ran instead, per-CPU use')
    .argument('[command...]', 'record while this command runs and show its threads (put it after --)')
    .option('--perf-data <file>', 'analyse an existing perf.data (perf sched record, or --record) through perf script')
    .option('-d, --duration <time>', 'how long to record or sample (10s, 500ms, 2m; default 10s; with a command: cut it there)', (v: string) => parseDuration(v, '--duration'))
    .option('-p, --pid <pid>', 'show only this process and the threads and children it creates', parsePidArgument)
    .option('--all', 'every thread of the machine (the default without -p or a command)')
    .option('--record <file>', 'keep the recording in this perf.data (default: a temporary file, removed)')
    .option('--schedstat', 'no tracing: sample /proc/PID/task/TID/schedstat over the window (averages only)')
    .option('--top <n>', 'longest waits listed', positiveInt('--top'), 10)
    .option('--rows <n>', 'threads listed in the table', positiveInt('--rows'), 25)
    .option('--by-comm', 'also the table merged by comm, perf sched latency\'s default view (--json always has it)')
    .option('--json', 'one JSON object: tasks (with histograms), comms, top waits, cpus; times in ns')
    .passThroughOptions()
    .addHelpText(
      'after',
      `
A wait starts when a sleeping thread is woken (sched_waking/sched_wakeup) or when a running one is
switched out still runnable (prev_state R, R+), and ends when it is switched in: the accounting of
perf sched latency, kept per thread (perf merges per comm unless given -p). SWITCHES counts waits.
Recording needs root, CAP_PERFMON or kernel.perf_event_paranoid=-1; without it, -p and --all fall
back to /proc schedstat (run-queue wait over the window, no maximum) and say so.
Exit codes: 0 ok, 2 usage, 3 no such process, 77 tracing not permitted, 127 perf missing.`,
    )
    .action(async (argv: string[], flags: Flags) => {
      cli.exitCode = await runSched(argv, flags, cli).catch((error: unknown) => reportError(error, cli));
    });
  withExamples(command, [
    ['tasklens sched --perf-data perf.data', 'the table perf sched latency gives, per thread, with the longest waits'],
    ['sudo tasklens sched --duration 10s --all', 'record the whole machine for 10 s'],
    ['sudo tasklens sched -p 1234 -d 5s', 'threads of process 1234 (and what it creates) over 5 s'],
    ['sudo tasklens sched -- make -j8', 'record while a command runs'],
    ['tasklens sched --schedstat -p 1234', 'no privileges: run-queue wait per thread from /proc'],
    ['tasklens sched --perf-data perf.data --by-comm', 'also merged per comm, like perf sched latency without -p'],
    ['tasklens sched --perf-data perf.data --json | jq ".top[0]"', 'the longest wait, machine-readable'],
  ]);
}

async function runSched(argv: string[], flags: Flags, cli: CliRun): Promise<number> {
  const targets = [flags.perfData !== undefined, flags.pid !== undefined, flags.all === true, argv.length > 0].filter(Boolean).length;
  if (targets > 1 && !(flags.perfData !== undefined && flags.pid !== undefined && !flags.all && argv.length === 0)) {
    throw new TasklensError('cli', 'bad-target', 'give one of --perf-data FILE, -p PID, --all or a command', { exitCode: ExitCode.usage });
  }
  if (flags.pid !== undefined && !existsSync(`/proc/${flags.pid}`)) throw noSuchProcess('cli', flags.pid);
  const options = { top: flags.top, ...(flags.pid !== undefined ? { follow: [flags.pid] } : {}) };
  if (flags.perfData !== undefined) {
    if (flags.schedstat) throw new TasklensError('cli', 'bad-target', '--schedstat samples live threads; it does not read a perf.data', { exitCode: ExitCode.usage });
    const analysis = await analyzePerfData(flags.perfData, options);
    return show(analysis, `perf.data ${flags.perfData}`, flags, cli);
  }
  const durationMs = flags.duration ?? (argv.length ? undefined : 10_000);
  const denied = flags.schedstat ? undefined : tracingDenied();
  if (flags.schedstat || denied) {
    if (argv.length) {
      if (denied) throw permissionError(denied);
      throw new TasklensError('cli', 'bad-target', '--schedstat samples running threads: give -p PID or --all', { exitCode: ExitCode.usage });
    }
    if (denied) cli.stderr.write(`tasklens: tracing not permitted (${denied}): showing /proc schedstat over the window instead: average waits only, no maximum, no histogram\n`);
    const waits = await sampleSchedstat(flags.pid !== undefined ? [flags.pid] : undefined, durationMs ?? 10_000);
    return showSchedstat(waits, flags, denied, cli);
  }
  locatePerf(); // 127 with the install line before anything runs
  const dir = flags.record === undefined ? mkdtempSync(join(tmpdir(), 'tasklens-sched-')) : undefined;
  try {
    const output = flags.record ?? join(dir!, 'perf.data');
    const target = argv.length ? { kind: 'command' as const, argv } : flags.pid !== undefined ? { kind: 'pid' as const, pid: flags.pid } : { kind: 'all' as const };
    if (!flags.json) cli.stderr.write(`tasklens: recording scheduler tracepoints${durationMs !== undefined ? ` for ${durationMs / 1000} s` : ''}...\n`);
    const recorded = await recordSched({ target, output, commandStdout: flags.json ? 'stderr' : 'stdout', ...(durationMs !== undefined ? { durationMs } : {}) });
    const follow = flags.pid !== undefined ? [flags.pid] : recorded.commandPid !== undefined ? [recorded.commandPid] : undefined;
    const analysis = await analyzePerfData(output, { top: flags.top, ...(follow ? { follow } : {}) });
    const what = argv.length ? `recording while ${argv.join(' ')} ran` : flags.pid !== undefined ? `recording, process ${flags.pid}` : 'recording, every thread';
    return show(analysis, what, flags, cli);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

function show(analysis: SchedAnalysis, source: string, flags: Flags, cli: CliRun): number {
  if (flags.json) cli.stdout.write(`${jsonLine({ kind: 'sched', source, ...analysis })}\n`);
  else cli.stdout.write(renderSchedText(analysis, { palette: cli.palette(), rows: flags.rows, source, byComm: flags.byComm }));
  return ExitCode.ok;
}

function showSchedstat(waits: ThreadWait[], flags: Flags, denied: string | undefined, cli: CliRun): number {
  if (flags.json) cli.stdout.write(`${jsonLine({ kind: 'schedstat', ...(denied ? { tracingDenied: denied } : {}), threads: waits })}\n`);
  else cli.stdout.write(renderSchedstatText(waits, { palette: cli.palette(), rows: flags.rows }));
  if (flags.pid !== undefined && waits.length === 0) throw noSuchProcess('cli', flags.pid);
  return ExitCode.ok;
}
