/**
 * Child process for the parse benchmark: parses (or only splits into lines, or only scans for
 * newlines) one file and prints {bytes, events, seconds, maxRssMB} as JSON, so peak memory is
 * measured for that work alone.
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { parseFileSync, parseFileBatches, readLinesSync, lineText } from '../src/parse/index.js';
import { Explainer } from '../src/explain/index.js';

export function rawNewlineScan(path: string): number {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

/** Splits into line strings and nothing else: the least any line-based consumer in JS pays. */
export function splitLines(path: string): number {
  let lines = 0;
  let chars = 0;
  for (const line of readLinesSync(path)) {
    lines++;
    chars += lineText(line).length & 1;
  }
  return lines + (chars < 0 ? 1 : 0);
}

/** Parses every event and touches what a consumer needs (kind, pid, return), but not lazy args. */
export function parseAll(path: string): number {
  let events = 0;
  let checksum = 0;
  for (const e of parseFileSync(path, { perPidFile: false })) {
    events++;
    checksum += e.line & 1;
    if (e.kind === 'syscall' && e.ret) checksum += e.ret.value.length;
  }
  return events + (checksum < 0 ? 1 : 0);
}

/** What `tasklens explain` does minus rendering: async batches into the Explainer (for its peak memory). */
async function explainAll(path: string): Promise<number> {
  const explainer = new Explainer();
  let items = 0;
  for await (const batch of parseFileBatches(path, { perPidFile: false })) for (const event of batch) items += explainer.push(event).length;
  return items + explainer.end().length;
}

if (process.argv[1] && /parse-child\.(js|ts)$/.test(process.argv[1])) {
  const [mode, path] = process.argv.slice(2);
  const start = process.hrtime.bigint();
  const count = mode === 'scan' ? rawNewlineScan(path) : mode === 'split' ? splitLines(path) : mode === 'explain' ? await explainAll(path) : parseAll(path);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ bytes: statSync(path).size, count, seconds, maxRssMB }));
}
