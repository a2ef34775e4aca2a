/**
 * The logs a verb reads (`tree`, `explain`): files named on the command line, the `NAME.<tid>` files
 * of `strace -ff -o NAME`, or stdin. Read asynchronously in chunks (the event loop keeps running, so
 * output can drain and a closed reader is noticed), with the line cap, a progress line on a
 * terminal, and a clear error for input that is not strace output.
 */
import { statSync } from 'node:fs';
import { parseFilesBatches, parseStreamBatches } from '../parse/index.js';
import { requireStraceInput } from '../parse/sniff.js';
import type { TraceEvent } from '../parse/types.js';
import { ExitCode, TasklensError } from '../errors.js';
import { resolveLogPaths } from './log-paths.js';
import { ReadProgress } from './progress.js';
import type { CliRun } from './io.js';

export interface LogInputOptions {
  /** The verb, for hints (`tasklens tree trace.log`). */
  verb: string;
  /** JSON output: no progress line. */
  json?: boolean;
  /** The verb prints as it reads (explain): no progress line when stdout is the terminal. */
  streams?: boolean;
}

/** Bytes, with an optional K, M or G suffix (powers of 1024): `64M`. */
const SIZE = /^(\d+)([KMG]?)i?B?$/i;
const SCALE: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** The line cap from TASKLENS_MAX_LINE (e.g. `64M`), or undefined for the default (16 MiB). */
export function maxLineBytesFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.TASKLENS_MAX_LINE;
  if (text === undefined || text === '') return undefined;
  const m = SIZE.exec(text.trim());
  const bytes = m ? Number(m[1]) * SCALE[m[2].toUpperCase()] : NaN;
  if (!(bytes > 0) || !Number.isSafeInteger(bytes)) {
    throw new TasklensError('cli', 'bad-max-line', `TASKLENS_MAX_LINE: not a size: ${JSON.stringify(text)}`, { hint: 'a number of bytes, optionally with K, M or G: TASKLENS_MAX_LINE=64M', exitCode: ExitCode.usage });
  }
  return bytes;
}

/** The events of the logs in `args` (or stdin for none or `-`), in batches. */
export async function* logEventBatches(args: string[], options: LogInputOptions, cli: CliRun): AsyncGenerator<TraceEvent[]> {
  const maxLineBytes = maxLineBytesFromEnv(cli.env);
  const stdin = cli.io.stdin;
  if (args.length === 0 || (args.length === 1 && args[0] === '-')) {
    if (args.length === 0 && stdin.isTTY) {
      throw new TasklensError('cli', 'no-input', 'no log given and stdin is a terminal', {
        hint: `tasklens ${options.verb} trace.log, or pipe a log: strace -f -o /dev/stdout CMD | tasklens ${options.verb} -`,
        exitCode: ExitCode.usage,
      });
    }
    yield* requireStraceInput(parseStreamBatches(stdin as AsyncIterable<Buffer>, { source: '-', maxLineBytes }), 'the input (stdin)');
    return;
  }
  if (args.includes('-')) throw new TasklensError('cli', 'stdin-with-files', '"-" (stdin) cannot be mixed with file names', { exitCode: ExitCode.usage });
  const paths = resolveLogPaths(args);
  for (const path of paths) {
    const st = statSync(path);
    // /dev/zero has no line ends and no end at all: refuse devices rather than count bytes forever.
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      throw new TasklensError('cli', 'is-a-device', `${path} is a device, not a strace log`, { hint: 'give a log file written by strace -o FILE', exitCode: ExitCode.failure });
    }
  }
  const progress = ReadProgress.wanted({ json: options.json, streams: options.streams, stderr: cli.stderr, stdoutFd: cli.stdout.fd ?? -1 })
    ? new ReadProgress({ stream: cli.stderr, total: paths.reduce((sum, path) => sum + statSync(path).size, 0) })
    : undefined;
  const name = paths.length === 1 ? paths[0] : `the ${paths.length} logs of ${args.join(' ')}`;
  try {
    yield* requireStraceInput(parseFilesBatches(paths, { maxLineBytes, ...(progress ? { onRead: (bytes: number) => progress.advance(bytes) } : {}) }), name);
  } finally {
    progress?.clear();
  }
}
