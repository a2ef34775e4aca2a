/**
 * `tasklens tree [LOG...|-]`: the process/thread tree of strace logs (one log, the per-thread files of
 * `-ff`, or stdin): TGID/TID, birth kind, exec'd commands, lifetimes, exit status, zombies.
 */
import type { Command } from 'commander';
import { TaskGraph } from '../model/index.js';
import { renderTreeText, treeToJSON } from '../render/tree/index.js';
import { termSafe } from '../render/escape.js';
import { ExitCode } from '../errors.js';
import { jsonLine, reportError, withExamples } from './common.js';
import { logEventBatches } from './input.js';
import { OutputWriter } from './output.js';
import type { CliRun } from "./io.js";

interface Flags {
  json?: boolean;
  threads: boolean;
  legend: boolean;
}

export { resolveLogPaths } from './log-paths.js';

/** Builds the task graph of logs (or stdin with `-` or no argument). */
export async function graphFromLogs(args: string[], options: { json?: boolean }, cli: CliRun): Promise<TaskGraph> {
  const graph = new TaskGraph();
  for await (const batch of logEventBatches(args, { verb: 'tree', ...options }, cli)) {
    for (const event of batch) graph.apply(event);
  }
  return graph.finish();
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('tree')
    .description('the process/thread tree of strace logs: TGID/TID, how each task was born, execs, exits, signals, zombies')
    .argument('[log...]', 'strace log(s): one log, the NAME.<tid> files of -ff (or just NAME), or - for stdin')
    .option('--json', 'the tree as one JSON document')
    .option('--no-threads', 'do not list the threads of each process')
    .option('--no-legend', 'omit the legend')
    .action(async (logs: string[], flags: Flags) => {
      try {
        const graph = await graphFromLogs(logs, { json: flags.json }, cli);
        const writer = new OutputWriter(cli.stdout);
        if (flags.json) writer.write(`${jsonLine(treeToJSON(graph))}\n`);
        else writer.write(renderTreeText(graph, { threads: flags.threads, legend: flags.legend, color: cli.palette() }));
        await writer.end();
        const { unknownLines, unknownSamples } = graph.stats;
        if (unknownLines > 0) {
          const first = unknownSamples[0];
          cli.stderr.write(`tasklens: ${unknownLines} line${unknownLines === 1 ? '' : 's'} not understood and skipped${first ? ` (first: line ${first.line}: ${termSafe(first.reason)})` : ''}\n`);
        }
        cli.exitCode = ExitCode.ok;
      } catch (error) {
        cli.exitCode = reportError(error, cli);
      }
    });
  withExamples(command, [
    ['tasklens tree trace.log', 'tree of a `strace -f -o trace.log CMD` log'],
    ['tasklens tree trace', 'the per-thread files trace.<tid> of `strace -ff -o trace CMD`'],
    ['strace -f CMD 2>&1 >/dev/null | tasklens tree -', 'from stdin (strace writes to stderr)'],
    ['tasklens tree --no-threads trace.log', 'processes only'],
    ['tasklens tree --json trace.log | jq ".roots[0]"', 'machine-readable'],
  ]);
}
