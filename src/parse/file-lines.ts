/**
 * Lines of a file read without keeping it open: each chunk is read with open, pread at the saved
 * offset, close. For merging many files at once (the NAME.<tid> files of `strace -ff`): a k-way merge
 * over 3,000 files held 3,000 descriptors and failed with EMFILE under `ulimit -n 1024`. With this
 * reader it holds none between chunks, and the caller sizes chunks so that their sum stays bounded.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { LineSplitter, type Line, type SplitOptions } from './lines.js';

export function* readLinesReopening(path: string, chunkSize: number, options: SplitOptions = {}): Generator<Line> {
  const splitter = new LineSplitter(options);
  const buffer = Buffer.allocUnsafe(chunkSize);
  const batch: Line[] = [];
  const collect = (line: Line): void => {
    batch.push(line);
  };
  let offset = 0;
  for (;;) {
    const fd = openSync(path, 'r');
    let n: number;
    try {
      n = readSync(fd, buffer, 0, chunkSize, offset);
    } finally {
      closeSync(fd);
    }
    if (n === 0) break;
    offset += n;
    splitter.push(buffer.subarray(0, n), collect);
    for (let i = 0; i < batch.length; i++) yield batch[i];
    batch.length = 0;
  }
  const last = splitter.end();
  if (last !== undefined) yield last;
}
