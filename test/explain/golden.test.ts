/**
 * Golden files: the explained text (with detail lines and the summary) of every committed strace
 * fixture (test/fixtures/strace, already normalised: stable pids and addresses), compared with
 * test/explain/golden/NAME.txt. After an intended change of wording (or regenerated fixtures), run
 * with UPDATE_GOLDEN=1 to rewrite them, and review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, straceFixtures } from '../support/paths.js';
import { parseFilesSync } from '../../src/parse/index.js';
import { Explainer } from '../../src/explain/index.js';
import { renderExplainedText, renderExplainSummary } from '../../src/render/explain/index.js';
import { palette } from '../../src/render/color.js';

const goldenDir = join(repoRoot, 'test', 'explain', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const plain = palette(false);

const fixtures = readdirSync(straceFixtures)
  .filter((f) => f.endsWith('.meta.json'))
  .map((f) => f.slice(0, -'.meta.json'.length))
  .sort();

/** Explains a fixture the way `tasklens explain --detail` prints it (no colour, no width). */
export function explainFixture(name: string): string {
  const meta = JSON.parse(readFileSync(join(straceFixtures, `${name}.meta.json`), 'utf8')) as { files: string[] };
  const explainer = new Explainer();
  const out: string[] = [];
  const show = (items: ReturnType<Explainer['push']>): void => {
    for (const item of items) out.push(renderExplainedText(item, { palette: plain, detail: true }));
  };
  for (const event of parseFilesSync(meta.files.map((f) => join(straceFixtures, f)))) show(explainer.push(event));
  show(explainer.end());
  out.push('', renderExplainSummary(explainer.summary(), { palette: plain }));
  return `${out.join('\n')}\n`;
}

test('there are fixtures to compare', () => {
  assert.ok(fixtures.length >= 10, `found ${fixtures.length} fixtures in ${straceFixtures}`);
});

for (const name of fixtures) {
  test(`explained text of ${name} matches test/explain/golden/${name}.txt`, () => {
    const text = explainFixture(name);
    const path = join(goldenDir, `${name}.txt`);
    if (update || !existsSync(path)) {
      if (!update) assert.fail(`golden file missing: ${path} (run with UPDATE_GOLDEN=1 to create it)`);
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(path, text);
      return;
    }
    assert.equal(text, readFileSync(path, 'utf8'));
  });
}
