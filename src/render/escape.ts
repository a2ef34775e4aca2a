/**
 * The one escaping function for text that reaches a terminal. Untrusted text (comm names, argv,
 * paths, log lines, program output, symbol names) goes through `termSafe` where it enters a
 * renderer, before our own colour codes are added: a process named "\e]2;PWN\a" must not retitle the
 * window of the person running tasklens, and a bidi override must not reorder what they read.
 *
 * What is shown escaped (like `ps` shows `?`, but saying which byte it was):
 * - C0 controls, DEL and C1 controls (U+0080-U+009F: a UTF-8 terminal may act on U+009B as CSI):
 *   `\e` for ESC, `\n` `\r` `\t`, otherwise `\xNN`;
 * - Unicode format characters (bidi embeddings, overrides and isolates, zero-width space, BOM,
 *   invisible tags...), line and paragraph separators and lone surrogates: `\u{XXXX}`;
 * - bytes of a log that were not valid UTF-8 (kept by the line splitter as U+DC80..U+DCFF): `\xNN`,
 *   the byte itself.
 *   ZWJ and ZWNJ stay: they join emoji and Indic/Persian letters and move nothing.
 * Everything else, valid printable UTF-8 included, is kept as it is.
 */
import { escapedByte } from '../parse/lines.js';

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNSAFE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const KEPT = new Set([0x200c, 0x200d]);
const NAMED: Record<number, string> = { 0x1b: '\\e', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

function escapeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (KEPT.has(code)) return ch;
  const named = NAMED[code];
  if (named) return named;
  const byte = escapedByte(code);
  if (byte >= 0) return `\\x${byte.toString(16)}`;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** `text` with every control and dangerous format character shown visibly; safe to print. */
export function termSafe(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeChar) : text;
}

/** termSafe for text of several lines: line breaks stay, everything else is escaped. */
export function termSafeLines(text: string): string {
  return UNSAFE.test(text) ? text.split('\n').map(termSafe).join('\n') : text;
}

/**
 * JSON.stringify escapes C0 controls itself; this also writes C1 controls, format characters and
 * line separators as `\uXXXX`, so JSON printed on a terminal is inert while a parser gets the exact text.
 */
export function jsonSafe(json: string): string {
  return JSON_UNSAFE.test(json) ? json.replace(JSON_UNSAFE_ALL, jsonEscape) : json;
}

function jsonEscape(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

// Lone surrogates are already escaped by JSON.stringify; astral format characters (tags) are
// two UTF-16 units, each escaped, which JSON parsers join again.
const JSON_UNSAFE = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/u;
const JSON_UNSAFE_ALL = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;
