/**
 * Per-thread runtime set-up: the thread pointer (arch_prctl ARCH_SET_FS), the TID word cleared at
 * exit (set_tid_address), the robust futex list, rseq, and scheduling knobs threads touch.
 */
import { ARCH_PRCTL_CODES } from '../../kb/flags/index.js';
import type { Call } from '../call.js';
import { dec, hex } from '../format.js';
import type { FamilyTable, Said, Scope } from './types.js';

/** glibc's RSEQ_SIG per architecture: x86 (0x53053053, a ud1 instruction) and aarch64 (a brk #0x45e0). */
const GLIBC_RSEQ_SIGNATURES: ReadonlyMap<bigint, string> = new Map([[0x53053053n, "0x53053053: glibc's"], [0xd428bc00n, "0xd428bc00: glibc's on aarch64"]]);

function firstCallNote(s: Scope): string {
  return s.thread.bornAt !== undefined && s.thread.calls <= 3 ? ` (among the first calls of the thread created on line ${s.thread.bornAt})` : '';
}

function setTidAddress(c: Call, s: Scope): Said {
  const addr = c.int(0);
  if (addr !== undefined) {
    s.thread.clearTid = addr;
    s.proc.setClearTid(addr, { tid: c.tid, line: c.line });
  }
  return { text: `records ${addr === undefined ? 'an address' : hex(addr)} as this thread's clear-TID word: when the thread exits the kernel writes 0 there and wakes futex waiters; returns the caller's TID${c.ret === undefined ? '' : ` ${dec(c.ret)}`}`, coversResult: true };
}

function setRobustList(c: Call, s: Scope): Said {
  const len = c.int(1);
  return { text: `registers this thread's robust-futex list (${len === undefined ? 'a' : `${len}-byte`} list head at ${c.text(0) ?? '?'})${firstCallNote(s)}: if the thread dies holding a robust mutex, the kernel marks it owner-dead so the next locker gets EOWNERDEAD instead of hanging` };
}

/** The rseq area's fields as strace 6.13+ prints them, in words. */
function areaWords(c: Call): string {
  const cpu = c.field(0, 'cpu_id');
  const cpuText = cpu === undefined ? undefined : cpu.t === 'int' || cpu.t === 'ident' ? cpu.text : undefined;
  const unset = cpuText === '-1' || cpuText === 'RSEQ_CPU_ID_UNINITIALIZED';
  const cs = c.field(0, 'rseq_cs');
  const idle = cs === undefined || cs.t === 'null' || (cs.t === 'int' && /^0x0*$|^0$/.test(cs.text));
  const parts = [unset ? 'its CPU number not yet filled in' : cpuText !== undefined ? `last seen on CPU ${cpuText}` : undefined, idle ? 'no critical section active' : 'a critical section active'];
  return `(shown by strace: ${parts.filter((p) => p !== undefined).join(', ')})`;
}

function rseq(c: Call, s: Scope): Said {
  const len = c.int(1);
  const unregister = c.int(2) === 1n || c.text(2) === 'RSEQ_FLAG_UNREGISTER';
  const sig = c.int(3);
  // strace 6.13+ decodes the area itself (`{cpu_id_start=0, cpu_id=-1, ...}`) instead of its address.
  const area = c.arg(0)?.t === 'struct' ? areaWords(c) : `at ${c.text(0) ?? '?'}`;
  if (unregister) return { text: `unregisters this thread's restartable-sequences area (${area}): glibc does this before a thread's stack is freed` };
  const known = sig === undefined ? undefined : GLIBC_RSEQ_SIGNATURES.get(sig);
  const glibc = known ? ` (signature ${known})` : '';
  const said: Said = { text: `registers a ${len === undefined ? "" : `${len}-byte `}restartable-sequences (rseq) area ${area} for this thread${glibc}${firstCallNote(s)}: the kernel keeps the current CPU number there, so per-CPU code such as sched_getcpu() needs no syscall` };
  if (c.errno === 'ENOSYS' || c.errno === 'EPERM' || c.errno === 'EINVAL' || c.errno === 'EBUSY') said.benign = 'glibc probes rseq and simply works without it when the kernel (or a seccomp policy, or an earlier registration) refuses';
  return said;
}

function archPrctl(c: Call, s: Scope): Said {
  const code = c.flags(0, ARCH_PRCTL_CODES, 'code', false)[0] ?? c.text(0) ?? '?';
  const addr = c.text(1) ?? '?';
  if (code === 'ARCH_SET_FS') return { text: `sets this thread's FS base, the thread pointer, to ${addr}${firstCallNote(s)}: from now on thread-local variables (errno, the thread's own descriptor) are reached through %fs` };
  if (code === 'ARCH_GET_FS') return { text: `reads this thread's thread pointer (FS base)` };
  if (code === 'ARCH_CET_STATUS' || /0x3001/.test(c.text(0) ?? '')) {
    return { text: 'asks about Intel CET (shadow stack) support through an interface the kernel never merged', benign: 'glibc built with CET support probes this at start-up; EINVAL just means "no CET here"' };
  }
  const meaning = (c.decoded?.code as Array<{ meaning: string }> | undefined)?.[0]?.meaning;
  return { text: `${code}${meaning ? `: ${meaning}` : ''} (${addr})` };
}

function cpuList(c: Call, i: number): string {
  const v = c.arg(i);
  if (v?.t === 'array') return `${v.items.length} CPU${v.items.length === 1 ? '' : 's'}`;
  if (v?.t === 'set') return `${v.items.length} CPU${v.items.length === 1 ? '' : 's'}`;
  return c.text(i) ?? '?';
}

export const THREAD: FamilyTable = {
  set_tid_address: setTidAddress,
  set_robust_list: setRobustList,
  get_robust_list: (c) => ({ text: `reads the robust-futex list head of thread ${c.text(0) === '0' ? 'itself' : c.text(0)}` }),
  rseq,
  arch_prctl: archPrctl,
  sched_getaffinity: (c) => ({ text: `reads the CPUs ${c.text(0) === '0' ? 'this thread' : `task ${c.text(0)}`} may run on${c.ok ? `: ${cpuList(c, 2)}` : ''} (glibc and runtimes size thread pools from it)`, coversResult: true }),
  sched_setaffinity: (c) => ({ text: `pins ${c.text(0) === '0' ? 'this thread' : `task ${c.text(0)}`} to ${cpuList(c, 2)}` }),
  sched_yield: () => ({ text: 'gives the CPU to another runnable thread, if any (spin-then-yield locks do this)' }),
  sched_getscheduler: (c) => ({ text: `reads the scheduling policy of ${c.text(0) === '0' ? 'this thread' : `task ${c.text(0)}`}` }),
  sched_setscheduler: (c) => ({ text: `sets the scheduling policy of ${c.text(0) === '0' ? 'this thread' : `task ${c.text(0)}`} to ${c.text(1) ?? '?'} (${c.text(2) ?? ''})` }),
  sched_getparam: (c) => ({ text: `reads the real-time priority of ${c.text(0) === '0' ? 'this thread' : `task ${c.text(0)}`}` }),
  sched_setparam: (c) => ({ text: `sets the real-time priority of ${c.text(0) === '0' ? 'this thread' : `task ${c.text(0)}`} to ${c.text(1) ?? '?'}` }),
  sched_get_priority_max: (c) => ({ text: `asks the highest priority of policy ${c.text(0) ?? '?'}` }),
  sched_get_priority_min: (c) => ({ text: `asks the lowest priority of policy ${c.text(0) ?? '?'}` }),
  sched_setattr: (c) => ({ text: `sets scheduling attributes of ${c.text(0) === '0' ? 'this thread' : `task ${c.text(0)}`}: ${c.text(1) ?? '?'}` }),
  sched_getattr: (c) => ({ text: `reads scheduling attributes of ${c.text(0) === '0' ? 'this thread' : `task ${c.text(0)}`}` }),
  getcpu: (c) => ({ text: `asks which CPU (and NUMA node) the thread runs on${c.text(0) ? `: ${c.text(0)}` : ''}` }),
  getpriority: (c) => ({ text: `reads the nice value of ${c.text(0) ?? '?'} ${c.text(1) ?? '?'}` }),
  setpriority: (c) => ({ text: `sets the nice value of ${c.text(0) ?? '?'} ${c.text(1) ?? '?'} to ${c.text(2) ?? '?'}` }),
};
