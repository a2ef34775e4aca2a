/**
 * The typed facts of a trace: what each lifecycle event means, decoded once from the parser's typed
 * values with the kb tables. Everything above the parser (model, explain, lab, doctor, report) reads
 * these records instead of looking at strace's text again.
 *
 * Ids of tasks (pids, tids) are JS numbers: Linux caps them at 2^22. Addresses and limits are 64-bit
 * values and stay bigint.
 */

/**
 * What a task-creating call makes, from its clone flags (see classifyClone for the rules):
 * - `thread`: CLONE_THREAD, a new thread in the caller's thread group;
 * - `namespaces`: a new process in at least one new namespace (CLONE_NEW*), whatever else it shares;
 * - `spawn`: CLONE_VM|CLONE_VFORK, the posix_spawn way (the child borrows the memory until execve);
 * - `vfork`: the vfork syscall, or CLONE_VFORK without CLONE_VM;
 * - `shared-vm`: CLONE_VM without CLONE_THREAD, a process sharing the caller's memory;
 * - `fork`: a copy-on-write copy (fork, or clone without CLONE_VM);
 * - `invalid`: flags the kernel refuses with EINVAL (e.g. CLONE_THREAD without CLONE_SIGHAND/CLONE_VM).
 */
export type CloneKind = 'thread' | 'namespaces' | 'spawn' | 'vfork' | 'shared-vm' | 'fork' | 'invalid';

/** The creating syscalls. */
export type CreatingSyscall = 'clone' | 'clone2' | 'clone3' | 'fork' | 'vfork';

/** clone/clone3/fork/vfork: a new task. */
export interface TaskCreationFact {
  readonly fact: 'create';
  readonly syscall: CreatingSyscall;
  readonly kind: CloneKind;
  /** For kind `invalid`: why the kernel refuses these flags. */
  readonly invalid?: string;
  /**
   * CLONE_* names as printed or decoded from a raw number, in printed order, without the exit signal;
   * bits no table names are kept as hex (`0x400000000`). fork: none; vfork: CLONE_VM, CLONE_VFORK.
   */
  readonly flags: readonly string[];
  /** The exit signal exactly as strace printed it among the flags (`SIGCHLD`), when it printed one. */
  readonly printedSignal?: string;
  /** The CLONE_NEW* names among `flags`. */
  readonly namespaces: readonly string[];
  /**
   * Signal the parent gets when the child ends: `SIGCHLD`, another name, or `0` for none (threads).
   * fork and vfork: SIGCHLD.
   */
  readonly exitSignal: string;
  /** CLONE_PARENT (or a thread): the new task's parent is the caller's parent, not the caller. */
  readonly sibling: boolean;
  /** The TID/PID the call returned to the caller (> 0), when it did. */
  readonly child?: number;
  readonly ok: boolean;
  readonly errno?: string;
  /** Stack of the new task: clone's child_stack (its top), clone3's stack (its lowest address). */
  readonly stack?: bigint;
  /** clone3's stack_size. */
  readonly stackSize?: bigint;
  /** CLONE_SETTLS: the new thread pointer. */
  readonly tls?: bigint;
  /** The child_tid word (CLONE_CHILD_SETTID/CLONE_CHILD_CLEARTID); undefined when NULL or absent. */
  readonly childTid?: bigint;
  /** The parent_tid word (CLONE_PARENT_SETTID). */
  readonly parentTid?: bigint;
}

/** execve/execveat. */
export interface ExecFact {
  readonly fact: 'exec';
  readonly syscall: 'execve' | 'execveat';
  /** The program path, decoded from strace's escaping as UTF-8 (invalid bytes kept); undefined when not printed. */
  readonly path?: string;
  /** argv, decoded the same way (`NULL` and unreadable items as `NULL` and `?`); undefined when not printed. */
  readonly argv?: readonly string[];
  /** strace cut the path, the list, or one of its strings (`...`, `-s`). */
  readonly truncated: boolean;
  /** Number of environment variables (`/* 23 vars *\/`, or the printed list with -v). */
  readonly envCount?: number;
  /** It returned success: the program was replaced. */
  readonly ok: boolean;
  /**
   * The result is not in the log: the call never returned (the task died inside it, the log ended) or
   * strace printed `= ?` (a thread's execve seen from the thread it replaced).
   */
  readonly pending: boolean;
  readonly errno?: string;
}

/** What happened to a child, from a wait status or a SIGCHLD siginfo. */
export interface ChildStatus {
  kind: 'exited' | 'killed' | 'stopped' | 'continued';
  /** Exit code (0-255) of a child that exited, when known. */
  code?: number;
  /** The signal that killed or stopped it, as printed (`SIGKILL`, or a number). */
  signal?: string;
  /** A killed child also dumped core. */
  coreDumped?: boolean;
}

/** Which children a wait call waits for. */
export type WaitTarget =
  | { readonly kind: 'any' }
  | { readonly kind: 'pid'; readonly pid: number }
  /** A process group; pgid undefined: the caller's own group (wait4 pid 0, waitid P_PGID 0). */
  | { readonly kind: 'group'; readonly pgid?: number }
  | { readonly kind: 'pidfd'; readonly fd: number }
  /** Not readable from the log. */
  | { readonly kind: 'unknown' };

/** wait4/waitid (waitpid and wait are wait4 in the kernel). */
export interface WaitFact {
  readonly fact: 'wait';
  readonly syscall: 'wait4' | 'waitid' | 'waitpid';
  readonly target: WaitTarget;
  /** Option names (WNOHANG, WUNTRACED, WEXITED, WNOWAIT, __WALL...). */
  readonly options: readonly string[];
  /** The child whose state the call reported (> 0). */
  readonly child?: number;
  /** The status the call reported; undefined when not shown (NULL status pointer, unreadable). */
  readonly status?: ChildStatus;
  /** wait4 was given a NULL status pointer: the caller did not ask how the child ended. */
  readonly statusNull: boolean;
  /**
   * The child was collected (no longer a zombie): a child was reported, not with WNOWAIT, and its
   * status is an end (exited, killed) or not shown.
   */
  readonly reaped: boolean;
  /** WNOHANG and no child had changed state (wait4 returned 0, waitid left si_pid 0). */
  readonly noneReady: boolean;
  readonly ok: boolean;
  /** The call never returned in the log. */
  readonly pending: boolean;
  readonly errno?: string;
}

/** A `--- SIG... {...} ---` line: a signal delivered to (or a group stop of) the line's task. */
export interface SignalDeliveryFact {
  readonly fact: 'signal';
  /** The signal name as printed (`SIGCHLD`, `SIGRT_1`, or a number). */
  readonly signal: string;
  /** Its number, when the kb knows the name. */
  readonly signo?: number;
  /** `--- stopped by SIG ---`: a group stop, not a delivery. */
  readonly stopped: boolean;
  /** si_code as printed (`SI_USER`, `CLD_EXITED`, `SEGV_MAPERR`, or a number). */
  readonly code?: string;
  /** si_pid (0 < pid <= 2^22): the sender, or for SIGCHLD the child the news is about. */
  readonly sender?: number;
  /** si_uid. */
  readonly senderUid?: number;
  /** si_addr of a fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP): NULL is 0n. */
  readonly addr?: bigint;
  /** si_addr exactly as printed (`NULL`, `0x10`). */
  readonly addrText?: string;
  /** si_status as printed: an exit code or a signal name for SIGCHLD. */
  readonly statusText?: string;
  /** SIGCHLD with a CLD_* code: what happened to child `sender`. */
  readonly status?: ChildStatus;
}

/** kill/tkill/tgkill/rt_sigqueueinfo/rt_tgsigqueueinfo/pidfd_send_signal. */
export interface SignalSentFact {
  readonly fact: 'send';
  readonly syscall: 'kill' | 'tkill' | 'tgkill' | 'rt_sigqueueinfo' | 'rt_tgsigqueueinfo' | 'pidfd_send_signal';
  /** The signal as printed (`SIGTERM`, `0` for a probe); `?` when not shown. */
  readonly signal: string;
  readonly signo?: number;
  /** The target argument as printed (a pid, `-PGID`, `0`, `-1`, or the pidfd). */
  readonly target: string;
  /** The target pid/tid when it names one task or process (> 0; a pidfd's pid from -yy). */
  readonly targetPid?: number;
  /** For thread-directed calls (tkill, tgkill, rt_tgsigqueueinfo): the target thread. */
  readonly tid?: number;
  /** For tgkill and rt_tgsigqueueinfo: the thread group named beside the thread. */
  readonly tgid?: number;
  /** Signal 0: only checks that the target exists. */
  readonly probe: boolean;
  readonly ok: boolean;
  readonly errno?: string;
}

/** exit/exit_group calls and the `+++ exited/killed +++` lines. */
export interface ExitFact {
  readonly fact: 'exit';
  /**
   * `exit` (the calling thread ends), `exit_group` (the whole thread group ends), `exited` or
   * `killed` (strace's report that the line's task is gone).
   */
  readonly how: 'exit' | 'exit_group' | 'exited' | 'killed';
  /** The exit code (the low 8 bits of the call's argument, as the parent sees it). */
  readonly code?: number;
  /** The code the program passed (exit(256) is status 0). */
  readonly argument?: bigint;
  readonly signal?: string;
  readonly coreDumped?: boolean;
}

/** A resource limit value: a number, or unlimited. */
export type LimitValue = bigint | 'infinity';

/** prlimit64/setrlimit/getrlimit/ugetrlimit. */
export interface LimitFact {
  readonly fact: 'limit';
  readonly syscall: 'prlimit64' | 'setrlimit' | 'getrlimit' | 'ugetrlimit';
  /** prlimit64's pid (0: the caller); undefined for the others (always the caller). */
  readonly pid?: number;
  /** RLIMIT_NOFILE, ... (as printed when the kb does not know it). */
  readonly resource: string;
  /** The limit being set, when the call sets one. */
  readonly set?: { readonly soft?: LimitValue; readonly hard?: LimitValue };
  /** The limit read back (getrlimit's result, prlimit64's old value), when shown. */
  readonly read?: { readonly soft?: LimitValue; readonly hard?: LimitValue };
  readonly ok: boolean;
  readonly errno?: string;
}

/** How a descriptor was made, or what happened to it. */
export type FdOp = 'open' | 'socket' | 'pipe' | 'dup' | 'close' | 'close-range' | 'set-cloexec';

/**
 * Descriptor life: open/openat/openat2/creat, socket/socketpair/accept/accept4, pipe/pipe2,
 * dup/dup2/dup3/fcntl F_DUPFD(_CLOEXEC), fcntl F_SETFD, close, close_range.
 */
export interface FdFact {
  readonly fact: 'fd';
  readonly syscall: string;
  readonly op: FdOp;
  /** The descriptors made, closed or changed (two for pipe/socketpair). Empty when the call failed. */
  readonly fds: readonly number[];
  /** Whether the new (or changed) descriptors close on exec; undefined for close. */
  readonly cloexec?: boolean;
  /** dup: the descriptor copied. */
  readonly from?: number;
  /** open: the path as printed in the log (decoded), when shown. */
  readonly path?: string;
  /** close_range: the range (last may be ~0U, kept as bigint) and whether it only set close-on-exec. */
  readonly range?: { readonly first: number; readonly last: bigint; readonly cloexecOnly: boolean };
  readonly ok: boolean;
  readonly errno?: string;
}

/** Every fact record. */
export type Fact = TaskCreationFact | ExecFact | WaitFact | SignalDeliveryFact | SignalSentFact | ExitFact | LimitFact | FdFact;

/** The kinds of facts, by their `fact` tag. */
export type FactKind = Fact['fact'];
