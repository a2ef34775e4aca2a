/**
 * Test helpers: compile the C workloads of test/workloads/procfs into build/procfs (once per run),
 * start one, wait for its "ready ..." line, and always kill it afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

const buildDir = join(repoRoot, 'build', 'procfs');

/** Compiles test/workloads/procfs/NAME.c unless the binary is newer than the source. */
export function compile(name: string): string {
  const source = join(repoRoot, 'test', 'workloads', 'procfs', `${name}.c`);
  const binary = join(buildDir, name);
  mkdirSync(buildDir, { recursive: true });
  if (existsSync(binary) && statSync(binary).mtimeMs > statSync(source).mtimeMs) return binary;
  const gcc = spawnSync('gcc', ['-Wall', '-O1', '-pthread', '-o', binary, source], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) throw new Error(`gcc ${source}: ${gcc.error?.message ?? gcc.stderr}`);
  return binary;
}

export interface Running {
  child: ChildProcess;
  pid: number;
  /** Numbers printed after "ready". */
  ready: number[];
  /** SIGTERM (the workloads reap their children on it), then SIGKILL if it lingers; resolves when it has exited. */
  stop(): Promise<void>;
}

export async function start(name: string, args: string[] = []): Promise<Running> {
  const child = spawn(compile(name), args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const ready = await new Promise<number[]>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`${name} did not become ready`)), 10_000);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${name} exited early (${code})`)));
      child.stdout?.on('data', (data: Buffer) => {
        text += data.toString();
        const m = /^ready((?: \d+)*)\n/m.exec(text);
        if (m) {
          clearTimeout(timer);
          resolve(m[1].trim() ? m[1].trim().split(' ').map(Number) : []);
        }
      });
    });
    return { child, pid: child.pid as number, ready, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls until `check` is true (children become zombies asynchronously). */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** x86-64 numbers of the calls the workloads park in. */
export const SYSCALL = { pause: 34, wait4: 61 } as const;

/** The system call a thread is blocked in (task/TID/syscall), -1 when it runs, undefined when it is gone. */
export function syscallOf(pid: number, tid = pid): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'latin1').split(' ')[0];
    return /^\d+$/.test(first) ? Number(first) : -1;
  } catch {
    return undefined;
  }
}

/**
 * Waits until every thread of `pid` sleeps in system call `nr`: a workload prints "ready" before its
 * threads get there, and tests assert where they are.
 */
export async function untilAllIn(pid: number, nr: number, what: string): Promise<void> {
  await until(() => {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      return false;
    }
    return tids.every((tid) => syscallOf(pid, Number(tid)) === nr && stateOf(Number(tid), pid) === 'S');
  }, what, 20_000);
}

/** SIGCHLD is pending for the process or one of its threads. */
export function sigchldPending(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const bit = 1n << 16n; // SIGCHLD = 17
    return ['SigPnd', 'ShdPnd'].some((field) => (BigInt(`0x${new RegExp(`^${field}:\\s*([0-9a-f]+)`, 'm').exec(status)?.[1] ?? '0'}`) & bit) !== 0n);
  } catch {
    return false;
  }
}

/** A kernel thread visible here (kthreadd, PID 2, in the initial PID namespace), found by its PF_KTHREAD flag. */
export function kernelThread(): { pid: number; comm: string } {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const close = stat.lastIndexOf(')');
      const flags = Number(stat.slice(close + 2).split(' ')[6]);
      if (flags & 0x200000) return { pid: Number(name), comm: stat.slice(stat.indexOf('(') + 1, close) };
    } catch {
      // exited meanwhile
    }
  }
  throw new Error('no kernel thread visible in /proc (a PID namespace hides them): this test needs the host PID namespace');
}

/** State letter of a task, or undefined when it is gone. */
export function stateOf(pid: number, tgid?: number): string | undefined {
  try {
    const text = readFileSync(tgid === undefined ? `/proc/${pid}/stat` : `/proc/${tgid}/task/${pid}/stat`, 'latin1');
    return text.slice(text.lastIndexOf(')') + 2)[0];
  } catch {
    return undefined;
  }
}

/** The compiled CLI (npm test runs from dist) or the TypeScript source through tsx. */
export function cliCommand(): { command: string; args: string[] } {
  const compiled = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
  const here = new URL(import.meta.url).pathname;
  if (here.includes('/dist/test/')) return { command: process.execPath, args: [compiled] };
  return { command: process.execPath, args: ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts')] };
}

export function runCli(args: string[], options: { uid?: number } = {}): { status: number | null; stdout: string; stderr: string } {
  const { command, args: base } = cliCommand();
  const result = spawnSync(command, [...base, ...args], {
    encoding: 'utf8',
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
    uid: options.uid,
    gid: options.uid,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
