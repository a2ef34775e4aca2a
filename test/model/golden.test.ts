/**
 * Golden files: the text tree of every committed strace fixture (test/fixtures/strace), with pids
 * renumbered by first appearance and times blanked, compared with test/model/golden/NAME.txt.
 * After an intended change of the output (or regenerated fixtures): UPDATE_GOLDEN=1 to rewrite them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, straceFixtures } from '../support/paths.js';
import { parseFilesSync } from '../../src/parse/index.js';
import { TaskGraph } from '../../src/model/index.js';
import { renderTreeText, treeToJSON } from '../../src/render/tree/index.js';

const goldenDir = join(repoRoot, 'test', 'model', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

interface Meta {
  files: string[];
}

/** Pids become P1, P2... in order of first appearance in the model; the fixture directory is dropped. */
function normalise(text: string, graph: TaskGraph): string {
  let out = text.split(`${straceFixtures}/`).join('');
  const tids = [...new Set(graph.tasks().map((t) => t.tid).filter((tid) => tid > 0))];
  const names = new Map(tids.map((tid, i) => [String(tid), `P${i + 1}`]));
  if (tids.length > 0) out = out.replace(new RegExp(`\\b(${tids.join('|')})\\b`, 'g'), (m) => names.get(m) ?? m);
  return out.replace(/\d+\.\d{3}–\d+\.\d{3}s/g, 'T–Ts');
}

const fixtures = readdirSync(straceFixtures)
  .filter((f) => f.endsWith('.meta.json'))
  .map((f) => f.slice(0, -'.meta.json'.length))
  .sort();

test('there are fixtures to compare', () => {
  assert.ok(fixtures.length >= 10, `found ${fixtures.length} fixtures in ${straceFixtures}`);
});

for (const name of fixtures) {
  test(`tree of fixture ${name} matches its golden file`, () => {
    const meta = JSON.parse(readFileSync(join(straceFixtures, `${name}.meta.json`), 'utf8')) as Meta;
    const graph = TaskGraph.fromEvents(parseFilesSync(meta.files.map((f) => join(straceFixtures, f))));
    const text = normalise(renderTreeText(graph, { color: false }), graph);
    // The JSON document must be plain data that survives a round trip.
    const doc = treeToJSON(graph);
    assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
    const golden = join(goldenDir, `${name}.txt`);
    if (update || !existsSync(golden)) {
      assert.ok(update, `golden file ${golden} is missing: run with UPDATE_GOLDEN=1 and review it`);
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(golden, text);
      return;
    }
    assert.equal(text, readFileSync(golden, 'utf8'));
  });
}
