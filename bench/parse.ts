/**
 * Parse throughput against a raw newline scan of the same file in the same process, and peak RSS of
 * parsing a >= 1 GB log in a child process (bounded-memory streaming).
 * Targets (issue 2): >= 150 MB/s, >= 1/3 of the raw scan; peak RSS < 200 MB on >= 1 GB.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { timeBest, type Benchmark, type BenchResult } from './harness.js';
import { bigLog, hugeLog } from './logs.js';
import { rawNewlineScan, splitLines, parseAll } from './parse-child.js';


function child(mode: 'scan' | 'parse', path: string): { bytes: number; seconds: number; maxRssMB: number } {
  const self = fileURLToPath(import.meta.url);
  const script = self.replace(/parse\.(ts|js)$/, 'parse-child.$1');
  const args = self.endsWith('.ts') ? ['--import', 'tsx', script, mode, path] : [script, mode, path];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`parse child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { bytes: number; seconds: number; maxRssMB: number };
}

export const parseBenchmark: Benchmark = {
  name: 'parse',
  description: 'strace log parsing: throughput vs a raw newline scan, and peak memory on >= 1 GB',
  async run(progress) {
    const log = bigLog(progress);
    const mb = statSync(log).size / 1e6;
    progress(`${mb.toFixed(0)} MB log: ${log}`);
    rawNewlineScan(log); // warm the page cache
    const scanSec = timeBest(3, () => rawNewlineScan(log));
    const splitSec = timeBest(3, () => splitLines(log));
    const parseSec = timeBest(3, () => parseAll(log));
    const results: BenchResult[] = [];
    const parseRate = mb / parseSec;
    const scanRate = mb / scanSec;
    results.push({
      name: `parse throughput (${mb.toFixed(0)} MB log)`,
      value: parseRate,
      unit: 'MB/s',
      baseline: { name: 'raw newline scan', value: scanRate, unit: 'MB/s' },
      ratio: parseRate / scanRate,
      ratioMeaning: 'parse speed / raw scan speed',
      target: '>= 150 MB/s and >= 0.333x raw scan',
      met: parseRate >= 150 && parseRate / scanRate >= 1 / 3,
      notes: 'the raw scan is Buffer.indexOf(10) over a page-cached file (native memchr); see the next line for the cost of merely making line strings',
    });
    results.push({
      name: 'parse vs line splitting',
      value: parseRate,
      unit: 'MB/s',
      baseline: { name: 'split into line strings only', value: mb / splitSec, unit: 'MB/s' },
      ratio: parseRate / (mb / splitSec),
      ratioMeaning: 'parse speed / line-split speed',
    });
    const huge = hugeLog(log, 1e9, progress);
    progress(`peak memory: parsing ${(statSync(huge).size / 1e9).toFixed(2)} GB in a child process`);
    const scan = child('scan', huge);
    const parsed = child('parse', huge);
    results.push({
      name: `parse peak RSS (${(parsed.bytes / 1e9).toFixed(2)} GB log, ${(parsed.bytes / 1e6 / parsed.seconds).toFixed(0)} MB/s)`,
      value: parsed.maxRssMB,
      unit: 'MB',
      baseline: { name: 'raw newline scan in a child', value: scan.maxRssMB, unit: 'MB' },
      ratio: parsed.maxRssMB / scan.maxRssMB,
      ratioMeaning: 'parse RSS / scan RSS',
      target: '< 200 MB',
      met: parsed.maxRssMB < 200,
    });
    return results;
  },
};
