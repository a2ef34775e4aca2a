/**
 * Failures that are part of normal operation, as data: which call, which errno, an optional test on
 * the call, and why it is harmless. Family describers handle the cases that need their own state
 * (a close of a never-opened number vs a double close; a futex word that changed); this table holds
 * the rest. A failure not explained here or by a family counts as a failure that matters.
 */
import type { Call } from './call.js';

interface BenignRule {
  calls: readonly string[] | '*';
  errno: string;
  when?: (c: Call) => boolean;
  why: string;
}

const path = (c: Call, i: number): string => c.str(i) ?? '';

export const BENIGN_RULES: readonly BenignRule[] = [
  { calls: ['wait4', 'waitid'], errno: 'ECHILD', why: 'no children left to wait for: the normal way a wait loop (a shell, an init) finds out it is done' },
  { calls: ['ioctl'], errno: 'ENOTTY', why: 'the descriptor is not a terminal (or not the device this request is for): libraries probe with ioctl and carry on' },
  { calls: ['mkdir', 'mkdirat'], errno: 'EEXIST', why: 'the directory is already there: `mkdir -p` style code treats this as success' },
  { calls: ['unlink', 'unlinkat'], errno: 'ENOENT', why: 'there was nothing to remove: cleanup code (rm -f) removes names that may not exist' },
  {
    calls: ['openat', 'open', 'newfstatat', 'stat', 'access', 'faccessat', 'faccessat2', 'statx'],
    errno: 'ENOENT',
    when: (c) => /\/etc\/ld\.so\.(preload|nohwcap)$|glibc-hwcaps|\/tls\/|\/haswell\/|\/x86_64\/|\.so(\.[0-9.]+)?$|locale|gconv|\/usr\/share\/zoneinfo|nsswitch|\/etc\/localtime/.test(path(c, c.name === 'open' || c.name === 'stat' || c.name === 'access' ? 0 : 1)),
    why: 'an optional file or one candidate of a search path (libraries, locales, configuration): the library tries the next place or uses its default',
  },
  { calls: ['sched_getaffinity', 'sched_setaffinity'], errno: 'EINVAL', why: 'the CPU mask size was too small for this machine: glibc retries with a larger one' },
  { calls: ['prctl'], errno: 'EINVAL', when: (c) => /PR_CAPBSET_READ|PR_GET_/.test(c.text(0) ?? ''), why: 'a probe for a feature this kernel does not have' },
  { calls: ['statfs', 'fstatfs'], errno: 'ENOSYS', why: 'a probe for a feature this kernel does not have' },
  { calls: '*', errno: 'ENOSYS', why: 'the kernel does not implement this call (too old, or a seccomp filter says so): libraries probe new calls and fall back' },
];

const byCall = new Map<string, BenignRule[]>();
const anyCall: BenignRule[] = [];
for (const rule of BENIGN_RULES) {
  if (rule.calls === '*') anyCall.push(rule);
  else for (const name of rule.calls) byCall.set(name, [...(byCall.get(name) ?? []), rule]);
}

/** Why this failed call is normal, or undefined when it is a failure that may matter. */
export function benignFailure(c: Call): string | undefined {
  const errno = c.errno;
  if (errno === undefined) return undefined;
  for (const rule of [...(byCall.get(c.name) ?? []), ...anyCall]) {
    if (rule.errno === errno && (!rule.when || rule.when(c))) return rule.why;
  }
  return undefined;
}
