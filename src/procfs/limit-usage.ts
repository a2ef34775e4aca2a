/**
 * What a process uses of each resource that has a limit, where /proc shows it: the threads of its real
 * UID (RLIMIT_NPROC counts threads, system-wide per UID), open descriptors, main stack (VmStk), address
 * space (VmSize), data (VmData), locked memory (VmLck), queued signals (SigQ), CPU seconds.
 * Keyed by RLIMIT_* name; a resource /proc cannot show is absent.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { noSuchProcess } from '../errors.js';
import { parseStat, USER_HZ } from './stat.js';
import { statusFields } from './status.js';
import { parseLimits, type ResourceLimit } from './limits.js';

export interface LimitUse {
  /** Current use in the limit's own unit (bytes, files, threads, seconds, signals). */
  value: bigint;
  /** Where it was read, e.g. `VmStk of /proc/PID/status`. */
  source: string;
}

export interface ProcessLimits {
  pid: number;
  comm: string;
  realUid: number;
  limits: ResourceLimit[];
  use: Map<string, LimitUse>;
  /** Uses that could not be read, with the reason (e.g. fd/ of another user's process). */
  unreadable: Map<string, string>;
}

function kib(fields: Map<string, string>, key: string): bigint | undefined {
  const m = /^(\d+)\s*kB$/.exec(fields.get(key) ?? '');
  return m ? BigInt(m[1]) * 1024n : undefined;
}

/** Threads of every process whose real UID is `uid` (what RLIMIT_NPROC counts). */
export function threadsOfUid(uid: number): bigint {
  let total = 0n;
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    try {
      const f = statusFields(readFileSync(`/proc/${name}/status`, 'utf8'));
      if (Number((f.get('Uid') ?? '').split(/\s+/)[0]) === uid) total += BigInt(f.get('Threads') ?? '0');
    } catch {
      // exited during the scan
    }
  }
  return total;
}

/** Reads /proc/PID/limits and the uses beside them. Throws no-such-process when the pid is gone. */
export function readProcessLimits(pid: number): ProcessLimits {
  let limitsText: string;
  let statusText: string;
  let statText: string;
  try {
    limitsText = readFileSync(`/proc/${pid}/limits`, 'utf8');
    statusText = readFileSync(`/proc/${pid}/status`, 'utf8');
    statText = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    throw noSuchProcess('procfs', pid);
  }
  const fields = statusFields(statusText);
  const stat = parseStat(statText);
  const realUid = Number((fields.get('Uid') ?? '0').split(/\s+/)[0]);
  const use = new Map<string, LimitUse>();
  const unreadable = new Map<string, string>();
  const set = (resource: string, value: bigint | undefined, source: string) => {
    if (value !== undefined) use.set(resource, { value, source });
  };
  set('RLIMIT_STACK', kib(fields, 'VmStk'), 'VmStk (main thread stack)');
  set('RLIMIT_AS', kib(fields, 'VmSize'), 'VmSize');
  set('RLIMIT_DATA', kib(fields, 'VmData'), 'VmData');
  set('RLIMIT_MEMLOCK', kib(fields, 'VmLck'), 'VmLck');
  const sigq = /^(\d+)\//.exec(fields.get('SigQ') ?? '');
  if (sigq) set('RLIMIT_SIGPENDING', BigInt(sigq[1]), 'SigQ (queued signals of the UID)');
  set('RLIMIT_CPU', BigInt(Math.floor((stat.utime + stat.stime) / USER_HZ)), 'utime+stime');
  set('RLIMIT_NPROC', threadsOfUid(realUid), `threads of UID ${realUid} (all its processes)`);
  try {
    set('RLIMIT_NOFILE', BigInt(readdirSync(`/proc/${pid}/fd`).length), 'entries of /proc/PID/fd');
  } catch (error) {
    unreadable.set('RLIMIT_NOFILE', (error as NodeJS.ErrnoException).code === 'EACCES' ? 'not permitted (another user\'s process)' : 'unreadable');
  }
  return { pid, comm: stat.comm, realUid, limits: parseLimits(limitsText), use, unreadable };
}
