/**
 * Repair of split lines: when strace and the traced program share one stream, or a `strace:` message
 * lands inside a line, a call's line arrives in pieces. A fragment is the first piece waiting for its
 * rest; a held write is a complete write to stdout/stderr kept back one line in case the program's
 * own output was glued to it. The parser drives the repair; these are its records and pure tests.
 */
import type { Prefix, TraceEvent } from './types.js';
import type { SyscallRecord } from './records.js';
import type { OpenCall } from './calls.js';
import { parsePrefix } from './prefix.js';
import { isNameStart, isWordChar } from './chars.js';

/** How many lines of other output or other tasks a split line waits through for its rest. */
export const MAX_PENDING_OUTPUT_LINES = 256;

/** The first half of a physical line that a diagnostic or program output split in two. */
export interface Fragment {
  text: string;
  line: number;
  /** Physical line numbers the text was spliced from. */
  lines: number[];
  raws: string[];
  /** Lines in between that were not strace syntax: program output that landed inside the line. */
  between: Array<{ line: number; raw: string }>;
  /** Why the line was split: a `strace:` message (the rest follows) or unknown (output, truncation). */
  cause: 'message' | 'open';
  /** The prefix as read when the first half arrived (the set of live tracees may change in between). */
  prefix: Prefix;
  /** Lines of other tasks that were handled while this one waited for its rest. */
  passed: number;
}

/** A write to stdout/stderr held back one line, in case the program's output was spliced into it. */
export interface HeldWrite {
  event: SyscallRecord;
  text: string;
  argsStart: number;
  /** Output already cut out of the line; replaced if the next line proves the cut was wrong. */
  output?: TraceEvent;
}

/** The call a fragment's text opens (`[pid 5] sigaltstack(NULL, `), or null when it is not a call. */
export function fragmentCall(fragment: Fragment): OpenCall | null {
  const text = fragment.text;
  const body = parsePrefix(text).body;
  if (!isNameStart(text.charCodeAt(body))) return null;
  let i = body + 1;
  while (isWordChar(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 40) return null;
  const call: OpenCall = { name: text.slice(body, i), argsText: text.slice(i + 1), prefix: fragment.prefix, line: fragment.line, raw: fragment.raws.join('\n') };
  if (fragment.lines.length > 1) call.lines = fragment.lines;
  return call;
}

/** Whether `line` is the rest of the split line `fragment`. */
export function continuesFragment(line: string, fragment: Fragment): boolean {
  // strace prints the rest of a line right after its own message: whatever comes next belongs to it.
  if (fragment.cause === 'message') return true;
  const c = line.charCodeAt(0);
  if (c === 41 /* ) */) return true;
  if (c !== 32) return false;
  // ` > frame` and ` | dump` are continuation lines of complete events, not the rest of a split line.
  const d = line.charCodeAt(1);
  return !((d === 62 || d === 124) && line.charCodeAt(2) === 32);
}

/**
 * Whether written bytes (one char per byte) hold `line` as one of their lines; a line may run past the
 * end of data strace truncated (`"..."...`). The line may come as UTF-8 text.
 */
export function holdsLine(bytes: string, truncated: boolean, line: string): boolean {
  // eslint-disable-next-line no-control-regex
  const asBytes = /[^\x00-\x7f]/.test(line) ? Buffer.from(line, 'utf8').toString('latin1') : line;
  const segments = bytes.split('\n');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === '' && i === segments.length - 1) break; // after the last newline
    if (segment === line || segment === asBytes) return true;
    if (truncated && i === segments.length - 1 && segment !== '' && (line.startsWith(segment) || asBytes.startsWith(segment))) return true;
  }
  return false;
}
