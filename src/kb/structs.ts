/**
 * Struct layouts for logs of strace before 4.13 (still common in old bug reports and CentOS/RHEL 6-7
 * logs), which printed several structs positionally, without field names:
 *
 *   rt_sigaction(SIGINT, {SIG_IGN, [], SA_RESTORER, 0x7f...}, ...)   handler, mask, flags, restorer
 *   nanosleep({1, 0}, NULL)                                          tv_sec, tv_nsec
 *   select(0, NULL, NULL, NULL, {0, 832724})                         tv_sec, tv_usec
 *
 * The table says, per syscall and argument position, which field each position holds, so an
 * explanation can ask for `sa_handler` or `tv_sec` whichever way the struct was printed.
 */

const SIGACTION = ['sa_handler', 'sa_mask', 'sa_flags', 'sa_restorer'] as const;
const TIMESPEC = ['tv_sec', 'tv_nsec'] as const;
const TIMEVAL = ['tv_sec', 'tv_usec'] as const;
const ITIMERSPEC = ['it_interval', 'it_value'] as const;
const STACK = ['ss_sp', 'ss_flags', 'ss_size'] as const;

/** syscall -> argument index -> field names in print order. */
export const POSITIONAL_STRUCTS: Readonly<Record<string, Readonly<Record<number, readonly string[]>>>> = {
  rt_sigaction: { 1: SIGACTION, 2: SIGACTION },
  sigaction: { 1: SIGACTION, 2: SIGACTION },
  nanosleep: { 0: TIMESPEC, 1: TIMESPEC },
  clock_nanosleep: { 2: TIMESPEC, 3: TIMESPEC },
  clock_gettime: { 1: TIMESPEC },
  select: { 4: TIMEVAL },
  _newselect: { 4: TIMEVAL },
  pselect6: { 4: TIMESPEC },
  ppoll: { 2: TIMESPEC },
  futex: { 3: TIMESPEC },
  rt_sigtimedwait: { 2: TIMESPEC },
  timer_settime: { 2: ITIMERSPEC, 3: ITIMERSPEC },
  timerfd_settime: { 2: ITIMERSPEC, 3: ITIMERSPEC },
  sigaltstack: { 0: STACK, 1: STACK },
  gettimeofday: { 0: TIMEVAL },
};

/** The field names of argument `arg` of `syscall` when strace printed that struct without names. */
export function positionalLayout(syscall: string, arg: number): readonly string[] | undefined {
  const byArg = Object.hasOwn(POSITIONAL_STRUCTS, syscall) ? POSITIONAL_STRUCTS[syscall] : undefined; // names come from logs
  return byArg?.[arg];
}
