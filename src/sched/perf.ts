/**
 * Running perf: `perf script` over a perf.data file (streamed into the analysis line by line, so a
 * large file needs no more memory than a small one) and `perf record` of the scheduler tracepoints.
 * perf is always spawned with an argv array, never through a shell.
 */
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, createReadStream, openSync, readFileSync } from 'node:fs';
import { findExecutable } from '../capture/locate.js';
import { ExitCode, TasklensError } from '../errors.js';
import { SchedAnalyzer, type AnalysisOptions, type SchedAnalysis } from './analysis.js';
import { PERF_SCRIPT_FIELDS, parsePerfScriptLine } from './perf-script.js';
import { LineSplitter as ByteLineSplitter, lineText, type Line } from '../parse/lines.js';

/**
 * The tracepoints a live recording takes: `sched_waking` starts a wakeup (what `perf sched record`
 * records instead of `sched_wakeup`), `sched_wakeup_new` a new task's first one, `sched_switch`
 * ends the waits, `sched_migrate_task` counts migrations, `sched_process_fork` lets `-p`/`-- CMD`
 * follow new threads and children.
 */
export const RECORD_TRACEPOINTS = ['sched:sched_switch', 'sched:sched_waking', 'sched:sched_wakeup_new', 'sched:sched_migrate_task', 'sched:sched_process_fork'] as const;

export const PERF_INSTALL_HINT = 'install it with: apt-get install linux-perf (Debian; linux-tools-common and linux-tools-$(uname -r) on Ubuntu)';

/** The path of perf, or TasklensError `perf-missing` (exit 127). */
export function locatePerf(path = process.env.PATH ?? ''): string {
  const found = findExecutable('perf', path);
  if (!found) throw new TasklensError('sched', 'perf-missing', 'perf not found', { hint: PERF_INSTALL_HINT, exitCode: ExitCode.missingTool });
  return found;
}

/** What stops this process from recording scheduler tracepoints system-wide, or undefined when it may. */
export function tracingDenied(): string | undefined {
  if (process.geteuid?.() === 0) return undefined;
  let paranoid = 2;
  try {
    paranoid = Number(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8').trim());
  } catch {
    // no perf events in this kernel: perf itself will say so
  }
  const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const caps = capEff ? BigInt(`0x${capEff}`) : 0n;
  const CAP_PERFMON = 38n;
  const CAP_SYS_ADMIN = 21n;
  if ((caps >> CAP_PERFMON) & 1n || (caps >> CAP_SYS_ADMIN) & 1n) {
    try {
      accessSync('/sys/kernel/tracing/events/sched', constants.R_OK);
      return undefined;
    } catch {
      return 'tracefs (/sys/kernel/tracing) is not readable';
    }
  }
  if (paranoid <= -1) return undefined;
  return `recording scheduler tracepoints system-wide needs root, CAP_PERFMON, or kernel.perf_event_paranoid=-1 (it is ${paranoid})`;
}

export function permissionError(reason: string): TasklensError {
  return new TasklensError('sched', 'tracing-denied', `tracing not permitted: ${reason}`, {
    hint: 'run as root, or grant CAP_PERFMON (setcap cap_perfmon+ep $(command -v perf)), or: sysctl kernel.perf_event_paranoid=-1; without tracing, `tasklens sched -p PID` samples /proc schedstat (averages only)',
    exitCode: ExitCode.permission,
  });
}

/**
 * Feeds byte chunks of perf script output; calls `line` for every complete line with its 1-based
 * number. The bytes are split by the parse layer's splitter (UTF-8 kept lossless, lines capped): a
 * perf script line longer than PERF_LINE_CAP is reported as unreadable, never buffered whole.
 */
export class LineSplitter {
  private readonly bytes = new ByteLineSplitter({ maxLineBytes: PERF_LINE_CAP });
  private n = 0;
  constructor(private readonly line: (text: string, n: number) => void) {}
  push(chunk: Buffer | string): void {
    this.bytes.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk, (l) => this.emit(l));
  }
  end(): void {
    const last = this.bytes.end();
    if (last !== undefined) this.emit(last);
  }
  private emit(l: Line): void {
    // An over-long line keeps only its head: it cannot parse as a record, so it becomes `unknown`.
    this.line(typeof l === 'string' ? l : `${lineText(l)} [line of ${l.bytes} bytes cut]`, ++this.n);
  }
}

/** No tracepoint line comes near this; a longer one is garbage, not worth holding in memory. */
const PERF_LINE_CAP = 64 * 1024;

/** Analyses perf script text (already produced with PERF_SCRIPT_FIELDS), e.g. a saved file's contents. */
export function analyzePerfScriptText(text: string, options: AnalysisOptions = {}): SchedAnalysis {
  const analyzer = new SchedAnalyzer(options);
  const splitter = new LineSplitter((line, n) => {
    const record = parsePerfScriptLine(line, n);
    if (record) analyzer.add(record);
  });
  splitter.push(text);
  splitter.end();
  return analyzer.result();
}

export interface PerfDataOptions extends AnalysisOptions {
  /** perf executable (default: found on PATH). */
  perf?: string;
}

/**
 * Analyses a perf.data file through `perf script`, streaming. Rejects with TasklensError when perf is
 * missing (127), the file is unreadable, or perf fails (its message quoted).
 */
export async function analyzePerfData(file: string, options: PerfDataOptions = {}): Promise<SchedAnalysis> {
  accessSync(file, constants.R_OK); // ENOENT/EACCES as the system error, before perf says it its way
  const perf = options.perf ?? locatePerf();
  const analyzer = new SchedAnalyzer(options);
  const child = spawn(perf, ['script', '-i', file, ...PERF_SCRIPT_FIELDS], { stdio: ['ignore', 'pipe', 'pipe'] });
  const splitter = new LineSplitter((line, n) => {
    const record = parsePerfScriptLine(line, n);
    if (record) analyzer.add(record);
  });
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 8192) stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => reject(new TasklensError('sched', 'perf-failed', `cannot run ${perf}: ${error.message}`, { hint: PERF_INSTALL_HINT, exitCode: ExitCode.missingTool })));
    child.once('close', (status) => resolve(status));
  });
  splitter.end();
  if (code !== 0) {
    const message = usefulPerfLines(stderr).join('; ') || `exit status ${code}`;
    throw new TasklensError('sched', 'perf-failed', `perf script failed on ${file}: ${message}`, { hint: 'is it a perf.data file recorded with sched tracepoints (perf sched record, or tasklens sched --record FILE)?' });
  }
  const result = analyzer.result();
  if (result.events === 0) {
    throw new TasklensError('sched', 'no-sched-events', `${file} holds no scheduler tracepoint events`, { hint: 'record with: perf sched record -- CMD, or: tasklens sched --duration 10s --all' });
  }
  return result;
}

/** perf's stderr without its per-event-type warnings ("'trace' not valid for ... events"). */
function usefulPerfLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/not valid for .* events/.test(l) && !l.startsWith('#'))
    .slice(0, 4);
}

export type RecordTarget = { kind: 'all' } | { kind: 'pid'; pid: number } | { kind: 'command'; argv: string[] };

export interface RecordOptions {
  target: RecordTarget;
  /** Where perf writes (perf.data). */
  output: string;
  /** Recording length; for a command, its run (cut at durationMs when given). */
  durationMs?: number;
  perf?: string;
  /** Where the command's stdout goes (kind 'command'): ours (default) or our stderr (keeps --json output clean). */
  commandStdout?: 'stdout' | 'stderr';
  /** Called with the command's PID once perf has started it (kind 'command'). */
  onCommandStarted?: (pid: number) => void;
}

export interface RecordResult {
  output: string;
  /** The command's PID (kind 'command'), to follow it in the analysis. */
  commandPid?: number;
  /** The command's exit status as perf reported it (kind 'command'). */
  exitCode: number | null;
}

/**
 * Records the scheduler tracepoints system-wide into `output` (a PID or a command is selected at
 * analysis: a task's switch-in is an event of the task it replaces, so a per-process recording
 * would miss it). Throws `tracing-denied` (77) when this process may not trace.
 */
export async function recordSched(options: RecordOptions): Promise<RecordResult> {
  const perf = options.perf ?? locatePerf();
  const denied = tracingDenied();
  if (denied) throw permissionError(denied);
  const events = RECORD_TRACEPOINTS.flatMap((e) => ['-e', e]);
  const seconds = ((options.durationMs ?? 10_000) / 1000).toFixed(3);
  const workload = options.target.kind === 'command' ? options.target.argv : ['sleep', seconds];
  const argv = ['record', '-q', '-a', ...events, '-o', options.output, '--', ...workload];
  const stdout = options.commandStdout === 'stderr' ? 2 : 'inherit';
  const child = spawn(perf, argv, { stdio: options.target.kind === 'command' ? ['inherit', stdout, 'pipe'] : ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (options.target.kind === 'command') process.stderr.write(chunk);
    if (stderr.length < 8192) stderr += chunk;
  });
  let commandPid: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  if (options.target.kind === 'command') {
    // perf forks the command as its own child: find it in /proc to follow it in the analysis.
    poll = setInterval(() => {
      const pid = childOf(child.pid);
      if (pid !== undefined) {
        commandPid = pid;
        options.onCommandStarted?.(pid);
        clearInterval(poll);
      }
    }, 5);
    if (options.durationMs !== undefined) timer = setTimeout(() => child.kill('SIGINT'), options.durationMs);
  }
  const stopOnSignal = () => child.kill('SIGINT');
  process.once('SIGINT', stopOnSignal);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => reject(new TasklensError('sched', 'perf-failed', `cannot run ${perf}: ${error.message}`, { hint: PERF_INSTALL_HINT, exitCode: ExitCode.missingTool })));
    child.once('close', (status) => resolve(status));
  });
  process.off('SIGINT', stopOnSignal);
  if (timer) clearTimeout(timer);
  if (poll) clearInterval(poll);
  if (/permission|paranoid|Access to performance monitoring/i.test(stderr)) throw permissionError(usefulPerfLines(stderr)[0] ?? 'perf was refused');
  try {
    accessSync(options.output, constants.R_OK);
  } catch {
    throw new TasklensError('sched', 'perf-failed', `perf record wrote nothing: ${usefulPerfLines(stderr).join('; ') || `exit status ${code}`}`);
  }
  return { output: options.output, ...(commandPid !== undefined ? { commandPid } : {}), exitCode: code };
}

function childOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `perf script` text of a perf.data (the fields the parser reads) to `out`, e.g. to cite its lines later. */
export async function writePerfScript(data: string, out: string, perf = locatePerf()): Promise<void> {
  const fd = openSync(out, 'w', 0o600);
  try {
    const child = spawn(perf, ['script', '-i', data, ...PERF_SCRIPT_FIELDS], { stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      if (stderr.length < 8192) stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new TasklensError('sched', 'perf-failed', `perf script failed on ${data}: ${usefulPerfLines(stderr).join('; ') || `exit status ${code}`}`);
  } finally {
    closeSync(fd);
  }
}

/** Analyses a saved perf script text file, streaming (line numbers are the file's). */
export async function analyzePerfScriptFile(path: string, options: AnalysisOptions = {}): Promise<SchedAnalysis> {
  const analyzer = new SchedAnalyzer(options);
  const splitter = new LineSplitter((line, n) => {
    const record = parsePerfScriptLine(line, n);
    if (record) analyzer.add(record);
  });
  for await (const chunk of createReadStream(path)) splitter.push(chunk as Buffer);
  splitter.end();
  return analyzer.result();
}

/** The text of the given 1-based lines of a file, in one streaming pass. */
export async function readLines(path: string, wanted: Iterable<number>): Promise<Map<number, string>> {
  const want = new Set(wanted);
  const out = new Map<number, string>();
  const last = Math.max(0, ...want);
  const splitter = new LineSplitter((line, n) => {
    if (want.has(n)) out.set(n, line);
  });
  for await (const chunk of createReadStream(path)) {
    splitter.push(chunk as Buffer);
    if (out.size === want.size || (last > 0 && out.size >= want.size)) break;
  }
  splitter.end();
  return out;
}
