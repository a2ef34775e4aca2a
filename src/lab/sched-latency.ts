/**
 * The sched-latency lab: not a strace lab. Its workload (more spinning threads than CPUs, plus a
 * thread that wakes every millisecond) runs under `perf record` of the scheduler tracepoints; the
 * recording is turned into `perf script` text kept beside the binary, analysed, and every point
 * cites the lines of that text it rests on (the wakeup or switch-out that began a wait, the
 * switch-in that ended it).
 */
import { join } from 'node:path';
import { ExitCode, TasklensError } from '../errors.js';
import { findExecutable } from '../capture/locate.js';
import { packageRoot } from '../paths.js';
import { analyzePerfScriptFile, locatePerf, permissionError, readLines, recordSched, tracingDenied, writePerfScript } from '../sched/perf.js';
import type { SchedAnalysis, TaskLatency } from '../sched/analysis.js';
import { buildProgram, gccMissing } from './build.js';
import { chooseLabCacheDir, explicitCacheDir } from './cache.js';
import { ensurePrivateDir } from './private-dir.js';
import type { BuildResult, Citation, LabDefinition, LabPoint } from './types.js';
import type { RunLabOptions } from './run.js';

export interface SchedLabRun {
  lab: LabDefinition;
  cacheDir: string;
  sourcePath: string;
  build: BuildResult;
  /** The recording and its perf script text (the cited lines are this file's). */
  perfData: string;
  scriptLog: string;
  commandPid?: number;
  exitCode: number | null;
  analysis: SchedAnalysis;
  points: LabPoint[];
}

const PROGRAM = 'latency';
const ms = (ns: number) => `${(ns / 1e6).toFixed(3)} ms`;

/** Runs the lab: build (cached), record under perf, write perf script text, analyse, compute the points. */
export async function runSchedLatencyLab(lab: LabDefinition, options: RunLabOptions = {}): Promise<SchedLabRun> {
  const compiler = options.compiler ?? 'gcc';
  if (findExecutable(compiler) === undefined) throw gccMissing(compiler);
  const perf = locatePerf();
  const denied = tracingDenied();
  if (denied) throw permissionError(denied);
  let cacheDir: string;
  if (options.cacheDir !== undefined) cacheDir = explicitCacheDir(options.cacheDir);
  else {
    const choice = chooseLabCacheDir();
    for (const note of choice.notes) options.onNote?.(note);
    cacheDir = choice.dir;
  }
  const progress = options.onProgress ?? (() => undefined);
  const program = lab.programs[0];
  const sourcePath = join(options.labsDir ?? join(packageRoot, 'labs'), lab.id, program.source);
  const build = await buildProgram(lab.id, program.name, sourcePath, { cacheDir, rebuild: options.rebuild, compiler: options.compiler });
  progress(build.cached ? `${program.source}: cached binary ${build.binary}` : `${program.source}: compiled in ${build.compileMs} ms`);
  const labDir = ensurePrivateDir(join(cacheDir, lab.id));
  const perfData = join(labDir, `${program.name}.perf.data`);
  const scriptLog = join(labDir, `${program.name}.perf-script.txt`);
  progress(`recording: perf record -a -e sched:... -- ./${program.name} ${(program.args ?? []).join(' ')}`);
  const recorded = await recordSched({ target: { kind: 'command', argv: [build.binary, ...(program.args ?? [])] }, output: perfData, perf, commandStdout: 'stderr' });
  if (recorded.commandPid === undefined) throw new TasklensError('lab', 'no-workload', 'the workload did not start under perf', { exitCode: ExitCode.failure });
  progress('perf script');
  await writePerfScript(perfData, scriptLog, perf);
  const analysis = await analyzePerfScriptFile(scriptLog, { follow: [recorded.commandPid], top: 5 });
  const points = await schedLatencyPoints(analysis, scriptLog);
  return { lab, cacheDir, sourcePath, build, perfData, scriptLog, commandPid: recorded.commandPid, exitCode: recorded.exitCode, analysis, points };
}

/** The points, each citing the perf script lines behind it. */
export async function schedLatencyPoints(a: SchedAnalysis, scriptLog: string): Promise<LabPoint[]> {
  const waker = a.tasks.find((t) => t.comm === 'waker');
  const spinners = a.tasks.filter((t) => t.comm.startsWith('spin-'));
  if (!waker || spinners.length === 0) {
    throw new TasklensError('lab', 'workload-not-seen', 'the recording has no waker or spinner thread of the workload', { hint: `look at ${scriptLog}`, exitCode: ExitCode.failure });
  }
  const worstSpinner = spinners.reduce((x, y) => (y.maxDelayNs > x.maxDelayNs ? y : x));
  const wanted = [{ start: a.firstLine, end: a.lastLine }, waker.maxDelayLines, worstSpinner.maxDelayLines]
    .filter((x): x is { start: number; end: number } => x !== undefined)
    .flatMap((l) => [l.start, l.end]);
  const raw = await readLines(scriptLog, wanted);
  const cite = (line: number): Citation => ({ program: PROGRAM, line, raw: (raw.get(line) ?? '').trim() });
  const cites = (t: TaskLatency): Citation[] => (t.maxDelayLines ? [cite(t.maxDelayLines.start), cite(t.maxDelayLines.end)] : []);
  const points: LabPoint[] = [
    {
      id: 'waker-latency',
      title: 'The periodic waker waits for a CPU every time it wakes',
      sides: [
        {
          program: PROGRAM,
          label: `waker (TID ${waker.tid})`,
          says:
            `${waker.switches} waits (${waker.wakeupWaits} after a wakeup): average ${ms(waker.avgDelayNs)}, longest ${ms(waker.maxDelayNs)}, ` +
            `from ${waker.maxDelayStart} to ${waker.maxDelayEnd}; it ran ${ms(waker.runtimeNs)} in all.`,
          values: { tid: waker.tid, switches: waker.switches, avgDelayNs: waker.avgDelayNs, maxDelayNs: waker.maxDelayNs, runtimeNs: waker.runtimeNs },
          cites: cites(waker),
        },
      ],
      why:
        'A thread that sleeps and wakes is runnable again at the wakeup, but runs only when the scheduler gives it a CPU: with every CPU held by ' +
        'runnable threads its wakeup latency is set by their slices, not by its own (tiny) work. Its run time is small; its delay is not.',
    },
  ];
  if (waker.maxDelayRanInstead && waker.maxDelayLines) {
    const instead = [...waker.maxDelayRanInstead].filter((r) => r.ns > 0).sort((x, y) => y.ns - x.ns);
    points.push({
      id: 'ran-instead',
      title: 'Who held the CPU while the waker waited',
      sides: [
        {
          program: PROGRAM,
          label: `longest waker wait, CPU ${waker.maxDelayCpu}`,
          says: `${ms(waker.maxDelayNs)}: ${instead.slice(0, 6).map((r) => `${r.tid === 0 ? 'idle' : `${r.comm} (${r.tid})`} ${ms(r.ns)}`).join(', ')}${instead.length > 6 ? `, ${instead.length - 6} more` : ''}.`,
          values: { delayNs: waker.maxDelayNs, cpu: waker.maxDelayCpu, ranInstead: instead },
          cites: cites(waker),
        },
      ],
      why:
        'The sched_switch events on the CPU where the thread finally ran show who ran during its wait: the spinners of the same program, ' +
        'and on a shared machine other processes too. The wait ends at a switch-in, often when a spinner goes to sleep or is preempted.',
    });
  }
  points.push({
    id: 'spinners',
    title: 'More runnable threads than CPUs: the spinners wait for each other',
    sides: spinners.map((t) => ({
      program: PROGRAM,
      label: `${t.comm} (TID ${t.tid})`,
      says: `${t.preemptedWaits} waits after being preempted (switched out still runnable), ${t.wakeupWaits} after their 200 µs sleeps; average ${ms(t.avgDelayNs)}, longest ${ms(t.maxDelayNs)}.`,
      values: { tid: t.tid, preemptedWaits: t.preemptedWaits, wakeupWaits: t.wakeupWaits, avgDelayNs: t.avgDelayNs, maxDelayNs: t.maxDelayNs },
      cites: t === worstSpinner ? cites(t) : [],
    })),
    why:
      'A thread switched out with prev_state R (or R+) was preempted: it never stopped wanting the CPU, and its wait starts at that switch. ' +
      'perf sched latency counts those waits the same way; /proc schedstat sums them (run_delay) without a maximum.',
  });
  points.push({
    id: 'cpu-busy',
    title: 'Every CPU was busy',
    sides: [
      {
        program: PROGRAM,
        label: 'per CPU',
        says: a.cpus.map((c) => `CPU ${c.cpu} ${(c.utilisation * 100).toFixed(1)}% busy, ${c.switches} switches`).join('; ') + ` over ${(a.spanNs / 1e9).toFixed(3)} s.`,
        values: { cpus: a.cpus },
        cites: [cite(a.firstLine), cite(a.lastLine)],
      },
    ],
    why:
      'Latency grows when the CPUs are saturated: here by design (twice as many spinners as CPUs). An idle CPU would take a woken thread at once. ' +
      'Busy time is measured between sched_switch events from the first to the last line of the recording.',
  });
  return points;
}
