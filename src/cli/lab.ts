/**
 * `tasklens lab [NAME|list]`: the classic experiments (thread vs process, four children, zombies,
 * SIGTERM fan-out, signalfd + epoll), each built from our C sources with gcc (cached), traced with
 * full strace, explained line by line, and summed up in points computed from the real traces.
 */
import type { Command } from 'commander';
import { LABS, findLab, runLab, runSchedLatencyLab } from '../lab/index.js';
import { renderSchedLabText, schedLabToJSON } from '../render/lab/sched.js';
import { renderLabText } from '../render/lab/text.js';
import { labRunToJSON } from '../render/lab/json.js';
import { labToJSON, renderLabListText } from '../render/lab/list.js';
import { termSafe } from '../render/escape.js';
import { ExitCode } from '../errors.js';
import { reportError, withExamples, writeJsonLine } from './common.js';
import type { CliRun } from "./io.js";

interface Flags {
  json?: boolean;
  all?: boolean;
  brief?: boolean;
  rebuild?: boolean;
  cacheDir?: string;
}

/** Progress on stderr, only for a person watching a terminal: one line, rewritten in place. */
function progressReporter(cli: CliRun): { note: (text: string) => void; done: () => void } {
  const tty = cli.stderr.isTTY === true;
  let shown = false;
  return {
    note: (text) => {
      if (!tty) return;
      const columns = cli.stderr.columns ?? 80;
      cli.stderr.write(`\r\x1b[K${cli.palette(cli.colorOn(cli.stderr)).dim(termSafe(`tasklens: ${text}`).slice(0, columns - 1))}`);
      shown = true;
    },
    done: () => {
      if (shown) cli.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('lab')
    .description('classic experiments built from our C sources, traced with strace and explained: thread vs process, four children, zombies, SIGTERM fan-out, signalfd + epoll; sched-latency under perf')
    .argument('[name]', `a lab (${LABS.map((l) => l.id).join(', ')}), or "list"`, 'list')
    .option('--json', 'the lab (or the list) as one JSON document: programs, explained events, computed points')
    .option('--all', 'show every event, the dynamic-loader start-up included')
    .option('--brief', 'one line per event')
    .option('--rebuild', 'compile the C programs even when cached binaries exist')
    .option('--cache-dir <dir>', 'where binaries and logs are kept (default: $XDG_CACHE_HOME/tasklens/labs or ~/.cache/tasklens/labs); it must be yours and writable by you alone, anything else is refused')
    .action(async (name: string, flags: Flags) => {
      const progress = progressReporter(cli);
      try {
        const width = cli.width();
        if (name === 'list') {
          if (flags.json) writeJsonLine({ tasklens: 'lab-list', version: 1, labs: LABS.map(labToJSON) }, cli.stdout);
          else cli.stdout.write(renderLabListText(LABS, { palette: cli.palette(), width }) + '\n');
          cli.exitCode = ExitCode.ok;
          return;
        }
        const perfLab = findLab(name);
        if (perfLab?.engine === 'perf') {
          const run = await runSchedLatencyLab(perfLab, {
            ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }),
            rebuild: flags.rebuild,
            onProgress: progress.note,
            onNote: (note) => {
              progress.done();
              cli.stderr.write(`tasklens: ${note}\n`);
            },
          });
          progress.done();
          if (flags.json) writeJsonLine(schedLabToJSON(run), cli.stdout);
          else cli.stdout.write(renderSchedLabText(run, { palette: cli.palette(), width }) + '\n');
          cli.exitCode = run.exitCode === 0 ? ExitCode.ok : ExitCode.failure;
          if (run.exitCode !== 0) cli.stderr.write(`tasklens: latency ended with exit code ${run.exitCode}, expected 0\n`);
          return;
        }
        const run = await runLab(name, {
          ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }),
          rebuild: flags.rebuild,
          onProgress: progress.note,
          onNote: (note) => {
            progress.done();
            cli.stderr.write(`tasklens: ${note}\n`);
          },
        });
        progress.done();
        if (flags.json) writeJsonLine(labRunToJSON(run), cli.stdout);
        else cli.stdout.write(renderLabText(run, { palette: cli.palette(), width, all: flags.all, brief: flags.brief }) + '\n');
        const unexpected = run.runs.filter((r) => r.trace.signal !== null || r.trace.exitCode !== (r.program.expectExit ?? 0));
        for (const r of unexpected) {
          cli.stderr.write(termSafe(`tasklens: ${r.program.name} ended with ${r.trace.signal ? `signal ${r.trace.signal}` : `exit code ${r.trace.exitCode}`}, expected ${r.program.expectExit ?? 0}`) + '\n');
        }
        cli.exitCode = unexpected.length > 0 ? ExitCode.failure : ExitCode.ok;
      } catch (error) {
        progress.done();
        cli.exitCode = reportError(error, cli);
      }
    });
  withExamples(command, [
    ['tasklens lab list', 'the labs and what each one points out'],
    ['tasklens lab thread-vs-process', 'pthread_create vs fork, traced and compared (npm start)'],
    ['tasklens lab zombies --all', 'every line, the loader start-up included'],
    ['tasklens lab sigterm-fanout --json | jq .points', 'the computed points as data'],
    ['sudo tasklens lab sched-latency', 'wakeup latency of a periodic thread behind spinners, recorded with perf'],
    ['tasklens explain ~/.cache/tasklens/labs/zombies/zombies.strace.log', 'explain a lab log again later'],
  ]);
}
