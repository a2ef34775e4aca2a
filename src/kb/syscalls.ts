/**
 * Every x86-64 system call number the kernel or strace knows, with argument names, our own category
 * and a one-line description in our own words.
 *
 * Numbering: 0..334 are the historic x86-64 table; 335 (uretprobe) and 336 (uprobe) were added later
 * at the end of that table. Numbers 337..423 are unused on x86-64: when the kernel unified new
 * syscall numbers across architectures (Linux 5.1) the common table started at 424, so x86-64 jumps
 * from its own last number straight to 424. x32 numbers (512+) are not covered: they are a
 * different ABI and strace shows them separately.
 *
 * Argument names follow the raw register order of the x86-64 ABI (rdi, rsi, rdx, r10, r8, r9),
 * which is also strace's order except that strace prints clone's stack before its flags.
 *
 * Categories (one per syscall, chosen by what a forensic reader asks "what is it doing?"):
 *   process   create, replace, end and wait for processes; process IDs, groups, sessions, pidfds
 *   thread    per-thread runtime plumbing: TLS pointer, TID addresses, robust futex list, rseq
 *   signal    handlers, masks, sending, waiting for and returning from signals
 *   memory    address-space mappings, protections, advice, locking, NUMA policy
 *   file      path and inode operations: open, stat, rename, permissions, xattrs, file watches
 *   fd        operations on an open descriptor: read/write, dup, fcntl, pipes, splice, eventfd
 *   io        waiting for readiness and asynchronous I/O: poll, select, epoll, aio, io_uring
 *   network   sockets
 *   time      clocks, sleeps, interval timers, POSIX timers
 *   sync      futexes and memory barriers: the kernel half of mutexes, condvars, joins
 *   ipc       System V shared memory, semaphores, message queues; POSIX message queues
 *   security  user/group IDs, capabilities, seccomp, landlock, keyrings, LSM attributes
 *   sched     scheduler policy, priority, CPU affinity, yielding
 *   resource  resource limits and usage accounting
 *   namespace unshare, setns, namespace listing
 *   mount     mounting, the new mount API, root changes
 *   debug     tracing and inspecting other processes: ptrace, process_vm_*, perf, bpf, uprobes
 *   system    machine-wide state: reboot, hostname, modules, kexec, swap, kernel log, randomness
 *   loader    the obsolete uselib; loading itself shows up as openat/mmap and is named by patterns
 *   obsolete  numbers reserved for calls never implemented or removed: they return ENOSYS
 */

export type SyscallCategory =
  | 'process' | 'thread' | 'signal' | 'memory' | 'file' | 'fd' | 'io' | 'network' | 'time' | 'sync'
  | 'ipc' | 'security' | 'sched' | 'resource' | 'namespace' | 'mount' | 'debug' | 'system' | 'loader'
  | 'obsolete';

/** What each category means, for help texts and legends. */
export const SYSCALL_CATEGORIES: Readonly<Record<SyscallCategory, string>> = {
  process: 'creating, replacing, ending and waiting for processes; IDs, groups, sessions, pidfds',
  thread: 'per-thread runtime set-up: TLS pointer, TID addresses, robust futex list, rseq',
  signal: 'signal handlers, masks, sending, waiting and returning from handlers',
  memory: 'address-space mappings, protections, advice, locking and NUMA policy',
  file: 'path and inode operations: open, stat, rename, permissions, attributes, watches',
  fd: 'operations on an open descriptor: read, write, dup, fcntl, pipes, splice',
  io: 'readiness waiting and asynchronous I/O: poll, select, epoll, aio, io_uring',
  network: 'sockets: create, connect, listen, send and receive',
  time: 'clocks, sleeps and timers',
  sync: 'futexes and memory barriers: the kernel side of locks, condition variables and joins',
  ipc: 'System V and POSIX inter-process communication objects',
  security: 'credentials, capabilities, seccomp, landlock, keyrings and LSM attributes',
  sched: 'scheduling policy, priorities, CPU affinity and yielding',
  resource: 'resource limits and usage accounting',
  namespace: 'namespaces: leaving, joining and listing them',
  mount: 'mounting file systems and changing the root',
  debug: 'tracing and inspecting other processes',
  system: 'machine-wide state and administration',
  loader: 'library loading done by the kernel (historical)',
  obsolete: 'reserved numbers for calls that were never implemented or were removed',
};

export interface SyscallInfo {
  readonly number: number;
  readonly name: string;
  /** Argument names in register order; length is the argument count. */
  readonly args: readonly string[];
  readonly category: SyscallCategory;
  /** One line, our own words. */
  readonly description: string;
  /**
   * Set when the number is absent from Debian 12's linux-libc-dev 6.1 headers: the first kernel
   * version that has it. strace 6.1 prints such calls as `syscall_0xNNN(...)`. Versions up to 6.18
   * were checked against a 6.18 kernel (451..469 and 336 answer, 470/471 return ENOSYS there); the
   * versions given for 470/471 are from the upstream release history and not verified on a machine.
   */
  readonly since?: string;
}

type Row = [number, string, SyscallCategory, string, string, string?];

// [number, name, category, 'arg, arg', description, since-kernel (only for numbers newer than the 6.1 headers)]
const ROWS: readonly Row[] = [
  [0, 'read', 'fd', 'fd, buf, count', 'reads up to count bytes from a descriptor into a buffer'],
  [1, 'write', 'fd', 'fd, buf, count', 'writes count bytes from a buffer to a descriptor'],
  [2, 'open', 'file', 'filename, flags, mode', 'opens or creates a file by path and returns a new descriptor'],
  [3, 'close', 'fd', 'fd', 'releases a descriptor; the file itself closes when its last descriptor goes'],
  [4, 'stat', 'file', 'filename, statbuf', 'reads a file\'s metadata (type, size, owner, times) by path, following symlinks'],
  [5, 'fstat', 'file', 'fd, statbuf', 'reads the metadata of the file behind an open descriptor'],
  [6, 'lstat', 'file', 'filename, statbuf', 'reads metadata by path without following a final symlink'],
  [7, 'poll', 'io', 'ufds, nfds, timeout_msecs', 'waits until one of several descriptors is readable, writable or in error'],
  [8, 'lseek', 'fd', 'fd, offset, whence', 'moves a descriptor\'s file position'],
  [9, 'mmap', 'memory', 'addr, len, prot, flags, fd, off', 'maps a file or anonymous memory into the address space'],
  [10, 'mprotect', 'memory', 'start, len, prot', 'changes the access rights (read/write/execute) of mapped pages'],
  [11, 'munmap', 'memory', 'addr, len', 'removes a range of mappings from the address space'],
  [12, 'brk', 'memory', 'brk', 'moves the end of the heap (program break); brk(NULL) just asks where it is'],
  [13, 'rt_sigaction', 'signal', 'sig, act, oact, sigsetsize', 'installs or queries the handler and flags of one signal'],
  [14, 'rt_sigprocmask', 'signal', 'how, set, oset, sigsetsize', 'blocks, unblocks or replaces the calling thread\'s signal mask'],
  [15, 'rt_sigreturn', 'signal', '', 'returns from a signal handler, restoring the registers and mask saved at delivery'],
  [16, 'ioctl', 'fd', 'fd, cmd, arg', 'sends a device- or driver-specific command to a descriptor'],
  [17, 'pread64', 'fd', 'fd, buf, count, pos', 'reads at a given file offset without moving the file position'],
  [18, 'pwrite64', 'fd', 'fd, buf, count, pos', 'writes at a given file offset without moving the file position'],
  [19, 'readv', 'fd', 'fd, vec, vlen', 'reads into several buffers in one call (scatter)'],
  [20, 'writev', 'fd', 'fd, vec, vlen', 'writes from several buffers in one call (gather)'],
  [21, 'access', 'file', 'filename, mode', 'checks whether the real user could read, write or execute a path'],
  [22, 'pipe', 'fd', 'fildes', 'creates a pipe and returns its read and write descriptors'],
  [23, 'select', 'io', 'n, inp, outp, exp, tvp', 'waits for readiness on descriptor bit sets, with a timeout'],
  [24, 'sched_yield', 'sched', '', 'gives the CPU to another runnable thread of equal priority'],
  [25, 'mremap', 'memory', 'addr, old_len, new_len, flags, new_addr', 'grows, shrinks or moves an existing mapping'],
  [26, 'msync', 'memory', 'start, len, flags', 'flushes changes in a shared file mapping back to the file'],
  [27, 'mincore', 'memory', 'start, len, vec', 'reports which pages of a range are resident in RAM'],
  [28, 'madvise', 'memory', 'start, len, behavior', 'tells the kernel how a range will be used, or drops its contents (MADV_DONTNEED)'],
  [29, 'shmget', 'ipc', 'key, size, shmflg', 'creates or finds a System V shared memory segment'],
  [30, 'shmat', 'ipc', 'shmid, shmaddr, shmflg', 'attaches a System V shared memory segment to the address space'],
  [31, 'shmctl', 'ipc', 'shmid, cmd, buf', 'queries, changes or removes a System V shared memory segment'],
  [32, 'dup', 'fd', 'fildes', 'duplicates a descriptor onto the lowest free number'],
  [33, 'dup2', 'fd', 'oldfd, newfd', 'makes newfd a copy of oldfd, closing newfd first if open (redirection)'],
  [34, 'pause', 'signal', '', 'sleeps until a signal is delivered'],
  [35, 'nanosleep', 'time', 'rqtp, rmtp', 'sleeps for a relative time on the monotonic clock'],
  [36, 'getitimer', 'time', 'which, value', 'reads one of the process\'s interval timers'],
  [37, 'alarm', 'time', 'seconds', 'arranges a SIGALRM after a number of seconds (0 cancels)'],
  [38, 'setitimer', 'time', 'which, value, ovalue', 'arms an interval timer that sends SIGALRM, SIGVTALRM or SIGPROF'],
  [39, 'getpid', 'process', '', 'returns the process ID (the thread group ID, shared by all threads)'],
  [40, 'sendfile', 'fd', 'out_fd, in_fd, offset, count', 'copies data between descriptors inside the kernel'],
  [41, 'socket', 'network', 'family, type, protocol', 'creates a socket endpoint and returns its descriptor'],
  [42, 'connect', 'network', 'fd, uservaddr, addrlen', 'connects a socket to a peer address'],
  [43, 'accept', 'network', 'fd, upeer_sockaddr, upeer_addrlen', 'takes the next incoming connection from a listening socket'],
  [44, 'sendto', 'network', 'fd, buff, len, flags, addr, addr_len', 'sends a datagram or stream data, optionally to an explicit address'],
  [45, 'recvfrom', 'network', 'fd, ubuf, size, flags, addr, addr_len', 'receives data and optionally the sender\'s address'],
  [46, 'sendmsg', 'network', 'fd, msg, flags', 'sends data with ancillary data such as passed descriptors or credentials'],
  [47, 'recvmsg', 'network', 'fd, msg, flags', 'receives data with ancillary data such as passed descriptors'],
  [48, 'shutdown', 'network', 'fd, how', 'closes the sending and/or receiving half of a connection'],
  [49, 'bind', 'network', 'fd, umyaddr, addrlen', 'gives a socket a local address or path'],
  [50, 'listen', 'network', 'fd, backlog', 'marks a socket as accepting connections, with a queue length'],
  [51, 'getsockname', 'network', 'fd, usockaddr, usockaddr_len', 'reads the local address of a socket'],
  [52, 'getpeername', 'network', 'fd, usockaddr, usockaddr_len', 'reads the address of the connected peer'],
  [53, 'socketpair', 'network', 'family, type, protocol, usockvec', 'creates two connected sockets, like a two-way pipe'],
  [54, 'setsockopt', 'network', 'fd, level, optname, optval, optlen', 'sets a socket option'],
  [55, 'getsockopt', 'network', 'fd, level, optname, optval, optlen', 'reads a socket option'],
  [56, 'clone', 'process', 'flags, newsp, parent_tidptr, child_tidptr, tls', 'creates a new task; its flags decide what it shares, from a forked process to a thread'],
  [57, 'fork', 'process', '', 'creates a child process with a copy-on-write copy of the parent'],
  [58, 'vfork', 'process', '', 'creates a child that borrows the parent\'s memory while the parent waits until it execs or exits'],
  [59, 'execve', 'process', 'filename, argv, envp', 'replaces the program of the calling process with a new executable'],
  [60, 'exit', 'process', 'error_code', 'ends the calling thread only; other threads of the process keep running'],
  [61, 'wait4', 'process', 'upid, stat_addr, options, ru', 'waits for a child to change state and collects its status and resource usage'],
  [62, 'kill', 'signal', 'pid, sig', 'sends a signal to a process, a process group or everyone'],
  [63, 'uname', 'system', 'name', 'reads the kernel name, release, version, host name and machine type'],
  [64, 'semget', 'ipc', 'key, nsems, semflg', 'creates or finds a System V semaphore set'],
  [65, 'semop', 'ipc', 'semid, tsops, nsops', 'performs atomic operations on System V semaphores, possibly blocking'],
  [66, 'semctl', 'ipc', 'semid, semnum, cmd, arg', 'queries, sets or removes a System V semaphore set'],
  [67, 'shmdt', 'ipc', 'shmaddr', 'detaches a System V shared memory segment'],
  [68, 'msgget', 'ipc', 'key, msgflg', 'creates or finds a System V message queue'],
  [69, 'msgsnd', 'ipc', 'msqid, msgp, msgsz, msgflg', 'sends a message to a System V message queue'],
  [70, 'msgrcv', 'ipc', 'msqid, msgp, msgsz, msgtyp, msgflg', 'receives a message from a System V message queue'],
  [71, 'msgctl', 'ipc', 'msqid, cmd, buf', 'queries, changes or removes a System V message queue'],
  [72, 'fcntl', 'fd', 'fd, cmd, arg', 'manipulates a descriptor: duplicate, close-on-exec, status flags, locks, owner'],
  [73, 'flock', 'fd', 'fd, cmd', 'takes or releases an advisory whole-file lock'],
  [74, 'fsync', 'fd', 'fd', 'writes a file\'s data and metadata to stable storage'],
  [75, 'fdatasync', 'fd', 'fd', 'writes a file\'s data (and only essential metadata) to stable storage'],
  [76, 'truncate', 'file', 'path, length', 'sets the size of a file named by path'],
  [77, 'ftruncate', 'fd', 'fd, length', 'sets the size of an open file'],
  [78, 'getdents', 'fd', 'fd, dirent, count', 'reads directory entries (old 32-bit inode layout)'],
  [79, 'getcwd', 'file', 'buf, size', 'reads the path of the current working directory'],
  [80, 'chdir', 'file', 'filename', 'changes the current working directory by path'],
  [81, 'fchdir', 'file', 'fd', 'changes the current working directory to an open directory'],
  [82, 'rename', 'file', 'oldname, newname', 'renames or moves a file, replacing the target atomically'],
  [83, 'mkdir', 'file', 'pathname, mode', 'creates a directory'],
  [84, 'rmdir', 'file', 'pathname', 'removes an empty directory'],
  [85, 'creat', 'file', 'pathname, mode', 'creates or truncates a file for writing (old form of open)'],
  [86, 'link', 'file', 'oldname, newname', 'creates a hard link: a second name for the same inode'],
  [87, 'unlink', 'file', 'pathname', 'removes a name; the file goes when no names or open descriptors remain'],
  [88, 'symlink', 'file', 'oldname, newname', 'creates a symbolic link containing a path'],
  [89, 'readlink', 'file', 'path, buf, bufsiz', 'reads the target stored in a symbolic link'],
  [90, 'chmod', 'file', 'filename, mode', 'changes a file\'s permission bits by path'],
  [91, 'fchmod', 'file', 'fd, mode', 'changes the permission bits of an open file'],
  [92, 'chown', 'file', 'filename, user, group', 'changes a file\'s owner and group by path, following symlinks'],
  [93, 'fchown', 'file', 'fd, user, group', 'changes the owner and group of an open file'],
  [94, 'lchown', 'file', 'filename, user, group', 'changes owner and group without following a final symlink'],
  [95, 'umask', 'file', 'mask', 'sets the permission bits removed from newly created files; returns the old mask'],
  [96, 'gettimeofday', 'time', 'tv, tz', 'reads wall-clock time in microseconds (normally answered by the vDSO)'],
  [97, 'getrlimit', 'resource', 'resource, rlim', 'reads a resource limit of the process'],
  [98, 'getrusage', 'resource', 'who, ru', 'reads CPU time and other usage of the process, its children or the thread'],
  [99, 'sysinfo', 'system', 'info', 'reads uptime, load averages, memory and swap totals, process count'],
  [100, 'times', 'resource', 'tbuf', 'reads user and system CPU time of the process and its waited-for children'],
  [101, 'ptrace', 'debug', 'request, pid, addr, data', 'observes and controls another task: attach, read memory and registers, resume'],
  [102, 'getuid', 'security', '', 'returns the real user ID'],
  [103, 'syslog', 'system', 'type, buf, len', 'reads or controls the kernel message ring buffer (dmesg)'],
  [104, 'getgid', 'security', '', 'returns the real group ID'],
  [105, 'setuid', 'security', 'uid', 'sets the user ID (all of real, effective and saved when privileged)'],
  [106, 'setgid', 'security', 'gid', 'sets the group ID (all of real, effective and saved when privileged)'],
  [107, 'geteuid', 'security', '', 'returns the effective user ID used for permission checks'],
  [108, 'getegid', 'security', '', 'returns the effective group ID used for permission checks'],
  [109, 'setpgid', 'process', 'pid, pgid', 'moves a process into a process group (job control)'],
  [110, 'getppid', 'process', '', 'returns the parent\'s process ID'],
  [111, 'getpgrp', 'process', '', 'returns the caller\'s process group ID'],
  [112, 'setsid', 'process', '', 'starts a new session and process group with no controlling terminal'],
  [113, 'setreuid', 'security', 'ruid, euid', 'sets the real and effective user IDs'],
  [114, 'setregid', 'security', 'rgid, egid', 'sets the real and effective group IDs'],
  [115, 'getgroups', 'security', 'gidsetsize, grouplist', 'reads the supplementary group list'],
  [116, 'setgroups', 'security', 'gidsetsize, grouplist', 'replaces the supplementary group list'],
  [117, 'setresuid', 'security', 'ruid, euid, suid', 'sets the real, effective and saved user IDs'],
  [118, 'getresuid', 'security', 'ruidp, euidp, suidp', 'reads the real, effective and saved user IDs'],
  [119, 'setresgid', 'security', 'rgid, egid, sgid', 'sets the real, effective and saved group IDs'],
  [120, 'getresgid', 'security', 'rgidp, egidp, sgidp', 'reads the real, effective and saved group IDs'],
  [121, 'getpgid', 'process', 'pid', 'returns the process group of a process'],
  [122, 'setfsuid', 'security', 'uid', 'sets the user ID used only for file-system permission checks'],
  [123, 'setfsgid', 'security', 'gid', 'sets the group ID used only for file-system permission checks'],
  [124, 'getsid', 'process', 'pid', 'returns the session ID of a process'],
  [125, 'capget', 'security', 'header, dataptr', 'reads the capability sets of a thread'],
  [126, 'capset', 'security', 'header, data', 'changes the capability sets of the calling thread'],
  [127, 'rt_sigpending', 'signal', 'uset, sigsetsize', 'reads the set of signals pending for the thread or process'],
  [128, 'rt_sigtimedwait', 'signal', 'uthese, uinfo, uts, sigsetsize', 'waits synchronously for one of a set of (blocked) signals, with a timeout'],
  [129, 'rt_sigqueueinfo', 'signal', 'pid, sig, uinfo', 'queues a signal with attached data to a process'],
  [130, 'rt_sigsuspend', 'signal', 'unewset, sigsetsize', 'swaps in a temporary signal mask and sleeps until a handler runs'],
  [131, 'sigaltstack', 'signal', 'uss, uoss', 'sets or reads the alternate stack that handlers with SA_ONSTACK run on'],
  [132, 'utime', 'file', 'filename, times', 'sets a file\'s access and modification times (second resolution)'],
  [133, 'mknod', 'file', 'filename, mode, dev', 'creates a device node, FIFO or socket file'],
  [134, 'uselib', 'loader', 'library', 'asks the kernel to map a shared library (a.out era; removed from modern kernels)'],
  [135, 'personality', 'process', 'personality', 'sets execution-domain quirks such as ADDR_NO_RANDOMIZE'],
  [136, 'ustat', 'system', 'dev, ubuf', 'reads free-space figures of a mounted file system (deprecated)'],
  [137, 'statfs', 'file', 'pathname, buf', 'reads file-system statistics for the file system holding a path'],
  [138, 'fstatfs', 'file', 'fd, buf', 'reads file-system statistics for an open file\'s file system'],
  [139, 'sysfs', 'system', 'option, arg1, arg2', 'lists the file-system types the kernel knows (obsolete interface)'],
  [140, 'getpriority', 'sched', 'which, who', 'reads the nice value of a process, group or user'],
  [141, 'setpriority', 'sched', 'which, who, niceval', 'sets the nice value of a process, group or user'],
  [142, 'sched_setparam', 'sched', 'pid, param', 'sets the real-time priority of a thread'],
  [143, 'sched_getparam', 'sched', 'pid, param', 'reads the real-time priority of a thread'],
  [144, 'sched_setscheduler', 'sched', 'pid, policy, param', 'sets a thread\'s scheduling policy (normal, FIFO, round-robin...) and priority'],
  [145, 'sched_getscheduler', 'sched', 'pid', 'reads a thread\'s scheduling policy'],
  [146, 'sched_get_priority_max', 'sched', 'policy', 'returns the highest priority a scheduling policy allows'],
  [147, 'sched_get_priority_min', 'sched', 'policy', 'returns the lowest priority a scheduling policy allows'],
  [148, 'sched_rr_get_interval', 'sched', 'pid, interval', 'reads the round-robin time slice of a thread'],
  [149, 'mlock', 'memory', 'start, len', 'pins a range in RAM so it is never swapped out'],
  [150, 'munlock', 'memory', 'start, len', 'unpins a range so it can be swapped again'],
  [151, 'mlockall', 'memory', 'flags', 'pins the whole address space, now and/or in the future'],
  [152, 'munlockall', 'memory', '', 'unpins the whole address space'],
  [153, 'vhangup', 'system', '', 'acts as if the caller\'s terminal hung up, cutting off other processes using it'],
  [154, 'modify_ldt', 'thread', 'func, ptr, bytecount', 'reads or writes the process\'s local descriptor table (segments for 16/32-bit code and old TLS)'],
  [155, 'pivot_root', 'mount', 'new_root, put_old', 'swaps the root mount of the mount namespace (containers, initramfs)'],
  [156, '_sysctl', 'obsolete', 'args', 'old binary sysctl interface, removed in Linux 5.5; /proc/sys replaced it'],
  [157, 'prctl', 'process', 'option, arg2, arg3, arg4, arg5', 'per-process and per-thread controls: name, dumpable, no_new_privs, child subreaper, seccomp...'],
  [158, 'arch_prctl', 'thread', 'option, arg2', 'x86-64 specific thread state, above all the FS base register that points at thread-local storage'],
  [159, 'adjtimex', 'time', 'txc_p', 'reads or tunes the kernel clock discipline (NTP)'],
  [160, 'setrlimit', 'resource', 'resource, rlim', 'sets a resource limit of the process'],
  [161, 'chroot', 'mount', 'filename', 'changes the root directory the process resolves absolute paths from'],
  [162, 'sync', 'system', '', 'flushes all dirty file data in the system to storage'],
  [163, 'acct', 'system', 'name', 'turns process accounting to a file on or off'],
  [164, 'settimeofday', 'time', 'tv, tz', 'sets the wall-clock time'],
  [165, 'mount', 'mount', 'dev_name, dir_name, type, flags, data', 'attaches a file system, bind mount or changes mount flags'],
  [166, 'umount2', 'mount', 'name, flags', 'detaches a mounted file system'],
  [167, 'swapon', 'system', 'specialfile, swap_flags', 'starts swapping to a file or device'],
  [168, 'swapoff', 'system', 'specialfile', 'stops swapping to a file or device'],
  [169, 'reboot', 'system', 'magic1, magic2, cmd, arg', 'reboots, halts or powers off the machine, or toggles Ctrl-Alt-Del'],
  [170, 'sethostname', 'system', 'name, len', 'sets the host name of the UTS namespace'],
  [171, 'setdomainname', 'system', 'name, len', 'sets the NIS domain name of the UTS namespace'],
  [172, 'iopl', 'system', 'level', 'raises the I/O privilege level to allow direct port access'],
  [173, 'ioperm', 'system', 'from, num, turn_on', 'allows direct access to a range of I/O ports'],
  [174, 'create_module', 'obsolete', 'name, size', 'reserved: module loading step removed in Linux 2.6'],
  [175, 'init_module', 'system', 'umod, len, uargs', 'loads a kernel module from a memory image'],
  [176, 'delete_module', 'system', 'name_user, flags', 'unloads a kernel module'],
  [177, 'get_kernel_syms', 'obsolete', 'table', 'reserved: kernel symbol export removed in Linux 2.6'],
  [178, 'query_module', 'obsolete', 'name, which, buf, bufsize, ret', 'reserved: module query removed in Linux 2.6'],
  [179, 'quotactl', 'system', 'cmd, special, id, addr', 'manages disk quotas of a file system named by its device'],
  [180, 'nfsservctl', 'obsolete', 'cmd, argp, resp', 'reserved: kernel NFS server control, removed in Linux 3.1'],
  [181, 'getpmsg', 'obsolete', 'fildes, ctlptr, dataptr, bandp, flagsp', 'reserved for STREAMS, never implemented'],
  [182, 'putpmsg', 'obsolete', 'fildes, ctlptr, dataptr, band, flags', 'reserved for STREAMS, never implemented'],
  [183, 'afs_syscall', 'obsolete', '', 'reserved for the Andrew File System, never implemented'],
  [184, 'tuxcall', 'obsolete', '', 'reserved for the TUX in-kernel web server, never merged'],
  [185, 'security', 'obsolete', '', 'reserved for security modules, never implemented'],
  [186, 'gettid', 'thread', '', 'returns the caller\'s thread ID (equals the PID only in the main thread)'],
  [187, 'readahead', 'fd', 'fd, offset, count', 'pre-loads part of a file into the page cache'],
  [188, 'setxattr', 'file', 'pathname, name, value, size, flags', 'sets an extended attribute by path, following symlinks'],
  [189, 'lsetxattr', 'file', 'pathname, name, value, size, flags', 'sets an extended attribute on a symlink itself'],
  [190, 'fsetxattr', 'file', 'fd, name, value, size, flags', 'sets an extended attribute of an open file'],
  [191, 'getxattr', 'file', 'pathname, name, value, size', 'reads an extended attribute by path (security labels, capabilities, ACLs...)'],
  [192, 'lgetxattr', 'file', 'pathname, name, value, size', 'reads an extended attribute of a symlink itself'],
  [193, 'fgetxattr', 'file', 'fd, name, value, size', 'reads an extended attribute of an open file'],
  [194, 'listxattr', 'file', 'pathname, list, size', 'lists extended attribute names by path'],
  [195, 'llistxattr', 'file', 'pathname, list, size', 'lists extended attribute names of a symlink itself'],
  [196, 'flistxattr', 'file', 'fd, list, size', 'lists extended attribute names of an open file'],
  [197, 'removexattr', 'file', 'pathname, name', 'removes an extended attribute by path'],
  [198, 'lremovexattr', 'file', 'pathname, name', 'removes an extended attribute of a symlink itself'],
  [199, 'fremovexattr', 'file', 'fd, name', 'removes an extended attribute of an open file'],
  [200, 'tkill', 'signal', 'pid, sig', 'sends a signal to one thread by TID (superseded by tgkill)'],
  [201, 'time', 'time', 'tloc', 'returns seconds since the epoch (normally answered by the vDSO)'],
  [202, 'futex', 'sync', 'uaddr, op, val, utime, uaddr2, val3', 'sleeps on or wakes waiters of a 32-bit word in memory: the slow path of locks, condvars and thread join'],
  [203, 'sched_setaffinity', 'sched', 'pid, len, user_mask_ptr', 'restricts the CPUs a thread may run on'],
  [204, 'sched_getaffinity', 'sched', 'pid, len, user_mask_ptr', 'reads the CPUs a thread may run on (libc uses it to count CPUs)'],
  [205, 'set_thread_area', 'thread', 'u_info', 'installs a TLS segment descriptor in the GDT (32-bit style TLS)'],
  [206, 'io_setup', 'io', 'nr_events, ctxp', 'creates a Linux native AIO context'],
  [207, 'io_destroy', 'io', 'ctx', 'destroys a Linux native AIO context, cancelling outstanding requests'],
  [208, 'io_getevents', 'io', 'ctx_id, min_nr, nr, events, timeout', 'collects completed Linux native AIO requests'],
  [209, 'io_submit', 'io', 'ctx_id, nr, iocbpp', 'submits Linux native AIO read/write requests'],
  [210, 'io_cancel', 'io', 'ctx_id, iocb, result', 'tries to cancel a submitted Linux native AIO request'],
  [211, 'get_thread_area', 'thread', 'u_info', 'reads a TLS segment descriptor from the GDT'],
  [212, 'lookup_dcookie', 'obsolete', 'cookie64, buf, len', 'turned an oprofile directory cookie into a path; removed in Linux 6.9'],
  [213, 'epoll_create', 'io', 'size', 'creates an epoll instance (size is ignored)'],
  [214, 'epoll_ctl_old', 'obsolete', '', 'reserved: early epoll interface, never used by x86-64 libraries'],
  [215, 'epoll_wait_old', 'obsolete', '', 'reserved: early epoll interface, never used by x86-64 libraries'],
  [216, 'remap_file_pages', 'memory', 'start, size, prot, pgoff, flags', 'rearranges pages of a shared file mapping (deprecated, now emulated)'],
  [217, 'getdents64', 'fd', 'fd, dirent, count', 'reads directory entries from an open directory (what readdir uses)'],
  [218, 'set_tid_address', 'thread', 'tidptr', 'registers a word the kernel clears and futex-wakes when this thread exits; returns the TID'],
  [219, 'restart_syscall', 'signal', '', 'kernel-internal restart of a sleep interrupted by a stopped/continued signal'],
  [220, 'semtimedop', 'ipc', 'semid, tsops, nsops, timeout', 'System V semaphore operations with a timeout'],
  [221, 'fadvise64', 'fd', 'fd, offset, len, advice', 'tells the kernel the expected access pattern of a file range'],
  [222, 'timer_create', 'time', 'which_clock, timer_event_spec, created_timer_id', 'creates a POSIX per-process timer with a chosen notification'],
  [223, 'timer_settime', 'time', 'timer_id, flags, new_setting, old_setting', 'arms or disarms a POSIX timer'],
  [224, 'timer_gettime', 'time', 'timer_id, setting', 'reads the time left on a POSIX timer'],
  [225, 'timer_getoverrun', 'time', 'timer_id', 'counts POSIX timer expirations that could not be signalled'],
  [226, 'timer_delete', 'time', 'timer_id', 'deletes a POSIX timer'],
  [227, 'clock_settime', 'time', 'which_clock, tp', 'sets a clock (only CLOCK_REALTIME is settable)'],
  [228, 'clock_gettime', 'time', 'which_clock, tp', 'reads a clock (normally answered by the vDSO without entering the kernel)'],
  [229, 'clock_getres', 'time', 'which_clock, tp', 'reads the resolution of a clock'],
  [230, 'clock_nanosleep', 'time', 'which_clock, flags, rqtp, rmtp', 'sleeps on a chosen clock, for a duration or until an absolute time'],
  [231, 'exit_group', 'process', 'error_code', 'ends every thread of the process with an exit status (what exit() does)'],
  [232, 'epoll_wait', 'io', 'epfd, events, maxevents, timeout', 'waits for events on an epoll instance'],
  [233, 'epoll_ctl', 'io', 'epfd, op, fd, event', 'adds, changes or removes a descriptor in an epoll interest list'],
  [234, 'tgkill', 'signal', 'tgid, pid, sig', 'sends a signal to one thread of a given process (what raise and pthread_kill use)'],
  [235, 'utimes', 'file', 'filename, utimes', 'sets access and modification times (microsecond resolution)'],
  [236, 'vserver', 'obsolete', '', 'reserved for the out-of-tree Linux-VServer patch, never implemented'],
  [237, 'mbind', 'memory', 'start, len, mode, nmask, maxnode, flags', 'sets the NUMA memory policy of an address range'],
  [238, 'set_mempolicy', 'memory', 'mode, nmask, maxnode', 'sets the thread\'s default NUMA memory policy'],
  [239, 'get_mempolicy', 'memory', 'policy, nmask, maxnode, addr, flags', 'reads a NUMA memory policy or the node of an address'],
  [240, 'mq_open', 'ipc', 'u_name, oflag, mode, u_attr', 'opens or creates a POSIX message queue'],
  [241, 'mq_unlink', 'ipc', 'u_name', 'removes a POSIX message queue name'],
  [242, 'mq_timedsend', 'ipc', 'mqdes, u_msg_ptr, msg_len, msg_prio, u_abs_timeout', 'sends a message to a POSIX message queue, with a deadline'],
  [243, 'mq_timedreceive', 'ipc', 'mqdes, u_msg_ptr, msg_len, u_msg_prio, u_abs_timeout', 'receives the highest-priority message from a POSIX queue, with a deadline'],
  [244, 'mq_notify', 'ipc', 'mqdes, u_notification', 'asks for a signal or thread start when a POSIX queue becomes non-empty'],
  [245, 'mq_getsetattr', 'ipc', 'mqdes, u_mqstat, u_omqstat', 'reads or changes POSIX message queue attributes'],
  [246, 'kexec_load', 'system', 'entry, nr_segments, segments, flags', 'loads a new kernel image from memory segments to boot into later'],
  [247, 'waitid', 'process', 'which, upid, infop, options, ru', 'waits for a child (or pidfd) state change with fine-grained options'],
  [248, 'add_key', 'security', '_type, _description, _payload, plen, ringid', 'creates a key in a kernel keyring'],
  [249, 'request_key', 'security', '_type, _description, _callout_info, destringid', 'finds a key in the keyrings, possibly asking user space to make it'],
  [250, 'keyctl', 'security', 'option, arg2, arg3, arg4, arg5', 'manipulates kernel keys and keyrings'],
  [251, 'ioprio_set', 'sched', 'which, who, ioprio', 'chooses how the disk scheduler ranks this task\'s I/O (real-time, best-effort or idle class, level 0-7)'],
  [252, 'ioprio_get', 'sched', 'which, who', 'reads the disk-scheduling class and level of a task, group or user'],
  [253, 'inotify_init', 'file', '', 'creates an inotify instance for watching file-system events'],
  [254, 'inotify_add_watch', 'file', 'fd, pathname, mask', 'starts watching a path for the chosen events'],
  [255, 'inotify_rm_watch', 'file', 'fd, wd', 'stops an inotify watch'],
  [256, 'migrate_pages', 'memory', 'pid, maxnode, old_nodes, new_nodes', 'moves a process\'s pages from some NUMA nodes to others'],
  [257, 'openat', 'file', 'dfd, filename, flags, mode', 'opens or creates a file relative to a directory descriptor (what open() uses today)'],
  [258, 'mkdirat', 'file', 'dfd, pathname, mode', 'creates a directory relative to a directory descriptor'],
  [259, 'mknodat', 'file', 'dfd, filename, mode, dev', 'creates a device node, FIFO or socket file relative to a directory descriptor'],
  [260, 'fchownat', 'file', 'dfd, filename, user, group, flag', 'changes owner and group relative to a directory descriptor'],
  [261, 'futimesat', 'file', 'dfd, filename, utimes', 'sets file times relative to a directory descriptor (obsolete form)'],
  [262, 'newfstatat', 'file', 'dfd, filename, statbuf, flag', 'reads file metadata relative to a directory descriptor, or of the fd itself with AT_EMPTY_PATH'],
  [263, 'unlinkat', 'file', 'dfd, pathname, flag', 'removes a name or (with AT_REMOVEDIR) a directory relative to a directory descriptor'],
  [264, 'renameat', 'file', 'olddfd, oldname, newdfd, newname', 'renames a file between two directory descriptors'],
  [265, 'linkat', 'file', 'olddfd, oldname, newdfd, newname, flags', 'creates a hard link relative to directory descriptors'],
  [266, 'symlinkat', 'file', 'oldname, newdfd, newname', 'creates a symbolic link relative to a directory descriptor'],
  [267, 'readlinkat', 'file', 'dfd, pathname, buf, bufsiz', 'reads a symbolic link relative to a directory descriptor (e.g. /proc/self/exe)'],
  [268, 'fchmodat', 'file', 'dfd, filename, mode', 'changes permission bits relative to a directory descriptor'],
  [269, 'faccessat', 'file', 'dfd, filename, mode', 'checks access permission relative to a directory descriptor'],
  [270, 'pselect6', 'io', 'n, inp, outp, exp, tsp, sig', 'select with a nanosecond timeout and a temporary signal mask'],
  [271, 'ppoll', 'io', 'ufds, nfds, tsp, sigmask, sigsetsize', 'poll with a nanosecond timeout and a temporary signal mask'],
  [272, 'unshare', 'namespace', 'unshare_flags', 'moves the caller into new namespaces or stops sharing files/fs state'],
  [273, 'set_robust_list', 'thread', 'head, len', 'registers the thread\'s list of held robust mutexes so the kernel can release them if it dies'],
  [274, 'get_robust_list', 'thread', 'pid, head_ptr, len_ptr', 'reads the robust mutex list head of a thread'],
  [275, 'splice', 'fd', 'fd_in, off_in, fd_out, off_out, len, flags', 'moves data between a pipe and another descriptor without copying to user space'],
  [276, 'tee', 'fd', 'fdin, fdout, len, flags', 'duplicates data from one pipe into another without consuming it'],
  [277, 'sync_file_range', 'fd', 'fd, offset, nbytes, flags', 'starts or waits for write-back of part of a file'],
  [278, 'vmsplice', 'fd', 'fd, uiov, nr_segs, flags', 'moves user memory into a pipe (or out of it) with little copying'],
  [279, 'move_pages', 'memory', 'pid, nr_pages, pages, nodes, status, flags', 'moves individual pages to NUMA nodes or reports where they are'],
  [280, 'utimensat', 'file', 'dfd, filename, utimes, flags', 'sets access and modification times with nanosecond precision'],
  [281, 'epoll_pwait', 'io', 'epfd, events, maxevents, timeout, sigmask, sigsetsize', 'epoll_wait with a temporary signal mask'],
  [282, 'signalfd', 'signal', 'ufd, user_mask, sizemask', 'creates a descriptor that reads pending signals as data (no flags)'],
  [283, 'timerfd_create', 'time', 'clockid, flags', 'creates a timer that reports expirations through a descriptor'],
  [284, 'eventfd', 'fd', 'count', 'creates a descriptor holding a counter, used for wake-ups (no flags)'],
  [285, 'fallocate', 'fd', 'fd, mode, offset, len', 'reserves, punches or zeroes disk space for a file range'],
  [286, 'timerfd_settime', 'time', 'ufd, flags, utmr, otmr', 'arms or disarms a timerfd'],
  [287, 'timerfd_gettime', 'time', 'ufd, otmr', 'reads the time left on a timerfd'],
  [288, 'accept4', 'network', 'fd, upeer_sockaddr, upeer_addrlen, flags', 'accepts a connection and sets close-on-exec/non-blocking at once'],
  [289, 'signalfd4', 'signal', 'ufd, user_mask, sizemask, flags', 'creates or updates a descriptor that reads pending signals as data'],
  [290, 'eventfd2', 'fd', 'count, flags', 'creates a counter descriptor for wake-ups between threads or with epoll'],
  [291, 'epoll_create1', 'io', 'flags', 'creates an epoll instance, optionally close-on-exec'],
  [292, 'dup3', 'fd', 'oldfd, newfd, flags', 'like dup2 but can set close-on-exec on the copy'],
  [293, 'pipe2', 'fd', 'fildes, flags', 'creates a pipe with close-on-exec, non-blocking or packet mode'],
  [294, 'inotify_init1', 'file', 'flags', 'creates an inotify instance with flags'],
  [295, 'preadv', 'fd', 'fd, vec, vlen, pos_l, pos_h', 'scatter read at a file offset'],
  [296, 'pwritev', 'fd', 'fd, vec, vlen, pos_l, pos_h', 'gather write at a file offset'],
  [297, 'rt_tgsigqueueinfo', 'signal', 'tgid, pid, sig, uinfo', 'queues a signal with data to one thread of a process'],
  [298, 'perf_event_open', 'debug', 'attr_uptr, pid, cpu, group_fd, flags', 'opens a performance counter or sampling event'],
  [299, 'recvmmsg', 'network', 'fd, mmsg, vlen, flags, timeout', 'receives several messages in one call'],
  [300, 'fanotify_init', 'file', 'flags, event_f_flags', 'creates a fanotify group for file-access notifications (and permission decisions)'],
  [301, 'fanotify_mark', 'file', 'fanotify_fd, flags, mask, dfd, pathname', 'adds or removes fanotify marks on files, mounts or file systems'],
  [302, 'prlimit64', 'resource', 'pid, resource, new_rlim, old_rlim', 'reads and/or sets a resource limit of any process (libc\'s getrlimit/setrlimit)'],
  [303, 'name_to_handle_at', 'file', 'dfd, name, handle, mnt_id, flag', 'turns a path into a persistent file handle'],
  [304, 'open_by_handle_at', 'file', 'mountdirfd, handle, flags', 'opens a file from a persistent handle'],
  [305, 'clock_adjtime', 'time', 'which_clock, utx', 'tunes a clock (adjtimex for a chosen clock)'],
  [306, 'syncfs', 'fd', 'fd', 'flushes all dirty data of the file system holding a descriptor'],
  [307, 'sendmmsg', 'network', 'fd, mmsg, vlen, flags', 'sends several messages in one call'],
  [308, 'setns', 'namespace', 'fd, flags', 'moves the caller into an existing namespace given by a descriptor'],
  [309, 'getcpu', 'sched', 'cpup, nodep, unused', 'reports the CPU and NUMA node the caller is running on'],
  [310, 'process_vm_readv', 'debug', 'pid, lvec, liovcnt, rvec, riovcnt, flags', 'copies memory out of another process'],
  [311, 'process_vm_writev', 'debug', 'pid, lvec, liovcnt, rvec, riovcnt, flags', 'copies memory into another process'],
  [312, 'kcmp', 'debug', 'pid1, pid2, type, idx1, idx2', 'tells whether two processes share a kernel object (files, memory, fd)'],
  [313, 'finit_module', 'system', 'fd, uargs, flags', 'loads a kernel module from a file descriptor'],
  [314, 'sched_setattr', 'sched', 'pid, uattr, flags', 'sets scheduling policy and attributes, including deadline parameters'],
  [315, 'sched_getattr', 'sched', 'pid, uattr, usize, flags', 'reads scheduling policy and attributes'],
  [316, 'renameat2', 'file', 'olddfd, oldname, newdfd, newname, flags', 'renames with options: no-replace, exchange two names, whiteout'],
  [317, 'seccomp', 'security', 'op, flags, uargs', 'installs a system-call filter on the thread (or all threads)'],
  [318, 'getrandom', 'system', 'buf, count, flags', 'fills a buffer with random bytes from the kernel (libc seeds malloc and hashing with it)'],
  [319, 'memfd_create', 'fd', 'uname, flags', 'creates an anonymous in-memory file and returns its descriptor'],
  [320, 'kexec_file_load', 'system', 'kernel_fd, initrd_fd, cmdline_len, cmdline_ptr, flags', 'loads a new kernel from files to boot into later'],
  [321, 'bpf', 'debug', 'cmd, uattr, size', 'loads BPF programs and manages BPF maps'],
  [322, 'execveat', 'process', 'fd, filename, argv, envp, flags', 'like execve but the program is named relative to a descriptor (or is the descriptor)'],
  [323, 'userfaultfd', 'memory', 'flags', 'creates a descriptor through which user space handles page faults'],
  [324, 'membarrier', 'sync', 'cmd, flags, cpu_id', 'issues a memory barrier on every CPU running threads of the process'],
  [325, 'mlock2', 'memory', 'start, len, flags', 'pins a range in RAM, optionally only when faulted in'],
  [326, 'copy_file_range', 'fd', 'fd_in, off_in, fd_out, off_out, len, flags', 'copies a file range in the kernel, possibly by sharing blocks'],
  [327, 'preadv2', 'fd', 'fd, vec, vlen, pos_l, pos_h, flags', 'scatter read with per-call flags such as RWF_NOWAIT'],
  [328, 'pwritev2', 'fd', 'fd, vec, vlen, pos_l, pos_h, flags', 'gather write with per-call flags such as RWF_APPEND'],
  [329, 'pkey_mprotect', 'memory', 'start, len, prot, pkey', 'changes page protections and tags the range with a protection key'],
  [330, 'pkey_alloc', 'memory', 'flags, init_val', 'allocates a memory protection key'],
  [331, 'pkey_free', 'memory', 'pkey', 'frees a memory protection key'],
  [332, 'statx', 'file', 'dfd, filename, flags, mask, buffer', 'reads extended file metadata (birth time, mount ID...) relative to a directory descriptor'],
  [333, 'io_pgetevents', 'io', 'ctx_id, min_nr, nr, events, timeout, usig', 'collects native AIO completions with a temporary signal mask'],
  [334, 'rseq', 'thread', 'rseq, rseq_len, flags, sig', 'registers the thread\'s restartable-sequence area (glibc does it at start-up for every thread)'],
  [335, 'uretprobe', 'debug', '', 'used only by the kernel\'s uretprobe trampoline to report a function return quickly', '6.11'],
  [336, 'uprobe', 'debug', '', 'used only by the kernel\'s uprobe trampoline to report a probe hit quickly', '6.18'],
  [424, 'pidfd_send_signal', 'signal', 'pidfd, sig, info, flags', 'sends a signal to the process a pidfd refers to, immune to PID reuse'],
  [425, 'io_uring_setup', 'io', 'entries, params', 'creates an io_uring submission/completion queue pair'],
  [426, 'io_uring_enter', 'io', 'fd, to_submit, min_complete, flags, argp, argsz', 'submits io_uring requests and/or waits for completions'],
  [427, 'io_uring_register', 'io', 'fd, opcode, arg, nr_args', 'registers buffers, files or settings with an io_uring'],
  [428, 'open_tree', 'mount', 'dfd, filename, flags', 'opens a mount or a detached copy of a mount tree as a descriptor'],
  [429, 'move_mount', 'mount', 'from_dfd, from_pathname, to_dfd, to_pathname, flags', 'attaches or moves a mount given by descriptors'],
  [430, 'fsopen', 'mount', 'fs_name, flags', 'starts configuring a new file-system instance (new mount API)'],
  [431, 'fsconfig', 'mount', 'fd, cmd, key, value, aux', 'sets an option of, or creates, a file system being configured'],
  [432, 'fsmount', 'mount', 'fs_fd, flags, attr_flags', 'turns a configured file system into a detached mount'],
  [433, 'fspick', 'mount', 'dfd, path, flags', 'opens an existing mounted file system for reconfiguration'],
  [434, 'pidfd_open', 'process', 'pid, flags', 'returns a descriptor that refers to a process, safe against PID reuse'],
  [435, 'clone3', 'process', 'uargs, size', 'creates a new task from a struct of arguments; glibc uses it for pthread_create'],
  [436, 'close_range', 'fd', 'fd, max_fd, flags', 'closes (or marks close-on-exec) every descriptor in a range'],
  [437, 'openat2', 'file', 'dfd, filename, how, usize', 'openat with resolution restrictions (no symlinks, stay beneath a directory)'],
  [438, 'pidfd_getfd', 'process', 'pidfd, fd, flags', 'copies a descriptor out of another process'],
  [439, 'faccessat2', 'file', 'dfd, filename, mode, flags', 'checks access permission with flags (effective IDs, no symlink follow)'],
  [440, 'process_madvise', 'memory', 'pidfd, vec, vlen, advice, flags', 'gives memory advice for another process\'s address ranges'],
  [441, 'epoll_pwait2', 'io', 'epfd, events, maxevents, timeout, sigmask, sigsetsize', 'epoll_pwait with a nanosecond timeout'],
  [442, 'mount_setattr', 'mount', 'dfd, path, flags, uattr, usize', 'changes mount properties such as read-only or ID mapping'],
  [443, 'quotactl_fd', 'system', 'fd, cmd, id, addr', 'manages disk quotas of the file system holding a descriptor'],
  [444, 'landlock_create_ruleset', 'security', 'attr, size, flags', 'creates a landlock rule set for unprivileged sandboxing'],
  [445, 'landlock_add_rule', 'security', 'ruleset_fd, rule_type, rule_attr, flags', 'adds an allowed path or port to a landlock rule set'],
  [446, 'landlock_restrict_self', 'security', 'ruleset_fd, flags', 'applies a landlock rule set to the calling thread'],
  [447, 'memfd_secret', 'memory', 'flags', 'creates memory hidden even from the kernel\'s direct map'],
  [448, 'process_mrelease', 'process', 'pidfd, flags', 'frees the memory of a dying process right away'],
  [449, 'futex_waitv', 'sync', 'waiters, nr_futexes, flags, timeout, clockid', 'waits on several futex words at once'],
  [450, 'set_mempolicy_home_node', 'memory', 'start, len, home_node, flags', 'sets the preferred NUMA node of a range with a memory policy'],
  [451, 'cachestat', 'file', 'fd, cstat_range, cstat, flags', 'reports page-cache state (cached, dirty, evicted pages) of a file range', '6.5'],
  [452, 'fchmodat2', 'file', 'dfd, filename, mode, flags', 'changes permission bits with flags such as AT_SYMLINK_NOFOLLOW', '6.6'],
  [453, 'map_shadow_stack', 'memory', 'addr, size, flags', 'allocates a CET shadow stack for a new thread', '6.6'],
  [454, 'futex_wake', 'sync', 'uaddr, mask, nr, flags', 'wakes waiters on a futex word of any size (futex2 interface)', '6.7'],
  [455, 'futex_wait', 'sync', 'uaddr, val, mask, flags, timeout, clockid', 'sleeps on a futex word of any size while it holds the expected value (futex2)', '6.7'],
  [456, 'futex_requeue', 'sync', 'waiters, flags, nr_wake, nr_requeue', 'wakes some futex waiters and moves others to a second word (futex2)', '6.7'],
  [457, 'statmount', 'mount', 'req, buf, bufsize, flags', 'reads information about one mount by its ID', '6.8'],
  [458, 'listmount', 'mount', 'req, mnt_ids, nr_mnt_ids, flags', 'lists the IDs of mounts below a mount', '6.8'],
  [459, 'lsm_get_self_attr', 'security', 'attr, ctx, size, flags', 'reads the calling task\'s security-module attributes', '6.8'],
  [460, 'lsm_set_self_attr', 'security', 'attr, ctx, size, flags', 'sets a security-module attribute of the calling task', '6.8'],
  [461, 'lsm_list_modules', 'security', 'ids, size, flags', 'lists the active Linux security modules', '6.8'],
  [462, 'mseal', 'memory', 'start, len, flags', 'seals a range so its mappings and protections can no longer change', '6.10'],
  [463, 'setxattrat', 'file', 'dfd, pathname, at_flags, name, uargs, usize', 'sets an extended attribute relative to a directory descriptor', '6.13'],
  [464, 'getxattrat', 'file', 'dfd, pathname, at_flags, name, uargs, usize', 'reads an extended attribute relative to a directory descriptor', '6.13'],
  [465, 'listxattrat', 'file', 'dfd, pathname, at_flags, list, size', 'lists extended attribute names relative to a directory descriptor', '6.13'],
  [466, 'removexattrat', 'file', 'dfd, pathname, at_flags, name', 'removes an extended attribute relative to a directory descriptor', '6.13'],
  [467, 'open_tree_attr', 'mount', 'dfd, filename, flags, uattr, usize', 'open_tree that also sets mount attributes on the copy', '6.15'],
  [468, 'file_getattr', 'file', 'dfd, filename, ufattr, usize, at_flags', 'reads file attributes such as immutable or project ID by path', '6.17'],
  [469, 'file_setattr', 'file', 'dfd, filename, ufattr, usize, at_flags', 'sets file attributes such as immutable or project ID by path', '6.17'],
  [470, 'listns', 'namespace', 'req, ns_ids, nr_ns_ids, flags', 'lists namespace IDs visible to the caller', '6.19'],
  [471, 'rseq_slice_yield', 'sched', '', 'gives back the extra time slice granted to a thread inside an rseq critical section', '7.0'],
];

/** All known syscalls, ordered by number. */
export const SYSCALLS: readonly SyscallInfo[] = ROWS.map(([number, name, category, args, description, since]) => {
  const row: SyscallInfo = {
    number, name, category, description,
    args: args === '' ? [] : args.split(', '),
    ...(since === undefined ? {} : { since }),
  };
  return row;
});

/** Highest number in the table, and the unused gap of x86-64 (see the header comment). */
export const SYSCALL_MAX = 471;
export const UNUSED_SYSCALL_RANGE = { first: 337, last: 423 } as const;

/**
 * Other spellings that refer to a syscall in the table: libc wrapper names people search for, and
 * the unprefixed forms of the 64-bit variants. strace itself prints the table names.
 */
export const SYSCALL_ALIASES: Readonly<Record<string, string>> = {
  sysctl: '_sysctl',
  fstatat: 'newfstatat',
  fstatat64: 'newfstatat',
  pread: 'pread64',
  pwrite: 'pwrite64',
  prlimit: 'prlimit64',
  umount: 'umount2',
  fadvise: 'fadvise64',
  posix_fadvise: 'fadvise64',
  sigreturn: 'rt_sigreturn',
  sigaction: 'rt_sigaction',
  sigprocmask: 'rt_sigprocmask',
  sigpending: 'rt_sigpending',
  sigsuspend: 'rt_sigsuspend',
  sigtimedwait: 'rt_sigtimedwait',
  sigqueueinfo: 'rt_sigqueueinfo',
  getdents32: 'getdents',
};

const BY_NUMBER = new Map(SYSCALLS.map((s) => [s.number, s]));
const BY_NAME = new Map(SYSCALLS.map((s) => [s.name, s]));

export function syscallByNumber(nr: number): SyscallInfo | undefined {
  return BY_NUMBER.get(nr);
}

/**
 * Looks a syscall up by name. Accepts table names, aliases, and strace's spelling for numbers it has
 * no name for: `syscall_0x1c8` (hex) or `syscall_456` (decimal, older strace).
 */
export function syscallByName(name: string): SyscallInfo | undefined {
  const direct = BY_NAME.get(name);
  if (direct) return direct;
  const unnamed = /^syscall_(0x[0-9a-f]+|\d+)$/i.exec(name);
  if (unnamed) return BY_NUMBER.get(Number(unnamed[1]));
  const alias = Object.hasOwn(SYSCALL_ALIASES, name) ? SYSCALL_ALIASES[name] : undefined; // names come from logs
  return alias === undefined ? undefined : BY_NAME.get(alias);
}

/** The name to show for a number: ours if known, otherwise strace's `syscall_0xNNN` form. */
export function syscallName(nr: number): string {
  return BY_NUMBER.get(nr)?.name ?? `syscall_0x${nr.toString(16)}`;
}
