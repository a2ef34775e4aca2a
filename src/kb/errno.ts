/**
 * Error numbers: the user-visible errno values of x86-64 Linux (<asm-generic/errno-base.h> and
 * <asm-generic/errno.h>) plus the kernel-internal restart codes that only a tracer ever sees.
 *
 * Why the restart codes matter: when a signal interrupts a blocking call, strace shows the call
 * returning `? ERESTARTSYS` (or a sibling) before the signal line. User space never receives these
 * numbers; the kernel either restarts the call after the handler or turns them into EINTR.
 */

export interface ErrnoInfo {
  readonly number: number;
  readonly name: string;
  /** Other names with the same number (EWOULDBLOCK for EAGAIN, EDEADLOCK for EDEADLK, ENOTSUP for EOPNOTSUPP). */
  readonly aliases: readonly string[];
  /** One line, our own words. */
  readonly meaning: string;
  /** Numbers 512+ never reach user space; strace shows them with `?` as the return value. */
  readonly kernelInternal: boolean;
  /** For the restart codes: what the tracer is seeing and what happens next. */
  readonly tracerNote?: string;
}

type Row = [number, string, string, string[]?];

const USER_ERRNOS: readonly Row[] = [
  [1, 'EPERM', 'operation not permitted: the caller lacks the privilege or capability, not a file-permission problem'],
  [2, 'ENOENT', 'no such file or directory (also: no such entry, e.g. a missing key or process attribute)'],
  [3, 'ESRCH', 'no such process or thread (it exited, or was never there)'],
  [4, 'EINTR', 'a signal handler ran while the call was blocked and the call was not restarted'],
  [5, 'EIO', 'low-level input/output error from a device or file system'],
  [6, 'ENXIO', 'no such device or address (device missing, or FIFO opened for writing without a reader)'],
  [7, 'E2BIG', 'argument list and environment too long for execve, or a size argument too large'],
  [8, 'ENOEXEC', 'the file is not in an executable format the kernel understands'],
  [9, 'EBADF', 'the descriptor is not open, or not open for this kind of access'],
  [10, 'ECHILD', 'there is no child to wait for'],
  [11, 'EAGAIN', 'try again: a non-blocking call would block, or a resource is temporarily exhausted', ['EWOULDBLOCK']],
  [12, 'ENOMEM', 'out of memory, or the address range is invalid for a memory call'],
  [13, 'EACCES', 'permission denied by file mode bits, ACLs or a security module'],
  [14, 'EFAULT', 'a pointer argument points outside the accessible address space'],
  [15, 'ENOTBLK', 'a block device was required'],
  [16, 'EBUSY', 'the device or resource is in use'],
  [17, 'EEXIST', 'the file or object already exists'],
  [18, 'EXDEV', 'the operation cannot cross file systems (rename or link across mounts)'],
  [19, 'ENODEV', 'no such device, or the file system type is not supported'],
  [20, 'ENOTDIR', 'a path component that must be a directory is not one'],
  [21, 'EISDIR', 'the target is a directory but the operation needs a non-directory'],
  [22, 'EINVAL', 'an argument is invalid (bad flag, value or combination)'],
  [23, 'ENFILE', 'the system-wide limit on open files is reached'],
  [24, 'EMFILE', 'the process has reached its RLIMIT_NOFILE descriptor limit'],
  [25, 'ENOTTY', 'the descriptor does not support this ioctl (classic: isatty on a non-terminal)'],
  [26, 'ETXTBSY', 'the executable is open for writing, or a file being written is being executed'],
  [27, 'EFBIG', 'the file would grow beyond the maximum or RLIMIT_FSIZE'],
  [28, 'ENOSPC', 'no space left on the device (or no inodes, or watch limits reached)'],
  [29, 'ESPIPE', 'cannot seek on a pipe, socket or FIFO'],
  [30, 'EROFS', 'the file system is mounted read-only'],
  [31, 'EMLINK', 'too many hard links to the file'],
  [32, 'EPIPE', 'the reading end of the pipe or socket is closed (SIGPIPE is usually sent too)'],
  [33, 'EDOM', 'a math argument is outside the function\'s domain'],
  [34, 'ERANGE', 'a result or buffer size is out of range (e.g. getcwd buffer too small)'],
  [35, 'EDEADLK', 'the lock request would deadlock', ['EDEADLOCK']],
  [36, 'ENAMETOOLONG', 'a path or name is too long'],
  [37, 'ENOLCK', 'no record locks are available'],
  [38, 'ENOSYS', 'the kernel does not implement this system call (or a seccomp filter pretends so)'],
  [39, 'ENOTEMPTY', 'the directory is not empty'],
  [40, 'ELOOP', 'too many symbolic links while resolving a path, or a symlink met with O_NOFOLLOW'],
  [42, 'ENOMSG', 'no message of the requested type is waiting'],
  [43, 'EIDRM', 'the IPC identifier was removed'],
  [44, 'ECHRNG', 'channel number out of range'],
  [45, 'EL2NSYNC', 'level 2 not synchronised (STREAMS-era, rarely used)'],
  [46, 'EL3HLT', 'level 3 halted (STREAMS-era, rarely used)'],
  [47, 'EL3RST', 'level 3 reset (STREAMS-era, rarely used)'],
  [48, 'ELNRNG', 'link number out of range'],
  [49, 'EUNATCH', 'protocol driver not attached'],
  [50, 'ENOCSI', 'no CSI structure available'],
  [51, 'EL2HLT', 'level 2 halted (STREAMS-era, rarely used)'],
  [52, 'EBADE', 'invalid exchange'],
  [53, 'EBADR', 'invalid request descriptor'],
  [54, 'EXFULL', 'exchange full'],
  [55, 'ENOANO', 'no anode'],
  [56, 'EBADRQC', 'invalid request code'],
  [57, 'EBADSLT', 'invalid slot'],
  [59, 'EBFONT', 'bad font file format'],
  [60, 'ENOSTR', 'the device is not a STREAM'],
  [61, 'ENODATA', 'no data available (e.g. the extended attribute does not exist)'],
  [62, 'ETIME', 'a timer expired (STREAMS ioctl, some drivers)'],
  [63, 'ENOSR', 'out of STREAMS resources'],
  [64, 'ENONET', 'the machine is not on the network'],
  [65, 'ENOPKG', 'a required package or kernel component is not installed'],
  [66, 'EREMOTE', 'the object is remote'],
  [67, 'ENOLINK', 'the link has been severed'],
  [68, 'EADV', 'advertise error'],
  [69, 'ESRMNT', 'srmount error'],
  [70, 'ECOMM', 'communication error on send'],
  [71, 'EPROTO', 'protocol error'],
  [72, 'EMULTIHOP', 'a multihop was attempted'],
  [73, 'EDOTDOT', 'RFS-specific error'],
  [74, 'EBADMSG', 'not a data message, or corrupt data'],
  [75, 'EOVERFLOW', 'a value is too large for the data type it must fit in'],
  [76, 'ENOTUNIQ', 'the name is not unique on the network'],
  [77, 'EBADFD', 'the descriptor is in a bad state'],
  [78, 'EREMCHG', 'the remote address changed'],
  [79, 'ELIBACC', 'cannot access a needed shared library'],
  [80, 'ELIBBAD', 'a shared library is corrupted'],
  [81, 'ELIBSCN', 'the .lib section in a.out is corrupted'],
  [82, 'ELIBMAX', 'attempting to link in too many shared libraries'],
  [83, 'ELIBEXEC', 'cannot execute a shared library directly'],
  [84, 'EILSEQ', 'an invalid or incomplete multibyte or wide character'],
  [85, 'ERESTART', 'the interrupted call should be restarted (STREAMS-era user code)'],
  [86, 'ESTRPIPE', 'streams pipe error'],
  [87, 'EUSERS', 'too many users'],
  [88, 'ENOTSOCK', 'the descriptor is not a socket'],
  [89, 'EDESTADDRREQ', 'a destination address is required'],
  [90, 'EMSGSIZE', 'the message is too long'],
  [91, 'EPROTOTYPE', 'the protocol is the wrong type for the socket'],
  [92, 'ENOPROTOOPT', 'the protocol does not support this option'],
  [93, 'EPROTONOSUPPORT', 'the protocol is not supported'],
  [94, 'ESOCKTNOSUPPORT', 'the socket type is not supported'],
  [95, 'EOPNOTSUPP', 'the operation is not supported on this object', ['ENOTSUP']],
  [96, 'EPFNOSUPPORT', 'the protocol family is not supported'],
  [97, 'EAFNOSUPPORT', 'the address family is not supported by the protocol'],
  [98, 'EADDRINUSE', 'the address or port is already in use'],
  [99, 'EADDRNOTAVAIL', 'the requested address is not available on this machine'],
  [100, 'ENETDOWN', 'the network is down'],
  [101, 'ENETUNREACH', 'the network is unreachable'],
  [102, 'ENETRESET', 'the connection was dropped because the network reset'],
  [103, 'ECONNABORTED', 'the connection was aborted locally'],
  [104, 'ECONNRESET', 'the peer reset the connection'],
  [105, 'ENOBUFS', 'no buffer space available'],
  [106, 'EISCONN', 'the socket is already connected'],
  [107, 'ENOTCONN', 'the socket is not connected'],
  [108, 'ESHUTDOWN', 'cannot send after the socket was shut down'],
  [109, 'ETOOMANYREFS', 'too many references, cannot splice'],
  [110, 'ETIMEDOUT', 'the operation or connection timed out (also futex and semaphore waits with a timeout)'],
  [111, 'ECONNREFUSED', 'nothing is listening at the destination'],
  [112, 'EHOSTDOWN', 'the host is down'],
  [113, 'EHOSTUNREACH', 'no route to the host'],
  [114, 'EALREADY', 'an operation is already in progress on this object'],
  [115, 'EINPROGRESS', 'the operation was started and will complete later (non-blocking connect)'],
  [116, 'ESTALE', 'stale file handle (the file was removed on the NFS server)'],
  [117, 'EUCLEAN', 'the structure needs cleaning (file-system corruption detected)'],
  [118, 'ENOTNAM', 'not a XENIX named type file'],
  [119, 'ENAVAIL', 'no XENIX semaphores available'],
  [120, 'EISNAM', 'is a named type file'],
  [121, 'EREMOTEIO', 'remote I/O error'],
  [122, 'EDQUOT', 'the disk quota is exceeded'],
  [123, 'ENOMEDIUM', 'no medium found in the drive'],
  [124, 'EMEDIUMTYPE', 'wrong medium type'],
  [125, 'ECANCELED', 'the operation was cancelled'],
  [126, 'ENOKEY', 'the required key is not available'],
  [127, 'EKEYEXPIRED', 'the key has expired'],
  [128, 'EKEYREVOKED', 'the key has been revoked'],
  [129, 'EKEYREJECTED', 'the key was rejected by its service'],
  [130, 'EOWNERDEAD', 'the owner of a robust mutex died while holding it; the new owner must repair the state'],
  [131, 'ENOTRECOVERABLE', 'the robust mutex state is not recoverable'],
  [132, 'ERFKILL', 'the operation is impossible because of an RF-kill switch'],
  [133, 'EHWPOISON', 'the memory page has a hardware error'],
];

type KernelRow = [number, string, string, string?];

// Kernel-internal codes (include/linux/errno.h in the kernel sources, not exported to user space).
const KERNEL_ERRNOS: readonly KernelRow[] = [
  [512, 'ERESTARTSYS', 'interrupted by a signal; restarted after the handler if it has SA_RESTART, otherwise EINTR',
    'the call was interrupted by a signal; if the handler was installed with SA_RESTART (or no handler runs) the kernel re-issues the call, otherwise user space gets EINTR'],
  [513, 'ERESTARTNOINTR', 'interrupted by a signal; always restarted, never turned into EINTR',
    'the call will be re-issued after the signal is handled, whatever the handler flags'],
  [514, 'ERESTARTNOHAND', 'interrupted by a signal; restarted only if no handler ran, otherwise EINTR',
    'restarted if the signal was ignored or only stopped the process; if a handler ran, user space gets EINTR'],
  [515, 'ENOIOCTLCMD', 'a driver does not know this ioctl; user space sees ENOTTY'],
  [516, 'ERESTART_RESTARTBLOCK', 'interrupted sleep that will resume through restart_syscall with the remaining time',
    'a timed sleep was interrupted; after the signal the kernel continues it via restart_syscall (or returns EINTR if a handler ran)'],
  [517, 'EPROBE_DEFER', 'a driver asked to retry its probe later'],
  [518, 'EOPENSTALE', 'open found a stale dentry and will retry the lookup'],
  [519, 'ENOPARAM', 'the file system does not take this mount parameter'],
  [521, 'EBADHANDLE', 'NFS: illegal file handle'],
  [522, 'ENOTSYNC', 'NFS: update synchronisation mismatch'],
  [523, 'EBADCOOKIE', 'NFS: the directory cookie is stale'],
  [524, 'ENOTSUPP', 'NFS/kernel: operation not supported (leaks to user space only from buggy drivers)'],
  [525, 'ETOOSMALL', 'NFS: buffer or request is too small'],
  [526, 'ESERVERFAULT', 'NFS: the server failed'],
  [527, 'EBADTYPE', 'NFS: the server does not support this object type'],
  [528, 'EJUKEBOX', 'NFS: the request started but will take a while (tape robot)'],
  [529, 'EIOCBQUEUED', 'async I/O request was queued; completion comes later'],
  [530, 'ERECALLCONFLICT', 'NFS: a conflict with a recalled delegation'],
  [531, 'ENOGRACE', 'NFS: the server is not in its grace period'],
];

export const ERRNOS: readonly ErrnoInfo[] = [
  ...USER_ERRNOS.map(([number, name, meaning, aliases]) => ({ number, name, meaning, aliases: aliases ?? [], kernelInternal: false })),
  ...KERNEL_ERRNOS.map(([number, name, meaning, tracerNote]) => ({
    number, name, meaning, aliases: [], kernelInternal: true, ...(tracerNote === undefined ? {} : { tracerNote }),
  })),
];

const BY_NUMBER = new Map(ERRNOS.map((e) => [e.number, e]));
const BY_NAME = new Map<string, ErrnoInfo>();
for (const e of ERRNOS) for (const n of [e.name, ...e.aliases]) BY_NAME.set(n, e);

export function errnoByNumber(n: number): ErrnoInfo | undefined {
  return BY_NUMBER.get(n);
}

/** Accepts the symbol (`ENOENT`, `EWOULDBLOCK`) or a number as text. */
export function errnoByName(name: string): ErrnoInfo | undefined {
  const text = name.trim();
  if (/^\d+$/.test(text)) return BY_NUMBER.get(Number(text));
  return BY_NAME.get(text.toUpperCase());
}

/** The symbol for an errno number, or the number itself when unknown. */
export function errnoName(n: number): string {
  return BY_NUMBER.get(n)?.name ?? String(n);
}
