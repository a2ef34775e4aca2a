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
import { colorEnabled, palette } from '../render/color.js';
import { terminalWidth } from '../render/text.js';
import { termSafe } from '../render/escape.js';
import { ExitCode } from '../errors.js';
import { exitOnEpipe, reportError, withExamples, writeJsonLine } from './common.js';

interface Flags {
  json?: boolean;
  all?: boolean;
  brief?: boolean;
  rebuild?: boolean;
  cacheDir?: string;
}

/** Progress on stderr, only for a person watching a terminal: one line, rewritten in place. */
function progressReporter(): { note: (text: string) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    note: (text) => {
      if (!tty) return;
      const columns = process.stderr.columns ?? 80;
      process.stderr.write(`\r\x1b[K${palette(colorEnabled(process.stderr)).dim(termSafe(`tasklens: ${text}`).slice(0, columns - 1))}`);
      shown = true;
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

export function register(program: Command): void {
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
      exitOnEpipe();
      const progress = progressReporter();
      try {
        const width = terminalWidth(process.stdout);
        if (name === 'list') {
          if (flags.json) writeJsonLine({ tasklens: 'lab-list', version: 1, labs: LABS.map(labToJSON) });
          else process.stdout.write(renderLabListText(LABS, { palette: palette(), width }) + '\n');
          process.exitCode = ExitCode.ok;
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
              process.stderr.write(`tasklens: ${note}\n`);
            },
          });
          progress.done();
          if (flags.json) writeJsonLine(schedLabToJSON(run));
          else process.stdout.write(renderSchedLabText(run, { palette: palette(), width }) + '\n');
          process.exitCode = run.exitCode === 0 ? ExitCode.ok : ExitCode.failure;
          if (run.exitCode !== 0) process.stderr.write(`tasklens: latency ended with exit code ${run.exitCode}, expected 0\n`);
          return;
        }
        const run = await runLab(name, {
          ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }),
          rebuild: flags.rebuild,
          onProgress: progress.note,
          onNote: (note) => {
            progress.done();
            process.stderr.write(`tasklens: ${note}\n`);
          },
        });
        progress.done();
        if (flags.json) writeJsonLine(labRunToJSON(run));
        else process.stdout.write(renderLabText(run, { palette: palette(), width, all: flags.all, brief: flags.brief }) + '\n');
        const unexpected = run.runs.filter((r) => r.trace.signal !== null || r.trace.exitCode !== (r.program.expectExit ?? 0));
        for (const r of unexpected) {
          process.stderr.write(termSafe(`tasklens: ${r.program.name} ended with ${r.trace.signal ? `signal ${r.trace.signal}` : `exit code ${r.trace.exitCode}`}, expected ${r.program.expectExit ?? 0}`) + '\n');
        }
        process.exitCode = unexpected.length > 0 ? ExitCode.failure : ExitCode.ok;
      } catch (error) {
        progress.done();
        process.exitCode = reportError(error);
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
