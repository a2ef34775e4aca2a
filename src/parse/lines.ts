/**
 * Line splitting for strace logs of any size: bytes in, one latin1 string per line out (latin1 keeps
 * every byte as one char, so raw text round-trips exactly). Lines of many megabytes are fine; memory
 * stays bounded by the longest line plus one chunk.
 */
import { openSync, readSync, closeSync } from 'node:fs';

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const ESCAPE = 27;
const SGR = /\x1b\[[0-9;]*m/g;

/** Removes ANSI colour (SGR) sequences. */
export function stripAnsi(line: string): string {
  return line.replace(SGR, '');
}

/** Incremental splitter: feed chunks, get complete lines; `end()` returns the unterminated tail. */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;

  /** Calls `onLine` for each complete line in `chunk` (plus what was carried from earlier chunks). */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    // strace 7 `--color=always` wraps tokens in SGR sequences: strip them (one native scan per chunk).
    const hasEscape = chunk.indexOf(ESCAPE) >= 0;
    let start = 0;
    let nl = chunk.indexOf(NEWLINE, start);
    if (nl >= 0 && this.carryBytes > 0) {
      this.carry.push(chunk.subarray(0, nl));
      const line = stripCr(Buffer.concat(this.carry).toString('latin1'));
      onLine(line.includes('\x1b') ? stripAnsi(line) : line);
      this.carry = [];
      this.carryBytes = 0;
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    while (nl >= 0) {
      let end = nl;
      if (end > start && chunk[end - 1] === CARRIAGE_RETURN) end--;
      const line = chunk.toString('latin1', start, end);
      onLine(hasEscape ? stripAnsi(line) : line);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      // Copy: the caller may reuse `chunk`'s memory for the next read.
      const rest = Buffer.from(chunk.subarray(start));
      this.carry.push(rest);
      this.carryBytes += rest.length;
    }
  }

  /** The last line when the input did not end with a newline, else undefined. */
  end(): string | undefined {
    if (this.carryBytes === 0) return undefined;
    const line = stripCr(Buffer.concat(this.carry).toString('latin1'));
    this.carry = [];
    this.carryBytes = 0;
    return line.includes('\x1b') ? stripAnsi(line) : line;
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === CARRIAGE_RETURN ? line.slice(0, -1) : line;
}

/** Synchronous line reader over a file: the fast path for large logs. */
export function* readLinesSync(path: string, chunkSize = 1 << 20): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const splitter = new LineSplitter();
    const buffer = Buffer.allocUnsafe(chunkSize);
    const batch: string[] = [];
    const collect = (line: string): void => {
      batch.push(line);
    };
    for (;;) {
      const n = readSync(fd, buffer, 0, chunkSize, null);
      if (n === 0) break;
      splitter.push(buffer.subarray(0, n), collect);
      for (let i = 0; i < batch.length; i++) yield batch[i];
      batch.length = 0;
    }
    const last = splitter.end();
    if (last !== undefined) yield last;
  } finally {
    closeSync(fd);
  }
}

/** Asynchronous line reader over any byte stream (stdin, a pipe from strace, a file stream). */
export async function* readLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const splitter = new LineSplitter();
  let batch: string[] = [];
  const collect = (line: string): void => {
    batch.push(line);
  };
  for await (const chunk of stream) {
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk, collect);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  const last = splitter.end();
  if (last !== undefined) yield [last];
}
