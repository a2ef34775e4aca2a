/**
 * Small wording helpers shared by every family: sizes in binary units, addresses, plurals, quoting.
 * Sizes are bigint in and text out: a length can exceed 2^53 (`-1` as size_t is 2^64-1).
 */
import { decodeUtf8 } from '../parse/lines.js';

const UNITS: ReadonlyArray<[bigint, string]> = [
  [1n << 60n, 'EiB'],
  [1n << 50n, 'PiB'],
  [1n << 40n, 'TiB'],
  [1n << 30n, 'GiB'],
  [1n << 20n, 'MiB'],
  [1n << 10n, 'KiB'],
];

/**
 * A byte count in words: `512 bytes`, `4 KiB`, `8 MiB + 4 KiB`, `about 1.3 MiB` when two exact
 * terms cannot say it. `1 byte` for one.
 */
export function humanSize(n: bigint): string {
  // Sizes below 2^53 (all real ones) take the float path: bigint arithmetic is slow and sizes are
  // worded for most lines of a log.
  if (n >= -MAX_EXACT && n <= MAX_EXACT) return humanBytes(Number(n));
  if (n < 0n) return `${n} bytes`;
  const [unit, name] = UNITS.find(([u]) => n >= u)!;
  const whole = n / unit;
  const rest = n % unit;
  if (rest === 0n) return `${whole} ${name}`;
  const smaller = UNITS.find(([u]) => u < unit && rest >= u && rest % u === 0n);
  if (smaller && rest / smaller[0] < 1024n) return `${whole} ${name} + ${rest / smaller[0]} ${smaller[1]}`;
  if (rest < 1024n && whole < 1024n) return `${whole} ${name} + ${rest} bytes`;
  const tenths = (n * 10n + unit / 2n) / unit;
  return `about ${tenths / 10n}.${tenths % 10n} ${name}`;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** humanSize for a byte count already held as a safe integer number. */
export function humanBytes(n: number): string {
  if (n >= 1024) return humanSizeOfNumber(n);
  return n === 1 ? '1 byte' : `${n} bytes`;
}
const NUMBER_UNITS: ReadonlyArray<[number, string]> = UNITS.map(([u, name]) => [Number(u), name]);

/** humanSize for 1024 <= n <= 2^53 - 1, the same words with float arithmetic (exact in this range). */
function humanSizeOfNumber(n: number): string {
  let k = 0;
  while (n < NUMBER_UNITS[k][0]) k++;
  const [unit, name] = NUMBER_UNITS[k];
  const whole = Math.floor(n / unit);
  const rest = n - whole * unit;
  if (rest === 0) return `${whole} ${name}`;
  for (let j = k + 1; j < NUMBER_UNITS.length; j++) {
    const u = NUMBER_UNITS[j][0];
    if (rest >= u && rest % u === 0) {
      if (rest / u < 1024) return `${whole} ${name} + ${rest / u} ${NUMBER_UNITS[j][1]}`;
      break;
    }
  }
  if (rest < 1024 && whole < 1024) return `${whole} ${name} + ${rest} bytes`;
  // Rounded to tenths exactly as the bigint path does: floor((n * 10 + unit / 2) / unit).
  const tenths = Number((BigInt(n) * 10n + BigInt(unit / 2)) / BigInt(unit));
  return `about ${Math.floor(tenths / 10)}.${tenths % 10} ${name}`;
}

/**
 * A bigint in decimal. Small values go through Number, whose conversion V8 caches: a bigint's own
 * toString costs about four times as much, and logs print the same few fds and counts all the time.
 */
export function dec(n: bigint | undefined): string {
  if (n === undefined) return 'undefined';
  return n >= -MAX_EXACT && n <= MAX_EXACT ? String(Number(n)) : n.toString();
}

/** `4096` -> `4 KiB (4096 bytes)`: both, for detail lines where the exact number matters. */
export function sizeWithBytes(n: bigint): string {
  const human = humanSize(n);
  return n < 1024n ? human : `${human} (${n} bytes)`;
}

export { hex } from '../units.js';

export function plural(n: number | bigint, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 || n === 1n ? one : many}`;
}

/** A printable, short form of a string argument's bytes (latin1 in, escaped and cut out). */
export function shortString(bytes: string, max = 60): string {
  let out = '';
  for (let i = 0; i < bytes.length && out.length < max; i++) {
    const c = bytes.charCodeAt(i);
    out += c === 10 ? '\\n' : c === 9 ? '\\t' : c < 32 || c > 126 ? `\\x${c.toString(16).padStart(2, '0')}` : bytes[i];
  }
  return out.length >= max || bytes.length > out.length * 4 ? `"${out}"…` : `"${out}"`;
}

/** Bytes from a string argument (latin1) as readable text: UTF-8 decoded, control characters escaped. */
export function printable(bytes: string): string {
  if (isPlainAscii(bytes)) return bytes;
  // eslint-disable-next-line no-control-regex
  const text = /[\x80-\xff]/.test(bytes) ? decodeUtf8(Buffer.from(bytes, 'latin1')) : bytes;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, (ch) => (ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Printable ASCII only (most paths): nothing to decode or escape. */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

/** `a, b and c`. */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Last path component. */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** Characters a shell reads literally outside quotes. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argument quoted the way a shell would need it: `ls`, `'true & wait'`, `'it'\''s'`, `''` for
 * the empty string. Bytes are decoded as UTF-8 and control characters escaped first (printable).
 */
export function shellQuote(bytes: string): string {
  const text = printable(bytes);
  if (SHELL_SAFE.test(text)) return text;
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** An argv element as the parser gave it: its bytes, and whether strace cut it (`"..."...`). */
export interface ArgWord {
  bytes: string;
  truncated?: boolean;
}

/**
 * An argv as a shell command line: each word quoted like a shell would (`sh -c 'true & wait'`);
 * a word strace cut (its `-s` limit) ends in `…`, and so does a list strace cut short or one longer
 * than `max` words (`… +3 more`).
 */
export function commandLine(words: readonly ArgWord[], options: { max?: number; listTruncated?: boolean } = {}): string {
  const max = options.max ?? words.length;
  const shown = words.slice(0, max).map((w) => `${shellQuote(w.bytes)}${w.truncated ? '…' : ''}`);
  const hidden = words.length - Math.min(max, words.length);
  if (hidden > 0) shown.push(`… +${hidden} more`);
  else if (options.listTruncated) shown.push('…');
  return shown.join(' ');
}

/** Text cut to `max` characters with an ellipsis when something was cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
