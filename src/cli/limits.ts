/**
 * `tasklens limits PID`: every resource limit with soft/hard, the current use where /proc shows it and
 * what happens at the limit; `--unit FILE.service` checks a systemd unit's Limit*= against the process.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { ExitCode, limitsReport, renderLimitsText, limitsJson } from '../index.js';
import { reportError, withExamples, writeJsonLine } from './common.js';
import { parsePidArgument } from './pid-arg.js';
import type { CliRun } from "./io.js";

interface Flags {
  json?: boolean;
  unit?: string;
  suggest?: boolean;
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('limits')
    .description('every resource limit of a process with its current use and what happens at the limit; check it against a systemd unit')
    .argument('<pid>', 'process ID', parsePidArgument)
    .option('--unit <file>', "check the unit file's LimitNPROC=, LimitSTACK=, ... against the process (a mismatch exits 1)")
    .option('--suggest', 'limits with headroom from the observed use, as unit lines and run --limit options')
    .option('--json', 'one JSON document (values as decimal strings)')
    .addHelpText(
      'after',
      `
Use comes from /proc: NPROC counts every thread of the process's real UID (that is what the kernel
counts), NOFILE the entries of /proc/PID/fd (root or the same user), STACK the main thread's VmStk,
AS VmSize, DATA VmData, MEMLOCK VmLck, SIGPENDING the UID's SigQ, CPU utime+stime.
Exit status: 0; 1 when --unit finds a mismatch or a line it cannot read; 3 no such process.`,
    )
    .action((pid: number, flags: Flags) => {
      try {
        const unit = flags.unit ? { path: flags.unit, text: readFileSync(flags.unit, 'utf8') } : undefined;
        const report = limitsReport(pid, { unit, suggest: flags.suggest });
        if (flags.json) writeJsonLine(limitsJson(report), cli.stdout);
        else cli.stdout.write(renderLimitsText(report, cli.palette()));
        cli.exitCode = report.unit && (report.unit.findings.length || report.unit.problems.length) ? ExitCode.failure : ExitCode.ok;
      } catch (error) {
        cli.exitCode = reportError(error, cli);
      }
    });
  withExamples(command, [
    ['tasklens limits 1234', 'limits, use and what happens at each limit'],
    ['tasklens limits --unit /etc/systemd/system/app.service $(systemctl show -p MainPID --value app)', 'does the running service have its unit\'s limits?'],
    ['tasklens limits --suggest 1234', 'limits with headroom, ready to paste'],
  ]);
}
