/**
 * Progress of reading logs, on one stderr line redrawn in place: bytes read of the total, MB/s and
 * time left. Shown only when stderr is a terminal, never with --json, and only once the work has
 * taken a second (a short run prints nothing); cleared when the reading ends, so nothing is left
 * between the output lines.
 *
 * One line redrawn rather than a progress-bar library: there is one number to show, no bars, no
 * multi-line layout, and the line must be erasable on any exit path; cli-progress (the
 * well-kept choice) would add a dependency for ~40 lines of code.
 */

/** The stream progress is drawn on; a TTY stream has isTTY and columns. */
import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

export interface ProgressOptions {
  /** Total bytes to read (the sizes of the files). */
  total: number;
  stream?: ProgressStream;
  /** Nothing is drawn before this many ms (default 1000). */
  delayMs?: number;
  /** Minimum ms between two redraws (default 200). */
  intervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export class ReadProgress {
  private readonly stream: ProgressStream;
  private readonly total: number;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly started: number;
  private read = 0;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.total = options.total;
    this.delayMs = options.delayMs ?? 1000;
    this.intervalMs = options.intervalMs ?? 200;
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
  }

  /**
   * Whether to show progress: stderr is a terminal, the output is not JSON, and stdout is not a pipe
   * (`explain LOG | less` must not have its screen drawn over). A verb that streams its output
   * (`streams`) shows none when stdout is the terminal too: the output itself shows the work going on.
   */
  static wanted(options: { json?: boolean; streams?: boolean; stderr?: ProgressStream; stdoutFd?: number } = {}): boolean {
    const stderr = options.stderr ?? process.stderr;
    if (stderr.isTTY !== true || options.json) return false;
    const fd = options.stdoutFd ?? 1;
    try {
      const stat = fstatSync(fd);
      if (stat.isFIFO() || stat.isSocket()) return false;
    } catch {
      return false;
    }
    return !(options.streams && isatty(fd));
  }

  /** Counts bytes read; redraws the line when due. */
  advance(bytes: number): void {
    this.read += bytes;
    const now = this.now();
    if (now - this.started < this.delayMs || now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    this.draw(now);
  }

  /** Erases the line (call before printing anything else to the terminal, and at the end). */
  clear(): void {
    if (!this.drawn) return;
    this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(now: number): void {
    const seconds = (now - this.started) / 1000;
    const rate = this.read / seconds;
    const share = this.total > 0 ? Math.min(1, this.read / this.total) : 0;
    const left = rate > 0 && this.total > this.read ? (this.total - this.read) / rate : 0;
    const text = `reading ${mb(this.read)} of ${mb(this.total)} MB (${Math.floor(share * 100)}%), ${mb(rate)} MB/s, ${duration(left)} left`;
    const width = this.stream.columns || 80; // a 0x0 terminal (script(1), some CI) reports 0 columns
    this.stream.write(`\r\x1b[2K${text.slice(0, Math.max(0, width - 1))}`);
    this.drawn = true;
  }
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0);
}

function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
