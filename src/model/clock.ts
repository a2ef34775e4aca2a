/**
 * Turns the timestamps of successive lines into one monotonic-ish time axis.
 * `-t`/`-tt` print local time without a date: a time more than 12 hours earlier than the previous one
 * means midnight passed. `-ttt` and `--absolute-timestamps=format:unix` count from the epoch. `-r` alone
 * gives deltas between lines, summed here into time since the first line.
 */
import type { Prefix } from '../parse/types.js';
import type { Moment, TimeBase } from './types.js';

/**
 * Log order of two moments: by line within one file (a joined call's entry line comes before lines
 * applied earlier), by time across files when both have one, else by the order events were applied.
 */
export function compareMoments(a: Moment, b: Moment): number {
  if (a.file === b.file && a.line !== b.line) return a.line - b.line;
  if (a.file !== b.file && a.time !== undefined && b.time !== undefined && a.time !== b.time) return a.time - b.time;
  return a.seq - b.seq;
}

const DAY = 86_400;
const HALF_DAY = DAY / 2;

export class LogClock {
  base: TimeBase = 'none';
  private dayOffset = 0;
  private lastClock: number | undefined;
  private relativeSum = 0;

  /** The time of a line on the log's axis, or undefined when the line has no timestamp. */
  timeOf(prefix: Prefix): number | undefined {
    const raw = prefix.timeSec;
    if (raw !== undefined) {
      if (prefix.timeIsEpoch) {
        this.base = 'epoch';
        return raw;
      }
      this.base = 'midnight';
      return this.wallClock(raw);
    }
    if (prefix.relativeSec !== undefined) {
      if (this.base === 'none') this.base = 'relative';
      this.relativeSum += prefix.relativeSec;
      return this.base === 'relative' ? this.relativeSum : undefined;
    }
    return undefined;
  }

  /**
   * A time since midnight. Joined calls carry their entry time, which can lie slightly before the
   * previous line's: only a jump back of more than 12 hours is a new day, and a jump forward of more
   * than 12 hours is an entry from before the last midnight.
   */
  private wallClock(raw: number): number {
    const last = this.lastClock;
    if (last === undefined) {
      this.lastClock = raw;
      return raw;
    }
    if (raw < last - HALF_DAY) {
      this.dayOffset += DAY;
      this.lastClock = raw;
      return raw + this.dayOffset;
    }
    if (raw > last + HALF_DAY) return raw + this.dayOffset - DAY;
    if (raw > last) this.lastClock = raw;
    return raw + this.dayOffset;
  }
}
