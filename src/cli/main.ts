#!/usr/bin/env node
/**
 * The tasklens command line: a thin dispatcher. Each verb lives in its own module under src/cli,
 * listed in verbs.ts; only the verb being run is loaded (all of them for --help and mistakes).
 */
import { Command, CommanderError } from 'commander';
import { verbs } from './verbs.js';
import { exitOnEpipe, reportError } from './common.js';
import { termSafeLines } from '../render/escape.js';
import { ExitCode } from '../errors.js';

async function main(argv: string[]): Promise<void> {
  exitOnEpipe(process.stdout);
  exitOnEpipe(process.stderr);
  const program = new Command();
  program
    .name('tasklens')
    .description('See, explain and control Linux processes, threads and signals.')
    .version('0.1.0')
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    // One prefix for every error (ours and commander's usage errors); the argument it quotes is made terminal-safe.
    .configureOutput({ outputError: (text, write) => write(termSafeLines(text.replace(/^error: /, 'tasklens: '))) })
    .exitOverride(); // inherited by every verb: usage errors become exit code 2 below
  const first = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const chosen = verbs.find((verb) => verb.name === first && argv[2] === first);
  for (const verb of chosen ? [chosen] : verbs) (await verb.load()).register(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  // Commander has already printed its message (or the help); map its exit to ours.
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  else process.exitCode = reportError(error);
});
