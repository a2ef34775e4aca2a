/**
 * Growable typed-array columns for the per-call data of a report, and their packing into one gzip'd
 * buffer for the HTML page. Columns instead of one object per call: 500,000 calls as objects are
 * ~60 MB of JSON, as columns ~10 MB before compression (measured, see trace-formats.md 4.3).
 */
import { gzipSync } from 'node:zlib';
import type { CallColumns } from './types.js';

type Typed = Int32Array | Float64Array | Uint16Array | Uint32Array | Uint8Array;
type TypedCtor = { new (length: number): Typed; BYTES_PER_ELEMENT: number };

/** The columns in the order they are packed; the page reads them back in the same order. */
/**
 * `delta`: packed as differences from the previous row (times and line numbers grow slowly, so the
 * differences repeat and compress about twice as well); the page sums them back.
 */
export const COLUMN_LAYOUT: ReadonlyArray<{ name: Exclude<keyof CallColumns, 'count'>; type: string; ctor: TypedCtor; delta?: true }> = [
  { name: 'start', type: 'Float64Array', ctor: Float64Array, delta: true },
  { name: 'dur', type: 'Float64Array', ctor: Float64Array },
  { name: 'lane', type: 'Int32Array', ctor: Int32Array },
  { name: 'line', type: 'Uint32Array', ctor: Uint32Array, delta: true },
  { name: 'detail', type: 'Int32Array', ctor: Int32Array, delta: true },
  { name: 'name', type: 'Uint16Array', ctor: Uint16Array },
  { name: 'errno', type: 'Uint16Array', ctor: Uint16Array },
  { name: 'file', type: 'Uint16Array', ctor: Uint16Array },
  { name: 'open', type: 'Uint8Array', ctor: Uint8Array },
];

/** Appends calls; `finish()` trims every column to the count. */
export class CallColumnsBuilder {
  count = 0;
  private capacity = 1024;
  cols: CallColumns;

  constructor() {
    this.cols = emptyColumns(this.capacity);
  }

  /** Index of a new row (all fields zero: the caller sets them). */
  add(): number {
    if (this.count === this.capacity) this.grow();
    return this.count++;
  }

  private grow(): void {
    this.capacity *= 2;
    const next = emptyColumns(this.capacity);
    for (const { name } of COLUMN_LAYOUT) (next[name] as Typed).set(this.cols[name] as Typed);
    this.cols = next;
  }

  finish(): CallColumns {
    const out = emptyColumns(0);
    out.count = this.count;
    for (const { name } of COLUMN_LAYOUT) (out as unknown as Record<string, Typed>)[name] = (this.cols[name] as Typed).slice(0, this.count);
    return out;
  }
}

function emptyColumns(n: number): CallColumns {
  return {
    count: 0,
    lane: new Int32Array(n),
    start: new Float64Array(n),
    dur: new Float64Array(n),
    name: new Uint16Array(n),
    errno: new Uint16Array(n),
    line: new Uint32Array(n),
    file: new Uint16Array(n),
    detail: new Int32Array(n),
    open: new Uint8Array(n),
  };
}

/**
 * The columns as one buffer: each column's bytes (little-endian, the only byte order of the machines
 * that run the page), padded to 8 bytes so the page can view them without copying; then gzip'd.
 */
export function packColumns(cols: CallColumns): Buffer {
  const parts: Buffer[] = [];
  for (const { name, delta } of COLUMN_LAYOUT) {
    const a = delta ? deltas(cols[name] as Typed) : (cols[name] as Typed);
    const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    parts.push(bytes);
    const pad = (8 - (bytes.length % 8)) % 8;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  return gzipSync(Buffer.concat(parts), { level: 6 });
}

/** Row-to-row differences (integer columns wrap like C integers; the page's sums wrap back). */
function deltas(a: Typed): Typed {
  const out = a.slice();
  for (let i = out.length - 1; i > 0; i--) out[i] = a[i] - a[i - 1];
  return out;
}
