/**
 * Which capture engine a trace uses, decided in this one place. bpf: kernel tracepoints, lifecycle
 * events of a command and its descendants at near-zero cost. strace: every syscall, attach (-p), any
 * strace option. `auto` is strace for now (see chooseEngine); bpf when asked for.
 */
import { ExitCode, TasklensError } from '../errors.js';
import { bpfReadiness } from './requirements.js';

export type EngineName = 'bpf' | 'strace' | 'auto';

export interface EngineChoice {
  engine: 'bpf' | 'strace';
  /** Why auto chose it (for the stderr note). */
  reason: string;
  /** bpf was asked for explicitly and cannot run (throw it). */
  problem?: TasklensError;
}

export function chooseEngine(requested: EngineName, request: { full: boolean; attach: boolean; straceArgs: boolean }): EngineChoice {
  const needsStrace = request.full ? '--full' : request.attach ? '-p' : request.straceArgs ? '-X' : undefined;
  if (requested === 'strace') return { engine: 'strace', reason: 'asked for' };
  if (requested === 'bpf') {
    if (needsStrace) return { engine: 'bpf', reason: 'asked for', problem: conflict(needsStrace) };
    const ready = bpfReadiness();
    return { engine: 'bpf', reason: 'asked for', ...(ready.problem ? { problem: ready.problem } : {}) };
  }
  if (needsStrace) return { engine: 'strace', reason: `${needsStrace} needs strace` };
  // auto stays on strace for now: the bpf engine has no guardian yet, so a tasklens killed with
  // SIGKILL leaves bpftrace and the traced program running (strace's guardian ends both; see
  // test/capture/orphans.test.ts). --engine bpf opts in.
  return { engine: 'strace', reason: 'auto uses strace until the bpf engine survives SIGKILL of tasklens' };
}

function conflict(option: string): TasklensError {
  return new TasklensError('cli', 'bad-engine', `--engine bpf cannot be used with ${option} (that needs strace)`, { exitCode: ExitCode.usage });
}
