/**
 * `--limit NAME=SOFT[:HARD]`: a resource limit as the user writes it (`STACK=8M`, `NOFILE=1024:4096`,
 * `CORE=unlimited`, `CPU=2m`), parsed into the raw numbers setrlimit(2) takes. Values are bigint:
 * RLIM_INFINITY and byte sizes do not fit a JS number.
 */
import { TasklensError, ExitCode } from '../errors.js';
import { RLIM_INFINITY } from '../kb/flags/rlimit.js';

export type LimitValue = bigint | 'unlimited';

/** How a resource's value is counted, which decides the suffixes it accepts. */
type Measure = 'bytes' | 'seconds' | 'microseconds' | 'count' | 'priority';

export interface ResourceInfo {
  /** Short name as `--limit` and prlimit(1) spell it: NPROC, STACK... */
  name: string;
  /** RLIMIT_* constant name. */
  resource: string;
  /** Row label of /proc/PID/limits. */
  label: string;
  measure: Measure;
  /** What happens when a process reaches the limit, in one line. */
  atLimit: string;
}

/** Every resource of getrlimit(2), in the kernel's order (the order of /proc/PID/limits). */
export const RESOURCES: readonly ResourceInfo[] = [
  { name: 'CPU', resource: 'RLIMIT_CPU', label: 'Max cpu time', measure: 'seconds', atLimit: 'SIGXCPU at the soft limit (then every second), SIGKILL at the hard limit' },
  { name: 'FSIZE', resource: 'RLIMIT_FSIZE', label: 'Max file size', measure: 'bytes', atLimit: 'a write past it gets SIGXFSZ (and EFBIG if that is ignored)' },
  { name: 'DATA', resource: 'RLIMIT_DATA', label: 'Max data size', measure: 'bytes', atLimit: 'brk and private writable mmap fail with ENOMEM (malloc returns NULL)' },
  { name: 'STACK', resource: 'RLIMIT_STACK', label: 'Max stack size', measure: 'bytes', atLimit: 'the main stack cannot grow: SIGSEGV; also the default size of every new pthread stack' },
  { name: 'CORE', resource: 'RLIMIT_CORE', label: 'Max core file size', measure: 'bytes', atLimit: 'core dumps are cut at this size (0: no core file)' },
  { name: 'RSS', resource: 'RLIMIT_RSS', label: 'Max resident set', measure: 'bytes', atLimit: 'nothing: Linux ignores it' },
  { name: 'NPROC', resource: 'RLIMIT_NPROC', label: 'Max processes', measure: 'count', atLimit: 'fork, clone and pthread_create fail with EAGAIN: it counts every thread of the real UID (root is exempt)' },
  { name: 'NOFILE', resource: 'RLIMIT_NOFILE', label: 'Max open files', measure: 'count', atLimit: 'open, socket, accept, pipe, dup fail with EMFILE' },
  { name: 'MEMLOCK', resource: 'RLIMIT_MEMLOCK', label: 'Max locked memory', measure: 'bytes', atLimit: 'mlock and MAP_LOCKED fail with ENOMEM/EPERM (also caps io_uring and BPF maps on old kernels)' },
  { name: 'AS', resource: 'RLIMIT_AS', label: 'Max address space', measure: 'bytes', atLimit: 'mmap, brk and thread creation fail with ENOMEM (virtual size, not memory used)' },
  { name: 'LOCKS', resource: 'RLIMIT_LOCKS', label: 'Max file locks', measure: 'count', atLimit: 'nothing on current kernels (only leases are counted)' },
  { name: 'SIGPENDING', resource: 'RLIMIT_SIGPENDING', label: 'Max pending signals', measure: 'count', atLimit: 'sigqueue fails with EAGAIN; further real-time signals to the UID are dropped' },
  { name: 'MSGQUEUE', resource: 'RLIMIT_MSGQUEUE', label: 'Max msgqueue size', measure: 'bytes', atLimit: 'mq_open fails with EMFILE' },
  { name: 'NICE', resource: 'RLIMIT_NICE', label: 'Max nice priority', measure: 'priority', atLimit: 'setpriority/nice below 20 - limit fail with EPERM (unprivileged)' },
  { name: 'RTPRIO', resource: 'RLIMIT_RTPRIO', label: 'Max realtime priority', measure: 'priority', atLimit: 'sched_setscheduler to a higher real-time priority fails with EPERM (unprivileged)' },
  { name: 'RTTIME', resource: 'RLIMIT_RTTIME', label: 'Max realtime timeout', measure: 'microseconds', atLimit: 'a real-time thread that never blocks gets SIGXCPU at the soft limit, SIGKILL at the hard one' },
];

const BY_NAME = new Map(RESOURCES.map((info) => [info.name, info]));

/** Looks a resource up by short name, `RLIMIT_` name or either in lower case. */
export function resourceByName(name: string): ResourceInfo | undefined {
  return BY_NAME.get(name.toUpperCase().replace(/^RLIMIT_/, ''));
}

export function resourceByLabel(label: string): ResourceInfo | undefined {
  return RESOURCES.find((info) => info.label === label);
}

/** Multipliers per measure; binary for sizes like ulimit and systemd (K = 1024). */
const SUFFIXES: Record<Measure, Record<string, bigint>> = {
  bytes: { '': 1n, b: 1n, k: 1n << 10n, kb: 1n << 10n, kib: 1n << 10n, m: 1n << 20n, mb: 1n << 20n, mib: 1n << 20n, g: 1n << 30n, gb: 1n << 30n, gib: 1n << 30n, t: 1n << 40n, tb: 1n << 40n, tib: 1n << 40n },
  seconds: { '': 1n, s: 1n, m: 60n, min: 60n, h: 3600n, d: 86400n },
  microseconds: { '': 1n, us: 1n, ms: 1000n, s: 1_000_000n },
  count: { '': 1n, k: 1000n },
  priority: { '': 1n },
};

const INFINITE_WORDS = new Set(['unlimited', 'infinity', 'inf']);

/** A requested limit; `hard` undefined = keep the hard limit the process already has. */
export interface LimitSpec {
  info: ResourceInfo;
  soft: LimitValue;
  hard?: LimitValue;
  /** The text the user gave, for messages. */
  text: string;
}

export class LimitSpecError extends TasklensError {
  constructor(message: string, hint?: string) {
    super('run', 'bad-limit', message, { hint, exitCode: ExitCode.usage });
  }
}

/** Parses `NAME=SOFT[:HARD]`; throws LimitSpecError with what is wrong. */
export function parseLimitSpec(text: string): LimitSpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new LimitSpecError(`--limit ${text}: expected NAME=SOFT[:HARD]`, `names: ${RESOURCES.map((r) => r.name).join(', ')}`);
  const info = resourceByName(text.slice(0, eq));
  if (!info) throw new LimitSpecError(`--limit ${text}: unknown resource '${text.slice(0, eq)}'`, `names: ${RESOURCES.map((r) => r.name).join(', ')}`);
  const parts = text.slice(eq + 1).split(':');
  if (parts.length > 2 || parts[0] === '') throw new LimitSpecError(`--limit ${text}: expected ${info.name}=SOFT or ${info.name}=SOFT:HARD`);
  const soft = parseLimitValue(parts[0], info, text);
  const hard = parts.length === 2 && parts[1] !== '' ? parseLimitValue(parts[1], info, text) : undefined;
  if (hard !== undefined && compareLimit(soft, hard) > 0) throw new LimitSpecError(`--limit ${text}: the soft limit is above the hard limit`);
  return { info, soft, hard, text };
}

/** One value with its unit suffix, or `unlimited`. */
export function parseLimitValue(value: string, info: ResourceInfo, context = value): LimitValue {
  const lower = value.trim().toLowerCase();
  if (INFINITE_WORDS.has(lower)) return 'unlimited';
  const m = /^(\d+)([a-z]*)$/.exec(lower);
  const factor = m ? SUFFIXES[info.measure][m[2]] : undefined;
  if (!m || factor === undefined) {
    const units = Object.keys(SUFFIXES[info.measure]).filter(Boolean);
    throw new LimitSpecError(
      `--limit ${context}: '${value}' is not a ${info.measure === 'bytes' ? 'size' : info.measure === 'count' ? 'number' : info.measure} value`,
      units.length ? `use a whole number with one of: ${units.join(', ')}, or unlimited` : 'use a whole number or unlimited',
    );
  }
  const n = BigInt(m[1]) * factor;
  if (n >= RLIM_INFINITY) return 'unlimited';
  return n;
}

/** Orders two limit values; unlimited is above every number. */
export function compareLimit(a: LimitValue, b: LimitValue): number {
  if (a === b) return 0;
  if (a === 'unlimited') return 1;
  if (b === 'unlimited') return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The value as prlimit(1) and setrlimit take it. */
export function limitArgument(value: LimitValue): string {
  return value === 'unlimited' ? 'unlimited' : value.toString();
}

/** A value for people: sizes in K/M/G when exact, seconds as given. */
export function formatLimitValue(value: LimitValue, info: ResourceInfo | undefined): string {
  if (value === 'unlimited') return 'unlimited';
  if (info?.measure === 'bytes' && value > 0n) {
    for (const [unit, size] of [['T', 1n << 40n], ['G', 1n << 30n], ['M', 1n << 20n], ['K', 1n << 10n]] as const) {
      if (value % size === 0n) return `${value / size}${unit}`;
    }
  }
  if (info?.measure === 'seconds') return `${value}s`;
  if (info?.measure === 'microseconds') return `${value}us`;
  return value.toString();
}
