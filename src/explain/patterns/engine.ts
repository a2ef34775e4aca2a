/**
 * Runs the pattern recognizers over the explained stream and decides when events may leave.
 *
 * A recognizer opens a candidate at the first line an idiom could start with, adds steps as later
 * lines fit, and confirms or drops it. While a candidate is open and unconfirmed the engine holds
 * events back from its first line on (every thread's, to keep log order), so the pattern header can be
 * printed above the line where the idiom starts. The hold is bounded: past MAX_HOLD events the oldest
 * leave anyway, and a candidate older than MAX_AGE events is dropped. A late confirmation then puts
 * the header on its earliest step still held, or on the confirming line.
 */
import type { ExplainedEvent, PatternMatch, PatternRole } from '../types.js';
import type { ExplainContext } from '../context.js';

export const MAX_HOLD = 256;
const MAX_AGE = 2048;

export interface Step {
  /** The event, until the candidate is confirmed: confirmed idioms can stay open a long time (a child
   * not yet reaped, a pipe whose execs are still to come) and must not keep every step's event alive. */
  item: ExplainedEvent | undefined;
  seq: number;
  line: number;
  role: string;
}

export class Candidate {
  /** Pattern id; a recognizer may refine it before confirming (dynamic vs static start-up). */
  id: string;
  readonly tid: number | undefined;
  readonly steps: Step[] = [];
  match?: PatternMatch;
  /** Recognizer-private notes (addresses, counters). */
  readonly data: Record<string, unknown> = {};
  closed = false;

  constructor(id: string, tid: number | undefined) {
    this.id = id;
    this.tid = tid;
  }

  get startSeq(): number {
    return this.steps[0]?.seq ?? Number.MAX_SAFE_INTEGER;
  }

  hasLine(line: number): boolean {
    return this.steps.some((s) => s.line === line);
  }
}

export interface PatternApi {
  /** Sequence number of the event being fed. */
  readonly seq: number;
  open(id: string, tid: number | undefined, item: ExplainedEvent, role: string): Candidate;
  step(candidate: Candidate, item: ExplainedEvent, role: string): void;
  /** Names the idiom. `lines`: extra lines outside the held stream (an earlier fork, an install). */
  confirm(candidate: Candidate, title: string, summary: string, lines?: number[]): PatternMatch;
  /** The candidate ends: confirmed ones stop growing, unconfirmed ones are forgotten. */
  close(candidate: Candidate): void;
}

export interface Recognizer {
  readonly id: string;
  /**
   * Event keys (syscall names; `signal`, `exit`, `killed` for other kinds) that can start or advance
   * this idiom. While `busy()` is false the recognizer is fed only events with these keys; without
   * triggers it sees every event.
   */
  readonly triggers?: ReadonlySet<string>;
  /** True while it follows something (a candidate, a child) and so must see every event; asked after each feed. */
  busy?(): boolean;
  /** Sees every explained event in log order (after its explanation was made). */
  feed(item: ExplainedEvent, api: PatternApi, ctx: ExplainContext): void;
  /** End of the log: confirm what can be, forget the rest. */
  end?(api: PatternApi, ctx: ExplainContext): void;
}

/**
 * A recognizer that follows at most one candidate per thread, started by one of its triggers: busy
 * while any thread has one running.
 */
export abstract class PerThreadRecognizer implements Recognizer {
  abstract readonly id: string;
  abstract readonly triggers: ReadonlySet<string>;
  protected readonly running = new Map<number, Candidate>();

  busy(): boolean {
    return this.running.size > 0;
  }

  abstract feed(item: ExplainedEvent, api: PatternApi, ctx: ExplainContext): void;
}

export class PatternEngine implements PatternApi {
  private readonly recognizers: readonly Recognizer[];
  /** Events held back, oldest first, from index heldStart on (a queue without shifting per event). */
  private held: ExplainedEvent[] = [];
  private heldStart = 0;
  private readonly open_ = new Set<Candidate>();
  /** The open candidates not yet confirmed: only these hold events back. */
  private readonly unconfirmed = new Set<Candidate>();
  private readonly counts = new Map<string, number>();
  private current: ExplainedEvent | undefined;
  private nextSeq = 0;
  /** Every match, for the summary: id -> count and first lines. */
  readonly seen = new Map<string, { title: string; count: number; firstLines: number[] }>();

  /** Per event key, a bit per recognizer it triggers; recognizers without triggers are in `always`. */
  private readonly triggerBits = new Map<string, number>();
  private always = 0;
  /** A bit per recognizer that said it is busy after its last feed. */
  private busyBits = 0;

  constructor(recognizers: readonly Recognizer[]) {
    if (recognizers.length > 30) throw new Error('PatternEngine: at most 30 recognizers (one bit each)');
    this.recognizers = recognizers;
    recognizers.forEach((r, i) => {
      if (r.triggers === undefined) this.always |= 1 << i;
      else for (const key of r.triggers) this.triggerBits.set(key, (this.triggerBits.get(key) ?? 0) | (1 << i));
    });
  }

  get seq(): number {
    return this.nextSeq - 1;
  }

  push(item: ExplainedEvent, ctx: ExplainContext): ExplainedEvent[] {
    const seq = this.nextSeq++;
    item.seq = seq; // on the item itself: a WeakMap entry per event was a large share of GC time
    this.current = item;
    const e = item.event;
    // Most events trigger no recognizer and none is busy: they are looked at by none. A recognizer's
    // busy state changes only while it is fed, so it is asked after each feed, not per event.
    let wanted = this.always | this.busyBits | (this.triggerBits.get(e.kind === 'syscall' ? e.name : e.kind) ?? 0);
    const recognizers = this.recognizers;
    for (let i = 0; wanted !== 0; i++, wanted >>>= 1) {
      if ((wanted & 1) === 0) continue;
      const r = recognizers[i];
      r.feed(item, this, ctx);
      if (r.busy !== undefined) this.busyBits = r.busy() ? this.busyBits | (1 << i) : this.busyBits & ~(1 << i);
    }
    this.current = undefined;
    // Fast path: nothing held and nothing being recognised, so this event leaves at once. (A
    // candidate opened and confirmed within these feeds already put its header on this item.)
    if (this.held.length === this.heldStart && this.unconfirmed.size === 0) return [item];
    this.held.push(item);
    return this.release(false);
  }

  end(ctx: ExplainContext): ExplainedEvent[] {
    for (const r of this.recognizers) r.end?.(this, ctx);
    for (const c of [...this.open_]) this.close(c);
    return this.release(true);
  }

  open(id: string, tid: number | undefined, item: ExplainedEvent, role: string): Candidate {
    const c = new Candidate(id, tid);
    c.steps.push({ item, seq: item.seq ?? this.seq, line: item.event.line, role });
    this.open_.add(c);
    this.unconfirmed.add(c);
    return c;
  }

  step(candidate: Candidate, item: ExplainedEvent, role: string): void {
    if (candidate.closed) return;
    const seq = item.seq ?? this.seq;
    if (candidate.steps.some((s) => s.seq === seq)) return;
    const m = candidate.match;
    candidate.steps.push({ item: m ? undefined : item, seq, line: item.event.line, role });
    if (m) {
      addRole(item, { key: m.key, id: m.id, role });
      insertSorted(m.lines, item.event.line);
    }
  }

  confirm(candidate: Candidate, title: string, summary: string, lines: number[] = []): PatternMatch {
    if (candidate.match) {
      candidate.match.title = title;
      candidate.match.summary = summary;
      return candidate.match;
    }
    const n = (this.counts.get(candidate.id) ?? 0) + 1;
    this.counts.set(candidate.id, n);
    const all = new Set<number>(lines);
    for (const s of candidate.steps) all.add(s.line);
    const match: PatternMatch = {
      id: candidate.id,
      key: `${candidate.id}#${n}`,
      title,
      summary,
      ...(candidate.tid === undefined ? {} : { tid: candidate.tid }),
      lines: [...all].sort((a, b) => a - b),
    };
    candidate.match = match;
    this.unconfirmed.delete(candidate); // confirmed: it no longer holds events back
    for (const s of candidate.steps) if (s.item) addRole(s.item, { key: match.key, id: match.id, role: s.role });
    const home = candidate.steps.find((s) => s.item !== undefined && this.isHeld(s.item))?.item ?? this.current ?? candidate.steps[candidate.steps.length - 1].item!;
    home.patternsStarting = home.patternsStarting.length === 0 ? [match] : [...home.patternsStarting, match];
    for (const s of candidate.steps) s.item = undefined; // headers and roles are placed: let the events go
    const seen = this.seen.get(match.id) ?? { title, count: 0, firstLines: [] };
    seen.count++;
    if (seen.firstLines.length < 5) seen.firstLines.push(match.lines[0]);
    this.seen.set(match.id, seen);
    return match;
  }

  close(candidate: Candidate): void {
    candidate.closed = true;
    this.open_.delete(candidate);
    this.unconfirmed.delete(candidate);
  }

  private isHeld(item: ExplainedEvent): boolean {
    const seq = item.seq;
    return seq !== undefined && this.held.length > this.heldStart && seq >= this.held[this.heldStart].seq!;
  }

  private release(all: boolean): ExplainedEvent[] {
    let limit = Number.MAX_SAFE_INTEGER;
    if (!all) {
      for (const c of this.unconfirmed) {
        if (this.seq - c.startSeq > MAX_AGE) {
          this.close(c);
          continue;
        }
        limit = Math.min(limit, c.startSeq);
      }
    }
    const held = this.held;
    const start = this.heldStart;
    let end = start;
    while (end < held.length && (all || held[end].seq! < limit || held.length - end > MAX_HOLD)) end++;
    if (end === start) return [];
    const out = held.slice(start, end);
    if (end === held.length) {
      this.held = [];
      this.heldStart = 0;
    } else if (end >= 4 * MAX_HOLD) {
      this.held = held.slice(end); // drop what has left, now and then
      this.heldStart = 0;
    } else {
      this.heldStart = end;
    }
    return out;
  }
}

/** Items start with the shared frozen empty array (most events are part of no idiom): copy on write. */
function addRole(item: ExplainedEvent, role: PatternRole): void {
  item.partOf = item.partOf.length === 0 ? [role] : [...item.partOf, role];
}

function insertSorted(lines: number[], line: number): void {
  if (lines.includes(line)) return;
  let i = lines.length;
  while (i > 0 && lines[i - 1] > line) i--;
  lines.splice(i, 0, line);
}
