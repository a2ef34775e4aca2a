/** Shared by the lab tests: a private cache dir per test file, and reading a log line back. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { Citation, LabPoint, LabRun } from '../../src/lab/index.js';

/** A fresh cache directory, removed when the test file ends. */
export function tempCache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-lab-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function point(run: LabRun, id: string): LabPoint {
  const found = run.points.find((p) => p.id === id);
  if (!found) throw new Error(`no point ${id} in ${run.points.map((p) => p.id).join(', ')}`);
  return found;
}

export function side(p: LabPoint, program: string, label?: string) {
  const found = p.sides.find((s) => s.program === program && (label === undefined || s.label === label));
  if (!found) throw new Error(`no side ${program}${label ? `/${label}` : ''} in point ${p.id}`);
  return found;
}

/** Every citation of a run must point at a log line that really holds what it quotes. */
export function checkCitations(run: LabRun): number {
  let checked = 0;
  const logs = new Map(run.runs.map((r) => [r.program.name, readFileSync(r.trace.log, 'utf8').split('\n')]));
  const all: Citation[] = run.points.flatMap((p) => p.sides.flatMap((s) => s.cites));
  for (const cite of all) {
    const lines = logs.get(cite.program);
    if (!lines) throw new Error(`citation of unknown program ${cite.program}`);
    const text = lines[cite.line - 1];
    if (text === undefined) throw new Error(`${cite.program}:${cite.line} is past the end of the log`);
    // The quoted call starts with the syscall name, a signal marker or +++; the log line must hold it.
    const head = /^(---|\+\+\+|[a-z_0-9]+\()/.exec(cite.raw)?.[1];
    if (!head || !text.includes(head)) throw new Error(`${cite.program}:${cite.line} is "${text}", not "${cite.raw}"`);
    checked++;
  }
  return checked;
}
