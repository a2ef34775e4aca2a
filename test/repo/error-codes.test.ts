/**
 * TasklensError.code is a typed union (ERROR_CODES in src/errors.ts, issue 11 item 3): the compiler
 * refuses a code that is not in the table; this test refuses a table entry no source uses any more,
 * and a duplicate, so the list stays the exact set of codes a library user can meet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, TasklensError } from '../../src/errors.js';
import { repoRoot } from '../support/paths.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

test('every error code in ERROR_CODES is used by some TasklensError in src, and none twice in the table', () => {
  assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length, 'no duplicates');
  const text = sources(join(repoRoot, 'src')).map((f) => readFileSync(f, 'utf8')).join('\n');
  // The code is the second argument: `new TasklensError(layer, 'code', ...`, possibly over several lines.
  const used = new Set([...text.matchAll(/new TasklensError\(\s*[^,]+,\s*'([a-z0-9-]+)'/g)].map((m) => m[1]));
  assert.ok(used.size > 50, `found the codes in src (${used.size})`);
  assert.deepEqual(ERROR_CODES.filter((c) => !used.has(c)), [], 'codes in the table that nothing throws');
  assert.deepEqual([...used].filter((c) => !(ERROR_CODES as readonly string[]).includes(c)), [], 'codes thrown but missing from the table');
  assert.equal(new TasklensError('cli', 'no-input', 'x').code, 'no-input');
});
