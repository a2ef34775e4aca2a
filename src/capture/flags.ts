/**
 * The strace option sets tasklens traces with, as data. Every mode uses `-f` (follow forks and threads)
 * and `-ttt -T` (epoch timestamps with microseconds, so there is no midnight ambiguity; syscall
 * durations, which strace measures anyway). The log always goes to a file (`-o`), so every line carries
 * the `PID ` prefix and strace's own messages stay out of it.
 */

/** Syscalls that create, transform, signal, reap and end tasks. `%process` is strace's class
 * (clone/clone3/fork/vfork/execve/execveat/exit/exit_group/wait4/waitid/kill/tkill/tgkill/
 * rt_sigqueueinfo/rt_tgsigqueueinfo/pidfd_send_signal); the extra names change sessions, groups,
 * namespaces and task attributes (prctl: thread names, subreapers, parent-death signals). */
export const LIFECYCLE_SYSCALLS = ['%process', 'setsid', 'setpgid', 'unshare', 'setns', 'prctl', 'pidfd_open'] as const;

export type CaptureMode = 'lifecycle' | 'full';

export interface ModeFlags {
  /** Options for tracing a command strace starts. */
  command: readonly string[];
  /** Options for attaching (-p): seccomp filters can only be installed by a tracee strace starts. */
  attach: readonly string[];
  description: string;
}

const COMMON = ['-f', '-ttt', '-T'] as const;
/** argv strings up to 1 KiB, so exec'd command lines are complete (paths are never truncated). */
const STRINGS = ['-s', '1024'] as const;
const LIFECYCLE_FILTER = ['-e', `trace=${LIFECYCLE_SYSCALLS.join(',')}`, '-e', 'signal=all'] as const;

export const MODES: Record<CaptureMode, ModeFlags> = {
  lifecycle: {
    command: [...COMMON, ...STRINGS, '--seccomp-bpf', ...LIFECYCLE_FILTER],
    attach: [...COMMON, ...STRINGS, ...LIFECYCLE_FILTER],
    description: 'process, thread and signal events only; --seccomp-bpf keeps untraced syscalls at full speed',
  },
  full: {
    command: [...COMMON],
    attach: [...COMMON],
    description: 'every syscall of every thread',
  },
};

/** The strace arguments for a mode and target, without -o and the command/pid. */
export function straceFlags(mode: CaptureMode, target: 'command' | 'attach', options: { seccompBpf?: boolean } = {}): string[] {
  const flags = [...MODES[mode][target]];
  return options.seccompBpf === false ? flags.filter((f) => f !== '--seccomp-bpf') : flags;
}
