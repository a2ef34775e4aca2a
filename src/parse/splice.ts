/**
 * When strace and the traced program share one stream (`strace -f prog > log 2>&1`), a write to
 * stdout/stderr puts the program's bytes right inside strace's line: `write(1, "vm\n", 3vm` + `) = 3`.
 * For writes the split point is exact: the data lands right after the last argument, an integer
 * (the byte count, or pwrite's offset).
 */
import { splitTopLevel } from './scan.js';
import { parseValue } from './values.js';

/** Writes whose data can land in the same stream as the trace (stdout, stderr). */
export const STD_WRITE = /^(write|pwrite64|writev|pwritev2?)$/;

export function isStdWrite(name: string, argsText: string): boolean {
  return STD_WRITE.test(name) && (argsText.startsWith('1,') || argsText.startsWith('2,') || argsText.startsWith('1<') || argsText.startsWith('2<'));
}

/**
 * Splits `argsRegion` (everything after `name(` up to where strace resumed printing) into the real
 * argument text and the program output glued after it; null when nothing follows the last argument.
 */
export function splitProgramOutput(argsRegion: string): { args: string; output: string } | null {
  const parts = splitTopLevel(argsRegion);
  if (parts.length < 2) return null;
  const last = parts[parts.length - 1];
  const digits = /^\d+/.exec(last);
  if (!digits) return null;
  let countText = digits[0];
  // The output may itself start with digits: the count of an untruncated buffer is its length.
  const data = parseValue(parts[1].trim());
  if (data.t === 'str' && !data.truncated) {
    const expected = String(data.bytes.length);
    if (countText.startsWith(expected)) countText = expected;
  }
  const output = last.slice(countText.length);
  if (output === '') return null;
  return { args: argsRegion.slice(0, argsRegion.length - output.length), output };
}
