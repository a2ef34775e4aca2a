/**
 * Fuzzing: 120,000 hostile inputs (mutated real corpus lines, random bytes, spliced halves) must never
 * make the parser throw, and every line must still be accounted for by an event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StraceParser, valueText, type TraceEvent } from '../../src/parse/index.js';
import { splitArgs } from '../../src/parse/values.js';
import { straceFixtures } from '../support/paths.js';

/** Small deterministic PRNG (mulberry32) so a failure is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL = ['"', '\\', '(', ')', '[', ']', '{', '}', '<', '>', '=', ',', '|', '~', ' ', '...', ' <unfinished ...>', '<... read resumed>', ' = ', '+++ ', '--- ', 'strace: ', '/*', '*/', '\x00', '\xff', '0x', '-1', '?'];

function corpusLines(): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(straceFixtures)) {
    if (!/\.strace(\.\d+)?$/.test(name)) continue;
    for (const line of readFileSync(join(straceFixtures, name), 'latin1').split('\n')) if (line !== '') lines.push(line);
  }
  return lines;
}

function mutate(line: string, rand: () => number, pool: string[]): string {
  const pick = (n: number): number => Math.floor(rand() * n);
  let s = line;
  const rounds = 1 + pick(3);
  for (let r = 0; r < rounds; r++) {
    const at = pick(s.length + 1);
    switch (pick(7)) {
      case 0: // flip a byte
        s = s.slice(0, at) + String.fromCharCode(pick(256)) + s.slice(at + 1);
        break;
      case 1: // delete a range
        s = s.slice(0, at) + s.slice(at + pick(20));
        break;
      case 2: // insert syntax
        s = s.slice(0, at) + SPECIAL[pick(SPECIAL.length)] + s.slice(at);
        break;
      case 3: // truncate
        s = s.slice(0, at);
        break;
      case 4: // splice with another line
        s = s.slice(0, at) + pool[pick(pool.length)].slice(pick(40));
        break;
      case 5: // duplicate a segment
        s = s.slice(0, at) + s.slice(at, at + pick(30)) + s.slice(at);
        break;
      default: // random bytes
        s = Array.from({ length: pick(80) }, () => String.fromCharCode(pick(256))).join('');
    }
  }
  return s;
}

function exercise(events: TraceEvent[], lineCount: number): void {
  const covered = new Set<number>();
  for (const e of events) {
    assert.ok(e.line >= 1 && e.line <= lineCount, `line ${e.line} of ${lineCount}`);
    covered.add(e.line);
    if (e.endLine !== undefined) covered.add(e.endLine);
    for (const n of e.lines ?? []) covered.add(n);
    if (e.kind === 'syscall') {
      // The boundaries the scan noted must split exactly as a fresh top-level split does; an orphan
      // resumed half has no positional arguments, only trailing ones.
      assert.deepEqual(e.argParts?.(), e.orphanResume ? [] : splitArgs(e.argsText), `arguments of line ${e.line}`);
      if (e.orphanResume) assert.equal(e.tailArgs?.().length, splitArgs(e.argsText).length);
      for (const v of e.args) valueText(v);
    }
    if (e.kind === 'signal' && e.siginfo) valueText(e.siginfo);
    JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  for (let n = 1; n <= lineCount; n++) assert.ok(covered.has(n), `line ${n} lost`);
}

test('the corpus lines as they are: the arguments of every syscall split as splitArgs splits them', () => {
  const lines = corpusLines();
  const parser = new StraceParser();
  const events: TraceEvent[] = [];
  for (const line of lines) parser.push(line, events);
  parser.end(events);
  let checked = 0;
  for (const e of events) {
    if (e.kind !== 'syscall') continue;
    assert.deepEqual(e.argParts?.(), e.orphanResume ? [] : splitArgs(e.argsText), `${e.name} on line ${e.line}: ${e.argsText}`);
    checked++;
  }
  assert.ok(checked > 1000, `only ${checked} syscalls`);
});

test('120,000 mutated and random inputs never throw and lose no line', () => {
  const pool = corpusLines();
  assert.ok(pool.length > 1000);
  const rand = prng(20261125);
  const inputs = 120_000;
  let parsed = 0;
  for (let i = 0; i < inputs; i += 4) {
    // Four lines per parser: the stateful parts (joining, splicing, inference) get exercised too.
    const lines = [0, 1, 2, 3].map(() => mutate(pool[Math.floor(rand() * pool.length)], rand, pool).replace(/\n/g, ' '));
    const parser = new StraceParser();
    const events: TraceEvent[] = [];
    try {
      for (const line of lines) parser.push(line, events);
      parser.end(events);
      exercise(events, lines.length);
    } catch (error) {
      assert.fail(`input #${i} ${JSON.stringify(lines)}: ${(error as Error).stack}`);
    }
    parsed += lines.length;
  }
  assert.equal(parsed, inputs);
});
