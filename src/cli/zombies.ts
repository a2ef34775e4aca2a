/**
 * `tasklens zombies`: every zombie with its parent and why the parent is not reaping it (SIGCHLD
 * disposition, blocked/pending SIGCHLD, waiting on another child, stopped, PID 1 / subreaper), the
 * fix in one sentence; and, separately, live processes whose main thread exited (not zombies).
 */
import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { findZombies } from '../procfs/zombies.js';
import { renderZombiesText, zombiesJson } from '../render/procfs/zombies.js';
import { reportError, withExamples, writeJsonLine } from './common.js';
import type { CliRun } from "./io.js";

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('zombies')
    .description('every zombie, its parent, why it is not reaped and how to fix it')
    .option('--json', 'one JSON document: {zombieCount, groups: [{parent, zombies, findings, fix}], leaderExited}')
    .addHelpText(
      'after',
      `
Exit status: 0 when there are no zombies, 1 when there are (processes whose main thread exited
are listed but are not zombies and do not count).
What /proc cannot show: SA_NOCLDWAIT and the PR_SET_CHILD_SUBREAPER flag; the time a zombie died
(the age shown is since it started). Seeing what the parent is blocked in needs ptrace access (root).`,
    )
    .action((flags: { json?: boolean }) => {
      try {
        const report = findZombies();
        if (flags.json) writeJsonLine(zombiesJson(report), cli.stdout);
        else cli.stdout.write(renderZombiesText(report, cli.palette()));
        cli.exitCode = report.groups.length ? ExitCode.failure : ExitCode.ok;
      } catch (error) {
        cli.exitCode = reportError(error, cli);
      }
    });
  withExamples(command, [
    ['tasklens zombies', 'zombies, grouped by parent, with the diagnosis'],
    ['tasklens zombies --json | jq ".groups[].fix"', 'just the advice'],
    ['sudo tasklens zombies', "also see what other users' parents are blocked in"],
  ]);
}
