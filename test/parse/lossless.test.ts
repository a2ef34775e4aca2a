/**
 * Lossless parsing over real strace logs: the committed fixtures and a corpus regenerated here with
 * the real strace over the whole flag matrix. For every log:
 * - every physical line is accounted for by an event (its first or last line);
 * - exit, killed, signal and syscall events match independent counts of the raw lines;
 * - unknown lines are reported with a reason, never dropped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseFileSync, type TraceEvent } from '../../src/parse/index.js';
import { repoRoot, straceFixtures } from '../support/paths.js';

/** Independent, regex-based prefix stripper (deliberately not the parser's own code). */
const PREFIX = /^(?:\[pid +\d+(?:<[^>]*>)?\] +|\d+(?:<[^\s>]*>)? +)?(?:\[[^\]]*[a-z_:][^\]]*\] )?(?:\d\d:\d\d:\d\d(?:\.\d+)? |\d{9,}(?:\.\d+)? )?(?:\(\+ *\d+\.\d+\) | *\d+\.\d+ )?(?:\[ *[\d?]+\] )?(?:\[[0-9a-f?]{8,16}\] )?/;

interface Counts {
  exit: number;
  killed: number;
  signal: number;
  syscall: number;
}

function rawCounts(lines: string[]): Counts {
  const counts: Counts = { exit: 0, killed: 0, signal: 0, syscall: 0 };
  for (const line of lines) {
    const body = line.replace(PREFIX, '');
    if (/^\+\+\+ exited with -?\d+ \+\+\+$/.test(body)) counts.exit++;
    else if (/^\+\+\+ killed by \S+( \(core dumped\))? \+\+\+$/.test(body)) counts.killed++;
    else if (/^--- .* ---$/.test(body)) counts.signal++;
    else if (/^[A-Za-z_][A-Za-z0-9_]*\(/.test(body)) counts.syscall++;
  }
  return counts;
}

function eventCounts(events: TraceEvent[]): Counts {
  const counts: Counts = { exit: 0, killed: 0, signal: 0, syscall: 0 };
  for (const e of events) {
    if (e.kind === 'exit') counts.exit++;
    else if (e.kind === 'killed') counts.killed++;
    else if (e.kind === 'signal') counts.signal++;
    else if (e.kind === 'syscall' && e.state !== 'resumed') counts.syscall++;
  }
  return counts;
}

function checkLog(path: string, channel: string): { unknown: string[]; events: number } {
  const text = readFileSync(path, 'latin1');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const events = [...parseFileSync(path)];
  const covered = new Set<number>();
  for (const e of events) {
    assert.ok(e.line >= 1 && e.line <= lines.length, `${path}: event line ${e.line} in range`);
    assert.equal(typeof e.raw, 'string');
    covered.add(e.line);
    if (e.endLine !== undefined) covered.add(e.endLine);
    for (const n of e.lines ?? []) covered.add(n);
    if (e.kind === 'syscall') void e.args; // the lazy value parser must cope with every real argument list
    if (e.kind === 'unknown') assert.ok(e.reason.length > 0);
  }
  for (let n = 1; n <= lines.length; n++) assert.ok(covered.has(n), `${path}: line ${n} is lost: ${JSON.stringify(lines[n - 1].slice(0, 120))}`);
  // Program output in the same stream can imitate any strace line: counts are exact only without it.
  if (channel !== 'mixed') assert.deepEqual(eventCounts(events), rawCounts(lines), `${path}: event counts match the raw lines`);
  const unknown = events.filter((e) => e.kind === 'unknown').map((e) => `${path}:${e.line}: ${e.kind === 'unknown' ? e.reason : ''}: ${JSON.stringify(e.raw.slice(0, 160))}`);
  return { unknown, events: events.length };
}

function logsIn(dir: string): Array<{ path: string; channel: string }> {
  const logs: Array<{ path: string; channel: string }> = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/\.strace(\.\d+)?$/.test(name)) continue;
    const metaPath = join(dir, `${name.replace(/\.strace(\.\d+)?$/, '')}.meta.json`);
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { channel: string };
    logs.push({ path: join(dir, name), channel: meta.channel });
  }
  return logs;
}

test('committed fixtures parse losslessly with zero unknown lines', () => {
  const logs = logsIn(straceFixtures);
  assert.ok(logs.length >= 40, `fixtures present (${logs.length})`);
  const unknown = logs.flatMap(({ path, channel }) => checkLog(path, channel).unknown);
  assert.deepEqual(unknown, []);
});

test('a corpus regenerated with the real strace over the whole flag matrix parses losslessly', async () => {
  const corpus = (await import(pathToFileURL(join(repoRoot, 'scripts', 'gen-corpus.mjs')).href)) as typeof import('../../scripts/gen-corpus.mjs');
  const outDir = mkdtempSync(join(tmpdir(), 'tasklens-corpus-'));
  try {
    const { entries } = await corpus.generateCorpus({ outDir, binDir: join(outDir, 'bin') });
    assert.ok(entries.length >= 60, `corpus cases generated (${entries.length})`);
    const unknownByLog: string[] = [];
    for (const entry of entries) {
      for (const path of entry.paths) {
        if (entry.channel !== 'mixed') unknownByLog.push(...checkLog(path, entry.channel).unknown);
        else checkLog(path, entry.channel);
      }
    }
    // Mixed-channel logs may hold program output that is not strace syntax; nothing else may.
    assert.deepEqual(unknownByLog, []);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
