/**
 * Process IDs as text: decimal digits only, 1 to PID_MAX. One definition for every place a PID is
 * read (command-line arguments, strace log prefixes, -ff file names), so `0x10`, `1e3`, ` 123`,
 * `+123`, `123.0` and 20-digit numbers never become a PID through Number()'s leniency.
 */

/**
 * The upper bound: PID_MAX_LIMIT (2^22 on 64-bit), the largest value /proc/sys/kernel/pid_max takes.
 * PIDs are below pid_max, so this one never exists; accepting it keeps `pid_max` itself a valid
 * "no such process" argument on every machine.
 */
export const PID_MAX = 4_194_304;

/** Why `text` is not a PID, or undefined when it is one. */
export function pidTextProblem(text: string): string | undefined {
  if (isPlainPid(text)) return undefined;
  if (text.length === 0) return 'it is empty';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return 'use decimal digits only';
  }
  // Compare as text first: Number() of a 25-digit string loses digits (and prints as 1e+24).
  const digits = text.replace(/^0+(?=\d)/, '');
  if (digits.length > String(PID_MAX).length || Number(digits) > PID_MAX) return `above the largest possible PID, ${PID_MAX}`;
  if (Number(digits) === 0) return 'PIDs start at 1';
  if (digits.length !== text.length) return 'no leading zeros';
  return undefined;
}

/**
 * The common case by character codes: 1 to 7 digits, no leading zero, at most PID_MAX. Every line of
 * a log checks its pid here: the general path (a regex per call) made parsing 8% slower (40 MB process-heavy log, CPU time).
 */
function isPlainPid(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 7) return false;
  let value = text.charCodeAt(0) - 48;
  if (value < 1 || value > 9) return false;
  for (let i = 1; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    value = value * 10 + d;
  }
  return value <= PID_MAX;
}

/** The PID `text` names, or undefined when it is not a valid PID. */
export function pidFromText(text: string): number | undefined {
  return pidTextProblem(text) === undefined ? Number(text) : undefined;
}

/** True for an integer in 1..PID_MAX (a PID read from elsewhere, e.g. a parsed log). */
export function isPid(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= PID_MAX;
}
