/**
 * Writing a verb's output stream with backpressure. A stream's `write` queues in memory whatever the
 * reader has not taken yet, so a verb that produces text faster than a slow pipe drains it grows
 * without bound (a 150 MB log piped into `sleep 30; cat` held 1.5 GB). `OutputWriter` gathers small
 * writes into blocks and `ready()` waits for 'drain': the producer awaits it between batches, so what
 * sits in memory is at most one batch of output.
 */

/** Bytes of text gathered before they are handed to the stream in one write. */
const BLOCK = 64 * 1024;

export class OutputWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  /** The reader went away (EPIPE) or the stream failed: further output is dropped. */
  private closed = false;

  /** `live`: every write goes out at once (a live timeline must not wait for a block to fill). */
  constructor(private readonly stream: NodeJS.WritableStream, private readonly options: { live?: boolean } = {}) {
    const close = (): void => {
      this.closed = true;
      this.pending = [];
      this.pendingLength = 0;
    };
    stream.once('error', close);
    stream.once('close', close);
  }

  /** True once the reader is gone; a producer with nothing else to do can stop. */
  get gone(): boolean {
    return this.closed;
  }

  /** Queues text; it reaches the stream by blocks of ~64 KiB, or at `ready()`/`end()`. */
  write(text: string): void {
    if (this.closed) return;
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= BLOCK || this.options.live) this.flush();
  }

  /** Resolves when the stream has room again (at once when it has): await it between batches. */
  async ready(): Promise<void> {
    this.flush();
    if (!this.closed) await waitForRoom(this.stream);
  }

  /** Writes what is pending and waits until the stream has taken it. */
  async end(): Promise<void> {
    await this.ready();
  }

  private flush(): void {
    if (this.pendingLength === 0 || this.closed) return;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    this.stream.write(text);
  }
}

/** Resolves once `stream` has taken what was queued ('drain'), or failed or closed; at once when nothing waits. */
export function waitForRoom(stream: NodeJS.WritableStream): Promise<void> {
  const s = stream as NodeJS.WritableStream & { writableNeedDrain?: boolean; destroyed?: boolean };
  if (!s.writableNeedDrain || s.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}
