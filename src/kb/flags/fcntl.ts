/**
 * open()/openat() flags (<asm-generic/fcntl.h>, octal there) and the AT_* values of the *at()
 * calls (<linux/fcntl.h>).
 */
import { defineTable } from './table.js';

export const OPEN_FLAGS = defineTable({
  id: 'open',
  title: 'open flags',
  kind: 'bits',
  fields: { access: { mask: 0o3n, showZero: true } },
  values: [
    { name: 'O_RDONLY', value: 0o0n, field: 'access', meaning: 'open for reading only' },
    { name: 'O_WRONLY', value: 0o1n, field: 'access', meaning: 'open for writing only' },
    { name: 'O_RDWR', value: 0o2n, field: 'access', meaning: 'open for reading and writing' },
    { name: 'O_CREAT', value: 0o100n, meaning: 'create the file if it does not exist, with the given mode' },
    { name: 'O_EXCL', value: 0o200n, meaning: 'with O_CREAT: fail with EEXIST if the file already exists' },
    { name: 'O_NOCTTY', value: 0o400n, meaning: 'do not make a terminal opened here the controlling terminal' },
    { name: 'O_TRUNC', value: 0o1000n, meaning: 'cut an existing regular file to length 0' },
    { name: 'O_APPEND', value: 0o2000n, meaning: 'every write goes to the current end of the file' },
    { name: 'O_NONBLOCK', value: 0o4000n, meaning: 'reads and writes fail with EAGAIN instead of blocking' },
    { name: 'O_NDELAY', value: 0o4000n, nameOnly: true, meaning: 'old name of O_NONBLOCK' },
    { name: 'O_DSYNC', value: 0o10000n, meaning: 'each write waits until the data (not all metadata) is on storage' },
    { name: 'O_ASYNC', value: 0o20000n, meaning: 'send SIGIO when I/O becomes possible (FASYNC in the kernel headers)' },
    { name: 'FASYNC', value: 0o20000n, nameOnly: true, meaning: 'kernel name of O_ASYNC' },
    { name: 'O_DIRECT', value: 0o40000n, meaning: 'bypass the page cache: I/O goes straight between the buffer and the device' },
    { name: 'O_LARGEFILE', value: 0o100000n, meaning: 'allow files over 2 GiB (implied for 64-bit programs, shown for 32-bit ones)' },
    { name: 'O_DIRECTORY', value: 0o200000n, meaning: 'fail unless the path is a directory' },
    { name: 'O_NOFOLLOW', value: 0o400000n, meaning: 'fail with ELOOP if the last path component is a symlink' },
    { name: 'O_NOATIME', value: 0o1000000n, meaning: 'do not update the access time on reads' },
    { name: 'O_CLOEXEC', value: 0o2000000n, meaning: 'close this descriptor automatically on execve (so it does not leak into new programs)' },
    { name: 'O_SYNC', value: 0o4010000n, meaning: 'each write waits until data and metadata are on storage' },
    { name: 'O_RSYNC', value: 0o4010000n, nameOnly: true, meaning: 'reads also synchronise (same bits as O_SYNC on Linux)' },
    { name: 'O_PATH', value: 0o10000000n, meaning: 'get a handle to the path only, for *at() calls and fstat; no reading or writing' },
    { name: 'O_TMPFILE', value: 0o20200000n, meaning: 'create an unnamed temporary file in the given directory' },
  ],
});

/** Flags of the *at() calls. 0x200 means AT_REMOVEDIR for unlinkat but AT_EACCESS for faccessat. */
export const AT_FLAGS = defineTable({
  id: 'at',
  title: '*at() flags',
  kind: 'bits',
  fields: { statx_sync: { mask: 0x6000n } },
  values: [
    { name: 'AT_SYMLINK_NOFOLLOW', value: 0x100n, meaning: 'act on a final symlink itself instead of what it points to' },
    { name: 'AT_REMOVEDIR', value: 0x200n, meaning: 'unlinkat: remove a directory (like rmdir)' },
    { name: 'AT_EACCESS', value: 0x200n, nameOnly: true, meaning: 'faccessat: check with the effective IDs instead of the real ones' },
    { name: 'AT_SYMLINK_FOLLOW', value: 0x400n, meaning: 'linkat: follow a final symlink' },
    { name: 'AT_NO_AUTOMOUNT', value: 0x800n, meaning: 'do not trigger an automount on the final component' },
    { name: 'AT_EMPTY_PATH', value: 0x1000n, meaning: 'an empty path means the descriptor itself (fstat on an fd through fstatat)' },
    { name: 'AT_STATX_SYNC_AS_STAT', value: 0x0n, field: 'statx_sync', meaning: 'statx: do what stat does about syncing with a network server' },
    { name: 'AT_STATX_FORCE_SYNC', value: 0x2000n, field: 'statx_sync', meaning: 'statx: force fresh attributes from a network server' },
    { name: 'AT_STATX_DONT_SYNC', value: 0x4000n, field: 'statx_sync', meaning: 'statx: cached attributes are good enough' },
    { name: 'AT_RECURSIVE', value: 0x8000n, meaning: 'apply to the whole mount subtree (open_tree, mount_setattr)' },
  ],
});

/** Special values of a directory-descriptor argument. */
export const AT_DIRFD = defineTable({
  id: 'dirfd',
  title: 'special directory descriptors',
  kind: 'enum',
  values: [{ name: 'AT_FDCWD', value: -100n, meaning: 'resolve a relative path from the current working directory' }],
});

type Cmd = [string, bigint, string, string?];
const enumRows = (rows: readonly Cmd[]) => rows.map(([name, value, meaning, since]) => ({ name, value, meaning, ...(since ? { since } : {}) }));

/** fcntl() commands (<asm-generic/fcntl.h>, <linux/fcntl.h>; Linux-specific ones start at 1024). */
export const FCNTL_CMDS = defineTable({
  id: 'fcntl',
  title: 'fcntl commands',
  kind: 'enum',
  values: enumRows([
    ['F_DUPFD', 0n, 'duplicate the descriptor onto the lowest free number at or above arg'],
    ['F_GETFD', 1n, 'read the descriptor flags (FD_CLOEXEC)'],
    ['F_SETFD', 2n, 'set the descriptor flags, i.e. turn close-on-exec on or off'],
    ['F_GETFL', 3n, 'read the access mode and status flags (O_APPEND, O_NONBLOCK...)'],
    ['F_SETFL', 4n, 'change status flags such as O_NONBLOCK and O_APPEND'],
    ['F_GETLK', 5n, 'ask whether a record lock could be placed, and who holds the conflicting one'],
    ['F_SETLK', 6n, 'place or release a process-owned record lock without waiting'],
    ['F_SETLKW', 7n, 'place a process-owned record lock, waiting for a conflicting one to go'],
    ['F_SETOWN', 8n, 'choose the process or group that gets SIGIO/SIGURG for this descriptor'],
    ['F_GETOWN', 9n, 'read the SIGIO/SIGURG receiver'],
    ['F_SETSIG', 10n, 'choose which signal reports I/O readiness instead of SIGIO'],
    ['F_GETSIG', 11n, 'read the I/O readiness signal'],
    ['F_SETOWN_EX', 15n, 'choose a thread, process or group as SIGIO receiver'],
    ['F_GETOWN_EX', 16n, 'read the extended SIGIO receiver'],
    ['F_GETOWNER_UIDS', 17n, 'read the UIDs of the SIGIO receiver'],
    ['F_OFD_GETLK', 36n, 'like F_GETLK for locks owned by the open file description'],
    ['F_OFD_SETLK', 37n, 'place or release an open-file-description lock without waiting'],
    ['F_OFD_SETLKW', 38n, 'place an open-file-description lock, waiting if needed'],
    ['F_SETLEASE', 1024n, 'take or release a lease: be told (by signal) before another process opens the file'],
    ['F_GETLEASE', 1025n, 'read the current lease'],
    ['F_NOTIFY', 1026n, 'ask for a signal when a directory changes (dnotify)'],
    ['F_DUPFD_QUERY', 1027n, 'ask whether another descriptor refers to the same open file', '6.10'],
    ['F_CREATED_QUERY', 1028n, 'ask whether the open that returned this descriptor created the file', '6.12'],
    ['F_CANCELLK', 1029n, 'cancel a pending lock request (NFS server use)'],
    ['F_DUPFD_CLOEXEC', 1030n, 'duplicate like F_DUPFD and set close-on-exec on the copy'],
    ['F_SETPIPE_SZ', 1031n, 'resize the pipe buffer'],
    ['F_GETPIPE_SZ', 1032n, 'read the pipe buffer size'],
    ['F_ADD_SEALS', 1033n, 'seal a memfd against shrinking, growing or writing'],
    ['F_GET_SEALS', 1034n, 'read the seals of a memfd'],
    ['F_GET_RW_HINT', 1035n, 'read the write-lifetime hint of the inode'],
    ['F_SET_RW_HINT', 1036n, 'set the write-lifetime hint of the inode'],
    ['F_GET_FILE_RW_HINT', 1037n, 'read the write-lifetime hint of the open file (removed in 6.0)'],
    ['F_SET_FILE_RW_HINT', 1038n, 'set the write-lifetime hint of the open file (removed in 6.0)'],
  ]),
});

/** Descriptor flags read and written with F_GETFD/F_SETFD. */
export const FD_FLAGS = defineTable({
  id: 'fd_flags',
  title: 'descriptor flags',
  kind: 'bits',
  values: [{ name: 'FD_CLOEXEC', value: 1n, meaning: 'close this descriptor automatically on execve' }],
});

/** lseek whence (<linux/fs.h>). */
export const SEEK_WHENCE = defineTable({
  id: 'whence',
  title: 'lseek whence',
  kind: 'enum',
  values: enumRows([
    ['SEEK_SET', 0n, 'offset counts from the start of the file'],
    ['SEEK_CUR', 1n, 'offset counts from the current position'],
    ['SEEK_END', 2n, 'offset counts from the end of the file'],
    ['SEEK_DATA', 3n, 'move to the next region holding data at or after offset (sparse files)'],
    ['SEEK_HOLE', 4n, 'move to the next hole at or after offset (sparse files)'],
  ]),
});

/** close_range() flags (<linux/close_range.h>). */
export const CLOSE_RANGE_FLAGS = defineTable({
  id: 'close_range',
  title: 'close_range flags',
  kind: 'bits',
  values: [
    { name: 'CLOSE_RANGE_UNSHARE', value: 2n, meaning: 'first give the caller its own descriptor table, then close in it' },
    { name: 'CLOSE_RANGE_CLOEXEC', value: 4n, meaning: 'do not close now; mark the descriptors close-on-exec instead' },
  ],
});

/** fadvise64() advice (<linux/fadvise.h>; x86-64 values). */
export const FADVISE_ADVICE = defineTable({
  id: 'fadvise',
  title: 'fadvise advice',
  kind: 'enum',
  values: enumRows([
    ['POSIX_FADV_NORMAL', 0n, 'no expectation about the access pattern; default read-ahead'],
    ['POSIX_FADV_RANDOM', 1n, 'random access expected: read-ahead off'],
    ['POSIX_FADV_SEQUENTIAL', 2n, 'sequential access expected: larger read-ahead'],
    ['POSIX_FADV_WILLNEED', 3n, 'this range will be read soon: start loading it into the page cache'],
    ['POSIX_FADV_DONTNEED', 4n, 'this range is not needed any more: drop clean cached pages'],
    ['POSIX_FADV_NOREUSE', 5n, 'the data will be read once and not again'],
  ]),
});
