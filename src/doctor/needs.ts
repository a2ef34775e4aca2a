/** What each capture need means, how to tell a log lacks it, and the strace flags that provide it. */
import type { LogProfile, Need } from './types.js';

export const NEEDS: Record<Need, { missing: (p: LogProfile) => boolean; reason: string; flags: string[] }> = {
  follow: {
    missing: (p) => p.followMissing,
    reason: 'the children the log shows being created have no lines of their own (strace ran without -f)',
    flags: ['-f'],
  },
  'all-syscalls': {
    missing: (p) => p.syscalls > 0 && !p.allSyscalls,
    reason: 'the log holds only process and signal calls, no descriptor, memory or signal-setup calls (traced with -e trace=%process or a similar filter)',
    flags: ['-e trace=all'],
  },
  durations: {
    missing: (p) => !p.durations && !p.timestamps,
    reason: 'the log has neither per-call times (-T) nor timestamps (-tt) to measure calls by',
    flags: ['-T'],
  },
  timestamps: {
    missing: (p) => !p.timestamps,
    reason: 'the log has no timestamps, so how long things lasted is unknown',
    flags: ['-ttt'],
  },
  'successful-calls': {
    missing: (p) => p.failedOnly,
    reason: 'the log shows only failed calls (-Z / --failed-only), which hides the successful clone, wait and sigaction calls the rule reads',
    flags: ['drop -Z / -e status=failed'],
  },
};

/** The syscalls a lifecycle-only capture shows: any other name means the log is not filtered to them. */
export const LIFECYCLE_NAMES = new Set([
  'clone', 'clone2', 'clone3', 'fork', 'vfork', 'execve', 'execveat', 'exit', 'exit_group', 'wait4', 'waitid',
  'kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'pidfd_send_signal', 'setsid', 'setpgid',
  'unshare', 'setns', 'prctl', 'pidfd_open', 'restart_syscall',
]);
