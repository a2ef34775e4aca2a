/**
 * The parse layer: strace text -> typed events. Pure: the only I/O is the optional file readers.
 */
import { StraceParser, type ParseOptions } from './parser.js';
import { readLinesSync, readLines, readFileLines, type Line, type ReadOptions } from './lines.js';
import { readLinesReopening } from './file-lines.js';
import type { TraceEvent } from './types.js';
import { basename } from 'node:path';
import { pidFromText } from '../pid.js';

export { StraceParser, decodeStraceString, type ParseOptions } from './parser.js';
export { LineSplitter, readLinesSync, readLines, readFileLines, lineText, stripAnsi, decodeUtf8, lineBytes, escapedByte, DEFAULT_MAX_LINE_BYTES } from './lines.js';
export type { Line, OverlongLine, SplitOptions, ReadOptions } from './lines.js';
export { parsePrefix } from './prefix.js';
export { parseReturn } from './retval.js';
export { parseArgs, parseValue, unescapeString, toBigInt, valueText, structField, flagNames } from './values.js';
export { printedWaitStatus, type PrintedWaitStatus } from './wait-status.js';
export type * from './types.js';

/** Parses lines already in memory. */
export function* parseLines(lines: Iterable<Line>, options: ParseOptions = {}): Generator<TraceEvent> {
  const parser = new StraceParser(options);
  const out: TraceEvent[] = [];
  for (const line of lines) {
    parser.push(line, out);
    if (out.length > 0) {
      for (let i = 0; i < out.length; i++) yield out[i];
      out.length = 0;
    }
  }
  parser.end(out);
  yield* out;
}

/** Parses a whole text (splits on newlines). */
export function parseText(text: string, options: ParseOptions = {}): TraceEvent[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return [...parseLines(lines, options)];
}

/**
 * The tid a `-ff` per-thread file belongs to, from its name `PREFIX.<tid>`; undefined otherwise.
 */
export function pidFromFileName(path: string): number | undefined {
  const m = /\.(\d+)$/.exec(basename(path));
  return m ? pidFromText(m[1]) : undefined;
}

/** Options of the file and stream readers: the parser's, the line cap, a progress callback. */
export type FileParseOptions = ParseOptions & ReadOptions & { perPidFile?: boolean };

/** Options for a file: `-ff` files get their pid from the name unless given. */
function fileOptions(path: string, options: ParseOptions, perPidFile: boolean): ParseOptions {
  const pid = options.pid ?? (perPidFile ? pidFromFileName(path) : undefined);
  return { source: path, ...options, ...(pid === undefined ? {} : { pid }) };
}

/**
 * Parses a file synchronously, in chunks, with bounded memory: for synchronous callers (scripts,
 * benchmarks). Async code uses `parseFile`/`parseFileBatches`, which let the event loop run.
 * `perPidFile`: treat a `.<digits>` suffix as the `-ff` tid (default: true when the name has one).
 */
export function* parseFileSync(path: string, options: FileParseOptions = {}): Generator<TraceEvent> {
  const { perPidFile = true, ...rest } = options;
  yield* parseLines(readLinesSync(path, rest), fileOptions(path, rest, perPidFile));
}

/** Events per yielded batch (see parseLineBatches). */
const EVENT_BATCH = 256;

/** Parses batches of lines as they arrive; yields their events in batches of up to 256. */
async function* parseLineBatches(batches: AsyncIterable<Line[]>, options: ParseOptions): AsyncGenerator<TraceEvent[]> {
  const parser = new StraceParser(options);
  for await (const lines of batches) {
    let out: TraceEvent[] = [];
    for (let i = 0; i < lines.length; i++) {
      parser.push(lines[i], out);
      // Small batches: events handed on while young die in the young generation. A whole chunk's
      // events (thousands) outlived the scavenges their consumer triggered and filled the old
      // generation with garbage (explain of 19,500 tasks: 267 MB RSS with one batch per 256 KiB).
      if (out.length >= EVENT_BATCH) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  }
  const tail = parser.end();
  if (tail.length > 0) yield tail;
}

/** Parses any byte stream (stdin, a pipe) as it arrives; yields events in batches. */
export function parseStreamBatches(stream: AsyncIterable<Buffer | string>, options: ParseOptions & ReadOptions = {}): AsyncGenerator<TraceEvent[]> {
  return parseLineBatches(readLines(stream, options), options);
}

/** Parses any byte stream, one event at a time. */
export async function* parseStream(stream: AsyncIterable<Buffer | string>, options: ParseOptions & ReadOptions = {}): AsyncGenerator<TraceEvent> {
  for await (const batch of parseStreamBatches(stream, options)) yield* batch;
}

/** Parses a file read asynchronously in chunks (about one batch of events per MiB read). */
export function parseFileBatches(path: string, options: FileParseOptions & { reopen?: boolean; chunkSize?: number } = {}): AsyncGenerator<TraceEvent[]> {
  const { perPidFile = true, ...rest } = options;
  return parseLineBatches(readFileLines(path, rest), fileOptions(path, rest, perPidFile));
}

/** Parses a file read asynchronously in chunks, one event at a time; memory stays bounded. */
export async function* parseFile(path: string, options: FileParseOptions = {}): AsyncGenerator<TraceEvent> {
  for await (const batch of parseFileBatches(path, options)) yield* batch;
}

/**
 * Parses the per-thread files of `strace -ff -o LOG` (or any several logs) as one stream. When every
 * event has a timestamp, events are merged in time order (a k-way merge, memory bounded by the number
 * of files); otherwise files are read one after another.
 */
export function* parseFilesSync(paths: string[], options: FileParseOptions = {}): Generator<TraceEvent> {
  if (paths.length === 1) {
    yield* parseFileSync(paths[0], options);
    return;
  }
  // Every file is open at once in a merge: past a few dozen, read each chunk with its own open/close
  // (no descriptor held between reads) and with chunks that together stay around 16 MiB.
  const streams = paths.length <= MAX_FILES_HELD_OPEN
    ? paths.map((path) => parseFileSync(path, options))
    : paths.map((path) => parseLinesOf(path, readLinesReopening(path, reopenChunkSize(paths.length), options), options));
  const heads = streams.map((s) => s.next());
  const timed = heads.every((h) => h.done || h.value.prefix.timeSec !== undefined);
  if (!timed) {
    for (let i = 0; i < streams.length; i++) {
      if (!heads[i].done) yield heads[i].value as TraceEvent;
      yield* streams[i];
    }
    return;
  }
  for (;;) {
    let best = -1;
    let bestTime = Infinity;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h.done) continue;
      const t = (h.value as TraceEvent).prefix.timeSec ?? bestTime;
      if (best < 0 || t < bestTime) {
        best = i;
        bestTime = t;
      }
    }
    if (best < 0) return;
    yield heads[best].value as TraceEvent;
    heads[best] = streams[best].next();
  }
}

const MAX_FILES_HELD_OPEN = 32;

function reopenChunkSize(files: number): number {
  return Math.min(1 << 20, Math.max(4096, Math.floor((16 << 20) / files)));
}

function parseLinesOf(path: string, lines: Iterable<Line>, options: ParseOptions & { perPidFile?: boolean }): Generator<TraceEvent> {
  const { perPidFile = true, ...rest } = options;
  return parseLines(lines, fileOptions(path, rest, perPidFile));
}

/** One file's events during a merge: the current batch and a position in it. */
class BatchCursor {
  private batch: TraceEvent[] = [];
  private index = 0;
  done = false;
  constructor(private readonly source: AsyncGenerator<TraceEvent[]>) {}

  /** The next event, reading the next batch when needed; undefined at the end. */
  async peek(): Promise<TraceEvent | undefined> {
    while (this.index >= this.batch.length) {
      if (this.done) return undefined;
      const r = await this.source.next();
      if (r.done) {
        this.done = true;
        return undefined;
      }
      this.batch = r.value;
      this.index = 0;
    }
    return this.batch[this.index];
  }

  /** Moves past the event `peek` returned. */
  advance(): void {
    this.index++;
  }

  /** What is left of the current batch, then the rest of the file's batches. */
  async *rest(): AsyncGenerator<TraceEvent[]> {
    if (this.index < this.batch.length) yield this.batch.slice(this.index);
    this.batch = [];
    if (!this.done) yield* this.source;
    this.done = true;
  }
}

/** Events per merged batch: enough to keep the per-batch cost low, small enough to stay bounded. */
const MERGED_BATCH = 4096;

/** Async form of parseFilesSync, in batches: files are read in chunks, the event loop keeps running. */
export async function* parseFilesBatches(paths: string[], options: FileParseOptions = {}): AsyncGenerator<TraceEvent[]> {
  if (paths.length === 1) {
    yield* parseFileBatches(paths[0], options);
    return;
  }
  // As in parseFilesSync: past a few dozen files, each chunk is read with its own open/close.
  const reopen = paths.length > MAX_FILES_HELD_OPEN ? { reopen: true, chunkSize: reopenChunkSize(paths.length) } : {};
  const cursors = paths.map((path) => new BatchCursor(parseFileBatches(path, { ...options, ...reopen })));
  const heads: Array<TraceEvent | undefined> = [];
  for (const cursor of cursors) heads.push(await cursor.peek());
  if (!heads.every((h) => h === undefined || h.prefix.timeSec !== undefined)) {
    for (const cursor of cursors) yield* cursor.rest();
    return;
  }
  let out: TraceEvent[] = [];
  for (;;) {
    let best = -1;
    let bestTime = Infinity;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h === undefined) continue;
      const t = h.prefix.timeSec ?? bestTime;
      if (best < 0 || t < bestTime) {
        best = i;
        bestTime = t;
      }
    }
    if (best < 0) break;
    out.push(heads[best] as TraceEvent);
    cursors[best].advance();
    heads[best] = await cursors[best].peek();
    if (out.length >= MERGED_BATCH) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/** Async form of parseFilesSync, one event at a time. */
export async function* parseFiles(paths: string[], options: FileParseOptions = {}): AsyncGenerator<TraceEvent> {
  for await (const batch of parseFilesBatches(paths, options)) yield* batch;
}
