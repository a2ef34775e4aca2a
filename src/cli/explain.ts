/**
 * `tasklens explain [LOG...|-]`: any strace log (any flags; one file, the files of -ff, or stdin)
 * annotated event by event in plain words, grouped by task and coloured per process, with headers
 * where a multi-call idiom starts and a summary at the end. `--brief`, `--only`, `--json`, `--man`.
 */
import type { Command } from 'commander';
import { Explainer, type ExplainedEvent } from '../explain/index.js';
import { PATTERN_IDS } from '../explain/patterns/index.js';
import { manPageFor } from '../explain/man.js';
import { SYSCALL_CATEGORIES, syscallByName } from '../kb/syscalls.js';
import { renderExplainSummary, renderExplainedText } from '../render/explain/index.js';
import { explainedToJSON } from '../render/explain/json.js';
import { ExitCode, TasklensError } from '../errors.js';
import { jsonLine, reportError, withExamples } from './common.js';
import { logEventBatches } from './input.js';
import { OutputWriter } from './output.js';
import type { CliRun } from "./io.js";

interface Flags {
  brief?: boolean;
  only: string[];
  json?: boolean;
  man?: boolean;
  detail?: boolean;
  summary: boolean;
}

/** Pseudo-categories --only accepts besides pattern ids, syscall categories and syscall names. */
const SELECTORS: Record<string, (item: ExplainedEvent) => boolean> = {
  failures: (i) => i.explanation?.failure !== undefined,
  benign: (i) => i.explanation?.benign !== undefined,
  patterns: (i) => i.partOf.length > 0,
  lifecycle: (i) => ['process', 'signal', 'exit'].includes(i.explanation?.category ?? '') || i.event.kind === 'signal',
};

const EVENT_CATEGORIES = ['signal', 'exit', 'strace', 'stack', 'output', 'unknown'];

/** Builds the --only filter; a value it does not know is a usage error that lists what it knows. */
export function onlyFilter(values: string[]): ((item: ExplainedEvent) => boolean) | undefined {
  const words = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (words.length === 0) return undefined;
  const tests = words.map((w) => {
    if (Object.hasOwn(SELECTORS, w)) return SELECTORS[w];
    if (PATTERN_IDS.includes(w)) return (i: ExplainedEvent) => i.partOf.some((p) => p.id === w);
    if (Object.hasOwn(SYSCALL_CATEGORIES, w) || EVENT_CATEGORIES.includes(w)) return (i: ExplainedEvent) => i.explanation?.category === w;
    if (syscallByName(w)) return (i: ExplainedEvent) => i.event.kind === 'syscall' && i.event.name === w;
    throw new TasklensError('cli', 'bad-only', `--only: unknown pattern, category or syscall "${w}"`, {
      hint: `patterns: ${PATTERN_IDS.join(', ')}; categories: ${[...new Set([...Object.keys(SYSCALL_CATEGORIES), ...EVENT_CATEGORIES])].join(', ')}; also: ${Object.keys(SELECTORS).join(', ')}, or a syscall name`,
      exitCode: ExitCode.usage,
    });
  });
  return (item) => tests.some((t) => t(item));
}

async function run(logs: string[], flags: Flags, cli: CliRun): Promise<number> {
  const filter = onlyFilter(flags.only);
  const out = cli.stdout;
  const writer = new OutputWriter(out);
  const c = cli.palette(!flags.json && cli.colorOn(out));
  const width = cli.width(out);
  const explainer = new Explainer();
  let lastTask: number | undefined;
  const show = (items: ExplainedEvent[]): void => {
    for (const item of items) {
      if (filter && !filter(item)) continue;
      const man = flags.man && item.event.kind === 'syscall' ? manPageFor(syscallByName(item.event.name)?.name ?? item.event.name) : undefined;
      if (flags.json) {
        writer.write(`${jsonLine(explainedToJSON(item, man ? { man } : {}))}\n`);
        continue;
      }
      // A blank line where the log switches to another task keeps each thread's run together visually.
      if (!flags.brief && lastTask !== undefined && item.tid !== lastTask) writer.write('\n');
      lastTask = item.tid;
      writer.write(`${renderExplainedText(item, { palette: c, brief: flags.brief, width, detail: flags.detail, ...(man ? { note: `see ${man}` } : {}) })}\n`);
    }
  };
  // Output is awaited batch by batch: a slow reader slows the reading, memory stays bounded.
  for await (const batch of logEventBatches(logs, { verb: 'explain', json: flags.json, streams: true }, cli)) {
    for (const event of batch) show(explainer.push(event));
    await writer.ready();
  }
  show(explainer.end());
  const summary = explainer.summary();
  if (flags.json) writer.write(`${jsonLine({ kind: 'summary', ...summary })}\n`);
  else if (flags.summary) writer.write(`\n${renderExplainSummary(summary, { palette: c })}\n`);
  await writer.end();
  if (summary.unknownLines > 0 && flags.json) cli.stderr.write(`tasklens: ${summary.unknownLines} line(s) not understood (kept as unknown events)\n`);
  return ExitCode.ok;
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('explain')
    .description('annotate a strace log line by line in plain words: flags decoded, errors explained, idioms (thread creation, fork+exec, loader start-up...) named')
    .argument('[log...]', 'strace log(s): one log, the NAME.<tid> files of -ff (or just NAME), or - for stdin')
    .option('--brief', 'one line per event: the call and a short explanation')
    .option('--only <what>', 'only events of a pattern (thread-create, fork-exec...), a category (memory, signal...), a syscall, or failures/benign/patterns/lifecycle; repeatable or comma-separated', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--json', 'JSON Lines: one record per event with its explanation, decoded flags and patterns; a summary record last')
    .option('--detail', 'also print one line per decoded flag, the errno meaning and other details')
    .option('--man', 'point to the installed manual page of each syscall (man 2 NAME) when there is one')
    .option('--no-summary', 'omit the summary at the end')
    .action(async (logs: string[], flags: Flags) => {
      try {
        cli.exitCode = await run(logs, flags, cli);
      } catch (error) {
        cli.exitCode = reportError(error, cli);
      }
    });
  withExamples(command, [
    ['tasklens explain trace.log', 'every line explained, idioms named, summary at the end'],
    ['tasklens explain --brief trace.log | less -R', 'one line per call'],
    ['tasklens explain --only thread-create,thread-exit trace.log', 'just thread creation and exit/join'],
    ['tasklens explain --only failures trace.log', 'only failed calls that are not normal'],
    ['strace -f -o /dev/stdout ./a.out | tasklens explain -', 'from stdin'],
    ['tasklens explain --json trace.log | jq .explanation.text', 'machine-readable'],
  ]);
}
