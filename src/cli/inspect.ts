/**
 * `tasklens inspect PID`: one process in depth: identity and credentials, capabilities by name,
 * limits, namespaces, OOM score, signal dispositions, and every thread with its own masks, blocked
 * syscall, wchan, run-queue delay, stack and guard page.
 */
import type { Command } from 'commander';
import { inspectProcess } from '../procfs/process.js';
import { groupNames, userNames } from '../procfs/system.js';
import { inspectJson, renderInspectText } from '../render/procfs/inspect.js';
import { palette } from '../render/color.js';
import { exitOnEpipe, reportError, withExamples, writeJsonLine } from './common.js';
import { parsePidArgument } from './pid-arg.js';

interface Flags {
  json?: boolean;
  fds?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('inspect')
    .description('one process in depth: credentials, capabilities, limits, namespaces, signals, and every thread')
    .argument('<pid>', 'process ID (a thread ID selects its process)', parsePidArgument)
    .option('--json', 'one JSON document (masks as {hex, signals}; 64-bit values as strings)')
    .option('--no-fds', 'do not read the open file descriptors')
    .addHelpText(
      'after',
      `
Per-thread facts (state, blocked and pending signals, capabilities, context switches) come from
/proc/PID/task/TID/status: /proc/PID/status only shows the main thread. Fields that need ptrace
access (syscall, wchan, stack, fds, namespaces of other users' processes) say "not permitted"
instead of showing a misleading 0.`,
    )
    .action((pid: number, flags: Flags) => {
      exitOnEpipe();
      try {
        const detail = inspectProcess(pid, { fds: flags.fds !== false });
        if (flags.json) writeJsonLine(inspectJson(detail));
        else process.stdout.write(renderInspectText(detail, { palette: palette(), users: userNames(), groups: groupNames() }));
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
  withExamples(command, [
    ['tasklens inspect 1234', 'everything about process 1234 and its threads'],
    ['tasklens inspect $(pidof nginx | cut -d" " -f1)', 'the first nginx process'],
    ['tasklens inspect --json 1234 | jq ".threads[] | {tid, name, pending: .pending.signals}"', 'pending signals per thread'],
  ]);
}
