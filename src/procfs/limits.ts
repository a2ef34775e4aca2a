/**
 * /proc/PID/limits: the resource limits (getrlimit(2)) as a fixed-width table. World-readable.
 * Each row is tied to its RLIMIT_* name and, where Linux gives it a surprising meaning, a note:
 * RLIMIT_NPROC counts threads, RLIMIT_STACK is also the default pthread stack size.
 */

export interface ResourceLimit {
  /** Row label as the kernel writes it, e.g. `Max processes`. */
  label: string;
  /** RLIMIT_NPROC ... or undefined for a label this table does not know. */
  resource?: string;
  soft: bigint | 'unlimited';
  hard: bigint | 'unlimited';
  /** seconds, bytes, processes, files, locks, signals, us, or '' */
  units: string;
  note?: string;
}

const RESOURCES: ReadonlyArray<[string, string, string?]> = [
  ['Max cpu time', 'RLIMIT_CPU'],
  ['Max file size', 'RLIMIT_FSIZE'],
  ['Max data size', 'RLIMIT_DATA'],
  ['Max stack size', 'RLIMIT_STACK',
    'also the default stack size of every new pthread (pthread_create(3)) when the soft limit is not unlimited'],
  ['Max core file size', 'RLIMIT_CORE'],
  ['Max resident set', 'RLIMIT_RSS', 'ignored by Linux since 2.6'],
  ['Max processes', 'RLIMIT_NPROC',
    'counts THREADS of the real UID, not processes: pthread_create fails with EAGAIN at this limit (root, CAP_SYS_ADMIN and CAP_SYS_RESOURCE are exempt)'],
  ['Max open files', 'RLIMIT_NOFILE'],
  ['Max locked memory', 'RLIMIT_MEMLOCK'],
  ['Max address space', 'RLIMIT_AS'],
  ['Max file locks', 'RLIMIT_LOCKS'],
  ['Max pending signals', 'RLIMIT_SIGPENDING', 'queued signals per real UID (the SigQ line of status counts them)'],
  ['Max msgqueue size', 'RLIMIT_MSGQUEUE'],
  ['Max nice priority', 'RLIMIT_NICE'],
  ['Max realtime priority', 'RLIMIT_RTPRIO'],
  ['Max realtime timeout', 'RLIMIT_RTTIME'],
];

const BY_LABEL = new Map(RESOURCES.map(([label, resource, note]) => [label, { resource, note }]));

/** The kernel pads the label to 26 columns and each value to 21 (fs/proc/base.c proc_pid_limits). */
const ROW = /^(.+?)\s{2,}(\S+)\s+(\S+)\s*(\S*)\s*$/;

export function parseLimits(text: string): ResourceLimit[] {
  const out: ResourceLimit[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = ROW.exec(line);
    if (!m) continue;
    const known = BY_LABEL.get(m[1]);
    const limit: ResourceLimit = { label: m[1], soft: limitValue(m[2]), hard: limitValue(m[3]), units: m[4] };
    if (known) {
      limit.resource = known.resource;
      if (known.note) limit.note = known.note;
    }
    out.push(limit);
  }
  return out;
}

function limitValue(text: string): bigint | 'unlimited' {
  return text === 'unlimited' || !/^\d+$/.test(text) ? 'unlimited' : BigInt(text);
}
