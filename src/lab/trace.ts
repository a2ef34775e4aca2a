/**
 * Running a lab program under full strace (`-f -ttt -T`: every syscall of every task, with epoch
 * timestamps and durations), with its stdout and stderr captured so the lab can show what the program
 * itself saw, and react to what it prints (send it SIGTERM, look at a child in /proc).
 *
 * strace is spawned directly (no shell). The program is strace's child and shares its process group,
 * so a Ctrl-C at the terminal reaches both, as it would for `strace -f PROG`. A run that outlives its
 * time limit has its tracees killed (found through /proc TracerPid), after which strace exits.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';
import { locateStrace } from '../capture/locate.js';
import { traceesOf } from '../capture/tracees.js';
import { TasklensError } from '../errors.js';
import type { InteractionRecord, LabInteraction, TracedRun } from './types.js';

/** The strace flags every lab uses: follow forks, epoch times with microseconds, time in each call. */
export const LAB_STRACE_FLAGS = ['-f', '-ttt', '-T'] as const;

export interface TraceProgramOptions {
  /** Where strace writes its log. */
  log: string;
  args?: string[];
  interact?: LabInteraction;
  /** Kill the run after this many milliseconds (default 20 s). */
  timeoutMs?: number;
  /** strace binary (path or name on PATH). */
  strace?: string;
  /** Start the program through `tasklens run` with these options (traced too). */
  underRun?: string[];
  /** strace `-e` expression, e.g. `trace=%process,%signal`. */
  traceFilter?: string;
}

/** The compiled CLI a lab starts `tasklens run` from (same package, same Node). */
function launcherArgv(options: string[]): string[] {
  const main = join(packageRoot, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(main)) throw new TasklensError('lab', 'cli-missing', `this lab runs the compiled tasklens: ${main} is missing`, { hint: 'build it: npm run build' });
  return [process.execPath, main, 'run', ...options, '--'];
}

/** The state letter of a task in /proc/PID/stat (`R`, `S`, `Z`...), or `gone`. */
export function procState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return 'gone';
  }
}

/** Traces one program to completion. */
export async function traceProgram(binary: string, options: TraceProgramOptions): Promise<TracedRun> {
  const strace = locateStrace(options.strace === undefined ? {} : { strace: options.strace });
  const started = performance.now();
  // Run as `./NAME` from the binary's directory: argv[0] and the exec line stay short and readable.
  const filter = options.traceFilter ? ['-e', options.traceFilter] : [];
  const launcher = options.underRun ? launcherArgv(options.underRun) : [];
  const child = spawn(strace, [...LAB_STRACE_FLAGS, ...filter, '-o', options.log, '--', ...launcher, `./${basename(binary)}`, ...(options.args ?? [])], {
    cwd: dirname(binary),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const interactions: InteractionRecord[] = [];
  const pending: Array<Promise<void>> = [];
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => stderr.push(chunk));
  child.stdout.on('data', (chunk: string) => {
    stdout.push(chunk);
    if (!options.interact) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = options.interact.pattern.exec(line);
      if (m) pending.push(react(options.interact, Number(m[1]), started, interactions));
    }
  });

  const timeoutMs = options.timeoutMs ?? 20_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    for (const tracee of child.pid === undefined ? [] : traceesOf(child.pid)) {
      try {
        process.kill(tracee.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }, timeoutMs);

  try {
    const [code, signal] = (await Promise.race([
      once(child, 'exit'),
      once(child, 'error').then(([error]) => {
        throw error;
      }),
    ])) as [number | null, NodeJS.Signals | null];
    await Promise.all(pending);
    if (!child.stdout.readableEnded) await once(child.stdout, 'end').catch(() => undefined);
    if (timedOut) {
      throw new TasklensError('lab', 'lab-timeout', `${binary} was still running after ${timeoutMs / 1000} s and was killed`, {
        hint: `the partial trace is in ${options.log}`,
      });
    }
    return {
      log: options.log,
      exitCode: code,
      signal,
      stdout: stdout.join(''),
      stderr: stderr.join(''),
      interactions,
      wallMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
  }
}

async function react(interaction: LabInteraction, pid: number, started: number, out: InteractionRecord[]): Promise<void> {
  if (interaction.action === 'observe-state') {
    // Look every 10 ms until the task is a zombie (or gone), for at most delayMs: a loaded machine
    // may take a moment to run the child to its exit.
    const deadline = performance.now() + (interaction.delayMs ?? 100);
    let state = procState(pid);
    while (state !== 'Z' && state !== 'gone' && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      state = procState(pid);
    }
    out.push({ action: 'observe-state', pid, result: state, atMs: Math.round(performance.now() - started) });
    return;
  }
  if (interaction.delayMs) await new Promise((resolve) => setTimeout(resolve, interaction.delayMs));
  const atMs = Math.round(performance.now() - started);
  try {
    process.kill(pid, 'SIGTERM');
    out.push({ action: 'sigterm', pid, result: 'sent', atMs });
  } catch (error) {
    out.push({ action: 'sigterm', pid, result: (error as NodeJS.ErrnoException).code ?? 'failed', atMs });
  }
}
