/**
 * `doctor -- CMD`: runs a command under strace with what every rule needs (every call of every task,
 * epoch timestamps, call times, descriptor kinds with -yy, longer strings) and diagnoses the log as it
 * streams, so nothing is stored unless the caller asks for the raw log.
 */
import { startTrace, type TraceResult } from '../capture/trace.js';
import { StraceParser } from '../parse/parser.js';
import type { TraceEvent } from '../parse/types.js';
import { Doctor, type DoctorOptions } from './doctor.js';
import type { DoctorReport } from './types.js';

/** The strace options `doctor -- CMD` adds to the full mode (-f -ttt -T). */
export const DOCTOR_STRACE_FLAGS = ['-yy', '-s', '256'] as const;

export interface DiagnoseCommandOptions extends DoctorOptions {
  /** Keep the raw log here (citations then name this file). */
  logPath?: string;
  /** Or write it to this descriptor, opened by the caller; `logPath` then only names it. */
  logFd?: number;
  /** strace binary (path or name on PATH). */
  strace?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdin, stdout, stderr of the traced program (default: inherit). */
  stdio?: ['inherit' | 'ignore' | 'pipe', 'inherit' | 'ignore' | 'pipe', 'inherit' | 'ignore' | 'pipe'];
}

export interface CommandDiagnosis {
  report: DoctorReport;
  result: TraceResult;
}

/** Traces `argv` to its end and returns the findings and how the program ended. */
export async function diagnoseCommand(argv: string[], options: DiagnoseCommandOptions = {}): Promise<CommandDiagnosis> {
  const session = await startTrace({
    command: argv,
    mode: 'full',
    extraFlags: [...DOCTOR_STRACE_FLAGS],
    ...(options.logPath !== undefined ? { teePath: options.logPath } : {}),
    ...(options.logFd !== undefined ? { teeFd: options.logFd } : {}),
    ...(options.strace !== undefined ? { strace: options.strace } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    stdio: options.stdio ?? ['inherit', 'inherit', 'inherit'],
  });
  const doctor = new Doctor(options);
  const parser = new StraceParser(options.logPath !== undefined ? { source: options.logPath } : {});
  const batch: TraceEvent[] = [];
  for await (const lines of session.batches) {
    for (const line of lines) parser.push(line, batch);
    for (const event of batch) doctor.push(event);
    batch.length = 0;
  }
  for (const event of parser.end()) doctor.push(event);
  const result = await session.result;
  return { report: doctor.end(), result };
}
