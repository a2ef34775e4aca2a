/**
 * /proc/PID/status and /proc/PID/task/TID/status, decoded.
 *
 * The process-level file is the MAIN THREAD's view for every per-thread field (State, SigPnd, SigBlk,
 * Cap*, ctx switches): a worker's pending signal or its 2,000 context switches are invisible there.
 * Read task/TID/status for per-thread truth. ShdPnd, SigIgn and SigCgt are process-wide (dispositions
 * and the shared pending queue belong to the thread group).
 */

/** Real, effective, saved set and filesystem IDs (Uid:/Gid: lines). */
export interface IdSet {
  real: number;
  effective: number;
  saved: number;
  filesystem: number;
}

export interface SignalMasks {
  /** Pending for this thread only (SigPnd). */
  pending: bigint;
  /** Pending for the whole process (ShdPnd): any thread that does not block it may take it. */
  sharedPending: bigint;
  /** Blocked by this thread (SigBlk). */
  blocked: bigint;
  /** Ignored, process-wide (SigIgn). */
  ignored: bigint;
  /** A handler is installed, process-wide (SigCgt). */
  caught: bigint;
}

export interface CapabilitySets {
  inheritable: bigint;
  permitted: bigint;
  effective: bigint;
  bounding: bigint;
  ambient: bigint;
}

export interface TaskStatus {
  name: string;
  /** Octal text such as `0022`, when the kernel shows it (4.7+). */
  umask?: string;
  /** State letter (R, S, D, ...). */
  state: string;
  tgid: number;
  pid: number;
  ppid: number;
  /** PID of the tracer, 0 when not traced (or when the tracer is in another pid namespace). */
  tracerPid: number;
  uid: IdSet;
  gid: IdSet;
  groups: number[];
  /** One ID per pid namespace, from the viewer's namespace inwards (NStgid, NSpid, NSpgid, NSsid). */
  nsTgid: number[];
  nsPid: number[];
  nsPgid: number[];
  nsSid: number[];
  kernelThread: boolean;
  threads: number;
  /** Signals queued for this real UID and the RLIMIT_SIGPENDING limit (SigQ). */
  sigQueued: number;
  sigQueueLimit: number;
  signals: SignalMasks;
  capabilities: CapabilitySets;
  noNewPrivs: boolean;
  /** 0 disabled, 1 strict, 2 filter. */
  seccomp: number;
  seccompFilters?: number;
  cpusAllowedList: string;
  voluntaryCtxtSwitches: number;
  nonvoluntaryCtxtSwitches: number;
  /** Memory lines (VmRSS, VmSize, ...) in KiB; absent for kernel threads and zombies. */
  memoryKiB: Record<string, number>;
  /** Every line as text, for fields this decoder does not type. */
  raw: Map<string, string>;
}

/** Splits `Key:\tvalue` lines. */
export function statusFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', start);
    if (colon > start && colon < end) fields.set(text.slice(start, colon), text.slice(colon + 1, end).trim());
    start = end + 1;
  }
  return fields;
}

const MEMORY_KEY = /^(Vm|Rss|Hugetlb)/;

export function parseStatus(text: string): TaskStatus {
  const f = statusFields(text);
  const int = (key: string): number => Number(f.get(key) ?? 0);
  const ints = (key: string): number[] => {
    const value = f.get(key);
    return value ? value.split(/\s+/).map(Number) : [];
  };
  const mask = (key: string): bigint => hexMask(f.get(key));
  const ids = (key: string): IdSet => {
    const [real = 0, effective = 0, saved = 0, filesystem = 0] = ints(key);
    return { real, effective, saved, filesystem };
  };
  const [queued, limit] = (f.get('SigQ') ?? '0/0').split('/').map(Number);
  const memoryKiB: Record<string, number> = {};
  for (const [key, value] of f) if (MEMORY_KEY.test(key)) memoryKiB[key] = Number.parseInt(value, 10);
  const status: TaskStatus = {
    name: f.get('Name') ?? '',
    state: (f.get('State') ?? '?')[0],
    tgid: int('Tgid'),
    pid: int('Pid'),
    ppid: int('PPid'),
    tracerPid: int('TracerPid'),
    uid: ids('Uid'),
    gid: ids('Gid'),
    groups: ints('Groups'),
    nsTgid: ints('NStgid'),
    nsPid: ints('NSpid'),
    nsPgid: ints('NSpgid'),
    nsSid: ints('NSsid'),
    kernelThread: f.get('Kthread') === '1',
    threads: int('Threads'),
    sigQueued: queued ?? 0,
    sigQueueLimit: limit ?? 0,
    signals: {
      pending: mask('SigPnd'),
      sharedPending: mask('ShdPnd'),
      blocked: mask('SigBlk'),
      ignored: mask('SigIgn'),
      caught: mask('SigCgt'),
    },
    capabilities: {
      inheritable: mask('CapInh'),
      permitted: mask('CapPrm'),
      effective: mask('CapEff'),
      bounding: mask('CapBnd'),
      ambient: mask('CapAmb'),
    },
    noNewPrivs: f.get('NoNewPrivs') === '1',
    seccomp: int('Seccomp'),
    cpusAllowedList: f.get('Cpus_allowed_list') ?? '',
    voluntaryCtxtSwitches: int('voluntary_ctxt_switches'),
    nonvoluntaryCtxtSwitches: int('nonvoluntary_ctxt_switches'),
    memoryKiB,
    raw: f,
  };
  const umask = f.get('Umask');
  if (umask !== undefined) status.umask = umask;
  if (f.has('Seccomp_filters')) status.seccompFilters = int('Seccomp_filters');
  return status;
}

/** A 64-bit hex mask from /proc (no 0x prefix) as bigint; never through a double. */
export function hexMask(text: string | undefined): bigint {
  if (!text) return 0n;
  const clean = text.replace(/,/g, '');
  return /^[0-9a-fA-F]+$/.test(clean) ? BigInt(`0x${clean}`) : 0n;
}
