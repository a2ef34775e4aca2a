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
