/**
 * `tasklens doctor LOG...|-` / `doctor -- CMD` / `doctor PID`: findings in a strace log, a command
 * traced for the purpose, or a live process, grouped by severity with the tasks, the cited lines
 * (`file:line`), why it matters and the fix. `--json`: one finding per line and a summary record.
 * Exit code 1 when any warning or error was found, 0 otherwise, 2 for usage errors.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  ExitCode,
  RULE_IDS,
  TasklensError,
  diagnoseCommand,
  diagnoseProcess,
  doctorSummaryJSON,
  findingToJSON,
  renderDoctorText,
  Doctor,
  signalByName,
  type DoctorReport,
  type RuleId,
} from '../index.js';
import { jsonLine, reportError, withExamples } from './common.js';
import { logEventBatches } from './input.js';
import { OutputWriter } from './output.js';
import { openOutputs } from './output-files.js';
import type { CliRun } from './io.js';

interface Flags {
  json?: boolean;
  rule: string[];
  slowMs?: string;
  sampleMs?: string;
  output?: string;
  force?: boolean;
  skipped: boolean;
}

/** The run's streams (see io.ts). */
export type DoctorStreams = CliRun;

/** --rule values: ids from the table, comma-separated or repeated; an unknown one is a usage error. */
export function ruleFilter(values: string[]): RuleId[] | undefined {
  const words = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (words.length === 0) return undefined;
  for (const w of words) {
    if (!(RULE_IDS as readonly string[]).includes(w)) {
      throw new TasklensError('cli', 'bad-rule', `--rule: unknown rule "${w}"`, { hint: `rules: ${RULE_IDS.join(', ')}`, exitCode: ExitCode.usage });
    }
  }
  return words as RuleId[];
}

function positiveNumber(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new TasklensError('cli', 'bad-number', `${option}: not a number of milliseconds: ${JSON.stringify(text)}`, { exitCode: ExitCode.usage });
  return n;
}

/** A lone decimal argument that is not a file: a live process. */
function isPid(args: string[]): boolean {
  return args.length === 1 && /^[1-9]\d{0,9}$/.test(args[0]) && !existsSync(args[0]);
}

/** Writes the report; returns the exit code (1 when a warning or error was found). */
export async function writeReport(report: DoctorReport, flags: { json?: boolean; skipped?: boolean; logName?: string }, streams: DoctorStreams): Promise<number> {
  const writer = new OutputWriter(streams.stdout);
  if (flags.json) {
    for (const f of report.findings) writer.write(`${jsonLine(findingToJSON(f))}\n`);
    writer.write(`${jsonLine(doctorSummaryJSON(report))}\n`);
  } else {
    writer.write(renderDoctorText(report, { palette: streams.palette(streams.colorOn(streams.stdout)), skipped: flags.skipped, ...(flags.logName ? { stdinName: flags.logName } : {}) }));
  }
  await writer.end();
  return report.findings.some((f) => f.severity !== 'info') ? ExitCode.failure : ExitCode.ok;
}

/** Runs the verb: the form is chosen from the arguments (`--` before them: a command). */
export async function runDoctor(args: string[], flags: Flags, form: 'logs' | 'command', streams: DoctorStreams): Promise<number> {
  const rules = ruleFilter(flags.rule);
  const options = { ...(rules ? { rules } : {}), ...(flags.slowMs !== undefined ? { slowCallMs: positiveNumber('--slow-ms', flags.slowMs) } : {}) };
  if (form === 'command') {
    if (args.length === 0) throw new TasklensError('cli', 'no-command', 'no command after --', { hint: 'tasklens doctor -- CMD ARGS...', exitCode: ExitCode.usage });
    const files = openOutputs(flags.output !== undefined ? [{ option: '-o', path: flags.output }] : [], { force: flags.force });
    const log = files[0];
    const { report, result } = await diagnoseCommand(args, { ...options, ...(log ? { logPath: log.path, logFd: log.fd } : {}) });
    // Without -o the log was never stored: its lines are cited as `trace:N`.
    const code = await writeReport(report, { ...flags, logName: 'trace' }, streams);
    if (result.signal !== null) streams.stderr.write(`tasklens: the program was killed by ${result.signal}${signalByName(result.signal) ? ` (${signalByName(result.signal)!.number})` : ''}\n`);
    return code;
  }
  if (flags.output !== undefined) throw new TasklensError('cli', 'bad-option', '-o keeps the log of a traced command: use it with doctor -- CMD', { exitCode: ExitCode.usage });
  if (isPid(args)) {
    const sampleMs = positiveNumber('--sample-ms', flags.sampleMs);
    const report = await diagnoseProcess(Number(args[0]), sampleMs !== undefined ? { sampleMs } : {});
    return writeReport(report, { ...flags, skipped: false }, streams);
  }
  const doctor = new Doctor(options);
  for await (const batch of logEventBatches(args, { verb: 'doctor', json: flags.json }, streams)) {
    for (const event of batch) doctor.push(event);
  }
  return writeReport(doctor.end(), flags, streams);
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('doctor')
    .description('find the bugs in a strace log, a command or a live process: zombies, orphans, fork in a threaded process, leaked descriptors, ignored SIGTERM, lost signals, EINTR, failed exec... with the lines that prove each and the fix')
    .argument('[target...]', 'strace log(s) (the NAME.<tid> files of -ff, or - for stdin), a PID for live checks, or -- CMD ARGS to trace a command')
    .option('--json', 'JSON Lines: one finding per line ({"rule","severity","tasks","lines","message","fix",...}), then a summary record')
    .option('--rule <ids>', `only these rules (comma-separated or repeated): ${RULE_IDS.join(', ')}`, (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--slow-ms <ms>', 'slow-call: report calls that should be quick from this many milliseconds (default 10)')
    .option('--sample-ms <ms>', 'doctor PID: time between the two samples of thread states (default 1000)')
    .option('-o, --output <file>', 'doctor -- CMD: keep the raw strace log in FILE (citations then point into it)')
    .option('--force', 'let -o replace an existing file')
    .option('--no-skipped', 'do not list the rules that could not run on this log')
    .passThroughOptions()
    .action(async (args: string[], flags: Flags, cmd: Command) => {
      // `doctor -- CMD`: commander drops the `--`; it was there when the operands all follow it.
      const raw = (cmd.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? [];
      const dash = raw.indexOf('--');
      const form = dash >= 0 && raw.length - dash - 1 === args.length && args.length > 0 ? 'command' : 'logs';
      try {
        cli.exitCode = await runDoctor(args, flags, form, cli);
      } catch (error) {
        cli.exitCode = reportError(error, cli);
      }
    });
  withExamples(command, [
    ['tasklens doctor trace.log', 'findings in a `strace -f -tt -T -yy -o trace.log CMD` log'],
    ['tasklens doctor trace', 'the per-thread files trace.<tid> of `strace -ff -o trace CMD`'],
    ['tasklens doctor -- ./server --port 8080', 'trace a command with every flag the rules need, then diagnose'],
    ['tasklens doctor -o app.strace -- make -j4', 'the same, keeping the raw log for the cited lines'],
    ['tasklens doctor 1234', 'live checks of process 1234: zombie children, D state, blocked pending signals, limits'],
    ['tasklens doctor --json trace.log | jq -r .rule', 'machine-readable, one finding per line'],
    ['tasklens doctor --rule never-reaped,orphaned-children trace.log', 'only some rules'],
  ]);
}
