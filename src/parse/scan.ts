/**
 * Quote- and decoration-aware scanning of strace bodies. strace escapes `"` and `\` inside strings
 * and `<`, `>` inside fd decorations, so a scanner that skips strings and balances decorations can
 * find structure without ever being fooled by data (`write(1, ") = 0\n<unfinished ...>", 20)`).
 */

const BACKSLASH = 92;
const QUOTE = 34;
const LT = 60;
const GT = 62;
const MINUS = 45;
const SPACE = 32;
const EQ = 61;

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

/** `[A-Za-z0-9_]`. */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
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
ARGS_STRUCTURAL[44] = 1;
ARGS_STRUCTURAL[47] = 1;

const MAX_BREAKS = 64;
/** Top-level `, ` offsets (from `start`) seen by the last findArgsEnd; -1 when they cannot be trusted. */
const breaks = new Int32Array(MAX_BREAKS);
let breakCount = 0;
/** After a scan that found no close: how many of `breaks` an opener may use (-1: none). */
let openerCount = -1;
const NO_BREAKS: readonly number[] = Object.freeze([]);

/**
 * Finds the `)` that closes a syscall's arguments: at nesting depth 0 and followed by spaces and
 * `= `. Scans from `start` (just after the opening parenthesis, or after `resumed>`). Returns -1 when
 * the line has no such close (an unfinished call, a spliced line, or garbage).
 *
 * On the way it notes where top-level arguments end (`argBreaks` hands them out), so a consumer
 * splitting the arguments does not scan the line a second time.
 */
export function findArgsEnd(s: string, start: number): number {
  const n = s.length;
  let depth = 0;
  breakCount = 0;
  openerCount = -1;
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
    } else if (c === 44) {
      if (depth === 0 && breakCount >= 0 && s.charCodeAt(i + 1) === SPACE) {
        if (breakCount < MAX_BREAKS) breaks[breakCount++] = i - start;
        else breakCount = -1;
      }
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
      breakCount = -1; // only inside decorations that failed to balance: leave splitting to splitArgs
      i++; // keep escapes paired
    } else if (c === 47 && s.charCodeAt(i + 1) === 42) {
      // A /* comment */ (`/* 12 entries */`) is skipped whole, as splitTopLevel does.
      const end = s.indexOf('*/', i + 2);
      if (end > 0) i = end + 1;
      else breakCount = -1;
    }
  }
  // No close: an `<unfinished ...>` opener, probably. Its boundaries stay available to openerBreaks
  // when the scan ended outside any bracket.
  openerCount = depth === 0 ? breakCount : -1;
  breakCount = -1;
  return -1;
}

/**
 * After a findArgsEnd that found no close (the line of an `<unfinished ...>` opener): the top-level
 * `, ` offsets within its first `length` characters (the opener's argument text), or undefined.
 */
export function openerBreaks(length: number): readonly number[] | undefined {
  if (openerCount < 0) return undefined;
  const out: number[] = [];
  for (let i = 0; i < openerCount && breaks[i] + 1 < length; i++) out.push(breaks[i]);
  return out;
}

/**
 * The top-level argument boundaries the last successful findArgsEnd saw, as offsets from its start
 * (each the `,` of a `, `), or undefined when they cannot be trusted (a comment, an escape, too many).
 * Valid only until the next findArgsEnd call.
 */
export function argBreaks(): readonly number[] | undefined {
  if (breakCount < 0) return undefined;
  if (breakCount === 0) return NO_BREAKS;
  const out = new Array<number>(breakCount);
  for (let i = 0; i < breakCount; i++) out[i] = breaks[i];
  return out;
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
