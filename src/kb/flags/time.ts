/**
 * Clock and timer constants (<linux/time.h>) and getrandom flags (<linux/random.h>): what strace
 * prints in clock_gettime, clock_nanosleep, timer_create, setitimer and getrandom calls.
 */
import { defineTable } from './table.js';

type Row = [string, bigint, string];
const enumRows = (rows: readonly Row[]) => rows.map(([name, value, meaning]) => ({ name, value, meaning }));

export const CLOCK_IDS = defineTable({
  id: 'clockid',
  title: 'clock IDs',
  kind: 'enum',
  values: enumRows([
    ['CLOCK_REALTIME', 0n, 'wall-clock time; jumps when the system time is set'],
    ['CLOCK_MONOTONIC', 1n, 'time since an arbitrary point that never jumps back; stops during suspend'],
    ['CLOCK_PROCESS_CPUTIME_ID', 2n, 'CPU time used by all threads of the process'],
    ['CLOCK_THREAD_CPUTIME_ID', 3n, 'CPU time used by the calling thread'],
    ['CLOCK_MONOTONIC_RAW', 4n, 'monotonic time not slewed by NTP'],
    ['CLOCK_REALTIME_COARSE', 5n, 'cheap, lower-resolution wall-clock time'],
    ['CLOCK_MONOTONIC_COARSE', 6n, 'cheap, lower-resolution monotonic time'],
    ['CLOCK_BOOTTIME', 7n, 'monotonic time that keeps counting during suspend'],
    ['CLOCK_REALTIME_ALARM', 8n, 'wall-clock timer that wakes the system from suspend'],
    ['CLOCK_BOOTTIME_ALARM', 9n, 'boot-time timer that wakes the system from suspend'],
    ['CLOCK_SGI_CYCLE', 10n, 'SGI cycle counter (removed; always fails)'],
    ['CLOCK_TAI', 11n, 'International Atomic Time: wall clock without leap seconds'],
  ]),
});

export const TIMER_FLAGS = defineTable({
  id: 'timer_flags',
  title: 'clock_nanosleep / timer_settime flags',
  kind: 'bits',
  values: [{ name: 'TIMER_ABSTIME', value: 1n, meaning: 'the time is an absolute deadline on the clock, not a duration' }],
});

export const ITIMER_WHICH = defineTable({
  id: 'itimer',
  title: 'interval timers',
  kind: 'enum',
  values: enumRows([
    ['ITIMER_REAL', 0n, 'counts wall-clock time and sends SIGALRM'],
    ['ITIMER_VIRTUAL', 1n, 'counts user CPU time of the process and sends SIGVTALRM'],
    ['ITIMER_PROF', 2n, 'counts user and system CPU time and sends SIGPROF'],
  ]),
});

export const GETRANDOM_FLAGS = defineTable({
  id: 'getrandom',
  title: 'getrandom flags',
  kind: 'bits',
  values: [
    { name: 'GRND_NONBLOCK', value: 1n, meaning: 'fail with EAGAIN instead of waiting if the pool is not yet initialised' },
    { name: 'GRND_RANDOM', value: 2n, meaning: 'draw from the (historically blocking) random source instead of urandom' },
    { name: 'GRND_INSECURE', value: 4n, meaning: 'return bytes even before the pool is initialised, without waiting' },
  ],
});
