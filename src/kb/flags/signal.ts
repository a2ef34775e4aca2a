/**
 * Signal-related constants: rt_sigprocmask `how`, sigaction flags and special handlers, sigaltstack
 * flags, and the si_code values strace prints in `--- SIGxxx {si_code=...} ---` lines.
 * (<asm-generic/signal-defs.h>, <asm/signal.h>, <asm-generic/siginfo.h>)
 */
import { defineTable, type FlagTable } from './table.js';

export const SIGPROCMASK_HOW = defineTable({
  id: 'sigprocmask_how',
  title: 'rt_sigprocmask how',
  kind: 'enum',
  values: [
    { name: 'SIG_BLOCK', value: 0n, meaning: 'add the given signals to the blocked set' },
    { name: 'SIG_UNBLOCK', value: 1n, meaning: 'remove the given signals from the blocked set' },
    { name: 'SIG_SETMASK', value: 2n, meaning: 'replace the blocked set with the given one' },
  ],
});

export const SIGACTION_FLAGS = defineTable({
  id: 'sa_flags',
  title: 'sigaction flags',
  kind: 'bits',
  values: [
    { name: 'SA_NOCLDSTOP', value: 0x1n, meaning: 'SIGCHLD only when children exit, not when they stop or continue' },
    { name: 'SA_NOCLDWAIT', value: 0x2n, meaning: 'children do not become zombies: they are reaped automatically' },
    { name: 'SA_SIGINFO', value: 0x4n, meaning: 'the handler takes three arguments and receives a siginfo (sender, cause, address)' },
    { name: 'SA_UNSUPPORTED', value: 0x400n, meaning: 'probe bit: lets a program detect which flags the kernel supports' },
    { name: 'SA_EXPOSE_TAGBITS', value: 0x800n, meaning: 'keep address tag bits in si_addr (arm64 feature)' },
    { name: 'SA_RESTORER', value: 0x04000000n, meaning: 'libc supplies the return trampoline that calls rt_sigreturn (always set by glibc)' },
    { name: 'SA_ONSTACK', value: 0x08000000n, meaning: 'run the handler on the alternate signal stack set with sigaltstack' },
    { name: 'SA_RESTART', value: 0x10000000n, meaning: 'interrupted slow calls are restarted after the handler instead of failing with EINTR' },
    { name: 'SA_NODEFER', value: 0x40000000n, meaning: 'do not block the signal while its own handler runs' },
    { name: 'SA_NOMASK', value: 0x40000000n, nameOnly: true, meaning: 'old name of SA_NODEFER' },
    { name: 'SA_RESETHAND', value: 0x80000000n, meaning: 'restore the default action after the handler runs once' },
    { name: 'SA_ONESHOT', value: 0x80000000n, nameOnly: true, meaning: 'old name of SA_RESETHAND' },
  ],
});

export const SIG_HANDLER = defineTable({
  id: 'sa_handler',
  title: 'special signal handler values',
  kind: 'enum',
  values: [
    { name: 'SIG_DFL', value: 0n, meaning: 'default action for the signal (terminate, core, stop, continue or ignore)' },
    { name: 'SIG_IGN', value: 1n, meaning: 'ignore the signal; an ignored SIGCHLD also means children are reaped automatically' },
  ],
});

export const SIGALTSTACK_FLAGS = defineTable({
  id: 'ss_flags',
  title: 'sigaltstack flags',
  kind: 'bits',
  values: [
    { name: 'SS_ONSTACK', value: 1n, meaning: 'the thread is currently running on the alternate stack' },
    { name: 'SS_DISABLE', value: 2n, meaning: 'the alternate stack is disabled' },
    { name: 'SS_AUTODISARM', value: 0x80000000n, meaning: 'disarm the alternate stack while a handler runs on it' },
  ],
});

type Code = [string, bigint, string, string?];
const codes = (id: string, title: string, rows: readonly Code[]): FlagTable =>
  defineTable({ id, title, kind: 'enum', values: rows.map(([name, value, meaning, since]) => ({ name, value, meaning, ...(since ? { since } : {}) })) });

/** si_code values any signal can carry: who or what sent it. */
export const SI_CODE = codes('si_code', 'signal origin (si_code)', [
  ['SI_USER', 0n, 'sent by kill() from a process'],
  ['SI_KERNEL', 0x80n, 'sent by the kernel itself (e.g. on a fault or resource limit)'],
  ['SI_QUEUE', -1n, 'sent with sigqueue (carries a value)'],
  ['SI_TIMER', -2n, 'a POSIX timer expired'],
  ['SI_MESGQ', -3n, 'a POSIX message queue became non-empty'],
  ['SI_ASYNCIO', -4n, 'asynchronous I/O completed'],
  ['SI_SIGIO', -5n, 'queued SIGIO for I/O readiness'],
  ['SI_TKILL', -6n, 'sent to one thread with tkill/tgkill (raise, pthread_kill)'],
  ['SI_DETHREAD', -7n, 'sent by execve while it kills the other threads'],
  ['SI_ASYNCNL', -60n, 'asynchronous name lookup (getaddrinfo_a) completed'],
]);

export const SI_CODE_CHLD = codes('si_code_chld', 'SIGCHLD si_code', [
  ['CLD_EXITED', 1n, 'the child exited normally'],
  ['CLD_KILLED', 2n, 'the child was killed by a signal'],
  ['CLD_DUMPED', 3n, 'the child was killed by a signal and dumped core'],
  ['CLD_TRAPPED', 4n, 'a traced child stopped at a trap'],
  ['CLD_STOPPED', 5n, 'the child was stopped by a signal'],
  ['CLD_CONTINUED', 6n, 'a stopped child was continued by SIGCONT'],
]);

export const SI_CODE_SEGV = codes('si_code_segv', 'SIGSEGV si_code', [
  ['SEGV_MAPERR', 1n, 'the address is not mapped at all'],
  ['SEGV_ACCERR', 2n, 'the address is mapped but the access is not allowed (e.g. write to read-only, touch of a PROT_NONE guard page)'],
  ['SEGV_BNDERR', 3n, 'bounds check failed (Intel MPX, retired)'],
  ['SEGV_PKUERR', 4n, 'access denied by a memory protection key'],
  ['SEGV_ACCADI', 5n, 'SPARC ADI access error'],
  ['SEGV_ADIDERR', 6n, 'SPARC ADI disrupting error'],
  ['SEGV_ADIPERR', 7n, 'SPARC ADI precise error'],
  ['SEGV_MTEAERR', 8n, 'arm64 memory tagging asynchronous error'],
  ['SEGV_MTESERR', 9n, 'arm64 memory tagging synchronous error'],
  ['SEGV_CPERR', 10n, 'control-protection fault: the shadow stack did not match the return address', '6.6'],
]);

export const SI_CODE_BUS = codes('si_code_bus', 'SIGBUS si_code', [
  ['BUS_ADRALN', 1n, 'the access used a misaligned address the CPU refuses'],
  ['BUS_ADRERR', 2n, 'the address has no backing: e.g. a mapped file page past the end of the file'],
  ['BUS_OBJERR', 3n, 'hardware error specific to the object'],
  ['BUS_MCEERR_AR', 4n, 'hardware memory error consumed by this access'],
  ['BUS_MCEERR_AO', 5n, 'hardware memory error found in the process\'s memory, not yet consumed'],
]);

export const SI_CODE_ILL = codes('si_code_ill', 'SIGILL si_code', [
  ['ILL_ILLOPC', 1n, 'the CPU met an opcode it does not know (ud2, wrong instruction set)'],
  ['ILL_ILLOPN', 2n, 'an instruction had an illegal operand'],
  ['ILL_ILLADR', 3n, 'an instruction used an illegal addressing mode'],
  ['ILL_ILLTRP', 4n, 'an illegal trap instruction was executed'],
  ['ILL_PRVOPC', 5n, 'a privileged instruction was executed in user mode'],
  ['ILL_PRVREG', 6n, 'a privileged register was accessed in user mode'],
  ['ILL_COPROC', 7n, 'the floating-point or other coprocessor reported an error'],
  ['ILL_BADSTK', 8n, 'the CPU hit an internal stack error'],
  ['ILL_BADIADDR', 9n, 'execution reached an unimplemented instruction address'],
]);

export const SI_CODE_FPE = codes('si_code_fpe', 'SIGFPE si_code', [
  ['FPE_INTDIV', 1n, 'integer division by zero'],
  ['FPE_INTOVF', 2n, 'integer overflow trap (e.g. INT_MIN / -1 in idiv)'],
  ['FPE_FLTDIV', 3n, 'floating-point division by zero'],
  ['FPE_FLTOVF', 4n, 'floating-point overflow'],
  ['FPE_FLTUND', 5n, 'floating-point underflow'],
  ['FPE_FLTRES', 6n, 'floating-point inexact result'],
  ['FPE_FLTINV', 7n, 'invalid floating-point operation'],
  ['FPE_FLTSUB', 8n, 'floating-point subscript out of range'],
  ['FPE_FLTUNK', 14n, 'undiagnosed floating-point exception'],
  ['FPE_CONDTRAP', 15n, 'a conditional trap instruction fired'],
]);

export const SI_CODE_TRAP = codes('si_code_trap', 'SIGTRAP si_code', [
  ['TRAP_BRKPT', 1n, 'a software breakpoint (int3) was hit'],
  ['TRAP_TRACE', 2n, 'a single-step trace trap after one instruction'],
  ['TRAP_BRANCH', 3n, 'branch tracing trap: a branch was taken'],
  ['TRAP_HWBKPT', 4n, 'hardware breakpoint or watchpoint'],
  ['TRAP_UNK', 5n, 'a trap the kernel could not classify'],
  ['TRAP_PERF', 6n, 'perf event with sigtrap set'],
]);

export const SI_CODE_SYS = codes('si_code_sys', 'SIGSYS si_code', [
  ['SYS_SECCOMP', 1n, 'a seccomp filter trapped the system call (SECCOMP_RET_TRAP)'],
  ['SYS_USER_DISPATCH', 2n, 'syscall user dispatch redirected the call to a handler'],
]);

export const SI_CODE_POLL = codes('si_code_poll', 'SIGIO/SIGPOLL si_code', [
  ['POLL_IN', 1n, 'input data is available'],
  ['POLL_OUT', 2n, 'output buffers are available'],
  ['POLL_MSG', 3n, 'an input message is available'],
  ['POLL_ERR', 4n, 'an I/O error occurred'],
  ['POLL_PRI', 5n, 'high-priority input is available'],
  ['POLL_HUP', 6n, 'the device or peer hung up'],
]);
