/**
 * The HTML report in a real browser (headless Chromium): the report of a real lab trace shows a lane
 * for every task of the tree, a click on a signal arrow shows its delivery line, nothing fails in the
 * console, nothing is requested from the network; and hostile names from the log (script tags,
 * `</script>`, quotes, control bytes) stay text: no dialog, no script of theirs runs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { runLab } from '../../src/lab/index.js';
import { parseFileSync } from '../../src/parse/index.js';
import { reportFromEvents, renderReportHtml, checkTraceJson } from '../../src/report/index.js';
import { straceFixtures } from '../support/paths.js';
import { runCli } from '../support/cli.js';
import { launchChromium, openReport } from './browser.js';

// Browser globals, for the functions page.evaluate runs in the page (the build has no DOM types).
declare const window: unknown;
declare function requestAnimationFrame(callback: () => void): number;

let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'tasklens-report-browser-'));
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the report of the sigterm-fanout lab: every task has a lane, a signal arrow click shows its line', async () => {
  const run = await runLab('sigterm-fanout', { cacheDir: join(dir, 'cache') });
  const log = run.runs[0].trace.log;
  const html = join(dir, 'fanout.html');
  const cli = runCli(['report', log, '-o', html, '--title', 'tasklens lab sigterm-fanout']);
  assert.equal(cli.status, 0, cli.stderr);

  const { page, errors, requests } = await openReport(browser, html);
  assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
  const tasks = run.runs[0].graph.tasks().map((t) => t.key).sort();
  assert.ok(tasks.length >= 4, 'parent and three workers');
  assert.equal(Number(await page.getAttribute('#timeline', 'data-lanes')), tasks.length);
  const listed = await page.$$eval('#tree [data-task]', (els) => els.map((e) => e.getAttribute('data-task') ?? ''));
  assert.deepEqual(listed.sort(), tasks);

  // Zoom and pan: the + button halves the visible time, a drag moves it.
  type View = { t0: number; t1: number; y: number };
  const view = (): Promise<View> => page.evaluate(() => (window as { tasklensReport: { view(): View } }).tasklensReport.view());
  const whole = await view();
  await page.click('#zoom-in');
  const zoomed = await view();
  assert.ok(Math.abs((zoomed.t1 - zoomed.t0) * 2 - (whole.t1 - whole.t0)) < 1e-6 * (whole.t1 - whole.t0), 'zoomed in twice');
  const box = (await page.locator('#timeline canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + 60);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.4, box.y + 60, { steps: 5 });
  await page.mouse.up();
  const panned = await view();
  assert.ok(panned.t0 > zoomed.t0, 'dragged left: later times come into view');
  assert.ok(Math.abs((panned.t1 - panned.t0) - (zoomed.t1 - zoomed.t0)) < 1e-6 * (whole.t1 - whole.t0), 'a pan keeps the zoom');
  await page.click('#zoom-fit');
  // Search: a worker's TID selects its lane.
  const worker = run.runs[0].graph.tasks()[2];
  await page.fill('#search', String(worker.tid));
  await page.press('#search', 'Enter');
  assert.equal(await page.getAttribute('#details', 'data-kind'), 'lane');
  assert.match((await page.textContent('#details h3')) ?? '', new RegExp(`\\b${worker.tid}\\b`));

  // Click the middle of a SIGTERM arrow (parent's kill -> a worker), after bringing it into view.
  const arrows = await page.evaluate(() => (window as unknown as { tasklensReport: { arrows(k: string): Array<{ index: number; label: string; line: number }> } }).tasklensReport.arrows('signal'));
  const term = arrows.filter((a) => a.label === 'SIGTERM');
  assert.ok(term.length >= 3, `a SIGTERM arrow to each worker (have ${arrows.map((a) => a.label).join(', ')})`);
  const target = term[term.length - 1];
  const at = await page.evaluate((index) => {
    const r = (window as unknown as { tasklensReport: { reveal(kind: string, i: number): void; arrows(k: string): Array<{ index: number; x: number; y: number; drawn: boolean }> } }).tasklensReport;
    r.reveal('arrow', index);
    return new Promise<{ x: number; y: number; drawn: boolean }>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(r.arrows('signal').find((a) => a.index === index)!))));
  }, target.index);
  assert.ok(at.drawn, 'the arrow is drawn once revealed');
  await page.mouse.click(at.x, at.y);
  assert.equal(await page.getAttribute('#details', 'data-kind'), 'arrow');
  const line = Number(await page.getAttribute('#details .line-ref', 'data-line'));
  assert.equal(line, target.line);
  const delivered = [...parseFileSync(log)].find((e) => e.line === line);
  assert.equal(delivered?.kind, 'signal');
  assert.equal(delivered.kind === 'signal' && delivered.signal, 'SIGTERM');
  assert.match(await page.textContent('#details pre.raw') ?? '', /SIGTERM/);

  // The picture: the selection kept, a wider view, no tooltip.
  await page.mouse.move(5, 5);
  await page.evaluate(() => (window as { tasklensReport: { zoom(f: number): void } }).tasklensReport.zoom(4));
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
  // The download button saves the embedded Perfetto trace.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#trace-download')]);
  assert.equal(download.suggestedFilename(), 'trace.json');
  const saved = join(dir, 'trace.json');
  await download.saveAs(saved);
  const check = checkTraceJson(readFileSync(saved, 'utf8'));
  assert.deepEqual(check.problems, []);
  assert.ok(check.counts.flows >= 6, 'forks and SIGTERMs');
  await page.fill('#search', '');
  await page.$eval('aside', (aside) => { aside.scrollTop = 0; });
  const shot = join(dir, 'fanout.png');
  await page.screenshot({ path: shot });
  assert.ok(statSync(shot).size > 10_000, 'a screenshot was written');
  // The README's picture is this screenshot: TASKLENS_REPORT_SCREENSHOT=docs/report.png keeps a copy.
  if (process.env.TASKLENS_REPORT_SCREENSHOT) copyFileSync(shot, process.env.TASKLENS_REPORT_SCREENSHOT);
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [], 'the report fetches nothing');
  await page.close();
});

test('hostile names in comm, paths and argv stay text: nothing of theirs runs', async () => {
  const payloads = ['<script>alert(1)</script>', '</script><script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=2">', `'"><svg onload=alert(3)>`, '<!--<script>'];
  const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const lines = [
    `500<${payloads[0]}> execve("${esc(payloads[1])}", ["${esc(payloads[2])}", "${esc(payloads[3])}", "\\33]2;title\\7\\0"], 0x1 /* 0 vars */) = 0 <0.000100>`,
    `500<${payloads[0]}> openat(AT_FDCWD, "${esc(payloads[4])}", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000010>`,
    `500<${payloads[0]}> clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x1) = 501 <0.000050>`,
    `501<\x1b]2;pwn\x07${payloads[3]}> kill(500, SIGUSR1) = 0 <0.000005>`,
    `500<${payloads[0]}> --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=501, si_uid=0} ---`,
    `501<\x1b]2;pwn\x07${payloads[3]}> exit_group(0) = ?`,
    `501<\x1b]2;pwn\x07${payloads[3]}> +++ exited with 0 +++`,
    `500<${payloads[0]}> exit_group(3) = ?`,
    `500<${payloads[0]}> +++ exited with 3 +++`,
  ];
  // -ttt timestamps after the pid prefix (strace's order: pid, comm, time).
  const timed = lines.map((l, i) => l.replace(/> /, `> ${1700000000 + i / 1000}.000000 `));
  const log = join(dir, 'hostile.strace');
  writeFileSync(log, `${timed.join('\n')}\n`);
  const html = join(dir, 'hostile.html');
  const cli = runCli(['report', log, '-o', html, '--title', payloads[1]]);
  assert.equal(cli.status, 0, cli.stderr);

  const { page, errors, dialogs, requests } = await openReport(browser, html);
  assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
  assert.deepEqual(dialogs, [], 'no alert()');
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'no injected script ran');
  assert.equal(await page.$$eval('script', (els) => els.length), 5, 'only the report\'s own script elements');
  assert.equal(await page.$$eval('img, svg, iframe', (els) => els.length), 0, 'no injected elements');
  assert.equal(await page.title(), `${payloads[1]} (tasklens report)`);
  // The names are shown as text.
  const tree = (await page.textContent('#tree')) ?? '';
  assert.ok(tree.includes(payloads[2]) && tree.includes(payloads[3]), `argv shown as text: ${tree}`);
  await page.evaluate(() => (window as unknown as { tasklensReport: { goToLine(l: number): boolean } }).tasklensReport.goToLine(1));
  const raw = (await page.textContent('#details pre.raw')) ?? '';
  assert.ok(raw.includes(payloads[0]) && raw.includes(payloads[1]), `raw line shown as text: ${raw}`);
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(raw), 'control bytes shown escaped');
  assert.ok(raw.includes('\\x1b') || raw.includes('\\e') || raw.includes('\\33'), 'ESC visible');
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, []);
  await page.close();
});

test('a doctor finding links to its line on the timeline', async () => {
  const log = join(straceFixtures, 'signals.f_o.strace');
  const events = [...parseFileSync(log)];
  const kill = events.find((e) => e.kind === 'syscall' && e.name === 'kill' && e.argsText.includes('SIGTERM'))!;
  const doctor = { push: () => undefined, end: () => ({ findings: [{ rule: 'sigkill-no-sender', severity: 'error' as const, message: 'm', tasks: [{ tid: 10001 }], lines: [{ source: kill.source, line: kill.line, role: 'kill sent' }] }] }) };
  const html = join(dir, 'findings.html');
  writeFileSync(html, renderReportHtml(reportFromEvents(events, { doctor })));
  const { page, errors } = await openReport(browser, html);
  await page.click(`#findings .link[data-line="${kill.line}"]`);
  assert.equal(await page.getAttribute('#details', 'data-kind'), 'call');
  assert.equal(Number(await page.getAttribute('#details .line-ref', 'data-line')), kill.line);
  assert.match((await page.textContent('#details h3')) ?? '', /^kill/);
  assert.deepEqual(errors, []);
  await page.close();
});
