/** Runs the tasklens CLI as a user would: the compiled one under dist/, or the TypeScript source via tsx. */
import { spawn, spawnSync, type SpawnOptions, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './paths.js';

/** The node arguments that start the CLI from wherever this test file runs (dist/test or test/). */
export function cliArgv(): string[] {
  const compiled = fileURLToPath(import.meta.url).endsWith('.js');
  const main = compiled ? join(repoRoot, 'dist', 'src', 'cli', 'main.js') : join(repoRoot, 'src', 'cli', 'main.ts');
  if (!existsSync(main)) throw new Error(`CLI entry point missing: ${main}`);
  return compiled ? [main] : ['--import', 'tsx', main];
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeout?: number; cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [...cliArgv(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    input: options.input,
    timeout: options.timeout ?? 60_000,
    cwd: options.cwd ?? repoRoot,
    maxBuffer: 64 << 20,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI in the background (for signal tests). */
export function startCli(args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [...cliArgv(), ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], ...options });
}
