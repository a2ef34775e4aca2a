/**
 * Refusing input that is not strace output (`tasklens explain /etc/passwd`) instead of printing
 * every line of it as "not understood", and saying so when the input is empty.
 */
import type { TraceEvent } from './types.js';
import { TasklensError, ExitCode } from '../errors.js';

/** Leading events held back while no strace line has been seen: past either bound, the verdict is "not strace". */
const HOLD_EVENTS = 1000;
const HOLD_BYTES = 1 << 20;
/** How much of the first line the error quotes. */
const QUOTE_CHARS = 80;

/** Events that only say a line was not strace syntax. */
function unrecognised(event: TraceEvent): boolean {
  return event.kind === 'unknown' || event.kind === 'output';
}

/**
 * Passes event batches through once a strace event (a syscall, signal, exit, strace message...) has
 * been seen in the first 1000 events; throws a TasklensError (`not-strace`, or `empty-input`) when
 * none is. Memory stays bounded: at most 1000 events and 1 MiB of their text are held back.
 */
export async function* requireStraceInput(batches: AsyncIterable<TraceEvent[]>, name: string): AsyncGenerator<TraceEvent[]> {
  const held: TraceEvent[][] = [];
  let heldEvents = 0;
  let heldBytes = 0;
  let first: TraceEvent | undefined;
  let confirmed = false;
  for await (const batch of batches) {
    if (confirmed) {
      yield batch;
      continue;
    }
    first ??= batch[0];
    if (batch.some((event) => !unrecognised(event))) {
      confirmed = true;
      for (const h of held) yield h;
      held.length = 0;
      yield batch;
      continue;
    }
    held.push(batch);
    heldEvents += batch.length;
    for (const event of batch) heldBytes += event.raw.length;
    if (heldEvents >= HOLD_EVENTS || heldBytes >= HOLD_BYTES) throw notStrace(name, first);
  }
  if (!confirmed) throw first === undefined ? emptyInput(name) : notStrace(name, first);
}

function notStrace(name: string, first: TraceEvent | undefined): TasklensError {
  const raw = first?.raw.split('\n')[0] ?? '';
  const quoted = raw.length === 0 ? 'an empty line' : JSON.stringify(raw.length > QUOTE_CHARS ? `${raw.slice(0, QUOTE_CHARS)}…` : raw);
  return new TasklensError('parse', 'not-strace', `${name} does not look like strace output (line ${first?.line ?? 1}: ${quoted})`, {
    hint: 'give a log written by strace, e.g. strace -f -o trace.log CMD',
    exitCode: ExitCode.failure,
  });
}

function emptyInput(name: string): TasklensError {
  return new TasklensError('parse', 'empty-input', `${name} is empty: no strace output to read`, {
    hint: 'give a log written by strace, e.g. strace -f -o trace.log CMD',
    exitCode: ExitCode.failure,
  });
}
