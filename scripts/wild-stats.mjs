#!/usr/bin/env node
// Measures how well `explain` reads logs: for the generated corpus (test/fixtures/strace, every
// NAME.meta.json) and for the hand-written logs from the wild (test/fixtures/wild/*.strace), counts
// the lines the parser could not read, the calls that only got the generic one-line description
// (or none: "our tables do not know"), the tasks whose end is unknown, the failures that matter
// (failures not explained as normal), and the misreadings issue 17 quoted (a struct echoed as a
// handler or a duration, a flag "not in our tables", "process 0", select's "descriptors below 0").
//
//   npm run build && node scripts/wild-stats.mjs                 this checkout's library
//   node scripts/wild-stats.mjs --lib /tmp/base/dist/src/index.js  another build (e.g. an older commit)
//   node scripts/wild-stats.mjs --json                            one JSON document
//   node scripts/wild-stats.mjs --extra DIR                       also every *.log / *.strace in DIR
//                                                                 (e.g. fresh `strace -f -o ls.log ls -la /etc`)
//
// The logs always come from this checkout, so two builds are measured on the same input.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const libAt = args.indexOf('--lib');
const lib = resolve(libAt >= 0 ? args[libAt + 1] : join(root, 'dist/src/index.js'));
const json = args.includes('--json');
const extraAt = args.indexOf('--extra');
const extraDir = extraAt >= 0 ? resolve(args[extraAt + 1]) : undefined;

const { parseFilesSync, explainAll } = await import(pathToFileURL(lib).href);

const MISREAD = /installs a handler at \{|sleeps for \{|not in our tables|\bprocess 0\b|descriptors below 0\b|sends SIG_0|a cached stack is reused/;

function measure(files) {
  const { items, summary } = explainAll(parseFilesSync(files));
  const generic = items.filter((i) => i.explanation?.generic).length;
  const unknownEnd = summary.tasks.filter((t) => t.end === undefined || t.end === 'unknown').length;
  const failures = summary.failures.reduce((n, f) => n + f.count, 0);
  const misread = items.filter((i) => MISREAD.test(`${i.explanation?.text ?? ''}\n${(i.explanation?.detail ?? []).join('\n')}`)).length;
  return { events: summary.events, unknownLines: summary.unknownLines, generic, unknownSyscalls: summary.unknownSyscalls, tasks: summary.tasks.length, unknownEnd, failures, misread };
}

function add(total, m) {
  for (const k of ['events', 'unknownLines', 'generic', 'tasks', 'unknownEnd', 'failures', 'misread']) total[k] = (total[k] ?? 0) + m[k];
  total.unknownSyscalls = [...new Set([...(total.unknownSyscalls ?? []), ...m.unknownSyscalls])].sort();
  return total;
}

const corpusDir = join(root, 'test/fixtures/strace');
const corpus = {};
for (const meta of readdirSync(corpusDir).filter((f) => f.endsWith('.meta.json')).sort()) {
  const { files } = JSON.parse(readFileSync(join(corpusDir, meta), 'utf8'));
  add(corpus, measure(files.map((f) => join(corpusDir, f))));
}

const wildDir = join(root, 'test/fixtures/wild');
const wild = {};
const perLog = {};
for (const file of readdirSync(wildDir).filter((f) => f.endsWith('.strace')).sort()) {
  perLog[file] = measure([join(wildDir, file)]);
  add(wild, perLog[file]);
}

const extra = {};
if (extraDir) {
  for (const file of readdirSync(extraDir).filter((f) => /\.(log|strace)$/.test(f)).sort()) extra[file] = measure([join(extraDir, file)]);
}

if (json) {
  process.stdout.write(`${JSON.stringify({ lib, corpus, wild, perLog, extra }, null, 2)}\n`);
} else {
  const row = (name, m) => `${name.padEnd(36)} ${String(m.events).padStart(6)} ${String(m.unknownLines).padStart(8)} ${String(m.generic).padStart(8)} ${String(m.unknownEnd).padStart(5)}/${String(m.tasks).padEnd(5)} ${String(m.failures).padStart(9)} ${String(m.misread).padStart(7)}  ${m.unknownSyscalls.join(' ')}`;
  console.log(`library: ${lib}`);
  console.log(`${'logs'.padEnd(36)} ${'events'.padStart(6)} ${'unknown'.padStart(8)} ${'generic'.padStart(8)} ${'end ?/tasks'.padStart(11)} ${'failures'.padStart(9)} ${'misread'.padStart(7)}  syscalls not in the tables`);
  console.log(row('corpus (test/fixtures/strace)', corpus));
  console.log(row('wild (test/fixtures/wild)', wild));
  for (const [file, m] of Object.entries(perLog)) console.log(row(`  ${file}`, m));
  for (const [file, m] of Object.entries(extra)) console.log(row(`extra ${file}`, m));
}
