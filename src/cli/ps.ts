/**
 * `tasklens ps [PID...]`: every process as a tree, with thread rows on request (TGID vs TID, thread
 * names, per-thread state and CPU), filters by user and name. Reads one small file per task.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ExitCode, noSuchProcess } from '../errors.js';
import { listProcesses, type ProcessEntry } from '../procfs/listing.js';
import { selectProcesses } from '../procfs/select.js';
import { uptimeSeconds, userNames } from '../procfs/system.js';
import { psJsonRecords, renderPsText } from '../render/procfs/ps.js';
import { jsonLine, reportError, withExamples } from './common.js';
import { parsePidArgument } from './pid-arg.js';
import { parseDuration } from './duration.js';
import { readSchedstats, schedstatDeltas, type ThreadWait } from '../sched/schedstat-sample.js';
import type { CliRun } from "./io.js";

/**
 * Run-queue wait of the shown tasks over `ms`: their schedstat read twice. Opt-in because it costs
 * the interval plus two reads per task; a plain `ps` reads only stat and status.
 */
async function sampleWaits(processes: ProcessEntry[], ms: number): Promise<Map<number, ThreadWait>> {
  const pids = processes.filter((p) => !p.kernelThread || p.threads).map((p) => p.pid);
  const t0 = process.hrtime.bigint();
  const before = readSchedstats(pids);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = readSchedstats(pids);
  return new Map(schedstatDeltas(before, after, process.hrtime.bigint() - t0).map((w) => [w.tid, w]));
}

interface Flags {
  threads?: boolean;
  user?: string;
  name?: string;
  flat?: boolean;
  kernel: boolean;
  wide?: boolean;
  json?: boolean;
  sample?: number;
}


export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('ps')
    .description('processes as a tree, with threads (TGID/TID, thread names, per-thread state and CPU)')
    .argument('[pid...]', 'show only these processes and their descendants (a TID selects its process)', (v: string, acc: number[] = []) => [...acc, parsePidArgument(v)])
    .option('-t, --threads', 'one row per thread under each multithreaded process')
    .option('-u, --user <user>', 'only processes owned by this user (name or UID)')
    .option('-n, --name <text>', 'only processes whose name or command line contains this text (case-insensitive)')
    .option('--flat', 'list by PID instead of drawing the tree')
    .option('--no-kernel', 'hide kernel threads')
    .option('-w, --wide', 'do not cut lines to the terminal width')
    .option('--sample <time>', 'add WAIT%: each task\'s share of TIME (e.g. 500ms) spent runnable but waiting for a CPU (two /proc schedstat reads)', (v: string) => parseDuration(v, '--sample'))
    .option('--json', 'JSON Lines: one {"kind":"process"} record per process in display order (with "depth" in tree order), each followed by its {"kind":"thread"} records with --threads')
    .addHelpText(
      'after',
      `
Columns: THR threads in the process; CPU user+system time (M:SS); AGE time since the task started;
WAIT% (with --sample) time runnable but not running, as a share of the sample (summed over threads).
STATE is per task: running, sleeping, disk (uninterruptible), stopped, traced, zombie, idle, ...
"main-exited" marks a live process whose main thread called pthread_exit while other threads run:
ps, top and psutil call it a zombie (<defunct>); it is not one.`,
    )
    .action(async (pids: number[] | undefined, flags: Flags) => {
      try {
        const users = userNames();
        const processes = listProcesses({ threads: flags.threads === true });
        const { shown, missing } = selectProcesses(processes, { pids: pids ?? [], kernel: flags.kernel, user: flags.user, name: flags.name }, users);
        if (pids?.length && missing.length === pids.length) {
          throw noSuchProcess('procfs', missing.join(', '), existsSync('/proc/self') ? undefined : 'is /proc mounted?');
        }
        for (const id of missing) cli.stderr.write(`tasklens: no such process: ${id}\n`);
        const waits = flags.sample !== undefined ? await sampleWaits(shown, flags.sample) : undefined;
        const uptime = uptimeSeconds();
        const tree = flags.flat !== true;
        if (flags.json) {
          // One write for the whole listing: thousands of small writes to a pipe cost more than the scan.
          const lines: string[] = [];
          for (const record of psJsonRecords(shown, { threads: flags.threads === true, tree, uptime, users, ...(waits ? { waits } : {}) })) lines.push(jsonLine(record));
          cli.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
        } else {
          const width = flags.wide ? undefined : cli.width();
          cli.stdout.write(renderPsText(shown, { threads: flags.threads === true, tree, palette: cli.palette(), uptime, users, width, ...(waits ? { waits } : {}) }));
        }
        if (missing.length) cli.exitCode = ExitCode.noSuchProcess;
        else if (shown.length === 0) {
          cli.stderr.write('tasklens: no process matches\n');
          cli.exitCode = ExitCode.failure;
        }
      } catch (error) {
        cli.exitCode = reportError(error, cli);
      }
    });
  withExamples(command, [
    ['tasklens ps', 'every process as a tree'],
    ['tasklens ps --threads 1234', 'process 1234, its descendants, and every thread with its name and state'],
    ['tasklens ps -u www-data -n nginx', "www-data's processes whose name or command contains nginx"],
    ['tasklens ps --flat --no-kernel', 'user-space processes by PID, no tree'],
    ['tasklens ps --threads --sample 500ms 1234', 'which threads of 1234 wait for a CPU, over half a second'],
    ['tasklens ps --json --threads | jq -c \'select(.kind=="thread" and .state=="D")\'', 'threads stuck in uninterruptible sleep'],
  ]);
}
