/**
 * `tasklens snapshot PID`: stop every thread briefly, capture registers, pthread_t and a symbolized
 * backtrace per thread, resume them, print a pstack-like report (or --json).
 */
import { writeSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { SnapshotOptions } from '../ptrace/snapshot.js';
import { parsePidArgument } from './pid-arg.js';
import { reportError, withExamples } from './common.js';
import type { CliRun } from "./io.js";

interface Flags {
  json?: boolean;
  registers?: boolean;
  all?: boolean;
  maxFrames: number;
  stackBytes: number;
  unwindWhileStopped?: boolean;
  debugDir?: string;
}

/** Test-only: hold the threads stopped this many ms (after announcing it on stderr), so a test can kill us mid-snapshot. */
const HOLD_ENV = 'TASKLENS_TEST_HOLD_STOPPED_MS';

function positiveInt(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive integer`);
    return n;
  };
}

/**
 * Ctrl-Z while the target's threads are stopped would suspend tasklens and keep them stopped with it:
 * for the few milliseconds of the snapshot, terminal stop signals are caught and dropped. (SIGINT,
 * SIGTERM and SIGKILL still end tasklens at once; the kernel then detaches and the target runs on.)
 */
function withoutJobControlStops<T>(run: () => T): T {
  const signals: NodeJS.Signals[] = ['SIGTSTP', 'SIGTTIN', 'SIGTTOU'];
  const ignore = () => undefined;
  for (const signal of signals) process.on(signal, ignore);
  try {
    return run();
  } finally {
    for (const signal of signals) process.off(signal, ignore);
  }
}

function holdWhileStopped(env: NodeJS.ProcessEnv): (() => void) | undefined {
  const ms = Number(env[HOLD_ENV]);
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return () => {
    writeSync(2, `tasklens: threads stopped, holding ${ms} ms (${HOLD_ENV})\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  };
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('snapshot')
    .description("stop every thread briefly; print each thread's registers, pthread_t and symbolized stack")
    .argument('<pid>', 'process (or thread) ID', parsePidArgument)
    .option('--json', 'one JSON object (addresses as hex strings)')
    .option('--registers', 'print all general registers of each thread (implies --all)')
    .option('--all', 'print every thread, even those whose stack is identical to another\'s (by default such threads are printed once, with their count and TIDs; --json always lists every thread)')
    .option('--max-frames <n>', 'frames per thread at most', positiveInt('--max-frames'), 128)
    .option('--stack-bytes <n>', 'stack bytes copied per thread while stopped', positiveInt('--stack-bytes'), 8 * 1024)
    .option('--unwind-while-stopped', 'unwind before resuming (longer pause; for stacks deeper than --stack-bytes)')
    .option('--debug-dir <dir>', 'where separate debug files live', '/usr/lib/debug')
    .action(async (pid: number, flags: Flags) => {
      try {
        // Loaded here, not at start-up: koffi and the ELF/DWARF code cost every other verb ~70 ms otherwise.
        const [{ takeSnapshot }, { renderSnapshotJson }, { renderSnapshotText }] = await Promise.all([
          import('../ptrace/snapshot.js'),
          import('../render/snapshot/json.js'),
          import('../render/snapshot/text.js'),
        ]);
        const options: SnapshotOptions = {
          maxFrames: flags.maxFrames,
          stackBytes: flags.stackBytes,
          order: flags.unwindWhileStopped ? 'unwind-while-stopped' : 'copy-then-resume',
          debugRoot: flags.debugDir,
          whileStopped: holdWhileStopped(cli.env),
        };
        const snapshot = withoutJobControlStops(() => takeSnapshot(pid, options));
        cli.stdout.write(
          flags.json ? renderSnapshotJson(snapshot) : renderSnapshotText(snapshot, { palette: cli.palette(), registers: flags.registers, all: flags.all }),
        );
      } catch (error) {
        cli.exitCode = reportError(error, cli);
      }
    });
  withExamples(command, [
    ['tasklens snapshot 1234', 'every thread of process 1234: pthread_t, state, backtrace'],
    ['tasklens snapshot --registers 1234', 'also all general registers'],
    ['tasklens snapshot --json 1234 | jq ".threads[].pthread"', 'machine-readable'],
    ['sudo tasklens snapshot $(pidof nginx)', 'another user\'s process needs root (or CAP_SYS_PTRACE)'],
  ]);
}
