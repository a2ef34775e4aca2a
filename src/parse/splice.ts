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

/**
 * Whether an argument as printed is something strace prints (a number, NULL, a string, a struct or
 * array, a flag word, `name=value`...), rather than words of the program's output: output glued to
 * an opener must not be taken for arguments.
 */
export function isStraceValue(text: string): boolean {
  const v = parseValue(text);
  switch (v.t) {
    case 'expr':
      return false;
    case 'ident':
      // strace's symbols are upper case with `_` (AT_FDCWD, FUTEX_WAIT) or signal names; `OK`, `Done` are words.
      return /^(?:[A-Z][A-Z0-9]*_[A-Z0-9_]*|SIG[A-Z0-9]+|[A-Z]+_)$/.test(v.text);
    case 'call':
      // htons(80), inet_addr("..."), makedev(0x1, 0x3), _IOC(...): lower case or `_` names.
      return /^(?:[a-z][a-z0-9_]*|_[A-Za-z0-9_]+)$/.test(v.fn);
    default:
      return true;
  }
}

/**
 * An opener left open with no `<unfinished ...>` (no -f: strace waits for the call to return) that the
 * program's output, or typed input echoed by the terminal, was glued to: `wait4(12730, Running tests`,
 * `read(0, file1.txt`. strace stops printing at an argument boundary (`, `), so its part is the
 * leading arguments that look like strace's; the rest is the output. Null when nothing fits.
 */
export function splitOpenerOutput(argsRegion: string): { args: string; output: string } | null {
  const parts = splitTopLevel(argsRegion);
  if (parts.length < 2 || !isStraceValue(parts[0])) return null;
  let keep = 1;
  while (keep < parts.length - 1 && isStraceValue(parts[keep])) keep++;
  let length = 0;
  for (let i = 0; i < keep; i++) length += parts[i].length + 2;
  return { args: argsRegion.slice(0, length), output: argsRegion.slice(length) };
}
