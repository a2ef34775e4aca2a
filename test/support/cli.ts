/**
 * Runs the tasklens CLI: as a user would (a new node process: the compiled CLI under dist/, or the
 * TypeScript source via tsx), or in-process through main(argv, io) where no process boundary is tested.
 */
import { spawn, spawnSync, type SpawnOptions, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
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

/** A stream that keeps what is written to it, as the in-process CLI's stdout or stderr. */
class Collector extends Writable {
  private readonly chunks: Buffer[] = [];
  isTTY?: boolean;
  columns?: number;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    done();
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * Runs the CLI inside this process: `main(args, io)` with collected stdout/stderr, `input` (or
 * nothing) on stdin and the same environment runCli gives (NO_COLOR=1 unless overridden). Same
 * result shape as runCli; `signal` is always null. For verbs over logs and /proc, where no process
 * boundary is under test: a spawn costs ~0.3 s of start-up, this costs none.
 */
export async function runCliInProcess(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string | Buffer; cwd?: string; tty?: { columns: number } } = {}): Promise<CliResult> {
  const { main } = await import('../../src/cli/program.js');
  const stdout = new Collector();
  const stderr = new Collector();
  if (options.tty) Object.assign(stdout, { isTTY: true, columns: options.tty.columns });
  const stdin = Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]);
  const env = { ...process.env, NO_COLOR: '1', ...options.env };
  const before = process.cwd();
  process.chdir(options.cwd ?? repoRoot);
  try {
    const status = await main(args, {
      stdout,
      stderr,
      stdin,
      env,
      exit: (code) => {
        throw new Error(`the CLI asked to exit with ${code} (a failed write) during an in-process run`);
      },
    });
    return { status, signal: null, stdout: stdout.text, stderr: stderr.text };
  } finally {
    process.chdir(before);
  }
}
