/**
 * The one line splitter, for strace logs read from a file, a pipe or a live trace: bytes in, one
 * string per line out, with memory bounded by the line cap plus one chunk whatever the input.
 *
 * - Text is UTF-8 (strace prints translated errno texts, `-k` symbols and some paths raw). A byte that
 *   is not part of valid UTF-8 becomes the lone surrogate U+DC00+byte (Python's "surrogateescape"):
 *   nothing is lost, `lineBytes` gives the exact bytes back, and renderers show it as `\xNN`. Valid
 *   UTF-8 never decodes to U+DC80..U+DCFF, so the mapping is unambiguous.
 * - A trailing CR and ANSI colour (SGR) sequences are removed (strace 7 `--color=always`).
 * - A line longer than the cap (16 MiB unless raised) is not kept: it comes out as an `OverlongLine`
 *   with its length and first bytes, and splitting goes on after its newline.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { openSync, readSync, closeSync } from 'node:fs';
import { CARRIAGE_RETURN, ESCAPE, NEWLINE } from './chars.js';

const SGR = /\x1b\[[0-9;]*m/g;
/** How much of an over-long line is kept to show what it was. */
const OVERLONG_HEAD_BYTES = 200;

/** Lines longer than this many bytes are reported, not kept (see `SplitOptions.maxLineBytes`). */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface SplitOptions {
  /** The longest line kept, in bytes (default 16 MiB); a longer one becomes an `OverlongLine`. */
  maxLineBytes?: number;
}

/** A line over the cap: its length in bytes (without the newline) and its first ~200 bytes. */
export interface OverlongLine {
  readonly overlong: true;
  readonly bytes: number;
  readonly head: string;
}

/** What the splitter yields: a line's text, or the note that a line was too long to keep. */
export type Line = string | OverlongLine;

/** A line's text; for an over-long line, its first bytes. */
export function lineText(line: Line): string {
  return typeof line === 'string' ? line : line.head;
}

/** Removes ANSI colour (SGR) sequences. */
export function stripAnsi(line: string): string {
  return line.replace(SGR, '');
}

/** First code unit of the surrogates that stand for invalid bytes 0x80..0xff. */
const ESCAPED_BYTE_BASE = 0xdc00;

/** The byte an invalid-UTF-8 placeholder char stands for, or -1 when `code` is ordinary text. */
export function escapedByte(code: number): number {
  return code >= 0xdc80 && code <= 0xdcff ? code - ESCAPED_BYTE_BASE : -1;
}

/**
 * Decodes UTF-8 bytes; each byte that is not part of a valid sequence becomes U+DC00+byte.
 */
export function decodeUtf8(buffer: Buffer, start = 0, end = buffer.length): string {
  if (isUtf8(buffer.subarray(start, end))) return buffer.toString('utf8', start, end);
  let out = '';
  let run = start;
  let i = start;
  while (i < end) {
    const b = buffer[i];
    const n = b < 0x80 ? 1 : sequenceLength(buffer, i, end);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > run) out += buffer.toString('utf8', run, i);
    out += String.fromCharCode(ESCAPED_BYTE_BASE + b);
    run = ++i;
  }
  return run < end ? out + buffer.toString('utf8', run, end) : out;
}

/** Length of the valid UTF-8 sequence starting with a byte >= 0x80 at `i`, or 0 (RFC 3629 table 3-7). */
function sequenceLength(b: Buffer, i: number, end: number): number {
  const c = b[i];
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < end && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf; // no surrogates
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** The exact bytes a decoded line (or any text from it) stands for: the inverse of `decodeUtf8`. */
export function lineBytes(text: string): Buffer {
  // eslint-disable-next-line no-control-regex
  if (!/[\udc80-\udcff]/.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const byte = escapedByte(text.charCodeAt(i));
    if (byte < 0) continue;
    if (i > run) parts.push(Buffer.from(text.slice(run, i), 'utf8'));
    parts.push(Buffer.of(byte));
    run = i + 1;
  }
  if (run < text.length) parts.push(Buffer.from(text.slice(run), 'utf8'));
  return Buffer.concat(parts);
}

/** A finished line's text: CR and colour codes removed. */
function clean(line: string): string {
  const text = line.charCodeAt(line.length - 1) === CARRIAGE_RETURN ? line.slice(0, -1) : line;
  return text.includes('\x1b') ? stripAnsi(text) : text;
}

/** Incremental splitter: feed chunks, get complete lines; `end()` returns the unterminated tail. */
export class LineSplitter {
  private readonly maxLineBytes: number;
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Bytes of the current line when it is over the cap (its content is dropped), else -1. */
  private overBytes = -1;
  private overHead = '';

  constructor(options: SplitOptions = {}) {
    const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!(max > 0)) throw new RangeError(`maxLineBytes must be positive: ${max}`);
    this.maxLineBytes = max;
  }

  /** Calls `onLine` for each complete line in `chunk` (plus what was carried from earlier chunks). */
  push(chunk: Buffer, onLine: (line: Line) => void): void {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (this.overBytes >= 0 || this.carryBytes > 0) {
      // The line started in an earlier chunk: finish it first.
      const upto = nl < 0 ? chunk.length : nl;
      this.extend(chunk.subarray(0, upto));
      if (nl < 0) return;
      onLine(this.takeCarried());
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    // One native check for all the chunk's complete lines (a newline never sits inside a UTF-8
    // sequence): all ASCII takes the cheapest decoder (latin1 gives the same text, ~20% faster).
    const whole = chunk.subarray(start, chunk.lastIndexOf(NEWLINE) + 1);
    const encoding = isAscii(whole) ? 'latin1' : isUtf8(whole) ? 'utf8' : undefined;
    const hasEscape = chunk.indexOf(ESCAPE, start) >= 0;
    const max = this.maxLineBytes;
    while (nl >= 0) {
      let end = nl;
      if (end - start > max) onLine(overlong(chunk, start, end - start));
      else {
        if (end > start && chunk[end - 1] === CARRIAGE_RETURN) end--;
        const line = encoding !== undefined ? chunk.toString(encoding, start, end) : decodeUtf8(chunk, start, end);
        onLine(hasEscape ? stripAnsi(line) : line);
      }
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.extend(chunk.subarray(start));
  }

  /** The last line when the input did not end with a newline, else undefined. */
  end(): Line | undefined {
    if (this.overBytes < 0 && this.carryBytes === 0) return undefined;
    return this.takeCarried();
  }

  /** Adds bytes to the line being carried; past the cap keeps only its length and head. */
  private extend(bytes: Buffer): void {
    if (this.overBytes >= 0) {
      this.overBytes += bytes.length;
      return;
    }
    if (this.carryBytes + bytes.length > this.maxLineBytes) {
      const all = Buffer.concat([...this.carry, bytes.subarray(0, Math.max(0, OVERLONG_HEAD_BYTES - this.carryBytes))]);
      this.overHead = overlong(all, 0, this.carryBytes + bytes.length).head;
      this.overBytes = this.carryBytes + bytes.length;
      this.carry = [];
      this.carryBytes = 0;
      return;
    }
    // Copy: the caller may reuse the chunk's memory for the next read.
    this.carry.push(Buffer.from(bytes));
    this.carryBytes += bytes.length;
  }

  private takeCarried(): Line {
    if (this.overBytes >= 0) {
      const line: OverlongLine = { overlong: true, bytes: this.overBytes, head: this.overHead };
      this.overBytes = -1;
      this.overHead = '';
      return line;
    }
    const joined = this.carry.length === 1 ? this.carry[0] : Buffer.concat(this.carry);
    this.carry = [];
    this.carryBytes = 0;
    return clean(decodeUtf8(joined));
  }
}

function overlong(buffer: Buffer, start: number, bytes: number): OverlongLine {
  const headEnd = Math.min(buffer.length, start + Math.min(bytes, OVERLONG_HEAD_BYTES));
  return { overlong: true, bytes, head: clean(decodeUtf8(buffer, start, headEnd)) };
}

/** Synchronous line reader over a file, in chunks (for synchronous callers; async code uses `readFileLines`). */
export function* readLinesSync(path: string, options: SplitOptions & { chunkSize?: number } = {}): Generator<Line> {
  const chunkSize = options.chunkSize ?? 1 << 20;
  const fd = openSync(path, 'r');
  try {
    const splitter = new LineSplitter(options);
    const buffer = Buffer.allocUnsafe(chunkSize);
    const batch: Line[] = [];
    const collect = (line: Line): void => {
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

/** Options of the streaming readers: the line cap, and a callback after each chunk read. */
export interface ReadOptions extends SplitOptions {
  /** Called with the number of bytes of each chunk read (for progress display). */
  onRead?: (bytes: number) => void;
}

/** Asynchronous line reader over any byte stream (stdin, a pipe from strace, a file stream): one batch per chunk. */
export async function* readLines(stream: AsyncIterable<Buffer | string>, options: ReadOptions = {}): AsyncGenerator<Line[]> {
  const splitter = new LineSplitter(options);
  let batch: Line[] = [];
  const collect = (line: Line): void => {
    batch.push(line);
  };
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    splitter.push(bytes, collect);
    options.onRead?.(bytes.length);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  const last = splitter.end();
  if (last !== undefined) yield [last];
}

/**
 * Bytes per asynchronous read. A batch of events lives across an await, so with 1 MiB chunks each
 * batch outlived the young generation and was promoted: parsing a 40 MB log took 155 MB RSS and
 * 2.0 s; with 256 KiB, 87 MB and 0.8 s (64 KiB: 81 MB, 1.0 s).
 */
const ASYNC_CHUNK = 256 * 1024;

/**
 * A file's lines, read asynchronously in chunks (the event loop keeps running between them).
 * `reopen`: open, read and close for each chunk, holding no descriptor in between (for merging
 * thousands of `-ff` files under the descriptor limit).
 */
export async function* readFileLines(path: string, options: ReadOptions & { chunkSize?: number; reopen?: boolean } = {}): AsyncGenerator<Line[]> {
  const chunkSize = options.chunkSize ?? ASYNC_CHUNK;
  if (options.reopen) {
    yield* readLines(reopenedChunks(path, chunkSize), options);
    return;
  }
  const handle = await open(path, 'r');
  try {
    yield* readLines(chunksOf(handle, chunkSize), options);
  } finally {
    await handle.close();
  }
}

async function* chunksOf(handle: FileHandle, chunkSize: number): AsyncGenerator<Buffer> {
  // One buffer for every read: the splitter copies what it keeps (line strings, a carried tail)
  // before asking for the next chunk.
  const buffer = Buffer.allocUnsafe(chunkSize);
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, chunkSize, null);
    if (bytesRead === 0) return;
    yield bytesRead === chunkSize ? buffer : buffer.subarray(0, bytesRead);
  }
}

async function* reopenedChunks(path: string, chunkSize: number): AsyncGenerator<Buffer> {
  const buffer = Buffer.allocUnsafe(chunkSize);
  for (let offset = 0; ;) {
    const handle = await open(path, 'r');
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, chunkSize, offset));
    } finally {
      await handle.close();
    }
    if (bytesRead === 0) return;
    offset += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}
