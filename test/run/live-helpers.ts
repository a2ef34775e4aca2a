/** Helpers of the `run` live tests: /proc polling with deadlines, never output markers. */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';

export async function waitFor<T>(what: string, probe: () => T | undefined | false, deadlineMs = 20_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function stat(pid: number): { comm: string; state: string; ppid: number; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const rest = text.slice(close + 2).split(' ');
    return { comm: text.slice(text.indexOf('(') + 1, close), state: rest[0], ppid: Number(rest[1]), pgrp: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

/** Every process whose parent is `ppid`, from a /proc scan. */
export function childrenByScan(ppid: number): Array<{ pid: number; comm: string; state: string }> {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s && s.ppid === ppid) out.push({ pid: Number(name), comm: s.comm, state: s.state });
  }
  return out;
}

/** Descendants of `root` from a /proc scan (by ppid chains). */
export function descendantsByScan(root: number): Array<{ pid: number; comm: string; state: string; ppid: number }> {
  const all = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s) all.push({ pid: Number(name), ...s });
  }
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) if (!inTree.has(p.pid) && inTree.has(p.ppid)) (inTree.add(p.pid), (grew = true));
  }
  return all.filter((p) => p.pid !== root && inTree.has(p.pid));
}

/** None of these pids is a zombie (gone is fine: reaped). */
export function zombiesAmong(pids: Iterable<number>): number[] {
  return [...pids].filter((pid) => stat(pid)?.state === 'Z');
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

export function reportPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'tasklens-run-')), 'report.json');
}

export interface JsonReport {
  pid?: number;
  exitCode: number;
  subreaper: boolean;
  startError?: string;
  outcome?: { kind: string; code?: number; signal?: number };
  limits?: Array<{ name: string; soft: string; hard: string; requested: boolean }>;
  reaped: Array<{ pid: number; comm: string; outcome: { kind: string; code?: number; signal?: number }; abandonedBy?: { pid: number } }>;
  forwarded: Array<{ signal: string; target: number; error?: string }>;
  stop?: { signal: string; escalatedAtMs?: number; killed: Array<{ pid: number; comm: string; gotStopSignal: boolean; stopSignalDisposition: string }> };
  leftRunning: Array<{ pid: number; comm: string }>;
}

export function readReport(path: string): JsonReport {
  if (!existsSync(path)) throw new Error(`no report at ${path}`);
  return JSON.parse(readFileSync(path, 'utf8')) as JsonReport;
}

const started: ChildProcess[] = [];

/** Remembers a started tasklens so a failed test cannot leave it (and its tree) running. */
export function track<T extends ChildProcess>(child: T): T {
  started.push(child);
  return child;
}

/** SIGKILLs every tracked tasklens still running, and its descendants (afterEach). */
export function killLeftovers(): void {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    for (const d of descendantsByScan(child.pid)) {
      try {
        process.kill(d.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    child.kill('SIGKILL');
  }
}
