/**
 * `tasklens report LOG... -o report.html [--perfetto trace.json]` and `tasklens report -o FILE -- CMD`:
 * the trace as a self-contained HTML page (timeline lanes, tree, findings, failures, call counts) and
 * as Trace Event JSON for ui.perfetto.dev / chrome://tracing. Outputs are opened before anything is
 * read or run (no clobbering without --force, see output-files.ts).
 */
import type { Command } from 'commander';
import { writeSync, closeSync } from 'node:fs';
import {
  ReportCollector,
  Doctor,
  renderReportHtml,
  perfettoChunks,
  startTrace,
  StraceParser,
  TasklensError,
  ExitCode,
  shellExitCode,
  signalByName,
  type ReportData,
  type PerfettoSummary,
  type TraceEvent,
  type TraceResult,
  termSafe,
  systemErrorText,
} from '../index.js';
import { jsonLine, reportError, withExamples } from './common.js';
import { logEventBatches } from './input.js';
import { discardOutputs, openOutputs, programOutcome, type OpenedOutput } from './output-files.js';
import type { CliRun } from './io.js';

interface Flags {
  output?: string;
  perfetto?: string;
  force?: boolean;
  title?: string;
  json?: boolean;
  log?: string;
  doctor: boolean;
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('report')
    .description('a self-contained HTML report of strace logs (thread lanes, tree, findings) and a Perfetto/Chrome trace export')
    .argument('[log...]', 'strace log(s): one log, the NAME.<tid> files of -ff (or just NAME), or - for stdin; or, after --, a command to trace')
    .option('-o, --output <file>', 'write the HTML report to FILE')
    .option('--perfetto <file>', 'write Trace Event JSON for ui.perfetto.dev or chrome://tracing to FILE')
    .option('--force', 'replace existing output files')
    .option('--log <file>', 'with -- CMD: also keep the raw strace log in FILE')
    .option('--no-doctor', 'leave out the doctor findings panel (saves the doctor pass on huge logs)')
    .option('--title <text>', 'the report title (default: the log names or the command)')
    .option('--json', 'print what was written (files, sizes, counts) as one JSON document')
    .action(async (args: string[], flags: Flags, cmd: Command) => {
      // commander drops the `--`; the program's raw arguments still show where the command starts.
      const raw = (cmd.parent as (Command & { rawArgs?: string[] }) | null)?.rawArgs ?? [];
      const dash = raw.indexOf('--');
      cli.exitCode = await runReport(args, flags, dash >= 0 ? raw.slice(dash + 1) : undefined, cli).catch((error: unknown) => reportError(error, cli));
    });
  withExamples(command, [
    ['tasklens report trace.log -o report.html', 'the report of a `strace -f -ttt -T -o trace.log CMD` log'],
    ['tasklens report -o report.html -- make -j4', 'trace a command (every syscall, -f -ttt -T), then report'],
    ['tasklens report -o r.html --log make.strace -- make', 'the same, keeping the raw strace log'],
    ['tasklens report trace.log --perfetto trace.json', 'Trace Event JSON: open it in ui.perfetto.dev (File > Open)'],
    ['tasklens report trace -o r.html --perfetto r.json', 'the per-thread files trace.<tid> of strace -ff, both outputs'],
    ['tasklens trace --report r.html -- ./server', 'the same from the trace verb'],
  ]);
}

async function runReport(logs: string[], flags: Flags, traced: string[] | undefined, cli: CliRun): Promise<number> {
  if (flags.output === undefined && flags.perfetto === undefined) {
    throw new TasklensError('cli', 'no-output', 'say where to write the report: -o FILE (HTML) and/or --perfetto FILE (Trace Event JSON)', { hint: 'tasklens report trace.log -o report.html', exitCode: ExitCode.usage });
  }
  if (traced !== undefined && traced.length === 0) throw new TasklensError('cli', 'no-command', 'no command after --', { hint: 'tasklens report -o report.html -- CMD ARGS...', exitCode: ExitCode.usage });
  if (traced !== undefined && logs.length > traced.length) throw new TasklensError('cli', 'logs-and-command', 'give either logs or a command after --, not both', { exitCode: ExitCode.usage });
  if (flags.log !== undefined && traced === undefined) throw new TasklensError('cli', 'log-without-command', '--log keeps the log of a traced command: give the command after --', { exitCode: ExitCode.usage });
  if (traced === undefined && logs.length === 0 && cli.io.stdin.isTTY) {
    throw new TasklensError('cli', 'no-input', 'no log given and stdin is a terminal', { hint: 'tasklens report trace.log -o report.html, or: tasklens report -o report.html -- CMD', exitCode: ExitCode.usage });
  }
  const files = openReportOutputs(flags);
  const rawLog = files.find((f) => f.option === '--log');
  const reportFiles = files.filter((f) => f !== rawLog);
  const title = flags.title ?? (traced ? traced.join(' ') : logs.join(' ') || 'stdin');
  const collector = new ReportCollector({ title, ...(flags.doctor ? { doctor: new Doctor() } : { findings: { available: false, note: 'The doctor was not run (--no-doctor).', items: [] } }) });
  let result: TraceResult | undefined;
  try {
    if (traced) result = await traceInto(traced, collector, rawLog, cli);
    else for await (const batch of logEventBatches(logs, { verb: 'report', json: flags.json }, cli)) for (const event of batch) collector.push(event);
  } catch (error) {
    discardOutputs(files);
    throw error;
  }
  const data = collector.end();
  const written = writeReportFiles(data, reportFiles, result);
  if (data.timeUnit === 'event') cli.stderr.write('tasklens: the log has no timestamps: the time axis is the order of events (trace with strace -ttt -T for real times)\n');
  if (flags.json) cli.stdout.write(`${jsonLine({ tasklens: 'report', title: data.title, stats: data.stats, timeUnit: data.timeUnit, notes: data.notes, files: written })}\n`);
  // Traced: the program's status as a shell would report it (128+N when killed by signal N).
  if (result) return shellExitCode(result.exitCode, result.signal, (name) => signalByName(name)?.number);
  return ExitCode.ok;
}

/** Opens -o and --perfetto before anything runs. */
export function openReportOutputs(flags: { output?: string; perfetto?: string; log?: string; force?: boolean }): OpenedOutput[] {
  return openOutputs([
    ...(flags.log !== undefined ? [{ option: '--log', path: flags.log }] : []),
    ...(flags.output !== undefined ? [{ option: '-o', path: flags.output }] : []),
    ...(flags.perfetto !== undefined ? [{ option: '--perfetto', path: flags.perfetto }] : []),
  ], { force: flags.force });
}

/** Writes the HTML (-o) and Perfetto (--perfetto) outputs; returns what was written. */
export function writeReportFiles(data: ReportData, files: OpenedOutput[], result?: TraceResult): Array<{ option: string; path: string; bytes: number; perfetto?: PerfettoSummary }> {
  const out: Array<{ option: string; path: string; bytes: number; perfetto?: PerfettoSummary }> = [];
  for (const file of files) {
    let bytes = 0;
    const summary: PerfettoSummary = { events: 0, slices: 0, instants: 0, flows: 0, processes: 0, threads: 0 };
    try {
      const chunks = file.option === '--perfetto' ? perfettoChunks(data, summary) : [renderReportHtml(data)];
      for (const chunk of chunks) bytes += writeAll(file.fd, chunk);
      closeSync(file.fd);
    } catch (error) {
      throw new TasklensError('cli', 'write-failed', `cannot write ${file.option} ${termSafe(file.path)}: ${systemErrorText(error)}${result ? `; ${programOutcome(result)}` : ''}`, { cause: error });
    }
    out.push({ option: file.option, path: file.path, bytes, ...(file.option === '--perfetto' ? { perfetto: summary } : {}) });
  }
  return out;
}

function writeAll(fd: number, text: string): number {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  return buf.length;
}

/** Traces a command (every syscall, -f -ttt -T) and feeds its events to the collector. */
async function traceInto(argv: string[], collector: ReportCollector, rawLog: OpenedOutput | undefined, cli: CliRun): Promise<TraceResult> {
  const session = await startTrace({ command: argv, mode: 'full', stdio: ['inherit', 'inherit', 'inherit'], ...(rawLog ? { teePath: rawLog.path, teeFd: rawLog.fd } : {}) });
  const onInt = (): void => session.stop({ signal: 'SIGINT', forward: !cli.io.stdin.isTTY });
  const onTerm = (): void => session.stop({ signal: 'SIGTERM' });
  const { signals } = cli;
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  try {
    const parser = new StraceParser();
    const batch: TraceEvent[] = [];
    for await (const lines of session.batches) {
      for (const line of lines) parser.push(line, batch);
      for (const event of batch) collector.push(event);
      batch.length = 0;
    }
    for (const event of parser.end()) collector.push(event);
    return await session.result;
  } finally {
    signals.off('SIGINT', onInt);
    signals.off('SIGTERM', onTerm);
  }
}
