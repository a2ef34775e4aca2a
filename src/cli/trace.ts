/**
 * `tasklens trace [options] -- CMD ARGS...` and `tasklens trace -p PID`: runs (or attaches) strace,
 * parses its log live into the task model and prints a thread-aware timeline. The traced program keeps
 * its stdin/stdout/stderr; the timeline goes to stderr (like strace) unless `--out` says otherwise.
 * Exit code: the traced program's (128+N when killed by signal N), so scripts see the same result.
 */
import type { Command } from 'commander';
import { setFlagsFromString } from 'node:v8';
import type { CliRun } from "./io.js";
// Only what starting strace needs is imported up front; the parser, model and renderers load while
// the traced program already runs (see runTrace): every trace, short ones above all, waits for imports.
import type { Attachment, TraceResult } from '../capture/index.js';
import { startCapture, parseEngine, type CaptureSession } from './trace-engine.js';
import type { TraceEvent } from '../parse/types.js';
import type { ExplainedEvent } from '../explain/index.js';
import type { Folded } from '../render/exec-search.js';
import { termSafe } from '../render/escape.js';
import { signalByName } from '../kb/signals.js';
import { ExitCode, TasklensError } from '../errors.js';
import { jsonLine, reportError, withExamples } from './common.js';
import { parsePidArgument } from './pid-arg.js';
import { discardOutputs, openOutputs, programOutcome, textOutput } from './output-files.js';
import { systemErrorText } from '../system-errors.js';

interface Flags {
  pid?: number;
  full?: boolean;
  lifecycle?: boolean;
  output?: string;
  out?: string;
  force?: boolean;
  tree?: boolean;
  json?: boolean;
  straceArg: string[];
  continuations?: boolean;
  timeline: boolean;
  explain?: boolean;
  report?: string;
  doctor?: boolean;
  perfetto?: string;
  engine: string;
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('trace')
    .description('run a command (or attach to a process) under strace and show a live, thread-aware timeline of its tasks')
    .argument('[command...]', 'the program to run and its arguments (put them after --)')
    .option('-p, --pid <pid>', 'attach to a running process and all its threads (Ctrl-C detaches and leaves it running)', parsePidArgument)
    .option('--lifecycle', 'only process, thread and signal events, with --seccomp-bpf so the program runs at near full speed (default)')
    .option('--full', 'trace every syscall')
    .option('--engine <name>', 'bpf (kernel tracepoints, near-zero cost, lifecycle only; root or CAP_BPF+CAP_PERFMON, tracefs, BTF, bpftrace), strace, or auto (strace for now)', 'auto')
    .option('-o, --output <file>', 'keep the raw strace log in FILE (byte for byte); an existing file is not replaced without --force')
    .option('--out <file>', 'write the timeline (or JSON) to FILE, or - for stdout (default: stderr, like strace)')
    .option('--force', 'let -o and --out replace existing files (symlinks another user could have planted are still refused)')
    .option('--tree', 'print the process/thread tree at the end')
    .option('--json', 'JSON Lines: one parsed event per line (and the tree as a last line with --tree)')
    .option('--no-timeline', 'print no timeline (useful with --tree or -o)')
    .option('--explain', 'explain every event in plain words under it and name idioms (thread creation, fork+exec...); with --json, explanation records')
    .option('--doctor', 'after the timeline, the doctor\'s findings for the trace (with --full: every rule can run); with --json, finding records')
    .option('--report <file>', 'also write the self-contained HTML report of the trace to FILE (see tasklens report)')
    .option('--perfetto <file>', 'also write the trace as Trace Event JSON for ui.perfetto.dev or chrome://tracing to FILE')
    .option('--continuations', 'also show -k stack frames and hex dumps when strace prints them')
    .option('-X, --strace-arg <arg>', 'extra option passed to strace (repeatable), e.g. -X -yy -X -s4096', (value: string, all: string[]) => [...all, value], [] as string[])
    .passThroughOptions()
    .action(async (argv: string[], flags: Flags) => {
      cli.exitCode = await runTrace(argv, flags, cli).catch((error: unknown) => reportError(error, cli));
    });
  withExamples(command, [
    ['tasklens trace -- sh -c "sleep 1 & wait"', 'processes, exec, wait and SIGCHLD of a shell'],
    ['tasklens trace --full -- ./a.out', 'every syscall of every thread'],
    ['tasklens trace --engine bpf -- make -j4', 'lifecycle from kernel tracepoints (root): the build runs at full speed'],
    ['tasklens trace --tree --no-timeline -- make -j4', 'just the process tree of a build'],
    ['tasklens trace -p 1234 -o app.strace', 'attach to 1234 (Ctrl-C detaches), keep the raw log'],
    ['tasklens trace --json --out - -- ls > events.jsonl', 'JSON Lines of every event on stdout'],
    ['tasklens trace --full --doctor -- ./server', 'the timeline, then what went wrong (zombies, leaked fds, ignored SIGTERM...)'],
    ['tasklens trace --full --report r.html -- ./server', 'an HTML report (lanes, tree, signals) of the whole trace'],
  ]);
}

async function runTrace(argv: string[], flags: Flags, cli: CliRun): Promise<number> {
  if (flags.full && flags.lifecycle) throw new TasklensError('cli', 'bad-mode', '--full and --lifecycle exclude each other', { exitCode: ExitCode.usage });
  const pid = flags.pid;
  if (pid !== undefined && argv.length > 0) throw new TasklensError('cli', 'bad-target', 'give either -p PID or a command, not both', { exitCode: ExitCode.usage });
  if (pid === undefined && argv.length === 0) throw new TasklensError('cli', 'no-command', 'no command to trace', { hint: 'tasklens trace -- CMD ARGS...  or  tasklens trace -p PID', exitCode: ExitCode.usage });

  // Output paths are checked and opened before anything runs (src/cli/output-files.ts).
  const files = openOutputs([
    ...(flags.output !== undefined ? [{ option: '-o', path: flags.output }] : []),
    ...(flags.out !== undefined && flags.out !== '-' ? [{ option: '--out', path: flags.out }] : []),
    ...(flags.report !== undefined ? [{ option: '--report', path: flags.report }] : []),
    ...(flags.perfetto !== undefined ? [{ option: '--perfetto', path: flags.perfetto }] : []),
  ], { force: flags.force });
  const reportFiles = files.filter((f) => f.option === '--report' || f.option === '--perfetto');
  const rawLog = files.find((f) => f.option === '-o');
  const out = textOutput(flags.out, files.find((f) => f.option === '--out'), cli);
  const useColor = flags.json ? false : cli.colorOn(out.stream);
  // A lifecycle trace runs cold code for a few thousand lines while the traced program wants the same
  // CPUs: V8's optimizing compiler (TurboFan, on a background thread) then costs more than it saves.
  // Tiering up after 16 times the default budget (67,584) took tasklens's own CPU on the mixed
  // workload of `npm run bench -- tracing` from ~330 to ~225 ms a run. Not in --full mode: there,
  // hundreds of thousands of lines want optimized code early (+150 ms CPU on find /usr/share).
  if (!flags.full) setFlagsFromString('--interrupt-budget=1081344');
  const session = await startCapture(parseEngine(flags.engine), {
    ...(pid === undefined ? { command: argv } : { pid }),
    mode: flags.full ? 'full' : 'lifecycle',
    extraFlags: flags.straceArg,
    ...(rawLog ? { teePath: rawLog.path, teeFd: rawLog.fd } : {}),
    stdio: ['inherit', 'inherit', 'inherit'],
  }, cli.io.stderr).catch((error: unknown) => {
    discardOutputs(files); // nothing ran: leave no empty files behind
    throw error;
  });
  const stopOnSignal = installSignalHandlers(session, pid !== undefined, cli);
  // strace runs (its log waits in the FIFO): load the rest meanwhile. The explainer only when asked for.
  const [{ StraceParser }, { TaskGraph }, { TimelineRenderer, shellExitCode }, { ExecSearchFold }] = await Promise.all([
    import('../parse/index.js'),
    import('../model/index.js'),
    import('../render/timeline.js'),
    import('../render/exec-search.js'),
  ]);
  const graph = new TaskGraph();
  // The report keeps a model of its own (with the explainer's texts); loaded only when asked for.
  const collector = reportFiles.length > 0
    ? new (await import('../report/index.js')).ReportCollector({ title: pid === undefined ? argv.join(' ') : `pid ${pid}`, doctor: new (await import('../doctor/index.js')).Doctor() })
    : undefined;
  const doctor = flags.doctor ? new (await import('../doctor/index.js')).Doctor() : undefined;
  const live = flags.explain ? new (await import('../render/explain/live.js')).LiveExplanations(graph, { palette: cli.palette(useColor) }) : undefined;
  const explainedToJSON = flags.explain && flags.json ? (await import('../render/explain/json.js')).explainedToJSON : undefined;
  const timeline = new TimelineRenderer(graph, {
    palette: cli.palette(useColor),
    ...(live ? { annotate: live.annotate } : {}),
    width: cli.width(out.stream),
    continuations: flags.continuations,
  });
  // Attached: the threads strace attached to are threads of the process from the first line on.
  let seeded = pid === undefined;
  const seed = (attachment: Attachment | undefined): void => {
    if (seeded) return;
    seeded = true;
    if (!attachment) return;
    const threads = attachment.tids.length;
    if (threads > 0) {
      graph.seedAttached(attachment.pid, attachment.tids);
      collector?.seedAttached(attachment.pid, attachment.tids);
    }
    cli.stderr.write(`tasklens: attached to ${attachment.pid}${threads > 0 ? ` (${threads} thread${threads === 1 ? '' : 's'})` : ''}\n`);
  };
  void session.attached.then(seed);
  const parser = new StraceParser({ source: flags.output });
  // What a batch of log lines prints is written at once: one write per batch, not one per event.
  let pending = '';
  const write = (text: string): void => { pending += text; };
  const flush = (): void => {
    if (pending === '') return;
    out.write(pending);
    pending = '';
  };
  // A PATH search's misses are held until the same thread's next event says whether it succeeded.
  const fold = new ExecSearchFold<TraceEvent>();
  const writeTimeline = (shown: Folded<TraceEvent>[]): void => {
    for (const { item, misses } of shown) {
      const text = timeline.render(item, misses);
      if (text !== undefined) write(`${text}\n`);
    }
  };
  const toTimeline = (event: TraceEvent): void => writeTimeline(fold.push(event, event));
  // Held misses of a thread that then goes quiet are shown after a moment, not only at the end.
  let quietFlush: NodeJS.Timeout | undefined;
  const flushWhenQuiet = (): void => {
    clearTimeout(quietFlush);
    if (fold.holding) quietFlush = setTimeout(() => { writeTimeline(fold.flush()); flush(); }, 300).unref();
  };
  const emit = (events: TraceEvent[]): void => {
    for (const event of events) {
      graph.apply(event);
      collector?.push(event);
      doctor?.push(event);
      if (live) {
        show(live.push(event));
        continue;
      }
      if (flags.json) write(`${jsonLine(event)}\n`);
      else if (flags.timeline) toTimeline(event);
    }
  };
  function show(items: ExplainedEvent[]): void {
    for (const item of items) {
      if (flags.json) write(`${jsonLine(explainedToJSON!(item))}\n`);
      else if (flags.timeline) toTimeline(item.event);
    }
  }
  let result: TraceResult;
  try {
    const batch: TraceEvent[] = [];
    for await (const lines of session.batches) {
      if (!seeded) seed(await session.attached);
      for (const line of lines) parser.push(line, batch);
      emit(batch);
      batch.length = 0;
      flush();
      flushWhenQuiet();
      await out.ready();
    }
    emit(parser.end());
    if (live) show(live.end());
    clearTimeout(quietFlush);
    writeTimeline(fold.flush());
    flush();
    result = await session.result;
  } finally {
    stopOnSignal();
  }
  // strace reports a detach on its stderr only (`Process N detached`): the tasks it left end there.
  if (pid !== undefined) {
    const messages = new StraceParser();
    for (const event of messages.end(result.diagnostics.flatMap((line) => messages.push(line)))) {
      if (event.kind === 'message' && event.detached) {
        graph.apply(event);
        collector?.push(event);
        doctor?.push(event);
      }
    }
  }
  graph.finish();
  if (flags.tree) {
    const { renderTreeText, treeToJSON } = await import('../render/tree/index.js');
    if (flags.json) out.write(`${jsonLine({ kind: 'tree', tree: treeToJSON(graph) })}\n`);
    else out.write(`\n${renderTreeText(graph, { color: cli.palette(useColor) })}\n`);
  }
  if (doctor) {
    const { renderDoctorText, findingToJSON, doctorSummaryJSON } = await import('../render/doctor/index.js');
    const report = doctor.end();
    if (flags.json) {
      for (const f of report.findings) out.write(`${jsonLine({ kind: 'finding', ...findingToJSON(f) })}\n`);
      out.write(`${jsonLine({ ...doctorSummaryJSON(report), kind: 'doctor-summary' })}\n`);
    } else out.write(`\n${renderDoctorText(report, { palette: cli.palette(useColor), stdinName: flags.output ?? 'trace' })}`);
  }
  if (collector) {
    const { writeReportFiles } = await import('./report.js');
    writeReportFiles(collector.end(), reportFiles, result);
  }
  const writeError = await out.close();
  if (writeError) {
    throw new TasklensError('cli', 'write-failed', `cannot write the timeline to ${termSafe(flags.out!)}: ${systemErrorText(writeError)}; ${programOutcome(result)}`, { cause: writeError });
  }
  // The traced program's status as a shell would report it; 0 after a detach from -p.
  return result.detached ? ExitCode.ok : shellExitCode(result.exitCode, result.signal, (name) => signalByName(name)?.number);
}

/**
 * Ctrl-C and SIGTERM: the program must see them and tasklens must keep reading until strace has
 * written everything. A terminal's Ctrl-C already reached the program (same process group), so it is
 * not sent again; a SIGTERM aimed at tasklens alone is passed on. Repeating escalates (see stop()).
 */
function installSignalHandlers(session: CaptureSession, attached: boolean, cli: CliRun): () => void {
  const onInt = (): void => session.stop({ signal: 'SIGINT', forward: attached || !cli.io.stdin.isTTY });
  const onTerm = (): void => session.stop({ signal: 'SIGTERM' });
  const onHup = (): void => session.stop({ signal: 'SIGHUP' });
  const { signals } = cli;
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  signals.on('SIGHUP', onHup);
  return () => {
    signals.off('SIGINT', onInt);
    signals.off('SIGTERM', onTerm);
    signals.off('SIGHUP', onHup);
  };
}
