/**
 * The line prefix strace prints before a body, fields always in this order (strace's printleader):
 *   [PID] [SECONTEXT] [ABS-TIME] [REL-TIME] [SCNO] [IP] BODY
 * Each field is optional. Parsing is by character codes on the hot path: no regular expressions.
 */
import type { Prefix } from './types.js';
import { pidTextProblem } from '../pid.js';
import { COLON, DOT, LBRACKET, LPAREN, LT, PLUS, RBRACKET, SPACE, isDigit, isHexDigit } from './chars.js';

export { isDigit } from './chars.js';

/** Result of reading a prefix: the fields found and where the body starts. */
export interface PrefixResult {
  prefix: Prefix;
  body: number;
  /** Set when the line starts with a pid field whose number no process can have (0, 99999999999): why. */
  badPid?: string;
}

/** A pid field that is out of range: the line is not trusted at all (a pid 0 made bogus roots). */
function rejectPid(text: string): PrefixResult | undefined {
  const problem = pidTextProblem(text);
  return problem === undefined ? undefined : { prefix: {}, body: 0, badPid: `pid field ${text.length > 24 ? `${text.slice(0, 24)}...` : text} is not a process ID (${problem})` };
}

/** -ttt epoch seconds are > 1e8; -r deltas never are. This tells `1795576266.528656` from `0.000246`. */
const EPOCH_THRESHOLD = 1e8;

/**
 * Reads the prefix of `line`. Never throws: a field that does not parse simply ends the prefix and
 * the rest is treated as the body (which the body parser may then call unknown).
 */
export function parsePrefix(line: string): PrefixResult {
  const prefix: Prefix = {};
  let i = 0;
  const n = line.length;
  let c = line.charCodeAt(0);

  // 1. pid: `[pid  123] ` (stderr) or `123 ` / `123<comm> ` (-o). A bare number is a pid only when
  // followed by a space or `<`: `03:11:06` and `1795576266.528` are times.
  if (c === LBRACKET && line.startsWith('[pid ', 0)) {
    let j = 5;
    while (j < n && line.charCodeAt(j) === SPACE) j++;
    const start = j;
    while (j < n && isDigit(line.charCodeAt(j))) j++;
    if (j > start) {
      const rejected = rejectPid(line.slice(start, j));
      if (rejected) return rejected;
      const pid = Number(line.slice(start, j));
      let k = j;
      let comm: string | undefined;
      if (line.charCodeAt(k) === LT) {
        const close = findCommEnd(line, k, RBRACKET);
        if (close > 0) {
          comm = line.slice(k + 1, close);
          k = close + 1;
        }
      }
      if (line.charCodeAt(k) === RBRACKET) {
        prefix.pid = pid;
        prefix.pidSource = 'prefix';
        if (comm !== undefined) prefix.comm = comm;
        i = k + 1;
        while (i < n && line.charCodeAt(i) === SPACE) i++;
      }
    }
  } else if (isDigit(c)) {
    let j = 1;
    while (j < n && isDigit(line.charCodeAt(j))) j++;
    const after = line.charCodeAt(j);
    if (after === SPACE || after === LT) {
      const rejected = rejectPid(line.slice(0, j));
      if (rejected) return rejected;
    }
    if (after === SPACE) {
      prefix.pid = Number(line.slice(0, j));
      prefix.pidSource = 'prefix';
      i = j;
      while (i < n && line.charCodeAt(i) === SPACE) i++;
    } else if (after === LT) {
      const close = findCommEnd(line, j, SPACE);
      if (close > 0) {
        prefix.pid = Number(line.slice(0, j));
        prefix.pidSource = 'prefix';
        prefix.comm = line.slice(j + 1, close);
        i = close + 1;
        while (i < n && line.charCodeAt(i) === SPACE) i++;
      }
    }
  }

  // 2. SELinux context `[ctx] `: a bracket whose content is neither a syscall number nor an address.
  c = line.charCodeAt(i);
  if (c === LBRACKET && !looksLikeScnoOrIp(line, i)) {
    const close = line.indexOf('] ', i);
    if (close > 0 && !line.startsWith('[ Process PID=', i)) {
      prefix.secontext = line.slice(i + 1, close);
      i = close + 2;
    }
  }

  // 3. absolute time: HH:MM:SS[.frac] or epoch secs.frac; 4. relative time `(+ d.ddd)` or alone.
  c = line.charCodeAt(i);
  if (isDigit(c) || c === SPACE) {
    i = parseTimes(line, i, prefix);
  }
  // 5. -n `[ 257] ` / `[???] `; 6. -i `[00007f...] ` / `[????????????????] `.
  c = line.charCodeAt(i);
  if (c === LBRACKET) i = parseBracketFields(line, i, prefix);
  return { prefix, body: i };
}

/** End of a `<comm>` decoration: the `>` that is followed by `terminator`. comm may contain `>`. */
function findCommEnd(line: string, lt: number, terminator: number): number {
  let k = line.indexOf('>', lt + 1);
  while (k > 0) {
    if (line.charCodeAt(k + 1) === terminator) return k;
    k = line.indexOf('>', k + 1);
  }
  return -1;
}

function looksLikeScnoOrIp(line: string, i: number): boolean {
  const close = line.indexOf(']', i);
  if (close < 0) return false;
  for (let k = i + 1; k < close; k++) {
    const c = line.charCodeAt(k);
    if (!(isHexDigit(c) || c === SPACE || c === 63 /* ? */)) return false;
  }
  return close > i + 1;
}

function parseTimes(line: string, start: number, prefix: Prefix): number {
  const n = line.length;
  let i = start;
  while (i < n && line.charCodeAt(i) === SPACE) i++;
  const numStart = i;
  while (i < n && isDigit(line.charCodeAt(i))) i++;
  if (i === numStart) return start;
  const c = line.charCodeAt(i);
  if (c === COLON) {
    // HH:MM:SS[.frac]
    const t = parseClock(line, numStart);
    if (t === null) return start;
    prefix.time = line.slice(numStart, t.end);
    prefix.timeSec = t.seconds;
    prefix.timeIsEpoch = false;
    i = t.end;
    if (line.charCodeAt(i) !== SPACE) return start;
    i++;
    return parseRelativeAfterAbsolute(line, i, prefix);
  }
  let end = i;
  if (c === DOT) {
    end = i + 1;
    while (end < n && isDigit(line.charCodeAt(end))) end++;
  }
  if (line.charCodeAt(end) !== SPACE) return start;
  const text = line.slice(numStart, end);
  const value = Number(text);
  if (value >= EPOCH_THRESHOLD) {
    prefix.time = text;
    prefix.timeSec = value;
    prefix.timeIsEpoch = true;
    return parseRelativeAfterAbsolute(line, end + 1, prefix);
  }
  if (c !== DOT) return start; // a bare small integer here is not a field strace prints
  prefix.relativeSec = value;
  return end + 1;
}

/** `(+     0.000277) ` after an absolute time. */
function parseRelativeAfterAbsolute(line: string, i: number, prefix: Prefix): number {
  if (line.charCodeAt(i) !== LPAREN || line.charCodeAt(i + 1) !== PLUS) return i;
  const close = line.indexOf(') ', i);
  if (close < 0) return i;
  const value = Number(line.slice(i + 2, close));
  if (!Number.isFinite(value)) return i;
  prefix.relativeSec = value;
  return close + 2;
}

/** `HH:MM:SS[.fraction]` by character codes (hot path: every line of a `-t`/`-tt` log). */
function parseClock(line: string, i: number): { seconds: number; end: number } | null {
  const d = (k: number): number => line.charCodeAt(k) - 48;
  let h = d(i);
  let k = i + 1;
  if (isDigit(line.charCodeAt(k))) h = h * 10 + d(k++);
  if (line.charCodeAt(k) !== COLON || !isDigit(line.charCodeAt(k + 1)) || !isDigit(line.charCodeAt(k + 2)) || line.charCodeAt(k + 3) !== COLON) return null;
  const m = d(k + 1) * 10 + d(k + 2);
  if (!isDigit(line.charCodeAt(k + 4)) || !isDigit(line.charCodeAt(k + 5))) return null;
  const sec = d(k + 4) * 10 + d(k + 5);
  k += 6;
  let seconds = h * 3600 + m * 60 + sec;
  if (line.charCodeAt(k) === DOT && isDigit(line.charCodeAt(k + 1))) {
    let frac = 0;
    let scale = 1;
    k++;
    while (isDigit(line.charCodeAt(k))) {
      frac = frac * 10 + d(k++);
      scale *= 10;
    }
    seconds += frac / scale;
  }
  return { seconds, end: k };
}

function parseBracketFields(line: string, i: number, prefix: Prefix): number {
  for (let field = 0; field < 2 && line.charCodeAt(i) === LBRACKET; field++) {
    const close = line.indexOf(']', i);
    if (close < 0 || line.charCodeAt(close + 1) !== SPACE) return i;
    const inner = line.slice(i + 1, close);
    if (/^[0-9a-f]{8}$|^[0-9a-f]{16}$/.test(inner)) {
      prefix.ip = inner; // -i; tested first: an address can be all digits, a syscall number is never 8+ wide
    } else if (/^\?{8}$|^\?{16}$/.test(inner)) {
      prefix.ip = null;
    } else if (/^ *\d+$/.test(inner) && prefix.scno === undefined && prefix.ip === undefined) {
      prefix.scno = Number(inner);
    } else if (inner === '???' && prefix.scno === undefined) {
      prefix.scno = null;
    } else {
      return i;
    }
    i = close + 2;
  }
  return i;
}
