/** Clocks, sleeps and timers. */
import { dec } from '../format.js';
import { CLOCK_IDS, TIMER_FLAGS } from '../../kb/flags/index.js';
import type { Call } from '../call.js';
import type { FamilyTable, Said } from './types.js';

/**
 * `{tv_sec=0, tv_nsec=1000000}` -> `1 ms`; also the positional `{1, 0}` of strace before 4.13 and
 * timevals (`tv_usec`). Values that are not a round unit get an approximate lead:
 * `{0, 832724}` (a timeval) -> `about 0.83 s (832724 µs)`.
 */
export function durationWords(c: Call, i: number): string {
  const sec = c.fieldInt(i, 'tv_sec');
  const nsec = c.fieldInt(i, 'tv_nsec') ?? (c.fieldInt(i, 'tv_usec') !== undefined ? c.fieldInt(i, 'tv_usec')! * 1000n : undefined);
  if (sec === undefined || nsec === undefined) return c.text(i) ?? '?';
  return nanosWords(sec * 1_000_000_000n + nsec);
}

/** A duration in nanoseconds in words (exact unit when round, else an approximation and the exact value). */
export function nanosWords(total: bigint): string {
  if (total === 0n) return '0 s';
  if (total % 1_000_000_000n === 0n) return `${total / 1_000_000_000n} s`;
  if (total % 1_000_000n === 0n) return `${total / 1_000_000n} ms`;
  const exact = total % 1_000n === 0n ? `${total / 1_000n} µs` : `${total} ns`;
  if (total < 1_000_000n) return exact;
  // Two decimals of the largest unit that keeps the number readable (rounded to nearest).
  const [unit, name] = total >= 10_000_000n ? [1_000_000_000n, 's'] : [1_000_000n, 'ms'];
  const hundredths = (total * 100n + unit / 2n) / unit;
  return `about ${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')} ${name} (${exact})`;
}

function clockNanosleep(c: Call): Said {
  const clock = c.flags(0, CLOCK_IDS, 'clock', false)[0] ?? c.text(0) ?? '?';
  const flags = c.flags(1, TIMER_FLAGS, 'flags', false);
  const abs = flags.includes('TIMER_ABSTIME');
  const said: Said = { text: abs ? `sleeps until the ${clock} time ${c.text(2) ?? '?'}` : `sleeps for ${durationWords(c, 2)} (${clock})` };
  if (c.errno?.startsWith('ERESTART')) said.text += '; a signal interrupts it';
  return said;
}

export const TIME: FamilyTable = {
  clock_nanosleep: clockNanosleep,
  nanosleep: (c) => ({ text: `sleeps for ${durationWords(c, 0)}` }),
  clock_gettime: (c) => ({ text: `reads the ${c.flags(0, CLOCK_IDS, 'clock', false)[0] ?? c.text(0) ?? '?'} clock (usually answered by the vDSO without a syscall; seen here because this clock or this setup needs the kernel)` }),
  clock_getres: (c) => ({ text: `asks the resolution of the ${c.text(0) ?? '?'} clock` }),
  clock_settime: (c) => ({ text: `sets the ${c.text(0) ?? '?'} clock (needs CAP_SYS_TIME)` }),
  gettimeofday: () => ({ text: 'reads the wall-clock time (normally answered by the vDSO)' }),
  time: () => ({ text: 'reads the time in whole seconds since the epoch' }),
  timer_create: (c) => ({ text: `creates a POSIX timer on ${c.text(0) ?? '?'}${c.text(1) && c.text(1) !== 'NULL' ? ` that notifies with ${c.text(1)}` : ' that sends SIGALRM'}` }),
  timer_settime: (c) => ({ text: `arms POSIX timer ${c.text(0) ?? '?'}: ${c.text(2) ?? '?'}` }),
  timer_gettime: (c) => ({ text: `reads the time left on POSIX timer ${c.text(0) ?? '?'}` }),
  timer_delete: (c) => ({ text: `deletes POSIX timer ${c.text(0) ?? '?'}` }),
  timer_getoverrun: (c) => ({ text: `counts the expirations of POSIX timer ${c.text(0) ?? '?'} that were merged into one signal` }),
  timerfd_create: (c, s) => {
    if (c.ret !== undefined) s.proc.openFd(Number(c.ret), { what: 'timerfd', kind: 'timerfd', line: c.line, cloexec: c.cloexec });
    return { text: `creates a timer that reports expirations through a descriptor (readable in poll/epoll) on ${c.text(0) ?? '?'}${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}`, coversResult: c.ok };
  },
  timerfd_settime: (c) => ({ text: `arms the timerfd ${c.text(0) ?? '?'}: ${c.text(2) ?? '?'}` }),
  timerfd_gettime: (c) => ({ text: `reads the time left on the timerfd ${c.text(0) ?? '?'}` }),
  adjtimex: () => ({ text: 'reads or tunes the kernel clock discipline (NTP)' }),
  clock_adjtime: (c) => ({ text: `reads or tunes the ${c.text(0) ?? '?'} clock discipline` }),
};
