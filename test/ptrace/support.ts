/**
 * Helpers for the snapshot tests: find the repository, compile the C workload in several variants,
 * run it and talk to it over stdin/stdout, and run the tasklens CLI from either test/ (tsx) or
 * dist/test/ (compiled).
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/paths.js';

const here = dirname(fileURLToPath(import.meta.url));

export const root = packageRoot;
const compiled = here.includes(`${join('dist', 'test')}`);

/** argv to run the CLI the same way the tests themselves run. */
export function cliCommand(): string[] {
  return compiled
    ? [process.execPath, join(root, 'dist', 'src', 'cli', 'main.js')]
    : [process.execPath, '--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
}

/** Compiler flag sets: CFI only, frame pointers with CFI, frame pointers without any unwind tables. */
export const VARIANTS = {
  'O2-no-frame-pointer': ['-O2', '-fomit-frame-pointer'],
  'O0-frame-pointer': ['-O0', '-fno-omit-frame-pointer'],
  'frame-pointer-no-unwind-tables': ['-O1', '-fno-omit-frame-pointer', '-fno-asynchronous-unwind-tables', '-fno-unwind-tables'],
} as const;
export type Variant = keyof typeof VARIANTS;

export function compileWorkload(variant: Variant): string {
  const out = join(root, 'build', 'test-workloads', `threads-${variant}`);
  mkdirSync(dirname(out), { recursive: true });
  const source = join(root, 'test', 'workloads', 'snapshot', 'threads.c');
  execFileSync('gcc', ['-Wall', '-pthread', ...VARIANTS[variant], '-o', out, source], { stdio: 'inherit' });
  return out;
}

/** Compiles test/workloads/snapshot/NAME.c (-O2) into build/test-workloads/NAME. */
export function compileProgram(name: string): string {
  const out = join(root, 'build', 'test-workloads', name);
  mkdirSync(dirname(out), { recursive: true });
  execFileSync('gcc', ['-Wall', '-O2', '-pthread', '-o', out, join(root, 'test', 'workloads', 'snapshot', `${name}.c`)], { stdio: 'inherit' });
  return out;
}

/** argv that runs one of these test modules as a script, the way the tests themselves run (compiled or tsx). */
export function scriptCommand(name: string): string[] {
  return compiled
    ? [process.execPath, join(here, `${name}.js`)]
    : [process.execPath, '--import', 'tsx', join(here, `${name}.ts`)];
}

export interface Announced {
  tid: number;
  pthread: bigint;
  role: string;
}

/** A running workload with its stdout collected line by line. */
export class Workload {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  private waiters: Array<() => void> = [];

  /** Extra blocked threads asked for (the workload's first argument). */
  private readonly extra: number;

  constructor(binary: string, args: string[] = [], ids: { uid?: number; gid?: number } = {}) {
    this.extra = Number(args[0] ?? 0);
    this.child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], ...ids });
    let partial = '';
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop()!;
      this.lines.push(...parts);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the first line (at index >= from) matching `pattern`. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 10_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) {
        const m = pattern.exec(this.lines[i]);
        if (m) return m;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /**
   * The threads the workload announced (TID, pthread_self, role), once /proc shows every one of them
   * parked where the tests expect it (the announcement comes before the thread gets there).
   */
  async ready(): Promise<Announced[]> {
    await this.waitFor(/^ready/);
    await waitForThreads(this.pid, 'every workload thread parked in its blocking call', workloadSettled(this.pid, this.extra));
    return this.lines
      .map((line) => /^thread (\d+) pthread_self=0x([0-9a-f]+) role=(\w+)/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ tid: Number(m[1]), pthread: BigInt(`0x${m[2]}`), role: m[3] }));
  }

  send(command: string): void {
    this.child.stdin.write(`${command}\n`);
  }

  /** Asks for the counters and returns them. */
  async counters(): Promise<{ busy: bigint; ticks: bigint }> {
    const from = this.lines.length;
    this.send('count');
    const m = await this.waitFor(/^count busy=(\d+) ticks=(\d+)/, from);
    return { busy: BigInt(m[1]), ticks: BigInt(m[2]) };
  }

  /**
   * Resolves once the counters moved past `before` (each of `which`), polling with a deadline: on a
   * loaded machine a thread that was just resumed may wait long for a CPU, so a fixed sleep is no proof.
   */
  async advancesFrom(before: { busy: bigint; ticks: bigint }, which: Array<'busy' | 'ticks'> = ['busy'], timeoutMs = 20_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await this.counters();
      if (which.every((k) => now[k] > before[k])) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** Scheduler state letter of a thread, or undefined when it is gone. */
export function threadState(pid: number, tid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return undefined;
  }
}

export interface LiveThread {
  tid: number;
  /** task/TID/comm: what pthread_setname_np set. */
  name: string;
  state: string;
  /** The system call the thread is blocked in (task/TID/syscall), -1 when it runs in user space. */
  syscall: number;
}

/** The threads of a process as /proc shows them now (threads that exit meanwhile are left out). */
export function liveThreads(pid: number): LiveThread[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tids.flatMap((name) => {
    const tid = Number(name);
    try {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').replace(/\n$/, '');
      const call = readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'latin1').split(' ')[0];
      const state = threadState(pid, tid);
      return state === undefined ? [] : [{ tid, name: comm, state, syscall: /^\d+$/.test(call) ? Number(call) : -1 }];
    } catch {
      return [];
    }
  });
}

/**
 * Polls /proc until `check` holds for the process's threads: tests wait for the state they assert
 * (a thread's name, its blocking call), never for a line the program printed before getting there.
 */
export async function waitForThreads(pid: number, what: string, check: (threads: LiveThread[]) => boolean, timeoutMs = 20_000): Promise<LiveThread[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const threads = liveThreads(pid);
    if (check(threads)) return threads;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; threads: ${threads.map((t) => `${t.tid} ${t.name} ${t.state} syscall ${t.syscall}`).join(', ')}`);
    }
    await sleep(20);
  }
}

/** x86-64 numbers of the calls the workload's threads block in. */
export const SYSCALL = { read: 0, pause: 34, wait4: 61, futex: 202, clock_nanosleep: 230 } as const;

/**
 * The snapshot workload (threads.c) with every thread where it parks: sleeper in clock_nanosleep,
 * condwait and the `extra` blocked threads in futex, piperead and main in read, busy running.
 */
export function workloadSettled(pid: number, extra = 0): (threads: LiveThread[]) => boolean {
  const parked: Array<[string, number, number]> = [
    ['sleeper', SYSCALL.clock_nanosleep, 1],
    ['condwait', SYSCALL.futex, 1],
    ['piperead', SYSCALL.read, 1],
    ['blocked', SYSCALL.futex, extra],
  ];
  return (threads) =>
    threads.length === 6 + extra &&
    threads.some((t) => t.name === 'busy') &&
    threads.some((t) => t.name === 'ticker') &&
    threads.some((t) => t.tid === pid && t.syscall === SYSCALL.read) &&
    parked.every(([name, call, count]) => threads.filter((t) => t.name === name && t.syscall === call && t.state === 'S').length === count);
}

/** Runs the CLI to completion; `prefix` goes before node (e.g. setpriv ... --). */
export function runCli(args: string[], prefix: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [command, ...rest] = [...prefix, ...cliCommand(), ...args];
  const child = spawn(command, rest, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
