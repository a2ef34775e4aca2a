/**
 * The bpf capture engine for `trace -- CMD` in lifecycle mode: bpftrace runs the generated script
 * (script.ts) as a child process, the command starts only once this run's BEGIN probe has printed its
 * line (a marker from an earlier run would lose the first events), and the kernel's records are written
 * as strace log lines (strace-lines.ts), so the session looks to its reader like a strace session.
 *
 * The command is spawned by this process after BEGIN: the script follows the first task this thread
 * creates from then on, and its descendants, in the kernel (map @t). Per-CPU buffers reach bpftrace out
 * of order, so records wait REORDER_NS in a buffer and leave it sorted by kernel time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, TasklensError } from '../errors.js';
import { systemErrorText } from '../system-errors.js';
import { commandNotExecutable, commandNotFound } from '../capture/diagnostics.js';
import { findExecutable, unrunnableCandidate } from '../capture/locate.js';
import type { Attachment, TraceResult } from '../capture/trace.js';
import type { Line } from '../parse/lines.js';
import { bpfReadiness } from './requirements.js';
import { bpftraceEnv, generateScript } from './script.js';
import { byTime, isHarmlessStderr, RecordReader, type BpfRecord } from './records.js';
import { StraceLineWriter } from './strace-lines.js';

/** How long a record waits for earlier ones from other CPUs before it is written. */
const REORDER_NS = 40_000_000n;
const FLUSH_EVERY_MS = 20;
const LIVENESS_EVERY_MS = 200;

export interface BpfTraceOptions {
  command: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** PATH to find bpftrace and the command; default process.env.PATH. */
  path?: string;
  stdio?: ['inherit' | 'ignore' | 'pipe' | number, 'inherit' | 'ignore' | 'pipe' | number, 'inherit' | 'ignore' | 'pipe' | number];
  teePath?: string;
  teeFd?: number;
}

/** What both engines give the trace verb: strace-format log batches, the outcome, and Ctrl-C. */
export interface CaptureSession {
  readonly batches: AsyncIterable<Line[]>;
  /** Attaching (strace -p only): what was attached to; the bpf engine never attaches. */
  readonly attached: Promise<Attachment | undefined>;
  readonly result: Promise<TraceResult & { lostEvents?: number; engine?: 'bpf' | 'strace' }>;
  stop(options?: { signal?: NodeJS.Signals; forward?: boolean }): void;
}

/** A queue of batches read once, in order. */
class BatchQueue implements AsyncIterable<string[]> {
  private items: string[][] = [];
  private waiting: ((r: IteratorResult<string[]>) => void) | undefined;
  private closed = false;
  push(batch: string[]): void {
    if (batch.length === 0) return;
    if (this.waiting) { const w = this.waiting; this.waiting = undefined; w({ done: false, value: batch }); } else this.items.push(batch);
  }
  close(): void {
    this.closed = true;
    if (this.waiting) { const w = this.waiting; this.waiting = undefined; w({ done: true, value: undefined }); }
  }
  [Symbol.asyncIterator](): AsyncIterator<string[]> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item) return Promise.resolve({ done: false, value: item });
        if (this.closed) return Promise.resolve({ done: true, value: undefined });
        return new Promise((done) => { this.waiting = done; });
      },
    };
  }
}

/** Starts bpftrace, waits for its BEGIN probe, then the command. Throws TasklensError when it cannot. */
export async function startBpfTrace(options: BpfTraceOptions): Promise<CaptureSession> {
  if (options.command.length === 0 || options.command[0] === '') {
    throw new TasklensError('capture', 'bad-target', 'no command given to trace', { hint: 'tasklens trace -- CMD ARGS...', exitCode: ExitCode.usage });
  }
  const searchPath = options.env?.PATH ?? options.path ?? process.env.PATH ?? '';
  const name = options.command[0];
  const lookup = name.includes('/') && options.cwd !== undefined ? resolve(options.cwd, name) : name;
  const program = findExecutable(lookup, searchPath);
  if (!program) {
    // The same errors as the strace engine: 126 for a file that cannot run, 127 for none.
    const unrunnable = unrunnableCandidate(lookup, searchPath);
    throw unrunnable ? commandNotExecutable(unrunnable.path, unrunnable.reason) : commandNotFound(name);
  }
  const ready = bpfReadiness(options.path ?? process.env.PATH ?? '');
  if (ready.problem) throw ready.problem;
  const script = generateScript({ scope: 'descendants' });

  const tracer = spawn(ready.bpftrace!, ['-B', 'line', '-e', script, String(process.pid)], { env: bpftraceEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  tracer.stderr!.setEncoding('latin1').on('data', (t: string) => { stderr += t; });
  const tracerExit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    tracer.once('error', () => done({ code: null, signal: null }));
    tracer.once('close', (code, signal) => done({ code, signal }));
  });

  const reader = new RecordReader(false);
  const pending: BpfRecord[] = [];
  let lost = 0;
  let sawReady!: () => void;
  const readyLine = new Promise<void>((done) => { sawReady = done; });
  const unparsed: string[] = [];
  let partial = '';
  tracer.stdout!.setEncoding('latin1').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) take(line);
  });
  function take(line: string): void {
    const parsed = reader.push(line);
    if (!parsed) return;
    if (parsed.kind === 'ready') sawReady();
    else if (parsed.kind === 'lost') lost += parsed.count;
    else if (parsed.kind === 'record') pending.push(parsed.record);
    else if (!isHarmlessStderr(parsed.text) && unparsed.length < 20) unparsed.push(parsed.text);
  }
  const started = await Promise.race([readyLine.then(() => true), tracerExit.then(() => false)]);
  if (!started) throw bpftraceFailed(stderr);

  const epochOffsetNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  const writer = new StraceLineWriter(epochOffsetNs);
  const queue = new BatchQueue();
  const tee: WriteStream | undefined = options.teeFd !== undefined ? createWriteStream('', { fd: options.teeFd }) : options.teePath ? createWriteStream(options.teePath) : undefined;
  let teeFailure: unknown;
  tee?.on('error', (e) => { teeFailure ??= e; });
  const counts = { lines: 0, bytes: 0 };
  const flush = (all: boolean): void => {
    if (pending.length === 0) return;
    pending.sort(byTime);
    const limit = process.hrtime.bigint() - REORDER_NS;
    let n = 0;
    while (n < pending.length && (all || pending[n].ns <= limit)) n++;
    const lines: string[] = [];
    for (const record of pending.splice(0, n)) lines.push(...writer.push(record));
    counts.lines += lines.length;
    if (lines.length > 0) {
      const text = `${lines.join('\n')}\n`;
      counts.bytes += Buffer.byteLength(text, 'latin1');
      if (tee && !tee.destroyed) tee.write(text, 'latin1');
    }
    queue.push(lines);
  };
  const flushTimer = setInterval(() => flush(false), FLUSH_EVERY_MS);

  let child: ChildProcess;
  try {
    child = spawn(program, options.command.slice(1), { argv0: options.command[0], cwd: options.cwd, env: options.env, stdio: options.stdio ?? ['inherit', 'inherit', 'inherit'] });
  } catch (error) {
    clearInterval(flushTimer);
    tracer.kill('SIGINT');
    throw new TasklensError('capture', 'spawn-failed', `cannot start ${options.command[0]}`, { cause: error });
  }
  const programExit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('error', () => done({ code: 127, signal: null }));
    child.once('exit', (code, signal) => done({ code, signal }));
  });

  // The trace ends when the command and every task it left behind have ended (as strace -f waits).
  let stopCalls = 0;
  const descendantsGone = (async () => {
    await programExit;
    for (;;) {
      flush(false);
      const live = [...writer.liveTasks].filter((tid) => existsSync(`/proc/${tid}`));
      if (live.length === 0 || stopCalls >= 3) return;
      await new Promise((r) => setTimeout(r, LIVENESS_EVERY_MS));
    }
  })();

  const result = (async () => {
    const program = await programExit;
    await descendantsGone;
    // Records of the last exits may still be in bpftrace's buffers: give them the reorder window.
    await new Promise((r) => setTimeout(r, Number(REORDER_NS / 1_000_000n) + 20));
    const tracerStatus = await stopTracer(tracer, tracerExit);
    if (partial !== '') take(partial);
    clearInterval(flushTimer);
    flush(true);
    queue.close();
    // A failed write destroys the tee and reports the error only after closing the fd (as in capture/trace.ts).
    if (tee && !tee.closed) await new Promise<void>((done) => { tee.once('close', done); if (!tee.destroyed) tee.end(); });
    teeFailure ??= tee?.errored ?? undefined;
    if (teeFailure) {
      const ended = program.signal ? `was killed by ${program.signal}` : program.code !== null ? `exited with code ${program.code}` : 'ended with an unknown status';
      throw new TasklensError('capture', 'tee-failed', `cannot write the raw log to ${options.teePath ?? `fd ${options.teeFd}`}: ${systemErrorText(teeFailure)}; the traced program ${ended}`, { cause: teeFailure });
    }
    const diagnostics = stderr.split('\n').filter((l) => l.trim() !== '' && !isHarmlessStderr(l));
    if (lost > 0) diagnostics.push(`bpftrace lost ${lost} events: the trace is incomplete`);
    return {
      exitCode: program.code,
      signal: program.signal,
      detached: false,
      stopped: stopCalls > 0,
      tracerKilled: stopCalls >= 3,
      straceStatus: tracerStatus,
      diagnostics: [...diagnostics, ...unparsed.map((l) => `unexpected bpftrace output: ${l}`)],
      lines: counts.lines,
      bytes: counts.bytes,
      lostEvents: lost,
      engine: 'bpf' as const,
    };
  })();
  result.catch(() => undefined);

  const stop = ({ signal = 'SIGINT' as NodeJS.Signals, forward = true } = {}): void => {
    stopCalls++;
    if (stopCalls === 1) {
      if (forward && child.exitCode === null && child.signalCode === null) child.kill(signal);
    } else if (stopCalls === 2) {
      for (const tid of writer.liveTasks) { try { process.kill(tid, 'SIGKILL'); } catch { /* gone */ } }
    } else tracer.kill('SIGKILL');
  };
  return { batches: queue, attached: Promise.resolve(undefined), result, stop };
}

/** How often the stop request is repeated until bpftrace has exited. */
const STOP_REPEAT_MS = 200;

/**
 * Asks bpftrace to end (SIGINT: it detaches and flushes) and waits for it. The request is repeated:
 * bpftrace 0.17 only sets a flag in its handler and checks it around an epoll_wait with no timeout,
 * so a SIGINT landing just before that wait is missed until the next event, and with the traced tasks
 * gone no event comes (a test's trace once waited 71 minutes until another signal woke it).
 */
export async function stopTracer(tracer: ChildProcess, exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const ask = (): void => { if (tracer.exitCode === null && tracer.signalCode === null) tracer.kill('SIGINT'); };
  ask();
  const again = setInterval(ask, STOP_REPEAT_MS);
  try {
    return await exited;
  } finally {
    clearInterval(again);
  }
}

function bpftraceFailed(stderr: string): TasklensError {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !isHarmlessStderr(l));
  return new TasklensError('capture', 'bpftrace-failed', `bpftrace could not start the trace${lines.length > 0 ? `: ${lines.slice(0, 5).join('; ')}` : ''}`, {
    hint: 'use --engine strace, or run bpftrace -l tracepoint:sched:* to check the kernel',
  });
}
