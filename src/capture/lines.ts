/**
 * Splits a byte stream into lines. Bytes are decoded as latin1, one char per byte, so nothing strace
 * wrote is altered (strace escapes tracee data, but -k symbol names and translated errno texts can hold
 * raw bytes >= 0x80). Lines can be several MB: a partial line is kept as a list of slices and joined
 * once its newline arrives. Yields one batch of lines per chunk read, to keep the per-line cost low.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  let partial: Buffer[] = [];
  for await (const chunk of chunks) {
    const batch: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (partial.length > 0) {
        partial.push(chunk.subarray(start, nl));
        batch.push(Buffer.concat(partial).toString('latin1'));
        partial = [];
      } else {
        batch.push(chunk.toString('latin1', start, nl));
      }
      start = nl + 1;
    }
    if (start < chunk.length) partial.push(chunk.subarray(start));
    if (batch.length > 0) yield batch;
  }
  // A log cut short (strace killed) may end without a newline: the fragment is still a line.
  if (partial.length > 0) yield [Buffer.concat(partial).toString('latin1')];
}
