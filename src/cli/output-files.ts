/**
 * Files a verb writes (`trace -o FILE`, `trace --out FILE`), opened before anything runs so a bad path
 * is a usage error (exit 2) and not a surprise after the program ran. The rules, unlike strace's
 * own `-o` (which truncates whatever is there and follows symlinks):
 * - an existing regular file that is not empty is not replaced unless `--force` is given;
 * - a symlink is followed only when nobody else could have planted it: the link is ours or root's,
 *   in a directory that is ours or root's and that others cannot write (or that is sticky). So
 *   `/dev/stdout` works, a link another user left in /tmp does not;
 * - a new file is created with O_CREAT|O_EXCL|O_NOFOLLOW (nothing can be swapped in meanwhile);
 * - devices and FIFOs (/dev/null, a named pipe) are written as they are;
 * - two options naming the same file (`-o x --out x`, or two names of one file) are refused.
 * Write errors later (a full disk) are the caller's to report, with the program's own exit code.
 */
import { closeSync, constants, createWriteStream, fstatSync, ftruncateSync, lstatSync, openSync, unlinkSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExitCode, TasklensError } from '../errors.js';
import { isSystemError, systemErrorText } from '../system-errors.js';
import { termSafe } from '../render/escape.js';
import { verbHandlesWriteErrors } from './common.js';
import { OutputWriter, waitForRoom } from './output.js';
import type { CliOutput, CliRun } from './io.js';

export interface OutputRequest {
  /** The option that named the file, for messages: `-o`, `--out`. */
  option: string;
  path: string;
}

export interface OpenedOutput extends OutputRequest {
  fd: number;
  /** True when this call created the file (removed again by discardOutputs). */
  created: boolean;
}

function refuse(request: OutputRequest, reason: string, hint?: string): TasklensError {
  return new TasklensError('cli', 'bad-output', `${request.option} ${termSafe(request.path)}: ${reason}`, { exitCode: ExitCode.usage, ...(hint ? { hint } : {}) });
}

function uid(): number {
  return typeof process.geteuid === 'function' ? process.geteuid() : -1;
}

/** A symlink we may follow: ours or root's, in a directory nobody else can change. */
function trustedLink(path: string, link: Stats): string | undefined {
  const me = uid();
  if (link.uid !== me && link.uid !== 0) return `is a symbolic link owned by uid ${link.uid}`;
  const dir = lstatSync(dirname(resolve(path)));
  if (dir.uid !== me && dir.uid !== 0) return `is a symbolic link in a directory owned by uid ${dir.uid}`;
  if (dir.mode & 0o022 && !(dir.mode & 0o1000)) return 'is a symbolic link in a directory others can write';
  return undefined;
}

function openOne(request: OutputRequest, force: boolean): OpenedOutput {
  const { path } = request;
  let existing: Stats | undefined;
  try {
    existing = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse(request, systemErrorText(error));
  }
  let flags = constants.O_WRONLY | constants.O_NOFOLLOW;
  if (existing === undefined) flags |= constants.O_CREAT | constants.O_EXCL;
  else if (existing.isSymbolicLink()) {
    const distrust = trustedLink(path, existing);
    if (distrust) throw refuse(request, `${distrust}; refusing to follow it`, 'give the path of the file itself');
    flags = constants.O_WRONLY | constants.O_CREAT; // follow it: the link is trusted
  } else if (existing.isDirectory()) throw refuse(request, 'is a directory');
  let fd: number;
  try {
    fd = openSync(path, flags, 0o666);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP') throw refuse(request, 'appeared (or became a symbolic link) while being opened; refusing to use it');
    if (code === 'ENOENT') throw refuse(request, `the directory ${termSafe(dirname(path))} does not exist`);
    throw refuse(request, isSystemError(error) ? `cannot create or open it: ${systemErrorText(error)}` : String(error));
  }
  const st = fstatSync(fd);
  if (existing !== undefined && st.isFile() && st.size > 0) {
    if (!force) {
      closeSync(fd);
      throw refuse(request, `already exists (${st.size} bytes); not replacing it`, 'add --force to replace it, or choose another name');
    }
    ftruncateSync(fd, 0);
  }
  return { ...request, fd, created: existing === undefined };
}

/**
 * Opens every requested output (before the program starts). Throws a usage error (exit 2) naming
 * the option and the path; nothing is left open or created when it throws.
 */
export function openOutputs(requests: OutputRequest[], options: { force?: boolean } = {}): OpenedOutput[] {
  for (let i = 0; i < requests.length; i++) {
    for (let j = 0; j < i; j++) {
      if (resolve(requests[i].path) === resolve(requests[j].path)) {
        throw refuse(requests[i], `is also the file of ${requests[j].option}; give each its own file`);
      }
    }
  }
  const opened: OpenedOutput[] = [];
  try {
    for (const request of requests) {
      const out = openOne(request, options.force === true);
      opened.push(out);
      const st = fstatSync(out.fd);
      const twin = opened.slice(0, -1).find((o) => {
        const other = fstatSync(o.fd);
        return st.isFile() && other.dev === st.dev && other.ino === st.ino;
      });
      if (twin) throw refuse(request, `is the same file as ${twin.option} ${termSafe(twin.path)}; give each its own file`);
    }
  } catch (error) {
    discardOutputs(opened);
    throw error;
  }
  return opened;
}

/** Closes outputs and removes the files this run created (the program never ran). */
export function discardOutputs(outputs: OpenedOutput[]): void {
  for (const out of outputs) {
    try {
      closeSync(out.fd);
    } catch {
      // Already closed by a stream.
    }
    if (out.created) {
      try {
        unlinkSync(out.path);
      } catch {
        // Gone already.
      }
    }
  }
}

/** How the traced program ended, for a message about a later failure: `the program exited with code 3`. */
export function programOutcome(result: { exitCode: number | null; signal: string | null; detached?: boolean }): string {
  if (result.detached) return 'tasklens detached and the program is still running';
  if (result.signal) return `the traced program was killed by ${result.signal}`;
  if (result.exitCode !== null) return `the traced program exited with code ${result.exitCode}`;
  return "the traced program's exit status is unknown";
}

/** A text output: stdout/stderr, or an opened file whose first write error is kept for the end. */
export interface TextOutput {
  stream: CliOutput;
  write(text: string): void;
  /** Resolves when the stream has room again: the trace loop awaits it, so a slow reader slows the trace instead of filling memory. */
  ready(): Promise<void>;
  /** Flushes and closes; resolves to the first write error of a file (undefined when all went well). */
  close(): Promise<Error | undefined>;
}

/** `-` is stdout, undefined is stderr (a closed pipe there must not stop a running trace), else the opened file. */
export function textOutput(target: string | undefined, file: OpenedOutput | undefined, cli: CliRun): TextOutput {
  if (file === undefined) {
    const stream = target === '-' ? cli.stdout : cli.stderr;
    verbHandlesWriteErrors(stream); // not main's exit on EPIPE: the timeline is dropped, the trace goes on
    stream.on('error', () => undefined);
    const writer = new OutputWriter(stream, { live: true });
    return { stream, write: (text) => writer.write(text), ready: () => writer.ready(), close: async () => { await writer.end(); return undefined; } };
  }
  const stream = createWriteStream('', { fd: file.fd });
  let failure: Error | undefined;
  stream.on('error', (error) => { failure ??= error; });
  return {
    stream,
    write: (text) => {
      if (failure === undefined && !stream.destroyed) stream.write(text);
    },
    ready: () => waitForRoom(stream),
    // A failed write destroys the stream at once but emits 'error' only after the fd is closed:
    // wait for 'close' in every case, and read `errored` too.
    close: () => new Promise((done) => {
      const finish = (): void => done(failure ?? stream.errored ?? undefined);
      if (stream.closed) return finish();
      stream.once('close', finish);
      if (!stream.destroyed) stream.end();
    }),
  };
}
