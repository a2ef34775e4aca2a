/**
 * Resource limits (<asm-generic/resource.h>) as used by getrlimit/setrlimit/prlimit64 and shown in
 * /proc/PID/limits.
 */
import { defineTable } from './table.js';

/** RLIM_INFINITY: "no limit", printed by strace as RLIM64_INFINITY. */
export const RLIM_INFINITY = 0xffffffffffffffffn;

export const RLIMIT_RESOURCES = defineTable({
  id: 'rlimit',
  title: 'resource limits',
  kind: 'enum',
  values: [
    { name: 'RLIMIT_CPU', value: 0n, meaning: 'CPU seconds the process may use: SIGXCPU at the soft limit, SIGKILL at the hard one' },
    { name: 'RLIMIT_FSIZE', value: 1n, meaning: 'largest file the process may create or extend (SIGXFSZ beyond it)' },
    { name: 'RLIMIT_DATA', value: 2n, meaning: 'maximum size of data segment, heap and private writable mappings' },
    { name: 'RLIMIT_STACK', value: 3n, meaning: 'maximum main-thread stack size; glibc also uses the soft limit as the default pthread stack size (8 MiB usually)' },
    { name: 'RLIMIT_CORE', value: 4n, meaning: 'largest core dump to write (0 disables core dumps)' },
    { name: 'RLIMIT_RSS', value: 5n, meaning: 'resident-set limit; ignored by modern kernels' },
    { name: 'RLIMIT_NPROC', value: 6n, meaning: 'tasks the real user may own; every thread counts, not just processes (clone fails with EAGAIN)' },
    { name: 'RLIMIT_NOFILE', value: 7n, meaning: 'one more than the highest descriptor number the process may open (EMFILE beyond it)' },
    { name: 'RLIMIT_MEMLOCK', value: 8n, meaning: 'bytes of memory that may be locked in RAM with mlock and friends' },
    { name: 'RLIMIT_AS', value: 9n, meaning: 'total size of the address space (mmap and brk fail with ENOMEM beyond it)' },
    { name: 'RLIMIT_LOCKS', value: 10n, meaning: 'number of file locks and leases (no longer enforced)' },
    { name: 'RLIMIT_SIGPENDING', value: 11n, meaning: 'signals that may be queued for the real user' },
    { name: 'RLIMIT_MSGQUEUE', value: 12n, meaning: 'bytes in POSIX message queues of the real user' },
    { name: 'RLIMIT_NICE', value: 13n, meaning: 'ceiling for raising the nice value (as 20 - nice)' },
    { name: 'RLIMIT_RTPRIO', value: 14n, meaning: 'highest real-time priority the process may set' },
    { name: 'RLIMIT_RTTIME', value: 15n, meaning: 'microseconds of CPU a real-time task may use without blocking' },
  ],
});

/** Special limit values strace prints in rlimit structs. */
export const RLIMIT_VALUES = defineTable({
  id: 'rlim_value',
  title: 'special resource-limit values',
  kind: 'enum',
  values: [
    { name: 'RLIM64_INFINITY', value: RLIM_INFINITY, meaning: 'no limit: the resource is unrestricted' },
    { name: 'RLIM_INFINITY', value: RLIM_INFINITY, nameOnly: true, meaning: 'no limit: the resource is unrestricted (C name)' },
  ],
});
