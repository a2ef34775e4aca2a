/**
 * `tasklens report` at scale (issue 13): a real process-heavy log cut at 1,000,000 events (shell
 * pipelines under strace -f -tt -T -yy; two copies with pids shifted, as hugeLog makes them).
 * - size of the HTML report: target < 20 MB;
 * - time until the page is drawn in headless Chromium (Debian's, via playwright-core), median of 3,
 *   against a static page of the same size (reading and parsing the bytes alone): target < 5 s;
 * - time of one full repaint at the coarsest zoom (every call summed into density bars);
 * - time to write the report against `tasklens tree` on the same log (the model alone).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync, writeFileSync, writeSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type Benchmark, type BenchResult } from './harness.js';
import { benchDir, hugeLog, processHeavyLog } from './logs.js';
import { packageRoot } from '../src/paths.js';
import { readLinesSync, lineBytes, lineText } from '../src/parse/lines.js';
import { StraceParser } from '../src/parse/parser.js';
import type { TraceEvent } from '../src/parse/types.js';

const EVENTS = 1_000_000;
const CHROMIUM = process.env.TASKLENS_CHROMIUM ?? '/usr/bin/chromium';

/** The first lines of `source` that make `events` parsed events. */
function eventsLog(source: string, events: number, progress: (m: string) => void): string {
  const path = join(benchDir, `report-${events}-events.strace`);
  if (existsSync(path)) return path;
  progress(`cutting ${source} at ${events} events (once; cached in ${path})`);
  const parser = new StraceParser();
  const out: TraceEvent[] = [];
  let count = 0;
  const fd = openSync(`${path}.tmp`, 'w');
  let batch: string[] = [];
  try {
    for (const line of readLinesSync(source)) {
      parser.push(line, out);
      count += out.length;
      out.length = 0;
      batch.push(lineText(line), '\n');
      if (batch.length > 20000) {
        writeSync(fd, lineBytes(batch.join('')));
        batch = [];
      }
      if (count >= events) break;
    }
    writeSync(fd, lineBytes(batch.join('')));
  } finally {
    closeSync(fd);
  }
  spawnSync('mv', [`${path}.tmp`, path]);
  return path;
}

function cli(args: string[]): { seconds: number; stdout: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(packageRoot, 'dist', 'src', 'cli', 'main.js'), ...args], { encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`tasklens ${args[0]} failed: ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

export const reportBenchmark: Benchmark = {
  name: 'report',
  description: 'HTML report of a 1,000,000-event log: file size, open time in headless Chromium, repaint at coarse zoom, write time vs tree',
  async run(progress) {
    const source = processHeavyLog(progress, 130e6);
    const log = eventsLog(hugeLog(source, statSync(source).size * 1.5, progress), EVENTS, progress);
    const dir = mkdtempSync(join(tmpdir(), 'tasklens-bench-report-'));
    try {
      const html = join(dir, 'report.html');
      progress('writing the report');
      const made = cli(['report', log, '-o', html, '--json']);
      const stats = (JSON.parse(made.stdout) as { stats: { events: number; tasks: number; detailsEmbedded: number } }).stats;
      progress('tree of the same log');
      const tree = cli(['tree', log, '--json']);
      const bytes = statSync(html).size;
      // A static page of the same size: the browser's own cost of reading and parsing the bytes.
      const plain = join(dir, 'plain.html');
      writeFileSync(plain, `<!DOCTYPE html><html><body><p>same size</p><script type="application/octet-stream">${'A'.repeat(bytes - 120)}</script></body></html>`);

      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
      const opens: number[] = [];
      const plains: number[] = [];
      const paints: number[] = [];
      try {
        for (let i = 0; i < 3; i++) {
          const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
          const t0 = Date.now();
          await page.goto(`file://${html}`);
          await page.waitForFunction('document.body.getAttribute("data-state") !== "loading"', null, { timeout: 60_000, polling: 20 });
          opens.push(Date.now() - t0);
          const state = await page.getAttribute('body', 'data-state');
          if (state !== 'ready') throw new Error(`the report did not open: ${await page.textContent('#error')}`);
          if (i === 0) progress(`stages (ms since navigation): ${JSON.stringify(await page.evaluate('window.tasklensReport.timings'))}`);
          paints.push(await page.evaluate('window.tasklensReport.paintMs(5)') as number);
          await page.close();
          const p = await browser.newPage();
          const t1 = Date.now();
          await p.goto(`file://${plain}`);
          plains.push(Date.now() - t1);
          await p.close();
        }
      } finally {
        await browser.close();
      }
      const openMs = median(opens);
      progress(`${(bytes / 1e6).toFixed(1)} MB; opens ${opens.join(', ')} ms; same-size static page ${plains.join(', ')} ms; repaint ${paints.map((p) => p.toFixed(1)).join(', ')} ms`);
      const what = `${stats.events.toLocaleString('en')} events, ${stats.tasks} tasks (${(statSync(log).size / 1e6).toFixed(0)} MB log)`;
      const results: BenchResult[] = [
        { name: `report file size, ${what}`, value: bytes / 1e6, unit: 'MB', target: '< 20 MB', met: bytes < 20e6, notes: `${stats.detailsEmbedded} lines with their raw text and explanation embedded` },
        {
          name: `report open in headless Chromium until drawn, ${what}`,
          value: openMs,
          unit: 'ms',
          baseline: { name: 'a static page of the same size', value: median(plains), unit: 'ms' },
          ratio: openMs / median(plains),
          ratioMeaning: 'open time / same-size static page',
          target: '< 5000 ms',
          met: openMs < 5000,
        },
        { name: 'report repaint at the coarsest zoom (every call summed per pixel column)', value: median(paints), unit: 'ms', target: '< 100 ms (smooth enough to pan)', met: median(paints) < 100 },
        {
          name: `report written (parse, model, explain, HTML) vs tree, ${what}`,
          value: made.seconds,
          unit: 's',
          baseline: { name: 'tasklens tree --json on the same log', value: tree.seconds, unit: 's' },
          ratio: made.seconds / tree.seconds,
          ratioMeaning: 'report time / tree time',
        },
      ];
      return results;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
