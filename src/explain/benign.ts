/**
 * Failures that are part of normal operation, as data: which call, which errno, an optional test on
 * the call, and why it is harmless. Family describers handle the cases that need their own state
 * (a close of a never-opened number vs a double close; a futex word that changed); this table holds
 * the rest. A failure not explained here or by a family counts as a failure that matters.
 */
import type { Call } from './call.js';

interface BenignRule {
  calls: readonly string[] | '*';
  errno: string;
  when?: (c: Call) => boolean;
  why: string;
}

const path = (c: Call, i: number): string => c.str(i) ?? '';
/** The path argument of a path call: after the directory descriptor for the *at forms. */
const pathOf = (c: Call): string => path(c, AT_CALLS.has(c.name) ? 1 : 0);
const AT_CALLS = new Set(['openat', 'openat2', 'newfstatat', 'fstatat64', 'faccessat', 'faccessat2', 'statx', 'readlinkat', 'mkdirat', 'unlinkat', 'name_to_handle_at']);

const PATH_CALLS = ['openat', 'open', 'openat2', 'newfstatat', 'fstatat64', 'stat', 'stat64', 'lstat', 'lstat64', 'access', 'faccessat', 'faccessat2', 'statx', 'readlink', 'readlinkat', 'statfs', 'statfs64'] as const;

/** Optional files that libraries look for and do without: loader, locales, time zones, NSS. */
const OPTIONAL_SYSTEM_FILE = /\/etc\/ld\.so\.(preload|nohwcap)$|glibc-hwcaps|\/tls\/|\/haswell\/|\/x86_64\/|\.so(\.[0-9.]+)?$|locale|gconv|\/usr\/share\/zoneinfo|nsswitch|\/etc\/localtime|\/etc\/(host\.conf|resolv\.conf|gai\.conf|debian_chroot)$|\/libnss_|\/etc\/gnutls\/|\/etc\/ssl\/openssl\.cnf$|command-not-found|\/lib(64|32)?(\/[^/]+-linux-gnu[^/]*)?\/(tls|x86_64|haswell|avx512_1|i686|sse2|aarch64)$/;
/** An interpreter's start-up search: Python's landmarks and zip path, Perl's @INC directories. */
const INTERPRETER_SEARCH = /\/(pyvenv\.cfg|[^/]*\._pth|pybuilddir\.txt|python\d+\.zip|Modules\/Setup\.local|lib-dynload|site-packages|dist-packages|lib\/python[\d.]+\/os\.pyc?|__pycache__\/.*)$|\/(site_perl|perl-base|perl5?)(\/[^/]*)*$/;
/** A per-process /proc file of a process that exited meanwhile (or that this kernel lacks). */
const PROC_PID_FILE = /^\/proc\/\d+\//;
/** SELinux probes: libselinux (ls, cp, tar, sshd...) checks whether SELinux is there at all. */
const SELINUX_PROBE = /^(\/sys\/fs\/selinux|\/selinux|\/etc\/selinux\/config|\/proc\/(self|thread-self|\d+)\/(task\/\d+\/)?attr\/.*)$/;
/** Per-user configuration a program reads if present: ~/.curlrc, ~/.config/git/config, ~/.inputrc. */
const USER_CONFIG = /^\/(root|home\/[^/]+)\/(\.[^/]+|\.(config|local|cache)\/.*|\.[^/]+\/config)$/;
/** Files git looks for and does without, and the candidates it tries when it resolves a ref name. */
const GIT_OPTIONAL = /\/\.git(\/worktrees\/[^/]+)?\/(packed-refs|shallow|info\/(exclude|grafts|attributes|sparse-checkout)|objects\/info\/(alternates|commit-graph|commit-graphs\/.*|packs)|(MERGE|CHERRY_PICK|REVERT|REBASE|FETCH|ORIG|BISECT)_HEAD|refs\/.*|logs\/.*|config\.worktree|commondir|gitdir|index\.lock|hooks\/.*|rebase-(apply|merge)|sequencer\/.*|BISECT_LOG|objects\/pack\/(multi-pack-index|pack-[0-9a-f]+\.(keep|promisor|mtimes|rev|bitmap)))$|(^|\/)\.(gitignore|gitattributes|gitmodules|mailmap)$/;
/** A command looked up in the directories of PATH: each directory that lacks it gives ENOENT. */
const PATH_CANDIDATE = /\/(s?bin|shims|libexec)\/[^/]+$/;

export const BENIGN_RULES: readonly BenignRule[] = [
  { calls: ['wait4', 'waitid'], errno: 'ECHILD', why: 'no children left to wait for: the normal way a wait loop (a shell, an init) finds out it is done' },
  { calls: ['ioctl'], errno: 'ENOTTY', why: 'the descriptor is not a terminal (or not the device this request is for): libraries probe with ioctl and carry on' },
  { calls: ['ioctl'], errno: 'EOPNOTSUPP', when: (c) => /FICLONE|BTRFS_IOC_CLONE/.test(c.raw(1) ?? ''), why: 'the file system cannot share blocks between files (reflink): cp tries a clone first and falls back to copying the data' },
  { calls: ['ioctl'], errno: 'EINVAL', when: (c) => /TCGETS|TIOCGWINSZ|TIOCGPGRP/.test(c.raw(1) ?? ''), why: 'a terminal probe on something that is not a terminal' },
  { calls: ['mkdir', 'mkdirat'], errno: 'EEXIST', why: 'the directory is already there: `mkdir -p` style code treats this as success' },
  { calls: ['unlink', 'unlinkat'], errno: 'ENOENT', why: 'there was nothing to remove: cleanup code (rm -f) removes names that may not exist' },
  { calls: PATH_CALLS, errno: 'ENOENT', when: (c) => OPTIONAL_SYSTEM_FILE.test(pathOf(c)), why: 'an optional file or one candidate of a search path (libraries, locales, configuration): the library tries the next place or uses its default' },
  { calls: PATH_CALLS, errno: 'ENOENT', when: (c) => SELINUX_PROBE.test(pathOf(c)), why: 'an SELinux probe: libselinux (linked into ls, cp, tar, sshd...) checks whether SELinux is present and finds it is not' },
  { calls: PATH_CALLS, errno: 'ENOENT', when: (c) => USER_CONFIG.test(pathOf(c)), why: "a per-user configuration or state file that is read if present (~/.curlrc, ~/.config/..., ~/.wget-hsts): without it the program uses its defaults" },
  { calls: PATH_CALLS, errno: 'ENOENT', when: (c) => GIT_OPTIONAL.test(pathOf(c)), why: 'git checks optional repository files (packed-refs, info/exclude, alternates, commit-graph...) and resolves a ref name by trying refs/, refs/tags/, refs/heads/... in turn' },
  { calls: ['newfstatat', 'fstatat64', 'stat', 'stat64', 'access', 'faccessat', 'faccessat2', 'statx'], errno: 'ENOENT', when: (c) => PATH_CANDIDATE.test(pathOf(c)), why: 'a command looked up in each directory of PATH in turn (a shell, execvp, which): the directories that lack it give ENOENT' },
  { calls: PATH_CALLS, errno: 'ENOENT', when: (c) => INTERPRETER_SEARCH.test(pathOf(c)), why: "an interpreter's start-up search (Python's landmarks, zip path and site directories; Perl's @INC): it tries each candidate and uses the ones that exist" },
  { calls: ['openat', 'open', 'readlink', 'readlinkat', 'newfstatat', 'stat', 'statx'], errno: 'ESRCH', when: (c) => PROC_PID_FILE.test(pathOf(c)), why: 'the process exited between listing /proc and reading its file: ps, top and pgrep skip it' },
  { calls: ['openat', 'open', 'readlink', 'readlinkat', 'newfstatat', 'stat', 'statx'], errno: 'ENOENT', when: (c) => PROC_PID_FILE.test(pathOf(c)), why: 'the process exited between listing /proc and reading its file (or this kernel lacks the file): ps, top and pgrep skip it' },
  { calls: ['openat', 'open', 'readlink', 'readlinkat'], errno: 'EACCES', when: (c) => PROC_PID_FILE.test(pathOf(c)), why: "another user's private /proc file (environ, fd, exe): listing tools show what they may and skip the rest" },
  { calls: ['openat', 'open'], errno: 'ENXIO', when: (c) => pathOf(c) === '/dev/tty', why: 'there is no controlling terminal (a script, a pipe, a daemon): the shell or library goes on without one (no job control, no password prompt on the terminal)' },
  { calls: ['openat', 'open'], errno: 'ENOENT', when: (c) => /O_PATH/.test(c.raw(2) ?? '') && /O_DIRECTORY/.test(c.raw(2) ?? ''), why: 'checks whether a path is an existing directory (cp and mv ask this of their destination): ENOENT means it is not there yet' },
  { calls: ['getxattr', 'lgetxattr', 'fgetxattr', 'getxattrat'], errno: 'ENODATA', why: 'the file has no such extended attribute: ls, cp and tar ask for ACLs (system.posix_acl_*), the SELinux label or file capabilities on every file, and most files have none' },
  { calls: ['getxattr', 'lgetxattr', 'fgetxattr', 'listxattr', 'llistxattr', 'flistxattr', 'getxattrat', 'listxattrat'], errno: 'EOPNOTSUPP', why: 'this file system does not support extended attributes (procfs, some tmpfs or network mounts): the ACL or label probe just finds none' },
  { calls: ['fcntl', 'fcntl64'], errno: 'EBADF', when: (c) => /^F_(GETFD|SETFD|GETFL)$/.test(c.raw(1) ?? ''), why: 'a check whether a descriptor number is open: bash tests 255 before it keeps its script there, node and daemons sweep inherited numbers with F_SETFD' },
  { calls: ['fadvise64', 'fadvise64_64', 'arm_fadvise64_64'], errno: 'ESPIPE', why: 'read-ahead advice on a pipe or terminal, which has no file to read ahead: the program just reads it' },
  { calls: ['getpeername', 'getsockname', 'getsockopt'], errno: 'ENOTSOCK', why: 'a check whether a descriptor (often stdin) is a socket: bash does this to know whether sshd or rshd started it' },
  { calls: ['pkey_alloc'], errno: 'EINVAL', why: 'this CPU or kernel has no memory protection keys: V8 (node) and glibc probe for them and work without' },
  { calls: ['pkey_alloc'], errno: 'ENOSPC', why: 'no free memory protection key: the runtime works without one' },
  { calls: ['readlink', 'readlinkat'], errno: 'EINVAL', why: 'the path is not a symbolic link: realpath() and interpreters probe each component this way' },
  { calls: ['copy_file_range'], errno: 'EXDEV', why: 'in-kernel copying between these two file systems is not possible: the program falls back to read and write' },
  { calls: ['copy_file_range', 'sendfile'], errno: 'EOPNOTSUPP', why: 'this file system cannot copy in the kernel: the program falls back to read and write' },
  { calls: ['copy_file_range', 'sendfile'], errno: 'EINVAL', why: 'in-kernel copying is not possible for these descriptors: the program falls back to read and write' },
  { calls: ['restart_syscall'], errno: 'ETIMEDOUT', why: 'the call being restarted was a wait with a timeout (a futex or semaphore wait, a timed sleep) and its time ran out: the normal end of a timed wait' },
  { calls: ['sched_getaffinity', 'sched_setaffinity'], errno: 'EINVAL', why: 'the CPU mask size was too small for this machine: glibc retries with a larger one' },
  { calls: ['prctl'], errno: 'EINVAL', when: (c) => /PR_CAPBSET_READ|PR_GET_/.test(c.text(0) ?? ''), why: 'a probe for a feature this kernel does not have' },
  { calls: ['statfs', 'fstatfs'], errno: 'ENOSYS', why: 'a probe for a feature this kernel does not have' },
  { calls: '*', errno: 'ENOSYS', why: 'the kernel does not implement this call (too old, or a seccomp filter says so): libraries probe new calls and fall back' },
];

const byCall = new Map<string, BenignRule[]>();
const anyCall: BenignRule[] = [];
for (const rule of BENIGN_RULES) {
  if (rule.calls === '*') anyCall.push(rule);
  else for (const name of rule.calls) byCall.set(name, [...(byCall.get(name) ?? []), rule]);
}

/** Why this failed call is normal, or undefined when it is a failure that may matter. */
export function benignFailure(c: Call): string | undefined {
  const errno = c.errno;
  if (errno === undefined) return undefined;
  for (const rule of [...(byCall.get(c.name) ?? []), ...anyCall]) {
    if (rule.errno === errno && (!rule.when || rule.when(c))) return rule.why;
  }
  return undefined;
}
