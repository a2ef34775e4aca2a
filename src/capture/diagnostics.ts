/**
 * strace's own failure messages (on its stderr) turned into TasklensErrors with a hint. A table of
 * patterns, first match wins; lines not in the table stay plain diagnostics.
 */
import { ExitCode, TasklensError } from '../errors.js';

const PTRACE_HINT =
  'ptrace is restricted here. Check /proc/sys/kernel/yama/ptrace_scope (1: only descendants may be traced, ' +
  'so use `tasklens trace -- CMD` or run as root; 2: only root/CAP_SYS_PTRACE; 3: nobody; lower it with ' +
  '`sysctl kernel.yama.ptrace_scope=0`). In a container, start it with `--cap-add=SYS_PTRACE` ' +
  '(and a seccomp profile that allows ptrace); tracing a process of another user needs root.';

interface DiagnosticRule {
  pattern: RegExp;
  make(match: RegExpExecArray, line: string): TasklensError;
}

const RULES: DiagnosticRule[] = [
  {
    pattern: /^strace: attach: ptrace\(PTRACE_(?:SEIZE|ATTACH), (\d+)\): No such process/,
    make: (m) => new TasklensError('capture', 'no-such-process', `no such process: ${m[1]}`, {
      hint: 'check the pid with `tasklens ps` or `ps -e`; the process may have exited already',
      exitCode: ExitCode.noSuchProcess,
    }),
  },
  {
    pattern: /^strace: attach: ptrace\(PTRACE_(?:SEIZE|ATTACH), (\d+)\): Operation not permitted/,
    make: (m) => new TasklensError('capture', 'ptrace-denied', `not permitted to attach to pid ${m[1]} (ptrace denied)`, {
      hint: PTRACE_HINT,
      exitCode: ExitCode.permission,
    }),
  },
  {
    // PTRACE_TRACEME / PTRACE_SEIZE of the started child, PTRACE_SETOPTIONS, test_ptrace_* probes.
    pattern: /^strace: .*(?:ptrace|PTRACE_\w+).*: Operation not permitted/,
    make: (_m, line) => new TasklensError('capture', 'ptrace-denied', `ptrace is not permitted, strace cannot trace (${line.replace(/^strace: /, '')})`, {
      hint: PTRACE_HINT,
      exitCode: ExitCode.permission,
    }),
  },
  {
    pattern: /^strace: Can't stat '(.*)': No such file or directory/,
    make: (m) => commandNotFound(m[1]),
  },
  {
    pattern: /^strace: exec: (Permission denied|Exec format error|No such file or directory)/,
    make: (m) => new TasklensError('capture', 'command-not-executable', `cannot execute the command: ${m[1]}`, {
      hint: 'check that the command is an executable file (chmod +x) built for this machine',
      exitCode: m[1] === 'No such file or directory' ? ExitCode.missingTool : ExitCode.notExecutable,
    }),
  },
];

export function commandNotFound(command: string): TasklensError {
  return new TasklensError('capture', 'command-not-found', `command not found: ${command}`, {
    hint: 'give a path or a program name on PATH, after `--`: tasklens trace -- ls -l',
    exitCode: ExitCode.missingTool,
  });
}

/** A command that exists but cannot be run: exit 126, as a shell reports it. */
export function commandNotExecutable(path: string, reason: 'not-executable' | 'directory'): TasklensError {
  const why = reason === 'directory' ? 'it is a directory' : 'permission denied (not executable)';
  return new TasklensError('capture', 'command-not-executable', `cannot execute ${path}: ${why}`, {
    hint: reason === 'directory' ? 'give the program inside it' : `make it executable (chmod +x ${path}) or run it through its interpreter, e.g. tasklens trace -- sh ${path}`,
    exitCode: ExitCode.notExecutable,
  });
}

/** strace names itself by argv[0]: `strace: ` or, run by path, `/usr/bin/strace: `. */
const OWN_MESSAGE = /^(?:\S*\/)?strace: /;

/** Lines of strace's stderr that are its own messages, normalised to start with `strace: `. */
export function straceMessages(stderr: string): string[] {
  return stderr.split('\n').filter((line) => OWN_MESSAGE.test(line)).map((line) => line.replace(OWN_MESSAGE, 'strace: '));
}

/** Whether strace's stderr says it attached to `pid` (`Process N attached`, `... attached with K threads`). */
export function reportsAttached(stderr: string, pid: number): boolean {
  return new RegExp(`^(?:\\S*/)?strace: Process ${pid} attached(?: with \\d+ threads)?$`, 'm').test(stderr);
}

/** The first failure strace reported on its stderr, as a TasklensError; undefined if none matches. */
export function classifyStraceStderr(stderr: string): TasklensError | undefined {
  for (const line of straceMessages(stderr)) {
    for (const rule of RULES) {
      const m = rule.pattern.exec(line);
      if (m) return rule.make(m, line);
    }
  }
  return undefined;
}
