/**
 * The one place `trace` picks its capture engine (src/bpf/engine.ts decides; this starts it and says
 * which on stderr when the choice was automatic). Both engines give strace-format log batches.
 */
import { startTrace, type TraceOptions } from '../capture/index.js';
// Direct imports, not ../index.js: trace's start-up loads only what starting a capture needs.
import { chooseEngine, type EngineName } from '../bpf/engine.js';
import type { CaptureSession } from '../bpf/session.js';

export type { CaptureSession };
import { ExitCode, TasklensError } from '../errors.js';
import { termSafe } from '../render/escape.js';

const ENGINES: readonly EngineName[] = ['auto', 'bpf', 'strace'];

export function parseEngine(text: string): EngineName {
  if ((ENGINES as readonly string[]).includes(text)) return text as EngineName;
  throw new TasklensError('cli', 'bad-engine', `unknown engine: ${JSON.stringify(text)}`, { hint: 'use --engine bpf, strace or auto', exitCode: ExitCode.usage });
}

export async function startCapture(requested: EngineName, options: TraceOptions, notes: NodeJS.WritableStream = process.stderr): Promise<CaptureSession> {
  const choice = chooseEngine(requested, {
    full: options.mode === 'full',
    attach: options.pid !== undefined,
    straceArgs: (options.extraFlags ?? []).length > 0,
  });
  if (choice.problem) throw choice.problem;
  if (requested === 'auto' && choice.engine === 'bpf') notes.write('tasklens: engine bpf (kernel tracepoints; --engine strace for strace)\n');
  if (choice.engine === 'strace') return startTrace(options);
  const { startBpfTrace } = await import('../bpf/session.js');
  const session = await startBpfTrace({
    command: options.command!,
    cwd: options.cwd,
    env: options.env,
    path: options.path,
    stdio: options.stdio as never,
    teePath: options.teePath,
    teeFd: options.teeFd,
  });
  // strace writes its own complaints to the terminal; bpftrace's (and lost events) are collected: say them.
  const result = session.result.then((r) => {
    for (const line of r.diagnostics) notes.write(`tasklens: ${termSafe(line)}\n`);
    return r;
  });
  result.catch(() => undefined);
  return { ...session, batches: session.batches, result };
}
