/**
 * What the child runs between fork and the program's exec when spawn() alone is not enough: resource
 * limits in force from the program's first instruction, and (with --keep-signals) the ignored and
 * blocked signals tasklens inherited, which Node and libuv reset.
 *
 * Node cannot run code in a child between fork and exec, and setting limits from outside after
 * spawn() is a race, so the child is a constant /bin/sh script: util-linux prlimit(1) sets the limits
 * on that shell (`--pid $$`; they survive exec), then the shell execs coreutils env(1) with
 * `--ignore-signal`/`--block-signal` when signals are kept, which execs the program. Same pid
 * throughout, argv passed as an array (no shell string is built from it).
 *
 * A setup failure must not look like the program exiting 1 (prlimit's own exit code): the shell
 * writes prlimit's message to fd 3, a socket to tasklens that it closes before the exec, and exits
 * with SETUP_FAILED_EXIT (125, the code env(1), nice(1) and timeout(1) use for their own failure).
 * Whatever arrives on fd 3 is a setup failure; an EOF with nothing on it means the exec went ahead.
 */
import { TasklensError } from '../errors.js';
import { resolveCommand } from './command.js';
import { limitArgument, type LimitSpec, type LimitValue } from './limit-spec.js';
import { envSignalOptions, type SignalState } from './signal-state.js';

/** tasklens run's exit code when the program could not be set up (a limit refused by the kernel). */
export const SETUP_FAILED_EXIT = 125;

/** The descriptor the setup shell reports a failure on. */
export const SETUP_FD = 3;

// $1: prlimit's path, $2: its options (generated from parsed numbers: `--nofile=256:512`, split on
// spaces on purpose, globbing off), then the program's argv (possibly behind env).
const SCRIPT = [
  'set -f',
  'if [ -n "$2" ]; then err=$("$1" --pid $$ $2 2>&1) || { printf "%s\\n" "$err" >&3; exit 125; }; fi',
  'exec 3>&-',
  'shift 2',
  'exec "$@"',
].join('\n');

export interface LimitToApply {
  spec: LimitSpec;
  soft: LimitValue;
  hard: LimitValue;
}

/** The file and argv the child is spawned with; `setup` false means the program itself, directly. */
export function setupArgv(limits: readonly LimitToApply[], signals: SignalState | undefined, command: string, args: readonly string[]): { file: string; argv: string[]; setup: boolean } {
  const signalOptions = signals ? envSignalOptions(signals) : [];
  if (!limits.length && !signalOptions.length) return { file: command, argv: [...args], setup: false };
  let prlimit = '';
  if (limits.length) {
    const found = resolveCommand('prlimit');
    if (!found.ok) throw new TasklensError('run', 'prlimit-missing', 'prlimit not found: --limit needs it', { hint: 'apt-get install util-linux', exitCode: 127 });
    prlimit = found.path;
  }
  const options = limits.map(({ spec, soft, hard }) => `--${spec.info.name.toLowerCase()}=${limitArgument(soft)}:${limitArgument(hard)}`).join(' ');
  let program = [command, ...args];
  if (signalOptions.length) {
    const env = resolveCommand('env');
    if (!env.ok) throw new TasklensError('run', 'env-missing', 'env not found: --keep-signals needs coreutils env', { hint: 'apt-get install coreutils', exitCode: 127 });
    // env(1) would take a NAME=VALUE word for an assignment, not for the program.
    if (command.includes('=')) throw new TasklensError('run', 'bad-command', `--keep-signals: cannot start a program whose name contains '=' (${command}) through env(1)`, { hint: 'rename it or give its directory in PATH', exitCode: 2 });
    program = [env.path, ...signalOptions, '--', command, ...args];
  }
  return { file: '/bin/sh', argv: ['-c', SCRIPT, 'tasklens-run-setup', prlimit, options, ...program], setup: true };
}
