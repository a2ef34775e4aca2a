/** `tasklens lab` as a user runs it: list, a lab in text and JSON, and the errors with their exit codes. */
import { test } from 'node:test';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { runCli, runCliInProcess } from '../support/cli.js';
import { LABS } from '../../src/lab/index.js';
import { findExecutable } from '../../src/capture/locate.js';
import { tempCache } from './support.js';

const cacheDir = tempCache();

test('lab list: every lab, text and JSON', async () => {
  const text = await runCliInProcess(['lab', 'list']);
  assert.equal(text.status, 0, text.stderr);
  for (const lab of LABS) assert.ok(text.stdout.includes(lab.id), lab.id);
  const json = await runCliInProcess(['lab', 'list', '--json']);
  assert.equal(json.status, 0, json.stderr);
  const doc = JSON.parse(json.stdout);
  assert.deepEqual(
    doc.labs.map((l: { id: string }) => l.id),
    ['thread-vs-process', 'four-children', 'zombies', 'sigterm-fanout', 'signalfd-epoll', 'rlimits', 'graceful-shutdown', 'echo-server', 'sched-latency'],
  );
  assert.deepEqual(doc.labs[0].programs.map((p: { source: string }) => p.source), ['labs/thread-vs-process/thread.c', 'labs/thread-vs-process/fork.c']);
});

test('lab thread-vs-process: explained traces, folded start-up, the differences; JSON has the same points', () => {
  const text = runCli(['lab', 'thread-vs-process', '--cache-dir', cacheDir]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /dynamic-loader start-up|loader/i);
  assert.match(text.stdout, /the differences that matter/);
  assert.match(text.stdout, /clone3\(\{flags=CLONE_VM/);
  assert.match(text.stdout, /TGID vs TID/);
  const all = runCli(['lab', 'thread-vs-process', '--cache-dir', cacheDir, '--all']);
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /ld\.so\.cache/);
  assert.ok(!/events folded/.test(all.stdout));
  const json = runCli(['lab', 'thread-vs-process', '--cache-dir', cacheDir, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const doc = JSON.parse(json.stdout);
  assert.equal(doc.tasklens, 'lab');
  assert.deepEqual(doc.points.map((p: { id: string }) => p.id), ['creation', 'identity', 'stack', 'signals', 'first-calls', 'ending', 'cost']);
  assert.deepEqual(doc.programs.map((p: { build: { cached: boolean } }) => p.build.cached), [true, true]);
  assert.ok(doc.programs[0].events.some((e: { text: string }) => e.text.startsWith('clone3(')));
});

test('lab --brief keeps lines readable; a one-program lab shows what its trace shows, not differences', () => {
  const brief = runCli(['lab', 'four-children', '--brief', '--cache-dir', cacheDir]);
  assert.equal(brief.status, 0, brief.stderr);
  const lines = brief.stdout.split('\n');
  const long = lines.filter((l) => l.length > 120);
  assert.deepEqual(long, [], 'no brief line is longer than 120 characters when not on a terminal');
  assert.ok(lines.some((l) => /^\s+\d+ .*…$/.test(l)), 'long event lines are cut with an ellipsis');
  assert.doesNotMatch(brief.stdout, /the differences that matter/);
  assert.match(brief.stdout, /━━ what the trace shows/);
  const two = runCli(['lab', 'thread-vs-process', '--brief', '--cache-dir', cacheDir]);
  assert.equal(two.status, 0, two.stderr);
  assert.match(two.stdout, /━━ the differences that matter/);
});

test('errors: unknown lab exits 2, missing gcc or strace exits 127 with the install command', () => {
  const unknown = runCli(['lab', 'no-such-lab']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no lab named "no-such-lab"/);
  assert.match(unknown.stderr, /thread-vs-process/);
  // A PATH without either tool (node itself is run by absolute path): one line naming both.
  const noTools = runCli(['lab', 'thread-vs-process', '--cache-dir', cacheDir], { env: { PATH: '/nonexistent' } });
  assert.equal(noTools.status, 127);
  assert.match(noTools.stderr, /^tasklens: gcc and strace not found: install them with `apt-get install gcc libc6-dev strace`$/m);
  // A PATH with gcc only.
  const onlyGcc = mkdtempSync(join(cacheDir, 'path-'));
  symlinkSync(findExecutable('gcc')!, join(onlyGcc, 'gcc'));
  const noStrace = runCli(['lab', 'thread-vs-process', '--cache-dir', cacheDir], { env: { PATH: onlyGcc } });
  assert.equal(noStrace.status, 127);
  assert.match(noStrace.stderr, /^tasklens: strace not found: install it with `apt-get install strace`$/m);
  // A PATH with strace only.
  const onlyStrace = mkdtempSync(join(cacheDir, 'path-'));
  symlinkSync(findExecutable('strace')!, join(onlyStrace, 'strace'));
  const noGcc = runCli(['lab', 'thread-vs-process', '--cache-dir', cacheDir], { env: { PATH: onlyStrace } });
  assert.equal(noGcc.status, 127);
  assert.match(noGcc.stderr, /^tasklens: gcc not found: install it with `apt-get install gcc libc6-dev`$/m);
});
