/**
 * The return section after ` = `, in strace's fixed order:
 *   VALUE[<decoration>] [ERRNO] [(strerror)] [(auxstr)...] [(INJECTED...)|(DELAYED)] [<unavailable>] [<duration>]
 * e.g. `-1 ENOENT (No such file or directory)`, `3</etc/ld.so.cache>`, `? ERESTARTSYS (To be restarted
 * if SA_RESTART is set)`, `0x8002 (flags O_RDWR|O_LARGEFILE)`, `0 (DELAYED)`, `3 <0.000015>`.
 */
import type { ReturnValue } from './types.js';
import { skipDecoration, matchBracket } from './scan.js';
import { SPACE } from './chars.js';

export interface ParsedReturn {
  ret: ReturnValue;
  durationSec?: number;
}

/** Parses the text after `= `. Never throws; anything unrecognised is kept in `aux`. */
export function parseReturn(text: string): ParsedReturn {
  let end = text.length;
  let durationSec: number | undefined;
  // `-T` duration is always last: ` <0.000015>`.
  if (text.charCodeAt(end - 1) === 62 /* > */) {
    const lt = text.lastIndexOf(' <');
    if (lt >= 0 && isNumber(text, lt + 2, end - 1)) {
      durationSec = Number(text.slice(lt + 2, end - 1));
      end = lt;
    }
  }
  const body = end === text.length ? text : text.slice(0, end);
  const ret: ReturnValue = { raw: body, value: '', aux: NO_AUX };

  // Value token, possibly with a decoration glued to it.
  let i = 0;
  const n = body.length;
  while (i < n) {
    const c = body.charCodeAt(i);
    if (c === SPACE || c === 60 /* < */) break;
    i++;
  }
  ret.value = body.slice(0, i);
  if (body.charCodeAt(i) === 60 && i > 0) {
    const close = skipDecoration(body, i);
    if (close > 0) {
      ret.decoration = body.slice(i + 1, close);
      i = close + 1;
    }
  }

  let sawErrno = false;
  while (i < n) {
    while (body.charCodeAt(i) === SPACE) i++;
    if (i >= n) break;
    const c = body.charCodeAt(i);
    if (c === 40 /* ( */) {
      const close = matchBracket(body, i);
      const inner = close > 0 ? body.slice(i + 1, close) : body.slice(i + 1);
      classifyParen(ret, inner, sawErrno);
      if (sawErrno && ret.errnoText === undefined) ret.errnoText = inner;
      sawErrno = false;
      i = close > 0 ? close + 1 : n;
      continue;
    }
    let j = i;
    while (j < n && body.charCodeAt(j) !== SPACE) j++;
    const word = body.slice(i, j);
    if (word === '<unavailable>') {
      ret.unavailable = true;
    } else if (ret.errno === undefined && isErrnoName(word)) {
      ret.errno = word;
      sawErrno = true;
    } else {
      addAux(ret, word);
    }
    i = j;
  }
  return durationSec === undefined ? { ret } : { ret, durationSec };
}

function classifyParen(ret: ReturnValue, inner: string, afterErrno: boolean): void {
  if (afterErrno && ret.errnoText === undefined) return; // the strerror text, set by the caller
  if (inner === 'INJECTED' || inner.startsWith('INJECTED:')) {
    ret.injected = true;
  } else if (inner === 'DELAYED') {
    ret.delayed = true;
  } else if (ret.errno === undefined && /^errno \d+$/.test(inner)) {
    ret.errno = inner; // unknown errno number: `-1 (errno 531)`
  } else {
    addAux(ret, inner);
  }
}

/** Most returns have no annotations: they share one frozen empty list. */
const NO_AUX: string[] = Object.freeze([]) as unknown as string[];

function addAux(ret: ReturnValue, text: string): void {
  if (ret.aux === NO_AUX) ret.aux = [];
  ret.aux.push(text);
}

/** `ENOENT`, `ERESTART_RESTARTBLOCK`: E followed by capitals, digits, underscores. */
function isErrnoName(word: string): boolean {
  if (word.charCodeAt(0) !== 69 || word.length < 2) return false;
  for (let i = 1; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

/** Digits with at most one dot, between `from` and `to`. */
function isNumber(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) dots++;
    else if (c < 48 || c > 57) return false;
  }
  return dots <= 1;
}
