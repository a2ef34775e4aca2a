/**
 * The few libc calls a snapshot needs, bound with koffi. Every call is synchronous on purpose: the
 * kernel accepts ptrace requests for a tracee only from the thread that attached it, and Node runs our
 * JavaScript on one OS thread, so synchronous calls keep that guarantee.
 */
import koffi from 'koffi';

/** ptrace request numbers (linux/ptrace.h) and wait flags (linux/wait.h). */
export const PTRACE = {
  GETREGS: 12,
  DETACH: 17,
  SEIZE: 0x4206,
  INTERRUPT: 0x4207,
} as const;
export const PTRACE_EVENT_STOP = 128;
export const WAIT = { WNOHANG: 1, __WALL: 0x40000000 } as const;

/** errno values we react to (asm-generic/errno-base.h). */
export const ERRNO = { EPERM: 1, ESRCH: 3, EINTR: 4, EFAULT: 14, ECHILD: 10, EIO: 5 } as const;

export interface Libc {
  /** ptrace with integer addr/data; returns -1 and sets errno on failure. */
  ptrace(request: number, pid: number, addr: bigint | number, data: bigint | number): number;
  /** ptrace whose data argument is a buffer the kernel fills (PTRACE_GETREGS). */
  ptraceRead(request: number, pid: number, addr: bigint | number, data: Buffer): number;
  waitpid(pid: number, status: number[], options: number): number;
  /** process_vm_readv with iovec arrays laid out in buffers (see memory.ts). */
  processVmReadv(pid: number, localIov: Buffer, localCount: number, remoteIov: Buffer, remoteCount: number, flags: number): number;
  /** sched_getscheduler / sched_setscheduler for the calling thread (pid 0); param is [priority]. */
  schedGetScheduler(): number;
  schedGetParam(param: number[]): number;
  schedSetScheduler(policy: number, param: number[]): number;
  errno(): number;
  /** Address of a Node buffer's bytes, for building iovecs. */
  addressOf(buffer: Buffer): bigint;
}

let bound: Libc | undefined;
let library: ReturnType<typeof koffi.load> | undefined;

/** libc.so.6, loaded once and shared by every binding set below. */
function libcLibrary(): ReturnType<typeof koffi.load> {
  library ??= koffi.load('libc.so.6');
  return library;
}

/** Binds libc once per process. */
export function libc(): Libc {
  if (bound) return bound;
  const lib = libcLibrary();
  const ptrace = lib.func('long ptrace(int request, int pid, uintptr_t addr, uintptr_t data)');
  const ptraceRead = lib.func('ptrace', 'long', ['int', 'int', 'uintptr_t', koffi.out(koffi.pointer('uint8_t'))]);
  const waitpid = lib.func('int waitpid(int pid, _Out_ int *status, int options)');
  const processVmReadv = lib.func(
    'long process_vm_readv(int pid, const void *local, unsigned long liovcnt, const void *remote, unsigned long riovcnt, unsigned long flags)',
  );
  const schedGetScheduler = lib.func('int sched_getscheduler(int pid)');
  const schedGetParam = lib.func('int sched_getparam(int pid, _Out_ int *param)');
  const schedSetScheduler = lib.func('int sched_setscheduler(int pid, int policy, const int *param)');
  bound = {
    ptrace: (request, pid, addr, data) => Number(ptrace(request, pid, addr, data)),
    ptraceRead: (request, pid, addr, data) => Number(ptraceRead(request, pid, addr, data)),
    waitpid: (pid, status, options) => waitpid(pid, status, options) as number,
    processVmReadv: (pid, l, lc, r, rc, flags) => Number(processVmReadv(pid, l, lc, r, rc, flags)),
    schedGetScheduler: () => schedGetScheduler(0) as number,
    schedGetParam: (param) => schedGetParam(0, param) as number,
    schedSetScheduler: (policy, param) => schedSetScheduler(0, policy, param) as number,
    errno: () => koffi.errno(),
    addressOf: (buffer) => BigInt(koffi.address(buffer)),
  };
  return bound;
}

/** Decoders for a waitpid status word (sys/wait.h macros). */
export const waitStatus = {
  exited: (s: number) => (s & 0x7f) === 0,
  signaled: (s: number) => (s & 0x7f) !== 0 && (s & 0x7f) !== 0x7f,
  stopped: (s: number) => (s & 0xff) === 0x7f,
  stopSignal: (s: number) => (s >> 8) & 0xff,
  ptraceEvent: (s: number) => (s >> 16) & 0xff,
};

/**
 * The calls a supervisor needs (`tasklens run`): becoming a child subreaper, peeking at waitable
 * children without reaping them, and reaping one chosen pid. Synchronous like the rest: each returns
 * at once (WNOHANG).
 */
export interface ReaperLibc {
  /** prctl(PR_SET_CHILD_SUBREAPER, on); 0 or -1 with errno. */
  setChildSubreaper(on: boolean): number;
  /** prctl(PR_GET_CHILD_SUBREAPER): 1, 0, or -1 with errno. */
  isChildSubreaper(): number;
  /** waitid(idtype, id, info, options) with a 128-byte siginfo buffer the kernel fills. */
  waitid(idtype: number, id: number, info: Buffer, options: number): number;
  waitpid(pid: number, status: number[], options: number): number;
  errno(): number;
}

/** prctl options (linux/prctl.h), waitid id types and flags (linux/wait.h). */
export const PRCTL = { SET_CHILD_SUBREAPER: 36, GET_CHILD_SUBREAPER: 37 } as const;
export const WAITID = { P_ALL: 0, P_PID: 1, WNOHANG: 1, WEXITED: 4, WNOWAIT: 0x01000000 } as const;
/** x86-64 siginfo_t offsets for a SIGCHLD-style record (asm-generic/siginfo.h): 128 bytes in all. */
export const SIGINFO = { size: 128, signo: 0, code: 8, pid: 16, uid: 20, status: 24 } as const;
/** si_code values of a child's state change (CLD_*). */
export const CLD = { EXITED: 1, KILLED: 2, DUMPED: 3, TRAPPED: 4, STOPPED: 5, CONTINUED: 6 } as const;

let reaperBound: ReaperLibc | undefined;

export function reaperLibc(): ReaperLibc {
  if (reaperBound) return reaperBound;
  const lib = libcLibrary();
  // prctl is variadic; on x86-64 integer arguments pass the same way either way, so it is bound with fixed ones.
  const prctl = lib.func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)');
  const prctlOut = lib.func('prctl', 'int', ['int', koffi.out(koffi.pointer('int')), 'unsigned long', 'unsigned long', 'unsigned long']);
  const waitid = lib.func('waitid', 'int', ['int', 'int', koffi.out(koffi.pointer('uint8_t')), 'int']);
  const waitpid = lib.func('int waitpid(int pid, _Out_ int *status, int options)');
  reaperBound = {
    setChildSubreaper: (on) => prctl(PRCTL.SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) as number,
    isChildSubreaper: () => {
      const out = [0];
      return (prctlOut(PRCTL.GET_CHILD_SUBREAPER, out, 0, 0, 0) as number) < 0 ? -1 : out[0];
    },
    waitid: (idtype, id, info, options) => waitid(idtype, id, info, options) as number,
    waitpid: (pid, status, options) => waitpid(pid, status, options) as number,
    errno: () => koffi.errno(),
  };
  return reaperBound;
}
