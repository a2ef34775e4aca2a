/**
 * Quote- and decoration-aware scanning of strace bodies. strace escapes `"` and `\` inside strings
 * and `<`, `>` inside fd decorations, so a scanner that skips strings and balances decorations can
 * find structure without ever being fooled by data (`write(1, ") = 0\n<unfinished ...>", 20)`).
 */

import { BACKSLASH, COMMA, EQ, GT, LT, MINUS, QUOTE, SLASH, SPACE, STAR, isWordChar } from './chars.js';

export { isWordChar } from './chars.js';

/** Characters the argument scanner must look at: quotes, brackets, `<`, backslash. */
const STRUCTURAL = new Uint8Array(128);
for (const ch of '"()[]{}<\\') STRUCTURAL[ch.charCodeAt(0)] = 1;

/** Index of the quote that closes the string opened at `open`, or -1 when the line ends inside it. */
export function skipString(s: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let b = q - 1; b > open && s.charCodeAt(b) === BACKSLASH; b--) backslashes++;
    if ((backslashes & 1) === 0) return q;
    from = q + 1;
  }
}

/**
 * If `lt` opens an fd/pid decoration (`3</etc/passwd>`, `AT_FDCWD</tmp>`, `1</dev/null<char 1:3>>`,
 * `5<TCP:[1.2.3.4:5->6.7.8.9:10]>`), returns the index of its closing `>`; otherwise -1.
 * A decoration follows a word character directly; `a<<b` and ` <unfinished ...>` are not decorations.
 */
export function skipDecoration(s: string, lt: number): number {
  if (lt === 0 || !isWordChar(s.charCodeAt(lt - 1))) return -1;
  const next = s.charCodeAt(lt + 1);
  if (next === LT || next === EQ || next === SPACE || Number.isNaN(next)) return -1;
  let depth = 1;
  const n = s.length;
  for (let i = lt + 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 92 || (c !== BACKSLASH && c !== LT && c !== GT)) continue;
    if (c === BACKSLASH) {
      i++;
    } else if (c === LT) {
      depth++;
    } else if (s.charCodeAt(i - 1) !== MINUS) {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

/** The argument scan also stops at `,` (to note argument boundaries) and `/` (a comment). */
const ARGS_STRUCTURAL = STRUCTURAL.slice();
ARGS_STRUCTURAL[COMMA] = 1;
ARGS_STRUCTURAL[SLASH] = 1;

const MAX_BREAKS = 64;
const NO_BREAKS: readonly number[] = Object.freeze([]);

/**
 * Where the top-level arguments of one scanned call break: the caller owns one and hands it to
 * findArgsEnd, which fills it (one per parser, reused line after line: no allocation per line).
 */
export class ArgBoundaries {
  /** Offsets (from the scan's start) of the `,` of each top-level `, `. */
  private readonly offsets = new Int32Array(MAX_BREAKS);
  /** How many offsets a scan that found the close noted; -1 when they cannot be trusted. */
  private count = 0;
  /** After a scan that found no close: how many offsets an opener may use (-1: none). */
  private openerCount = -1;

  /** Called by findArgsEnd as it starts. */
  reset(): void {
    this.count = 0;
    this.openerCount = -1;
  }

  /** A top-level `, ` at `offset`; past MAX_BREAKS the boundaries are given up. */
  note(offset: number): void {
    if (this.count < 0) return;
    if (this.count < MAX_BREAKS) this.offsets[this.count++] = offset;
    else this.count = -1;
  }

  /** The scan met something (an escape, an unclosed comment) that makes its boundaries untrustworthy. */
  distrust(): void {
    this.count = -1;
  }

  /** The scan ended without a close; `balanced`: outside any bracket, so an opener may use them. */
  endedOpen(balanced: boolean): void {
    this.openerCount = balanced ? this.count : -1;
    this.count = -1;
  }

  /**
   * The boundaries of a scan that found the close, or undefined when they cannot be trusted
   * (a comment, an escape, too many). Valid until the next scan into this object.
   */
  argBreaks(): readonly number[] | undefined {
    const count = this.count;
    if (count < 0) return undefined;
    if (count === 0) return NO_BREAKS;
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = this.offsets[i];
    return out;
  }

  /**
   * After a scan that found no close (the line of an `<unfinished ...>` opener): the boundaries within
   * its first `length` characters (the opener's argument text), or undefined.
   */
  openerBreaks(length: number): readonly number[] | undefined {
    if (this.openerCount < 0) return undefined;
    const out: number[] = [];
    for (let i = 0; i < this.openerCount && this.offsets[i] + 1 < length; i++) out.push(this.offsets[i]);
    return out;
  }
}

/**
 * Finds the `)` that closes a syscall's arguments: at nesting depth 0 and followed by spaces and
 * `= `. Scans from `start` (just after the opening parenthesis, or after `resumed>`). Returns -1 when
 * the line has no such close (an unfinished call, a spliced line, or garbage).
 *
 * With `boundaries`, it also notes where top-level arguments end, so a consumer splitting the
 * arguments does not scan the line a second time.
 */
export function findArgsEnd(s: string, start: number, boundaries?: ArgBoundaries): number {
  const n = s.length;
  let depth = 0;
  boundaries?.reset();
  for (let i = start; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 125 || ARGS_STRUCTURAL[c] === 0) continue; // most characters: one table look-up
    if (c === QUOTE) {
      const close = skipString(s, i);
      if (close < 0) {
        depth = -1; // the line ends inside a string: nothing to keep for an opener either
        break;
      }
      i = close;
    } else if (c === COMMA) {
      if (depth === 0 && boundaries !== undefined && s.charCodeAt(i + 1) === SPACE) boundaries.note(i - start);
    } else if (c === 40 || c === 91 || c === 123) {
      depth++;
    } else if (c === 41) {
      if (depth === 0) {
        if (isReturnSeparator(s, i + 1)) return i;
      } else {
        depth--;
      }
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === LT) {
      const close = skipDecoration(s, i);
      if (close > 0) i = close;
    } else if (c === BACKSLASH) {
      boundaries?.distrust(); // only inside decorations that failed to balance: leave splitting to splitArgs
      i++; // keep escapes paired
    } else if (c === SLASH && s.charCodeAt(i + 1) === STAR) {
      // A /* comment */ (`/* 12 entries */`) is skipped whole, as splitTopLevel does.
      const end = s.indexOf('*/', i + 2);
      if (end > 0) i = end + 1;
      else boundaries?.distrust();
    }
  }
  // No close: an `<unfinished ...>` opener, probably. Its boundaries stay available to openerBreaks
  // when the scan ended outside any bracket.
  boundaries?.endedOpen(depth === 0);
  return -1;
}

/**
 * Fallback for text that other output was spliced into (unbalanced quotes from a program's own
 * output): the last `)` followed by a return separator.
 */
export function findArgsEndFromRight(s: string, start: number): number {
  for (let i = s.lastIndexOf(')'); i >= start; i = s.lastIndexOf(')', i - 1)) {
    if (isReturnSeparator(s, i + 1)) return i;
    if (i === 0) break;
  }
  return -1;
}

/** Whether `s` at `i` is ` = ` possibly with more padding spaces: the return separator. */
export function isReturnSeparator(s: string, i: number): boolean {
  if (s.charCodeAt(i) !== SPACE) return false;
  let j = i + 1;
  while (s.charCodeAt(j) === SPACE) j++;
  if (s.charCodeAt(j) !== EQ) return false;
  const after = s.charCodeAt(j + 1);
  return after === SPACE || Number.isNaN(after);
}

/** Index just past the `= ` of a separator that starts at `i` (the space after `)`). */
export function returnStart(s: string, i: number): number {
  let j = i;
  while (s.charCodeAt(j) === SPACE) j++;
  return j + 2;
}

/**
 * Index of `needle` in `s` at or after `from`, outside string literals and decorations; -1 if none.
 * Used for the rare cases (spliced diagnostics) where a plain indexOf could match inside data.
 */
export function indexOutsideStrings(s: string, needle: string, from = 0): number {
  let i = from;
  const n = s.length;
  while (i < n) {
    const hit = s.indexOf(needle, i);
    if (hit < 0) return -1;
    // Verify no string is open at `hit` by scanning the strings between i and hit.
    let j = i;
    let inside = false;
    while (j < hit) {
      const q = s.indexOf('"', j);
      if (q < 0 || q >= hit) break;
      const close = skipString(s, q);
      if (close < 0 || close > hit) {
        inside = true;
        j = close < 0 ? n : close + 1;
        break;
      }
      j = close + 1;
    }
    if (!inside) return hit;
    i = Math.max(j, hit + 1);
  }
  return -1;
}

/**
 * Walks `s` from `from`, skipping string literals and fd decorations,
 * and calls `visit(i, c, depth)` for every other character with the bracket depth after it (an opening
 * bracket counts itself, a closing one does not). Returns the index where `visit` returned true, or -1.
 * The per-line paths (findArgsEnd, splitTopLevel) keep their own loops; this serves rarer look-ups.
 */
function walkTopLevel(s: string, from: number, visit: (i: number, c: number, depth: number) => boolean): number {
  const n = s.length;
  let depth = 0;
  for (let i = from; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      const close = skipString(s, i);
      if (close < 0) return -1;
      i = close;
      continue;
    }
    if (c === LT) {
      const close = skipDecoration(s, i);
      if (close > 0) {
        i = close;
        continue;
      }
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
    if (visit(i, c, depth)) return i;
  }
  return -1;
}

/**
 * Splits `s` at top-level `sep` (default `, `), respecting strings, brackets, decorations and comments.
 * Its own loop rather than walkTopLevel: explanations split every call's arguments (a warm path).
 */
export function splitTopLevel(s: string, sep = ', '): string[] {
  const parts: string[] = [];
  const n = s.length;
  let depth = 0;
  let last = 0;
  const sep0 = sep.charCodeAt(0);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 125 || (STRUCTURAL[c] === 0 && c !== sep0 && c !== 47)) continue;
    if (c === QUOTE) {
      const close = skipString(s, i);
      if (close < 0) break;
      i = close;
    } else if (c === 40 || c === 91 || c === 123) {
      depth++;
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === LT) {
      const close = skipDecoration(s, i);
      if (close > 0) i = close;
    } else if (c === 47 && s.charCodeAt(i + 1) === 42) {
      const end = s.indexOf('*/', i + 2); // a /* comment */ may contain commas: skip it whole
      if (end > 0) i = end + 1;
    } else if (depth === 0 && c === sep0 && s.startsWith(sep, i)) {
      parts.push(s.slice(last, i));
      i += sep.length - 1;
      last = i + 1;
    }
  }
  parts.push(s.slice(last));
  return parts;
}

/** Index of the bracket that closes the one at `open` (`(`, `[`, `{`), respecting strings; -1 if none. */
export function matchBracket(s: string, open: number): number {
  return walkTopLevel(s, open, (i, c, depth) => i > open && depth === 0 && (c === 41 || c === 93 || c === 125));
}

/** Index of `needle` outside strings, decorations and brackets, or -1. */
export function topLevelIndexOf(s: string, needle: string): number {
  if (s.indexOf(needle) < 0) return -1;
  const first = needle.charCodeAt(0);
  return walkTopLevel(s, 0, (i, c, depth) => depth === 0 && c === first && s.startsWith(needle, i));
}
