/**
 * Argument text -> value tree. Called lazily (only when an event's `args` is read). Every shape strace
 * prints has a node type; anything else is kept verbatim as `expr`, so no input can make it fail.
 */
import type { Value, Field } from './types.js';
import { splitTopLevel, matchBracket, skipDecoration, skipString, topLevelIndexOf } from './scan.js';
import { lineBytes } from './lines.js';
import { isHexDigit } from './chars.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INT = /^-?(?:0x[0-9a-fA-F]+|\d+)$/;
const FIELD_NAME = /^([A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]=]*\])?)=/;
const CALL = /^([A-Za-z_][A-Za-z0-9_]*)\(/;

/**
 * A syscall's argument list split at the top level and trimmed, not parsed: for callers that read
 * only some arguments. An opener cut at `<unfinished ...>` ends with `, `: no empty last argument.
 */
export function splitArgs(text: string): string[] {
  let trimmed = text.trim();
  if (trimmed.endsWith(',')) trimmed = trimmed.slice(0, -1).trimEnd();
  if (trimmed === '') return [];
  return splitTopLevel(trimmed).map((part) => part.trim());
}

/** Parses a syscall's argument list (the text between its parentheses). */
export function parseArgs(text: string): Value[] {
  return splitArgs(text).map((part) => parseValue(part));
}

const OTHER = 0;
const WORD = 1;
const FLAG_WORDS = 2;

/** Words and `A|B` flag words: text whose value prints back exactly as written. */
export function isWordText(s: string): boolean {
  return s.length > 0 && wordShape(s) !== OTHER;
}

/** WORD: only [A-Za-z0-9_-]; FLAG_WORDS: such words joined by single `|` (not first); else OTHER. */
function wordShape(s: string): number {
  let bars = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45) continue;
    if (c !== 124 || i === 0 || s.charCodeAt(i - 1) === 124) return OTHER;
    bars = true;
  }
  return bars ? FLAG_WORDS : WORD;
}

/** Parses one value. Depth-limited so hostile nesting cannot exhaust the stack. */
export function parseValue(text: string, depth = 0): Value {
  if (depth > 64) return { t: 'expr', text };
  const s = text.trim();
  if (s === '') return { t: 'expr', text: s };
  // A lone string literal (paths, buffers: most arguments explanations read) needs none of the
  // checks below: it cannot hold a top-level ` => `, a `name=` label or a trailing comment.
  if (s.charCodeAt(0) === 34 /* " */) {
    const close = skipString(s, 0);
    if (close === s.length - 1 || (close === s.length - 4 && s.endsWith('...'))) return stringValue(s, close);
  }
  // Words and `A|B` flag words (most values inside structs and most flag arguments) need none of the
  // checks below either: only word characters and single bars, so nothing nests or is quoted.
  const shape = wordShape(s);
  if (shape === WORD) return s === 'NULL' ? { t: 'null' } : INT.test(s) ? { t: 'int', text: s } : IDENT.test(s) ? { t: 'ident', text: s } : { t: 'expr', text: s };
  if (shape === FLAG_WORDS) return { t: 'flags', parts: s.split('|').map((p) => parseValue(p, depth + 1)), text: s };

  // `old => new` at top level: the in/out change of a value.
  const arrow = topLevelIndexOf(s, ' => ');
  if (arrow > 0) {
    return { t: 'changed', before: parseValue(s.slice(0, arrow), depth + 1), after: parseValue(s.slice(arrow + 4), depth + 1) };
  }
  // `name=value` first, so `-X verbose`'s `flags=0x11 /* SIGCHLD */` is a field holding a commented value.
  const field = FIELD_NAME.exec(s);
  if (field && !s.startsWith('==', field[0].length - 1)) {
    return { t: 'named', name: field[1], value: parseValue(s.slice(field[0].length), depth + 1) };
  }
  // trailing comment: `0x7ffd /* 39 vars */`, or a bare `/* comment */`
  if (s.endsWith('*/')) {
    const open = topLevelIndexOf(s, '/*');
    if (open >= 0) {
      const before = s.slice(0, open).trim();
      const comment = s.slice(open + 2, s.length - 2).trim();
      return { t: 'comment', value: before === '' ? null : parseValue(before, depth + 1), comment };
    }
  }
  const c = s.charCodeAt(0);
  if (c === 34 /* " */) return parseStringValue(s);
  if (c === 91 /* [ */ || (c === 126 /* ~ */ && s.charCodeAt(1) === 91)) {
    const open = c === 126 ? 1 : 0;
    const close = matchBracket(s, open);
    if (close === s.length - 1) return parseBracketed(s.slice(open + 1, close), c === 126, depth);
    // `[IDX]=value` (indexed array element)
    if (close > 0 && s.charCodeAt(close + 1) === 61 && c !== 126) {
      return { t: 'indexed', index: s.slice(1, close), value: parseValue(s.slice(close + 2), depth + 1) };
    }
    return { t: 'expr', text: s };
  }
  if (c === 123 /* { */) {
    const close = matchBracket(s, 0);
    if (close === s.length - 1) return parseStruct(s.slice(1, close), depth);
    return { t: 'expr', text: s };
  }
  if (s === 'NULL') return { t: 'null' };
  if (INT.test(s)) return { t: 'int', text: s };
  if (s === '...') return { t: 'expr', text: s };

  // `3</path>`, `AT_FDCWD</tmp>`, `1234<comm>`, `12</x>(deleted)`
  const lt = s.indexOf('<');
  if (lt > 0) {
    const close = skipDecoration(s, lt);
    const rest = close > 0 ? s.slice(close + 1) : '';
    if (close > 0 && (rest === '' || rest === '(deleted)')) {
      return { t: 'fd', value: parseValue(s.slice(0, lt), depth + 1), decoration: s.slice(lt + 1, close), deleted: rest !== '' };
    }
  }
  if (IDENT.test(s)) return { t: 'ident', text: s };
  const pipe = topLevelIndexOf(s, '|');
  if (pipe > 0 && topLevelIndexOf(s, '||') < 0) {
    return { t: 'flags', parts: splitTopLevel(s, '|').map((p) => parseValue(p, depth + 1)), text: s };
  }
  const call = CALL.exec(s);
  if (call) {
    const open = call[0].length - 1;
    const close = matchBracket(s, open);
    if (close === s.length - 1) {
      return { t: 'call', fn: call[1], args: parseArgs(s.slice(open + 1, close)).map((v) => v) };
    }
  }
  return { t: 'expr', text: s };
}

function parseStringValue(s: string): Value {
  const close = skipString(s, 0);
  if (close < 0) return { t: 'expr', text: s };
  const rest = s.length - close - 1;
  if (rest !== 0 && !(rest === 3 && s.endsWith('...'))) return { t: 'expr', text: s };
  return stringValue(s, close);
}

/** `"..."` or `"..."...` (cut by -s) whose closing quote is at `close`. */
function stringValue(s: string, close: number): Value {
  return { t: 'str', bytes: unescapeString(s.slice(1, close)), truncated: close < s.length - 1, text: s };
}

/** `[...]`: an array (`[a, b, ...]`), a bit set (`[USR1 TERM]`, `~[RTMIN RT_1]`, `[]`). */
function parseBracketed(inner: string, negated: boolean, depth: number): Value {
  const trimmed = inner.trim();
  if (negated || (trimmed !== '' && /^[A-Za-z0-9_?]+( [A-Za-z0-9_?]+)+$/.test(trimmed))) {
    return { t: 'set', negated, items: trimmed === '' ? [] : trimmed.split(' ') };
  }
  if (trimmed === '') return { t: 'array', items: [], truncated: false };
  const parts = splitTopLevel(trimmed);
  let truncated = false;
  if (parts[parts.length - 1].trim() === '...') {
    parts.pop();
    truncated = true;
  }
  return { t: 'array', items: parts.map((p) => parseValue(p, depth + 1)), truncated };
}

/** `{k=v, k=v, ...}`; items without `name=` (e.g. `{WIFEXITED(s) && ...}`) get an empty name. */
function parseStruct(inner: string, depth: number): Value {
  const trimmed = inner.trim();
  const fields: Field[] = [];
  let truncated = false;
  if (trimmed === '') return { t: 'struct', fields, truncated };
  for (const part of splitTopLevel(trimmed)) {
    const p = part.trim();
    if (p === '...') {
      truncated = true;
      continue;
    }
    const v = parseValue(p, depth + 1);
    if (v.t === 'named') fields.push({ name: v.name, value: v.value });
    else fields.push({ name: '', value: v });
  }
  return { t: 'struct', fields, truncated };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', e: '\x1b', '"': '"', '\\': '\\', "'": "'", '?': '?' };

/**
 * Decodes strace's string escaping into the bytes it stands for, as a latin1 string (one char per
 * byte): `\n`-style letters, octal `\0`..`\377` (1 to 3 digits), hex `\xHH`. Text the line holds
 * unescaped (UTF-8 decoded by the splitter) becomes its UTF-8 bytes again, an invalid byte kept by
 * the splitter becomes that byte: the result is always the bytes strace printed.
 */
export function unescapeString(s: string): string {
  const ascii = !NON_ASCII.test(s);
  let i = s.indexOf('\\');
  if (i < 0) return ascii ? s : literalBytes(s);
  let out = '';
  let run = 0;
  const n = s.length;
  for (; i >= 0 && i + 1 < n; i = s.indexOf('\\', run)) {
    if (i > run) out += ascii ? s.slice(run, i) : literalBytes(s.slice(run, i));
    const next = s[i + 1];
    if (next >= '0' && next <= '7') {
      let j = i + 1;
      let code = 0;
      while (j < n && j < i + 4 && s[j] >= '0' && s[j] <= '7') code = code * 8 + (s.charCodeAt(j++) - 48);
      out += String.fromCharCode(code & 0xff);
      run = j;
    } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
      out += String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16));
      run = i + 4;
    } else if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      run = i + 2;
    } else {
      out += ascii ? next : literalBytes(next);
      run = i + 2;
    }
  }
  // A lone backslash at the very end is kept as it is.
  if (run < n) out += ascii ? s.slice(run) : literalBytes(s.slice(run));
  return out;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** Unescaped text of a line as its bytes (latin1 string), see lines.ts for invalid bytes. */
function literalBytes(text: string): string {
  return NON_ASCII.test(text) ? lineBytes(text).toString('latin1') : text;
}

/** BigInts for small values, made once: logs repeat 0, small fds and sizes millions of times. */
const SMALL_BIGINTS: bigint[] = Array.from({ length: 4096 }, (_, i) => BigInt(i));

/** The integer a value stands for, as bigint: decimal, hex, octal (`022`), negative. */
export function toBigInt(v: Value | string | undefined | null): bigint | undefined {
  if (v === undefined || v === null) return undefined;
  let text: string;
  if (typeof v === 'string') text = v;
  else if (v.t === 'int') text = v.text;
  else if (v.t === 'fd' || v.t === 'named' || v.t === 'indexed') return toBigInt(v.value);
  else if (v.t === 'comment') return toBigInt(v.value);
  else if (v.t === 'null') return 0n;
  else if (v.t === 'array' && v.items.length === 1) return toBigInt(v.items[0]);
  else return undefined;
  return integerText(text);
}

/**
 * `123`, `-1`, `0x7f`, `022` (octal), surrounding spaces allowed -> bigint; anything else undefined.
 * A character loop rather than regular expressions: this runs for most arguments and return values.
 */
function integerText(raw: string): bigint | undefined {
  let start = 0;
  let end = raw.length;
  while (start < end && isTrimmedSpace(raw.charCodeAt(start))) start++;
  while (end > start && isTrimmedSpace(raw.charCodeAt(end - 1))) end--;
  const negative = raw.charCodeAt(start) === 45; /* - */
  if (negative) start++;
  if (start >= end) return undefined;
  let value: bigint;
  if (raw.charCodeAt(start) === 48 && raw.charCodeAt(start + 1) === 120 /* x */) {
    if (end - start === 2) return undefined;
    for (let i = start + 2; i < end; i++) if (!isHexDigit(raw.charCodeAt(i))) return undefined;
    value = BigInt(raw.slice(start, end));
  } else if (raw.charCodeAt(start) === 48 && end - start > 1 && isOctal(raw, start + 1, end)) {
    value = BigInt(`0o${raw.slice(start + 1, end)}`);
  } else {
    // Up to 15 digits fit a double exactly: no string slice, and small values come from the table.
    let n = 0;
    for (let i = start; i < end; i++) {
      const c = raw.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      n = n * 10 + (c - 48);
    }
    if (end - start <= 15) value = n < SMALL_BIGINTS.length ? SMALL_BIGINTS[n] : BigInt(n);
    else value = BigInt(raw.slice(start, end));
  }
  return negative ? -value : value;
}

/** Characters String.prototype.trim removes, within latin1 (what the parser's scans look at). */
export function isTrimmedSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 160;
}

function isOctal(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 55) return false;
  }
  return true;
}

/** Prints a value back in strace's syntax (normalised spacing). */
export function valueText(v: Value): string {
  switch (v.t) {
    case 'int':
    case 'ident':
    case 'expr':
      return v.text;
    case 'str':
      return v.text;
    case 'null':
      return 'NULL';
    case 'flags':
      return v.parts.map(valueText).join('|');
    case 'struct':
      return `{${[...v.fields.map((f) => (f.name ? `${f.name}=${valueText(f.value)}` : valueText(f.value))), ...(v.truncated ? ['...'] : [])].join(', ')}}`;
    case 'array':
      return `[${[...v.items.map(valueText), ...(v.truncated ? ['...'] : [])].join(', ')}]`;
    case 'set':
      return `${v.negated ? '~' : ''}[${v.items.join(' ')}]`;
    case 'call':
      return `${v.fn}(${v.args.map(valueText).join(', ')})`;
    case 'changed':
      return `${valueText(v.before)} => ${valueText(v.after)}`;
    case 'fd':
      return `${valueText(v.value)}<${v.decoration}>${v.deleted ? '(deleted)' : ''}`;
    case 'comment':
      return v.value ? `${valueText(v.value)} /* ${v.comment} */` : `/* ${v.comment} */`;
    case 'indexed':
      return `[${v.index}]=${valueText(v.value)}`;
    case 'named':
      return `${v.name}=${valueText(v.value)}`;
  }
}

/** Field of a struct value by name (looks through `changed`: the entry value first). */
export function structField(v: Value | undefined, name: string): Value | undefined {
  if (!v) return undefined;
  if (v.t === 'changed') return structField(v.before, name) ?? structField(v.after, name);
  if (v.t === 'struct') return v.fields.find((f) => f.name === name)?.value;
  return undefined;
}

/** Names in a flags value (`A|B|0x10` -> ['A', 'B', '0x10']); a lone ident gives one name. */
export function flagNames(v: Value | undefined): string[] {
  if (!v) return [];
  if (v.t === 'named') return flagNames(v.value);
  if (v.t === 'flags') return v.parts.flatMap(flagNames);
  if (v.t === 'ident' || v.t === 'int' || v.t === 'expr') return [v.text];
  if (v.t === 'comment' && v.value) return flagNames(v.value);
  return [];
}
