/** The one PID argument parser of every verb (`snapshot 123`, `trace -p 123`, `inspect`, `ps`): see src/pid.ts. */
import { InvalidArgumentError } from 'commander';
import { pidTextProblem } from '../pid.js';

/** Commander argument parser: a PID, or a usage error (exit 2) saying what is wrong with the text. */
export function parsePidArgument(value: string): number {
  const problem = pidTextProblem(value);
  if (problem !== undefined) throw new InvalidArgumentError(`Expected a process ID: ${problem}.`);
  return Number(value);
}
