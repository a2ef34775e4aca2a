#!/usr/bin/env node
/** The `tasklens` binary: the CLI (program.ts) run with this process's streams, environment and signals. */
import { main } from './program.js';
import { processIO } from './io.js';

// Not a top-level await: a run whose event loop empties while a verb still awaits must end with the
// verb's exit code so far, not with Node's "unsettled top-level await" (13).
void main(process.argv.slice(2), processIO()).then((code) => {
  process.exitCode = code;
});
