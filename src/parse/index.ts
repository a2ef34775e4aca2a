/**
 * The parse layer: strace text -> typed events. Pure: the only I/O is the optional file readers.
 */
import { StraceParser, type ParseOptions } from './parser.js';
import { readLinesSync, readLines } from './lines.js';
import { readLinesReopening } from './file-lines.js';
import type { TraceEvent } from './types.js';
import { basename } from 'node:path';
import { pidFromText } from '../pid.js';

export { StraceParser, decodeStraceString, type ParseOptions } from './parser.js';
export { LineSplitter, readLinesSync, readLines, stripAnsi } from './lines.js';
export { parsePrefix } from './prefix.js';
export { parseReturn } from './retval.js';
export { parseArgs, parseValue, unescapeString, toBigInt, valueText, structField, flagNames } from './values.js';
export type * from './types.js';

/** Parses lines already in memory. */
export function* parseLines(lines: Iterable<string>, options: ParseOptions = {}): Generator<TraceEvent> {
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

/** Options for a file: `-ff` files get their pid from the name unless given. */
function fileOptions(path: string, options: ParseOptions, perPidFile: boolean): ParseOptions {
  const pid = options.pid ?? (perPidFile ? pidFromFileName(path) : undefined);
  return { source: path, ...options, ...(pid === undefined ? {} : { pid }) };
}

/**
 * Parses a file synchronously with bounded memory (the fast path for large logs).
 * `perPidFile`: treat a `.<digits>` suffix as the `-ff` tid (default: true when the name has one).
 */
export function* parseFileSync(path: string, options: ParseOptions & { perPidFile?: boolean } = {}): Generator<TraceEvent> {
  const { perPidFile = true, ...rest } = options;
  yield* parseLines(readLinesSync(path), fileOptions(path, rest, perPidFile));
}

/** Parses any byte stream (stdin, a pipe) as it arrives; yields events in batches. */
export async function* parseStreamBatches(stream: AsyncIterable<Buffer | string>, options: ParseOptions = {}): AsyncGenerator<TraceEvent[]> {
  const parser = new StraceParser(options);
  for await (const lines of readLines(stream)) {
    const out: TraceEvent[] = [];
    for (const line of lines) parser.push(line, out);
    if (out.length > 0) yield out;
  }
  const tail = parser.end();
  if (tail.length > 0) yield tail;
}

/** Parses any byte stream, one event at a time. */
export async function* parseStream(stream: AsyncIterable<Buffer | string>, options: ParseOptions = {}): AsyncGenerator<TraceEvent> {
  for await (const batch of parseStreamBatches(stream, options)) yield* batch;
}

/** Parses a file (async). */
export async function* parseFile(path: string, options: ParseOptions & { perPidFile?: boolean } = {}): AsyncGenerator<TraceEvent> {
  yield* parseFileSync(path, options);
}

/**
 * Parses the per-thread files of `strace -ff -o LOG` (or any several logs) as one stream. When every
 * event has a timestamp, events are merged in time order (a k-way merge, memory bounded by the number
 * of files); otherwise files are read one after another.
 */
export function* parseFilesSync(paths: string[], options: ParseOptions & { perPidFile?: boolean } = {}): Generator<TraceEvent> {
  if (paths.length === 1) {
    yield* parseFileSync(paths[0], options);
    return;
  }
  // Every file is open at once in a merge: past a few dozen, read each chunk with its own open/close
  // (no descriptor held between reads) and with chunks that together stay around 16 MiB.
  const streams = paths.length <= MAX_FILES_HELD_OPEN
    ? paths.map((path) => parseFileSync(path, options))
    : paths.map((path) => parseLinesOf(path, readLinesReopening(path, reopenChunkSize(paths.length)), options));
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

function parseLinesOf(path: string, lines: Iterable<string>, options: ParseOptions & { perPidFile?: boolean }): Generator<TraceEvent> {
  const { perPidFile = true, ...rest } = options;
  return parseLines(lines, fileOptions(path, rest, perPidFile));
}

/** Async form of parseFilesSync. */
export async function* parseFiles(paths: string[], options: ParseOptions & { perPidFile?: boolean } = {}): AsyncGenerator<TraceEvent> {
  yield* parseFilesSync(paths, options);
}
