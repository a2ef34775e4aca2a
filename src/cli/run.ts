/**
 * `tasklens run [options] -- CMD ARGS...`: a signal-disciplined launcher. Limits in force before exec,
 * subreaper of the whole tree, signal forwarding, a stop with escalation to SIGKILL, and the child's
 * exit status as tasklens's own (128+N for signal N, 127/126 when it cannot start).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { parseLimitSpec, runSupervised, renderRunReport, runReportJson, takeInheritedSignals, INHERITED_SIGNALS_ENV, TasklensError, termSafe, type LimitSpec, type RunReport } from '../index.js';
import { jsonLine, reportError, withExamples } from './common.js';
import type { CliRun } from "./io.js";

interface Flags {
  limit: LimitSpec[];
  group?: boolean;
  stopTimeout?: number;
  waitAll?: boolean;
  keepSignals?: boolean;
  report?: boolean;
  reportFile?: string;
  json?: boolean;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, '': 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** `10s`, `500ms`, `1m`, or a number of seconds (`2.5`). */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|min|h|)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a duration such as 10s, 500ms or 1m');
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2]]);
}

function collectLimit(value: string, previous: LimitSpec[]): LimitSpec[] {
  try {
    return [...previous, parseLimitSpec(value)];
  } catch (error) {
    if (error instanceof TasklensError) throw new InvalidArgumentError(`${error.message}${error.hint ? ` (${error.hint})` : ''}`);
    throw error;
  }
}

/** A one-line warning for what needs attention even without --report. */
function attention(report: RunReport): string[] {
  const out: string[] = [];
  if (report.stop?.killed.length) out.push(`run: ${report.stop.killed.length} process(es) did not stop within the timeout and were killed (--report says who and why)`);
  if (report.leftRunning.length) out.push(`run: ${report.leftRunning.length} descendant(s) still running after the main child exited (--wait-all waits for them)`);
  return out;
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('run')
    .description('launch a program with limits, subreaping, signal forwarding and a whole-tree stop; exit with its status')
    .argument('<command>', 'program to run (searched in PATH)')
    .argument('[args...]', 'its arguments (put -- before the command)')
    .passThroughOptions()
    .option('--limit <NAME=SOFT[:HARD]>', 'resource limit applied before exec; repeatable (NPROC, STACK=8M, NOFILE=1024:4096, CORE=unlimited, CPU=2m, AS=1G...)', collectLimit, [])
    .option('--group', 'start the program in its own session and process group (setsid) and signal the whole group')
    .option('--stop-timeout <duration>', 'on SIGTERM/SIGINT: forward it, wait this long (10s, 500ms), then SIGKILL every remaining descendant', parseDuration)
    .option('--wait-all', 'return only when every descendant has ended, not just the main child')
    .option('--keep-signals', 'give the program the ignored and blocked signals tasklens inherited (default: all reset)')
    .option('--report', 'print the summary on stderr at the end (who was reaped, forwarded signals, who had to be killed, limits in force)')
    .option('--report-file <file>', 'write the summary to FILE instead')
    .option('--json', 'the summary as one JSON document (with --report on stderr, or into --report-file)')
    .addHelpText(
      'after',
      `
Exit status: the program's exit code; 128+N when it was killed by signal N (SIGTERM: 143);
127 when the program is not found, 126 when it is not executable; 125 when it could not be set
up (a --limit the kernel refused: the program never ran); 2 for a usage error.
Signals: SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH are forwarded to the
program (to its process group with --group). Ctrl-Z stops the program and then tasklens (with
--group the program gets SIGSTOP: its own session ignores SIGTSTP); SIGCONT resumes both. The program starts with every signal at its default
action and none blocked, whatever tasklens inherited; --keep-signals passes on what tasklens was
started with (read by the bin/tasklens launcher before Node resets it).
Limits are set by util-linux prlimit(1) on the child before it execs the program: they are in
force from the program's first instruction. tasklens becomes a child subreaper (PR_SET_CHILD_SUBREAPER): orphans
of the tree are re-parented to it and reaped, with their exit status in the report.`,
    )
    .action(async (cmd: string, args: string[], flags: Flags) => {
      try {
        const inherited = takeInheritedSignals();
        if (flags.keepSignals && !inherited) {
          throw new TasklensError('run', 'signals-unknown', '--keep-signals: the signal state tasklens inherited is unknown (Node resets it before any JavaScript runs)', {
            hint: `start tasklens through its launcher bin/tasklens, which reads it first and sets ${INHERITED_SIGNALS_ENV}`,
            exitCode: 2,
          });
        }
        const report = await runSupervised({
          command: cmd,
          args,
          limits: flags.limit,
          group: flags.group,
          stopTimeoutMs: flags.stopTimeout,
          waitAll: flags.waitAll,
          keepSignals: flags.keepSignals ? inherited : undefined,
          env: cli.env,
        });
        if (report.startError) cli.stderr.write(`tasklens: ${termSafe(report.startError)}\n`);
        if (report.setupError) cli.stderr.write(`tasklens: ${termSafe(report.setupError)} (the program did not run: exit ${report.exitCode})\n`);
        const text = flags.json ? `${jsonLine(runReportJson(report))}\n` : renderRunReport(report, cli.palette(cli.colorOn(cli.stderr)), {});
        if (flags.reportFile) writeFileSync(flags.reportFile, flags.json ? text : renderRunReport(report, cli.palette(false), {}));
        else if (flags.report || flags.json) cli.stderr.write(text);
        else for (const line of attention(report)) cli.stderr.write(`${line}\n`);
        cli.exitCode = report.exitCode;
      } catch (error) {
        cli.exitCode = reportError(error, cli);
      }
    });
  withExamples(command, [
    ['tasklens run -- ./server --port 8080', 'run it with reaping and signal forwarding; exit with its status'],
    ['tasklens run --limit NPROC=64 --limit STACK=8M -- make -j8', 'limits in force from the first instruction'],
    ['tasklens run --group --stop-timeout 10s --report -- ./start.sh', 'Ctrl-C stops the whole group; stragglers are killed after 10 s and named'],
    ['tasklens run --wait-all --report --json -- sh -c "daemon &"', 'wait for the daemon too; JSON summary on stderr'],
    ['nohup tasklens run --keep-signals -- ./job', 'the job keeps the SIGHUP nohup ignored (reset by default)'],
  ]);
}
