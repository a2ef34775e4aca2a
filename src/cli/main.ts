#!/usr/bin/env node
/**
 * The tasklens command line: a thin dispatcher. Each verb lives in its own module under src/cli and
 * registers itself from the table in verbs.ts.
 */
import { Command } from 'commander';
import { verbs } from './verbs.js';
import { reportError } from './common.js';

const program = new Command();
program
  .name('tasklens')
  .description('See, explain and control Linux processes, threads and signals.')
  .version('0.1.0')
  .enablePositionalOptions()
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (text, write) => write(text) });

for (const register of verbs) register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = reportError(error);
});
