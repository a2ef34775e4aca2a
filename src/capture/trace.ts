/**
 * Running strace: on a command it starts, or attached to a running process (-p), with the log sent
 * through a FIFO in a private temp dir and streamed back as lines while the program runs.
 *
 * Facts this design rests on (strace 6.1, checked on this machine):
 * - strace opens its `-o` log close-on-exec, so the traced program never inherits the FIFO; the
 *   program keeps the caller's stdin/stdout/stderr (by default tasklens's own) untouched.
 * - Exit status: strace exits with the traced command's exit code, or, when the command was killed by
 *   a signal, kills itself with that same signal (without dumping core). With -p it exits 0 when the
 *   target exits (the target's status is then read from the log's `+++ exited/killed` line).
 * - Signals: running a command with `-o`, strace blocks SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGPIPE for its
 *   whole life (`-I3`, its default for `-o FILE PROG`): a terminal Ctrl-C reaches the traced program
 *   (same foreground process group) while strace keeps tracing, reports how the program ended and
 *   exits. Attached with -p, strace takes SIGINT as "detach": it detaches from every thread (the target
 *   keeps running, an open line ends in ` <detached ...>`) and kills itself with SIGINT.
 * - strace writes and flushes one line at a time, so whatever it traced is in the FIFO when it exits.
 * - Reading that FIFO through a libuv stream (net.Socket) slowed strace down 1.5-3x: a reader woken by
 *   epoll for every line, and with pause()/resume() strace advanced one line per resume. Polling the
 *   non-blocking fd (fifo.ts) reads tens of KB per read and keeps strace at its speed into a file.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, createWriteStream, openSync, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { ExitCode, TasklensError } from '../errors.js';
import { systemErrorText } from '../system-errors.js';
import { classifyStraceStderr, commandNotExecutable, commandNotFound, reportsAttached, straceMessages } from './diagnostics.js';
import { straceFlags, type CaptureMode } from './flags.js';
import { readLines, type Line } from '../parse/lines.js';
import { parseText } from '../parse/index.js';
import { enlargePipe, fifoChunks, makeFifo } from './fifo.js';
import { findExecutable, straceInfo, unrunnableCandidate, type StraceInfo } from './locate.js';
import { processGroupOf, threadsOf, traceesOf } from './tracees.js';
import { makeTraceDir, sweepStaleTraceDirs } from './trace-dir.js';
import { startGuardian } from './guardian.js';

const execFileP = promisify(execFile);

type StdioChoice = 'inherit' | 'ignore' | 'pipe' | number;

export interface TraceOptions {
  /** Program and arguments to run under strace. Exactly one of `command` and `pid`. */
  command?: string[];
  /** Running process to attach to (all its threads, and children it creates from then on). */
  pid?: number;
  /** `lifecycle` (default): process/thread/signal events, with --seccomp-bpf when tracing a command. `full`: everything. */
  mode?: CaptureMode;
  /** Replaces the mode's flags entirely (-o and the command/-p are still added). */
  flags?: string[];
  /** Extra strace options appended to the mode's flags, e.g. ['-yy'] or ['-s', '4096']. */
  extraFlags?: string[];
  /** Also write the raw log, byte for byte, to this file (the trace verb's `-o FILE`). */
  teePath?: string;
  /** Or to this descriptor, opened by the caller (closed at the end); `teePath` then only names it in messages. */
  teeFd?: number;
  /** strace binary (path or name on PATH); default: `strace` on PATH. */
  strace?: string;
  /** PATH used to find strace and the command; default process.env.PATH. */
  path?: string;
  /** Working directory and environment of the traced command. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * stdin, stdout, stderr of strace and so of the traced program (default: inherit all, the program
   * keeps the caller's terminal). strace's own messages go to the same stderr: they are collected into
   * `result.diagnostics` only when stderr is 'pipe'. Attaching (-p), stderr is always piped.
   */
  stdio?: [StdioChoice, StdioChoice, StdioChoice];
}

export interface TraceResult {
  /** Exit code of the traced program (attached: of the target, read from the log), null if killed or unknown. */
  exitCode: number | null;
  /** Signal that killed the traced program, null if it exited or is unknown. */
  signal: NodeJS.Signals | null;
  /** Attached and detached by stop(): the target was left running. */
  detached: boolean;
  /** stop() was called at least once. */
  stopped: boolean;
  /** strace itself was killed (last escalation of stop()); the program's status is unknown. */
  tracerKilled: boolean;
  /** How the strace process ended. */
  straceStatus: { code: number | null; signal: NodeJS.Signals | null };
  /** strace's own messages (`strace: ...` lines), when its stderr was captured. */
  diagnostics: string[];
  /** Everything strace's stderr carried, when captured (with a command this includes the program's stderr). */
  stderr?: string;
  lines: number;
  bytes: number;
}

/** What strace attached to (`-p`): the process and its threads, read from /proc when strace confirmed it. */
export interface Attachment {
  pid: number;
  /** TIDs of the process at attach time (/proc/PID/task), the leader included. */
  tids: number[];
  /** When the attach was confirmed, seconds since the epoch. */
  atSec: number;
}

export interface TraceSession {
  /** The strace process. */
  readonly stracePid: number;
  /** strace's full argument vector (for display and the raw log's metadata). */
  readonly argv: string[];
  readonly info: StraceInfo;
  /**
   * The raw log, line by line, as strace writes it (UTF-8 decoded, invalid bytes kept; see parse/lines.ts). Iterate exactly one of
   * `lines` or `batches`, once: strace waits when its FIFO is full, so an unread log stalls the trace. A
   * consumer that stops early is fine: the rest is drained (and teed) in the background.
   */
  readonly lines: AsyncIterable<Line>;
  /** The same log in batches of lines (one per read from the FIFO): cheaper per line. */
  readonly batches: AsyncIterable<Line[]>;
  /** The traced program's stdout/stderr when piped via `stdio`. */
  readonly stdout: Readable | null;
  /**
   * Attaching (-p): resolves once strace has attached to every thread (its `Process N attached`
   * message, or the first log line), before any line is yielded; undefined if strace ended without
   * attaching. Running a command: resolves undefined at once.
   */
  readonly attached: Promise<Attachment | undefined>;
  /** Settles when strace has exited and the whole log has been read and teed; rejects with a TasklensError when strace could not trace. */
  readonly result: Promise<TraceResult>;
  /**
   * Ctrl-C. With a command: delivers `signal` (default SIGINT) to the traced processes in the program's
   * process group, as a terminal would (pass `{ forward: false }` when the terminal already delivered
   * it); a second call sends SIGKILL to every traced process; a third kills strace (the tracees are
   * detached). Attached: asks strace to detach (SIGINT), leaving the target running; a third call kills strace.
   */
  stop(options?: { signal?: NodeJS.Signals; forward?: boolean }): void;
}

/** Starts strace. Throws TasklensError for a missing strace or command; later failures reject `result`. */
export async function startTrace(options: TraceOptions): Promise<TraceSession> {
  const attach = options.pid !== undefined;
  if (attach === (options.command !== undefined)) {
    throw new TasklensError('capture', 'bad-target', 'give either a command to run or a pid to attach to, not both', { exitCode: ExitCode.usage });
  }
  if (attach && (!Number.isInteger(options.pid) || (options.pid as number) <= 0)) {
    throw new TasklensError('capture', 'bad-pid', `not a valid pid: ${options.pid}`, { exitCode: ExitCode.usage });
  }
  if (!attach && (options.command!.length === 0 || options.command![0] === '')) {
    throw new TasklensError('capture', 'bad-target', 'no command given to trace', { hint: 'tasklens trace -- CMD ARGS...', exitCode: ExitCode.usage });
  }
  // The probes (two strace runs, cached per process) run while the FIFO is made.
  const infoProbe = straceInfo({ strace: options.strace, path: options.path });
  infoProbe.catch(() => undefined); // awaited below; a failure before that must not be unhandled
  const searchPath = options.env?.PATH ?? options.path ?? process.env.PATH ?? '';
  // strace would report "Can't stat" itself, but on the program's stderr; checking first gives a clean error.
  if (!attach && !findExecutable(options.command![0], searchPath)) {
    const unrunnable = unrunnableCandidate(options.command![0], searchPath);
    throw unrunnable ? commandNotExecutable(unrunnable.path, unrunnable.reason) : commandNotFound(options.command![0]);
  }

  const dir = makeTraceDir();
  const fifo = join(dir, 'strace.log');
  try {
    await makeFifo(fifo);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new TasklensError('capture', 'fifo-failed', `cannot create a FIFO for the strace log in ${dir}`, { cause: error, hint: 'check that TMPDIR is writable and supports FIFOs' });
  }
  // Opened non-blocking, the reader does not wait for strace to open its end.
  const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  let fdClosed = false;
  let info: StraceInfo;
  try {
    info = await infoProbe;
  } catch (error) {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const mode = options.mode ?? 'lifecycle';
  const flags = options.flags ?? straceFlags(mode, attach ? 'attach' : 'command', { seccompBpf: info.seccompBpf });

  const argv = [...flags, ...(options.extraFlags ?? []), '-o', fifo, ...(attach ? ['-p', String(options.pid)] : ['--', ...options.command!])];
  const stdio = attach ? (['ignore', 'ignore', 'pipe'] as const) : (options.stdio ?? ['inherit', 'inherit', 'inherit']);
  // Started before strace, so there is no moment when strace runs unguarded.
  const guardian = startGuardian(attach ? 'detach' : 'kill', dir, fd);
  let child: ChildProcess;
  try {
    // argv0 `strace`: strace prefixes its messages with argv[0], and tools expect `strace: ...`.
    child = spawn(info.path, argv, { argv0: 'strace', cwd: options.cwd, env: options.env, stdio: [...stdio] });
  } catch (error) {
    guardian.release();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    throw new TasklensError('capture', 'spawn-failed', `cannot start ${info.path}`, { cause: error });
  }
  if (child.pid !== undefined) guardian.watch(child.pid);
  // Directories left by tasklens processes that were killed: cleaned up off the start-up path.
  setImmediate(() => sweepStaleTraceDirs());
  // The thread list is read when strace confirms the attach, so it names the threads strace traces.
  let attachSettled = !attach;
  let confirmAttach = (_confirmed: boolean): void => undefined;
  const attached = new Promise<Attachment | undefined>((done) => {
    if (!attach) return done(undefined);
    confirmAttach = (confirmed) => {
      if (attachSettled) return;
      attachSettled = true;
      done(confirmed ? { pid: options.pid!, tids: threadsOf(options.pid!), atSec: Date.now() / 1000 } : undefined);
    };
  });
  let stderr: string | undefined;
  if (child.stderr) {
    stderr = '';
    child.stderr.setEncoding('latin1').on('data', (text: string) => {
      stderr += text;
      if (!attachSettled && reportsAttached(stderr!, options.pid!)) confirmAttach(true);
    });
  }
  // 'close' also waits for the stdio pipes, which a daemonised grandchild may hold open for ever:
  // after 'exit', give them a moment to deliver strace's last messages, then go on.
  let straceGone = false;
  let markGone!: () => void;
  const gone = new Promise<void>((done) => { markGone = done; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('error', () => { straceGone = true; guardian.release(); confirmAttach(false); markGone(); done({ code: null, signal: null }); });
    child.once('exit', (code, signal) => {
      straceGone = true;
      guardian.release();
      markGone();
      // Its last stderr (the attach message of a target that exited at once) may come after 'exit'.
      const settle = () => {
        confirmAttach(stderr !== undefined && reportsAttached(stderr, options.pid!));
        done({ code, signal });
      };
      const timer = setTimeout(settle, 500);
      child.once('close', () => { clearTimeout(timer); settle(); });
    });
  });
  const counts = { lines: 0, bytes: 0 };
  const tee = options.teeFd !== undefined ? createWriteStream('', { fd: options.teeFd }) : options.teePath ? createWriteStream(options.teePath) : undefined;
  let teeFailure: unknown;
  tee?.on('error', (error) => { teeFailure ??= error; });
  let targetStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  let source: AsyncGenerator<Line[]> | undefined;
  let finishLog!: () => void;
  const logDone = new Promise<void>((done) => { finishLog = done; });
  const readLog = async function* (): AsyncGenerator<Line[]> {
    try {
      for await (const batch of readLines(teed(fifoChunks(fd, () => straceGone, gone, () => void enlargePipe(fd, undefined, () => !fdClosed)), tee, counts))) {
        // strace logs only after attaching to every thread (its message may be suppressed with -q).
        confirmAttach(true);
        counts.lines += batch.length;
        if (attach) for (const line of batch) {
          const end = typeof line === 'string' ? taskEnd(line, options.pid!) : undefined;
          if (end) targetStatus = end;
        }
        yield batch;
      }
    } finally {
      finishLog();
    }
  };
  const takeSource = (): AsyncGenerator<Line[]> => {
    if (source) throw new Error('the trace log can be iterated only once (use lines or batches, not both)');
    source = readLog();
    return source;
  };
  const drainRest = async (it: AsyncGenerator<Line[]>) => {
    // The consumer stopped early: keep reading so strace never blocks, and the tee stays complete.
    for (let r = await it.next(); !r.done; r = await it.next()) { /* discard */ }
  };
  const batches: AsyncIterable<Line[]> = {
    [Symbol.asyncIterator]: () => {
      const it = takeSource();
      return {
        next: () => it.next(),
        return: async () => { void drainRest(it); return { done: true, value: undefined }; },
      };
    },
  };
  const lines: AsyncIterable<Line> = {
    [Symbol.asyncIterator]: () => {
      const it = takeSource();
      let batch: Line[] = [];
      let i = 0;
      return {
        next: async () => {
          while (i >= batch.length) {
            const r = await it.next();
            if (r.done) return { done: true, value: undefined };
            batch = r.value;
            i = 0;
          }
          return { done: false, value: batch[i++] };
        },
        return: async () => { void drainRest(it); return { done: true, value: undefined }; },
      };
    },
  };

  let stopCalls = 0;
  let tracerKilled = false;
  const ourGroup = processGroupOf('self');
  // Called right after start, strace may not have started the program yet: look again until it has.
  const deliverWhenTraced = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || stopCalls > 1) return;
    const tracees = traceesOf(child.pid!);
    if (tracees.length === 0) {
      setTimeout(() => deliverWhenTraced(signal), 25);
      return;
    }
    const foreground = tracees.filter((t) => t.pgid === ourGroup);
    for (const t of foreground.length > 0 ? foreground : tracees) signalQuietly(t.pid, signal);
  };
  const stop = ({ signal = 'SIGINT' as NodeJS.Signals, forward = true } = {}) => {
    stopCalls++;
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (attach) {
      if (stopCalls >= 3) { tracerKilled = true; child.kill('SIGKILL'); } else child.kill('SIGINT');
      return;
    }
    if (stopCalls === 1) {
      if (forward) deliverWhenTraced(signal);
    } else if (stopCalls === 2) {
      for (const t of traceesOf(child.pid!)) signalQuietly(t.pid, 'SIGKILL');
    } else {
      tracerKilled = true;
      child.kill('SIGKILL');
    }
  };

  const result = (async (): Promise<TraceResult> => {
    const status = await exited;
    await logDone.catch(() => undefined);
    // A failed write destroys the tee at once but reports the error only after closing the fd: wait
    // for 'close' even then, and read `errored`, or a full disk passes for success (4 runs in 10).
    if (tee && !tee.closed) await new Promise<void>((done) => { tee.once('close', done); if (!tee.destroyed) tee.end(); });
    teeFailure ??= tee?.errored ?? undefined;
    closeSync(fd);
    fdClosed = true;
    rmSync(dir, { recursive: true, force: true });
    const failure = await diagnoseFailure(status, counts.lines, stderr, info, attach);
    if (failure) throw failure;
    const program = attach ? (targetStatus ?? { code: null, signal: null }) : tracerKilled ? { code: null, signal: null } : status;
    if (teeFailure) {
      // The program ran: say how it ended, or a script only sees "failed" (a full disk exited 0 before).
      const ended = program.signal ? `was killed by ${program.signal}` : program.code !== null ? `exited with code ${program.code}` : 'ended with an unknown status';
      throw new TasklensError('capture', 'tee-failed', `cannot write the raw log to ${options.teePath ?? `fd ${options.teeFd}`}: ${systemErrorText(teeFailure)}; the traced program ${ended}`, { cause: teeFailure });
    }
    return {
      exitCode: program.code,
      signal: program.signal,
      detached: attach && stopCalls > 0 && !targetStatus,
      stopped: stopCalls > 0,
      tracerKilled,
      straceStatus: status,
      diagnostics: stderr === undefined ? [] : straceMessages(stderr),
      stderr,
      lines: counts.lines,
      bytes: counts.bytes,
    };
  })();
  // A consumer that only awaits `result` after iterating must not see an unhandled rejection meanwhile.
  result.catch(() => undefined);

  return { stracePid: child.pid ?? -1, argv: [info.path, ...argv], info, lines, batches, stdout: child.stdout ?? null, attached, result, stop };
}

/** Copies every chunk to the tee (waiting when it is slow) and counts bytes. */
async function* teed(chunks: AsyncIterable<Buffer>, tee: WriteStream | undefined, counts: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    counts.bytes += chunk.length;
    // A failed tee (reported in the result) stops being written; the trace itself goes on.
    if (tee && !tee.destroyed && !tee.write(chunk)) await Promise.race([once(tee, 'drain'), once(tee, 'close')]);
    yield chunk;
  }
}

/**
 * Turns "strace could not trace" into an error: from its stderr when captured, else (stderr inherited,
 * its message already on the user's terminal) by re-running the same flags on `true` to learn why.
 */
async function diagnoseFailure(
  status: { code: number | null; signal: NodeJS.Signals | null },
  lines: number,
  stderr: string | undefined,
  info: StraceInfo,
  attach: boolean,
): Promise<TasklensError | undefined> {
  const known = stderr === undefined ? undefined : classifyStraceStderr(stderr);
  if (known && (status.code !== 0 || lines === 0)) return known;
  if (status.code !== 1 || lines > 0) return undefined;
  if (attach) return straceFailed(stderr);
  const probe = await execFileP(info.path, ['-f', '-o', '/dev/null', 'true']).then(() => undefined, (error: { stderr?: string }) => error.stderr ?? '');
  const reason = probe === undefined ? undefined : classifyStraceStderr(probe);
  return reason ?? straceFailed(stderr);
}

function straceFailed(stderr: string | undefined): TasklensError {
  const messages = stderr === undefined ? [] : straceMessages(stderr);
  return new TasklensError('capture', 'strace-failed', `strace exited with status 1 before tracing anything${messages.length > 0 ? `: ${messages.join('; ')}` : ' (its message is above)'}`, {
    hint: 'run the same command with strace directly to see its full error',
  });
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * How the attached target ended, from its `+++ exited with N +++` / `+++ killed by SIG +++` line as
 * the parser reads it (other lines: undefined; only lines with `+++` are parsed).
 */
export function taskEnd(line: string, pid: number): { code: number | null; signal: NodeJS.Signals | null } | undefined {
  if (!line.includes('+++')) return undefined;
  for (const event of parseText(line)) {
    if (event.prefix.pid !== pid) continue;
    if (event.kind === 'exit') return { code: event.code, signal: null };
    if (event.kind === 'killed') return { code: null, signal: event.signal as NodeJS.Signals };
  }
  return undefined;
}
