/**
 * PATH-search noise on the `trace` timeline (issue 10 item 9, trace part): an execvp search that ends
 * in success is one line ("found /usr/bin/true after 3 misses"); a search that fails keeps every attempt.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { StraceParser } from '../../src/parse/index.js';
import type { TraceEvent } from '../../src/parse/types.js';
import { ExecSearchFold } from '../../src/render/exec-search.js';

const tmp = mkdtempSync(join(tmpdir(), 'tasklens-exec-search-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A program that execlp()s `name`: glibc tries each PATH directory in turn. */
function execlp(name: string): string {
  const src = join(tmp, `execlp-${name}.c`);
  writeFileSync(src, `#include <unistd.h>\nint main(void) { execlp("${name}", "${name}", (char *)0); return 127; }\n`);
  const bin = src.replace(/\.c$/, '');
  const cc = spawnSync('gcc', ['-o', bin, src], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  return bin;
}

const MISSING_DIRS = [join(tmp, 'a'), join(tmp, 'b'), join(tmp, 'c')];

test('a PATH search that finds its program is one timeline line', () => {
  const r = runCli(['trace', '--', execlp('true')], { env: { PATH: [...MISSING_DIRS, '/usr/bin', '/bin'].join(':') } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /execve \["true"\]: found "\/usr\/bin\/true" after 3 misses → runs the new program/);
  assert.doesNotMatch(r.stderr, /failed: ENOENT/, 'no miss printed on its own');
});

test('a PATH search that finds nothing shows every attempt', () => {
  const r = runCli(['trace', '--', execlp('tasklens-no-such-program')], { env: { PATH: [...MISSING_DIRS, '/usr/bin'].join(':') } });
  assert.equal(r.status, 127, r.stderr);
  assert.equal((r.stderr.match(/tasklens-no-such-program"? \["tasklens-no-such-program"\] → failed: ENOENT/g) ?? []).length, 4, r.stderr);
  assert.doesNotMatch(r.stderr, /found/);
});

test('the fold holds only the searching thread: other tasks\' events pass, and a different program is not folded in', () => {
  const log = [
    '100 1.000001 execve("/a/true", ["true"], 0x1 /* 1 var */) = -1 ENOENT (No such file or directory)',
    '200 1.000002 kill(300, SIGTERM) = 0',
    '100 1.000003 execve("/b/true", ["true"], 0x1 /* 1 var */) = -1 EACCES (Permission denied)',
    '100 1.000004 execve("/usr/bin/true", ["true"], 0x1 /* 1 var */) = 0',
    '100 1.000005 execve("/a/ls", ["ls"], 0x1 /* 1 var */) = -1 ENOENT (No such file or directory)',
    '100 1.000006 execve("/usr/bin/env", ["env"], 0x1 /* 1 var */) = 0',
  ];
  const parser = new StraceParser();
  const events: TraceEvent[] = [];
  for (const line of log) parser.push(line, events);
  parser.end(events);
  const fold = new ExecSearchFold<number>();
  const shown = events.flatMap((e) => fold.push(e.line, e)).concat(fold.flush());
  assert.deepEqual(shown.map((s) => [s.item, s.misses?.map((m) => m.line)]), [
    [2, undefined], // the other task's kill is not held back
    [4, [1, 3]], // found after an ENOENT and an EACCES miss
    [5, undefined], // a miss for `ls` is not the search for `env`: released as it was
    [6, undefined],
  ]);
});

test('the folded line is terminal-safe: a raw ESC in a crafted log is shown escaped', async () => {
  const { TaskGraph } = await import('../../src/model/index.js');
  const { TimelineRenderer } = await import('../../src/render/timeline.js');
  const { palette } = await import('../../src/render/color.js');
  const parser = new StraceParser();
  const events: TraceEvent[] = [];
  parser.push('100 1.000001 execve("/a/t\x1b]2;PWN\x07", ["t\x1b]2;PWN\x07"], 0x1 /* 1 var */) = -1 ENOENT (No such file or directory)', events);
  parser.push('100 1.000002 execve("/usr/bin/t\x1b]2;PWN\x07", ["t\x1b]2;PWN\x07"], 0x1 /* 1 var */) = 0', events);
  parser.end(events);
  const graph = new TaskGraph();
  const timeline = new TimelineRenderer(graph, { palette: palette(false) });
  const fold = new ExecSearchFold<TraceEvent>();
  const text = events.flatMap((e) => { graph.apply(e); return fold.push(e, e); }).map((f) => timeline.render(f.item, f.misses)).join('\n');
  assert.match(text, /found .* after 1 miss/);
  assert.doesNotMatch(text, /[\x1b\x07]/);
  assert.match(text, /\\e\]2;PWN\\x07/);
});
