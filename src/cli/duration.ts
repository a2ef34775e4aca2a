/** Durations on the command line: `10s`, `500ms`, `2m`, `1.5s`; a bare number is seconds. */
import { InvalidArgumentError } from 'commander';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Milliseconds, or a usage error naming the option. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2] ?? 's'] : NaN;
  if (!Number.isFinite(ms) || ms <= 0 || ms > 24 * 3600_000) throw new InvalidArgumentError(`${option} must be a duration like 10s, 500ms or 2m`);
  return Math.round(ms);
}
