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
  [15, 'ENOTBLK', 'a block device was required (mount of a non-block file)'],
  [16, 'EBUSY', 'the device or resource is in use (mounted, locked or otherwise busy)'],
  [17, 'EEXIST', 'the file or object already exists (O_CREAT|O_EXCL, mkdir, key creation)'],
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
  [30, 'EROFS', 'the file system is mounted read-only, so nothing can be written'],
  [31, 'EMLINK', 'too many hard links to the file (or subdirectories in a directory)'],
  [32, 'EPIPE', 'the reading end of the pipe or socket is closed (SIGPIPE is usually sent too)'],
  [33, 'EDOM', 'a math argument is outside the function\'s domain'],
  [34, 'ERANGE', 'a result or buffer size is out of range (e.g. getcwd buffer too small)'],
  [35, 'EDEADLK', 'the lock request would deadlock with a lock held elsewhere', ['EDEADLOCK']],
  [36, 'ENAMETOOLONG', 'a path or name is too long (PATH_MAX or NAME_MAX exceeded)'],
  [37, 'ENOLCK', 'no record locks are available (lock table full)'],
  [38, 'ENOSYS', 'the kernel does not implement this system call (or a seccomp filter pretends so)'],
  [39, 'ENOTEMPTY', 'the directory is not empty, so it cannot be removed or replaced'],
  [40, 'ELOOP', 'too many symbolic links while resolving a path, or a symlink met with O_NOFOLLOW'],
  [42, 'ENOMSG', 'no message of the requested type is waiting'],
  [43, 'EIDRM', 'the System V IPC object was removed while the caller used it'],
  [44, 'ECHRNG', 'channel number out of range (STREAMS-era, rarely used)'],
  [45, 'EL2NSYNC', 'level 2 not synchronised (STREAMS-era, rarely used)'],
  [46, 'EL3HLT', 'level 3 halted (STREAMS-era, rarely used)'],
  [47, 'EL3RST', 'level 3 reset (STREAMS-era, rarely used)'],
  [48, 'ELNRNG', 'link number out of range (STREAMS-era, rarely used)'],
  [49, 'EUNATCH', 'protocol driver not attached (STREAMS-era, rarely used)'],
  [50, 'ENOCSI', 'no CSI structure available (STREAMS-era, rarely used)'],
  [51, 'EL2HLT', 'level 2 halted (STREAMS-era, rarely used)'],
  [52, 'EBADE', 'invalid exchange: a STREAMS-era code that Linux itself almost never returns'],
  [53, 'EBADR', 'invalid request descriptor: a STREAMS-era code that Linux itself almost never returns'],
  [54, 'EXFULL', 'exchange full: a STREAMS-era code that Linux itself almost never returns'],
  [55, 'ENOANO', 'no anode: a STREAMS-era code that Linux itself almost never returns'],
  [56, 'EBADRQC', 'invalid request code: a STREAMS-era code that Linux itself almost never returns'],
  [57, 'EBADSLT', 'invalid slot: a STREAMS-era code that Linux itself almost never returns'],
  [59, 'EBFONT', 'bad font file format (a console font ioctl got a bad font)'],
  [60, 'ENOSTR', 'the device is not a STREAM (STREAMS-era, rarely used)'],
  [61, 'ENODATA', 'no data available (e.g. the extended attribute does not exist)'],
  [62, 'ETIME', 'a timer expired (STREAMS ioctl, some drivers)'],
  [63, 'ENOSR', 'out of STREAMS resources (STREAMS-era, rarely used)'],
  [64, 'ENONET', 'the machine is not on the network (rarely used)'],
  [65, 'ENOPKG', 'a required package or kernel component is not installed'],
  [66, 'EREMOTE', 'the object is remote and cannot be handled locally'],
  [67, 'ENOLINK', 'the link to the remote side has been severed'],
  [68, 'EADV', 'advertise error: from the long-gone RFS remote file system'],
  [69, 'ESRMNT', 'srmount error: from the long-gone RFS remote file system'],
  [70, 'ECOMM', 'communication error while sending to the remote side'],
  [71, 'EPROTO', 'protocol error: the other side or a driver broke the protocol rules'],
  [72, 'EMULTIHOP', 'a multihop path was attempted where it is not allowed'],
  [73, 'EDOTDOT', 'error specific to the long-gone RFS remote file system'],
  [74, 'EBADMSG', 'not a data message, or corrupt data'],
  [75, 'EOVERFLOW', 'a value is too large for the data type it must fit in'],
  [76, 'ENOTUNIQ', 'the name is not unique on the network (rarely used)'],
  [77, 'EBADFD', 'the descriptor is in a bad state for this operation'],
  [78, 'EREMCHG', 'the remote address changed under the connection'],
  [79, 'ELIBACC', 'cannot access a shared library an a.out binary needs (a.out era)'],
  [80, 'ELIBBAD', 'a shared library of an a.out binary is corrupted (a.out era)'],
  [81, 'ELIBSCN', 'the .lib section of an a.out binary is corrupted (a.out era)'],
  [82, 'ELIBMAX', 'too many shared libraries for an a.out binary (a.out era)'],
  [83, 'ELIBEXEC', 'cannot execute a shared library directly (a.out era)'],
  [84, 'EILSEQ', 'an invalid or incomplete multibyte or wide character'],
  [85, 'ERESTART', 'the interrupted call should be restarted (STREAMS-era user code)'],
  [86, 'ESTRPIPE', 'streams pipe error: the device returned a broken STREAMS message'],
  [87, 'EUSERS', 'too many users: a quota of users was exceeded (rarely used)'],
  [88, 'ENOTSOCK', 'the descriptor is not a socket but a socket call was made on it'],
  [89, 'EDESTADDRREQ', 'a destination address is required on an unconnected socket'],
  [90, 'EMSGSIZE', 'the message is too long for the socket or queue'],
  [91, 'EPROTOTYPE', 'the protocol is the wrong type for the socket'],
  [92, 'ENOPROTOOPT', 'the protocol does not support this socket option'],
  [93, 'EPROTONOSUPPORT', 'the protocol is not supported for this address family and type'],
  [94, 'ESOCKTNOSUPPORT', 'the socket type is not supported by this address family'],
  [95, 'EOPNOTSUPP', 'the operation is not supported on this object or socket', ['ENOTSUP']],
  [96, 'EPFNOSUPPORT', 'the protocol family is not supported by the kernel'],
  [97, 'EAFNOSUPPORT', 'the address family is not supported by the protocol or socket'],
  [98, 'EADDRINUSE', 'the address or port is already in use by another socket'],
  [99, 'EADDRNOTAVAIL', 'the requested address is not one of this machine\'s addresses'],
  [100, 'ENETDOWN', 'the network is down: the interface used for this route is not up'],
  [101, 'ENETUNREACH', 'the network is unreachable: there is no route to it'],
  [102, 'ENETRESET', 'the connection was dropped because the network reset'],
  [103, 'ECONNABORTED', 'the connection was aborted on this side, e.g. before accept took it'],
  [104, 'ECONNRESET', 'the peer reset the connection (it closed with unread data or crashed)'],
  [105, 'ENOBUFS', 'no buffer space available: socket or network buffers are exhausted'],
  [106, 'EISCONN', 'the socket is already connected; connect was called again'],
  [107, 'ENOTCONN', 'the socket is not connected, so there is no peer to talk to'],
  [108, 'ESHUTDOWN', 'cannot send after the sending side of the socket was shut down'],
  [109, 'ETOOMANYREFS', 'too many references: cannot splice (rarely used)'],
  [110, 'ETIMEDOUT', 'the operation or connection timed out (also futex and semaphore waits with a timeout)'],
  [111, 'ECONNREFUSED', 'connection refused: nothing is listening at the destination port'],
  [112, 'EHOSTDOWN', 'the host is down: the peer is known to be unreachable'],
  [113, 'EHOSTUNREACH', 'no route to the host: nothing answers for that address'],
  [114, 'EALREADY', 'an operation (such as a non-blocking connect) is already in progress'],
  [115, 'EINPROGRESS', 'the operation was started and will complete later (non-blocking connect)'],
  [116, 'ESTALE', 'stale file handle (the file was removed on the NFS server)'],
  [117, 'EUCLEAN', 'the structure needs cleaning (file-system corruption detected)'],
  [118, 'ENOTNAM', 'not a XENIX named type file (XENIX compatibility, unused)'],
  [119, 'ENAVAIL', 'no XENIX semaphores available (XENIX compatibility, unused)'],
  [120, 'EISNAM', 'is a XENIX named type file (XENIX compatibility, unused)'],
  [121, 'EREMOTEIO', 'remote I/O error: a device behind a bus or network failed the transfer'],
  [122, 'EDQUOT', 'the user\'s disk quota is exceeded'],
  [123, 'ENOMEDIUM', 'no medium found: the drive is empty'],
  [124, 'EMEDIUMTYPE', 'wrong medium type: the disc or tape in the drive is of the wrong kind'],
  [125, 'ECANCELED', 'the operation was cancelled before it completed (AIO, io_uring, timers)'],
  [126, 'ENOKEY', 'the required kernel key (e.g. an encryption key) is not available'],
  [127, 'EKEYEXPIRED', 'the kernel key has passed its expiry time'],
  [128, 'EKEYREVOKED', 'the kernel key has been revoked'],
  [129, 'EKEYREJECTED', 'the kernel key was rejected by the service that checks it'],
  [130, 'EOWNERDEAD', 'the owner of a robust mutex died while holding it; the new owner must repair the state'],
  [131, 'ENOTRECOVERABLE', 'the robust mutex state is not recoverable after its owner died'],
  [132, 'ERFKILL', 'the operation is impossible because of an RF-kill switch'],
  [133, 'EHWPOISON', 'the memory page has an uncorrectable hardware error'],
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
