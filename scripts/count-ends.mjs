#!/usr/bin/env node
// Counts, over a directory of strace logs with META files (the committed fixtures or a corpus made by
// gen-corpus.mjs), the tasks of the model by how their end is known: the figure issue 17 asks for
// ("tasks whose end is unknown before and after"). Needs a build (npx tsc -p tsconfig.json).
//
//   node scripts/count-ends.mjs [DIR...] [--list]   default DIR: test/fixtures/strace
// (a DIR without META files counts each *.strace / *.log file in it as one log)
//
// Prints one line per directory: logs, tasks, ends of kind `unknown`, and the other end kinds;
// --list also names each log with unknown ends and the keys of those tasks.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, fixturesDir } from './gen-corpus.mjs';

const { parseFilesSync, TaskGraph } = await import(pathToFileURL(join(repoRoot, 'dist/src/index.js')).href);

/** { logs, tasks, kinds: {kind: n}, perLog: [{ name, keys }] } for one directory. */
export function countEnds(dir) {
  const metas = readdirSync(dir).filter((f) => f.endsWith('.meta.json')).sort();
  // A directory of logs without META files: each *.strace or *.log file is one log.
  const logs = metas.length > 0
    ? metas.map((meta) => JSON.parse(readFileSync(join(dir, meta), 'utf8')))
    : readdirSync(dir).filter((f) => /\.(strace|log)$/.test(f)).sort().map((f) => ({ name: f, files: [f] }));
  const kinds = {};
  const perLog = [];
  let tasks = 0;
  for (const { name, files } of logs) {
    if (!Array.isArray(files) || files.length === 0) continue;
    const graph = TaskGraph.fromEvents(parseFilesSync(files.map((f) => join(dir, f))));
    const unknown = [];
    for (const task of graph.tasks()) {
      tasks++;
      const kind = task.end?.kind ?? 'none';
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      if (kind === 'unknown') unknown.push(task.key);
    }
    if (unknown.length > 0) perLog.push({ name, keys: unknown });
  }
  return { logs: logs.length, tasks, kinds, perLog };
}

const args = process.argv.slice(2);
const list = args.includes('--list');
const dirs = args.filter((a) => a !== '--list');
for (const dir of dirs.length > 0 ? dirs : [fixturesDir]) {
  const { logs, tasks, kinds, perLog } = countEnds(dir);
  const others = Object.entries(kinds).filter(([k]) => k !== 'unknown').map(([k, n]) => `${k} ${n}`).join(', ');
  process.stdout.write(`${dir}: ${logs} logs, ${tasks} tasks, end unknown: ${kinds.unknown ?? 0} (${others})\n`);
  if (list) for (const { name, keys } of perLog) process.stdout.write(`  ${name}: ${keys.join(' ')}\n`);
}
