/**
 * `tasklens report` as a user runs it: logs to HTML and Perfetto JSON, `-- CMD` (trace then report,
 * the program's exit code passed on), output files never clobbered without --force, usage errors,
 * --json, --help with examples.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkTraceJson, type ReportData } from '../../src/report/index.js';
import { runCli } from '../support/cli.js';
import { straceFixtures } from '../support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'tasklens-report-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const signalsLog = join(straceFixtures, 'signals.f_o.strace');
const timedLog = join(straceFixtures, 'vfork.tt_n_i_T.strace');

test('report LOG -o FILE --perfetto FILE --json: both written, sizes and counts reported', () => {
  const html = join(dir, 'a.html');
  const trace = join(dir, 'a.json');
  const r = runCli(['report', timedLog, '-o', html, '--perfetto', trace, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { files: Array<{ option: string; path: string; bytes: number; perfetto?: { flows: number } }>; stats: { tasks: number } };
  assert.equal(out.stats.tasks, 2);
  assert.deepEqual(out.files.map((f) => [f.option, f.path, f.bytes]), [['-o', html, statSync(html).size], ['--perfetto', trace, statSync(trace).size]]);
  assert.equal(out.files[1].perfetto?.flows, 2, 'vfork flow and SIGCHLD flow');
  assert.ok(readFileSync(html, 'utf8').startsWith('<!DOCTYPE html>'));
  assert.deepEqual(checkTraceJson(readFileSync(trace, 'utf8')).problems, []);
});

test('an existing file is not replaced without --force', () => {
  const html = join(dir, 'keep.html');
  writeFileSync(html, 'precious');
  const r = runCli(['report', timedLog, '-o', html]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /already exists/);
  assert.equal(readFileSync(html, 'utf8'), 'precious');
  const forced = runCli(['report', timedLog, '-o', html, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.ok(readFileSync(html, 'utf8').startsWith('<!DOCTYPE html>'));
});

test('usage errors: no output named, logs and a command together, bad input', () => {
  const none = runCli(['report', timedLog]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /-o FILE/);
  const both = runCli(['report', timedLog, '-o', join(dir, 'x.html'), '--', 'true']);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /either logs or a command/);
  const notLog = join(dir, 'not-a-log.txt');
  writeFileSync(notLog, 'hello\nworld\n');
  const bad = runCli(['report', notLog, '-o', join(dir, 'bad.html')]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /strace/);
});

test('a log without timestamps: written, with a warning that the axis is the line order', () => {
  const r = runCli(['report', signalsLog, '-o', join(dir, 'untimed.html'), '--perfetto', join(dir, 'untimed.json')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /no timestamps/);
  assert.deepEqual(checkTraceJson(readFileSync(join(dir, 'untimed.json'), 'utf8')).problems, []);
});

test('report -o FILE -- CMD traces the command and passes on its exit code', () => {
  const html = join(dir, 'traced.html');
  const r = runCli(['report', '-o', html, '--json', '--', 'sh', '-c', 'sleep 0 & wait; exit 3']);
  assert.equal(r.status, 3, r.stderr);
  const out = JSON.parse(r.stdout) as { stats: { tasks: number; syscalls: number }; timeUnit: string };
  assert.ok(out.stats.tasks >= 2, 'the shell and its child');
  assert.ok(out.stats.syscalls > 10, 'every syscall traced');
  assert.equal(out.timeUnit, 'us');
  assert.ok(statSync(html).size > 1000);
  // --log keeps the raw log; reporting it again gives the same tasks.
  const log = join(dir, 'traced.strace');
  const again = runCli(['report', '-o', join(dir, 'traced2.html'), '--log', log, '--json', '--', 'sh', '-c', 'sleep 0 & wait']);
  assert.equal(again.status, 0, again.stderr);
  const fromLog = runCli(['report', log, '-o', join(dir, 'traced3.html'), '--json']);
  assert.equal(fromLog.status, 0, fromLog.stderr);
  assert.deepEqual((JSON.parse(fromLog.stdout) as { stats: unknown }).stats, (JSON.parse(again.stdout) as { stats: unknown }).stats);
  assert.equal(runCli(['report', timedLog, '-o', join(dir, 'x2.html'), '--log', join(dir, 'x.strace')]).status, 2, '--log needs a command');
});

test('--help shows examples', () => {
  const r = runCli(['report', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Examples:/);
  assert.match(r.stdout, /tasklens report trace\.log -o report\.html/);
  assert.match(r.stdout, /--perfetto <file>/);
});

test('trace --report FILE --perfetto FILE: the trace verb writes both; an existing file stops it before the program runs', () => {
  const html = join(dir, 'trace.html');
  const trace = join(dir, 'trace.json');
  const r = runCli(['trace', '--no-timeline', '--report', html, '--perfetto', trace, '--', 'sh', '-c', 'sleep 0 & wait; exit 4']);
  assert.equal(r.status, 4, r.stderr);
  assert.ok(readFileSync(html, 'utf8').startsWith('<!DOCTYPE html>'));
  const check = checkTraceJson(readFileSync(trace, 'utf8'));
  assert.deepEqual(check.problems, []);
  assert.ok(check.counts.flows >= 1, 'the fork of sleep is a flow');

  const marker = join(dir, 'ran');
  const refused = runCli(['trace', '--no-timeline', '--report', html, '--', 'touch', marker]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /--report .*already exists/);
  assert.throws(() => statSync(marker), /ENOENT/, 'the program did not run');
});

test('a log on stdin', () => {
  const html = join(dir, 'stdin.html');
  const r = runCli(['report', '-', '-o', html, '--json'], { input: readFileSync(timedLog, 'utf8') });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { stats: { tasks: number } }).stats.tasks, 2);
  assert.ok(statSync(html).size > 1000);
});

test('the doctor fills the findings panel (zombie log: never-reaped with its lines); --no-doctor leaves it out', () => {
  const log = join(straceFixtures, 'zombie.f_o.strace');
  const html = join(dir, 'zombie.html');
  const r = runCli(['report', log, '-o', html]);
  assert.equal(r.status, 0, r.stderr);
  const data = islandOf(readFileSync(html, 'utf8'));
  assert.equal(data.findings.available, true);
  const finding = data.findings.items.find((f) => f.rule === 'never-reaped');
  assert.ok(finding, JSON.stringify(data.findings));
  assert.deepEqual(finding.tids?.sort(), [10001, 10002]);
  assert.ok(finding.lines.length >= 2 && finding.lines.every((l) => l.line > 0));
  assert.match(data.findings.note ?? '', /slow-call/);
  const off = runCli(['report', log, '-o', join(dir, 'zombie2.html'), '--no-doctor']);
  assert.equal(off.status, 0, off.stderr);
  assert.equal(islandOf(readFileSync(join(dir, 'zombie2.html'), 'utf8')).findings.available, false);
});

/** The report data inside a page (the gzip'd, base64'd island). */
function islandOf(html: string): ReportData {
  const b64 = /<script type="application\/octet-stream" id="tl-data">([^<]*)<\/script>/.exec(html)![1];
  return JSON.parse(gunzipSync(Buffer.from(b64, 'base64')).toString('utf8')) as ReportData;
}
