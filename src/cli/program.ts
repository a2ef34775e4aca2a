/**
 * The tasklens command line as a function: `main(argv, io)` runs one command with the given streams
 * and resolves to its exit code. A thin dispatcher: each verb lives in its own module under src/cli,
 * listed in verbs.ts; only the verb being run is loaded (all of them for --help and mistakes).
 */
import { Command, CommanderError } from 'commander';
import { verbs } from './verbs.js';
import { exitOnEpipe, reportError } from './common.js';
import { CliRun, type CliIO } from './io.js';
import { termSafeLines } from '../render/escape.js';
import { ExitCode } from '../errors.js';

export type { CliIO, CliInput, CliOutput, SignalSource } from './io.js';

/**
 * Runs `tasklens ARGS...` (argv: the arguments after the program name) with `io`'s streams and
 * environment; resolves to the exit code. Errors are reported on io.stderr, never thrown.
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const run = new CliRun(io);
  try {
    await dispatch(argv, run);
  } catch (error: unknown) {
    // Commander has already printed its message (or the help); map its exit to ours.
    if (error instanceof CommanderError) run.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    else run.exitCode = reportError(error, run);
  }
  return run.exitCode ?? ExitCode.ok;
}

async function dispatch(argv: string[], run: CliRun): Promise<void> {
  exitOnEpipe(run.stdout, run);
  exitOnEpipe(run.stderr, run);
  const { stdout, stderr } = run;
  const program = new Command();
  program
    .name('tasklens')
    .description('See, explain and control Linux processes, threads and signals.')
    .version('0.1.0')
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      getOutHelpWidth: () => (stdout.isTTY ? stdout.columns : undefined) as number,
      getErrHelpWidth: () => (stderr.isTTY ? stderr.columns : undefined) as number,
      getOutHasColors: () => run.colorOn(stdout),
      getErrHasColors: () => run.colorOn(stderr),
      // One prefix for every error (ours and commander's usage errors); the argument it quotes is made terminal-safe.
      outputError: (text, write) => write(termSafeLines(text.replace(/^error: /, 'tasklens: '))),
    })
    .exitOverride(); // inherited by every verb: usage errors become exit code 2 in main
  const first = argv.find((arg) => !arg.startsWith('-'));
  const chosen = verbs.find((verb) => verb.name === first && argv[0] === first);
  for (const verb of chosen ? [chosen] : verbs) (await verb.load()).register(program, run);
  await program.parseAsync(argv, { from: 'user' });
}
