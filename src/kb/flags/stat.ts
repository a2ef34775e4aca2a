/**
 * File types and access checks: the type part of st_mode (S_IF*, decode `mode & S_IFMT`), the
 * d_type of directory entries (DT_*), and access()/faccessat() modes (F_OK, R_OK, W_OK, X_OK).
 */
import { defineTable } from './table.js';

export const S_IFMT = 0o170000n;

type Row = [string, bigint, string];
const enumRows = (rows: readonly Row[]) => rows.map(([name, value, meaning]) => ({ name, value, meaning }));

export const FILE_TYPES = defineTable({
  id: 'file_type',
  title: 'file types in st_mode (mode & S_IFMT)',
  kind: 'enum',
  values: enumRows([
    ['S_IFIFO', 0o010000n, 'a FIFO (named pipe)'],
    ['S_IFCHR', 0o020000n, 'a character device such as a terminal or /dev/null'],
    ['S_IFDIR', 0o040000n, 'a directory of named entries'],
    ['S_IFBLK', 0o060000n, 'a block device such as a disk'],
    ['S_IFREG', 0o100000n, 'a regular file of bytes'],
    ['S_IFLNK', 0o120000n, 'a symbolic link to another path'],
    ['S_IFSOCK', 0o140000n, 'a Unix socket file'],
  ]),
});

export const MODE_SPECIAL_BITS = defineTable({
  id: 'mode_special',
  title: 'special permission bits',
  kind: 'bits',
  values: [
    { name: 'S_ISUID', value: 0o4000n, meaning: 'set-user-ID: the program runs with the file owner\'s user ID' },
    { name: 'S_ISGID', value: 0o2000n, meaning: 'set-group-ID: runs with the file\'s group, or new files inherit a directory\'s group' },
    { name: 'S_ISVTX', value: 0o1000n, meaning: 'sticky: in a directory only owners may delete their files (/tmp)' },
  ],
});

export const DIRENT_TYPES = defineTable({
  id: 'd_type',
  title: 'directory entry types (getdents64 d_type)',
  kind: 'enum',
  values: enumRows([
    ['DT_UNKNOWN', 0n, 'the file system did not say; a stat is needed'],
    ['DT_FIFO', 1n, 'a FIFO (named pipe)'],
    ['DT_CHR', 2n, 'the entry is a character device'],
    ['DT_DIR', 4n, 'the entry is a directory'],
    ['DT_BLK', 6n, 'the entry is a block device'],
    ['DT_REG', 8n, 'the entry is a regular file'],
    ['DT_LNK', 10n, 'the entry is a symbolic link'],
    ['DT_SOCK', 12n, 'a Unix socket file'],
    ['DT_WHT', 14n, 'a whiteout entry of a union mount'],
  ]),
});

export const ACCESS_MODE = defineTable({
  id: 'access',
  title: 'access() modes',
  kind: 'bits',
  zeroName: 'F_OK',
  values: [
    { name: 'F_OK', value: 0n, nameOnly: true, meaning: 'only check that the path exists' },
    { name: 'X_OK', value: 1n, meaning: 'check execute (or directory search) permission' },
    { name: 'W_OK', value: 2n, meaning: 'check write permission' },
    { name: 'R_OK', value: 4n, meaning: 'check read permission' },
  ],
});

/** statx() request/result mask (<linux/stat.h>): which fields the caller wants or got. */
export const STATX_MASK = defineTable({
  id: 'statx_mask',
  title: 'statx fields',
  kind: 'bits',
  values: [
    { name: 'STATX_TYPE', value: 0x1n, meaning: 'the file type bits of stx_mode' },
    { name: 'STATX_MODE', value: 0x2n, meaning: 'the permission bits of stx_mode' },
    { name: 'STATX_NLINK', value: 0x4n, meaning: 'the hard-link count' },
    { name: 'STATX_UID', value: 0x8n, meaning: 'the owner user ID' },
    { name: 'STATX_GID', value: 0x10n, meaning: 'the owner group ID' },
    { name: 'STATX_ATIME', value: 0x20n, meaning: 'the last access time' },
    { name: 'STATX_MTIME', value: 0x40n, meaning: 'the last modification time' },
    { name: 'STATX_CTIME', value: 0x80n, meaning: 'the last status change time' },
    { name: 'STATX_INO', value: 0x100n, meaning: 'the inode number' },
    { name: 'STATX_SIZE', value: 0x200n, meaning: 'the size in bytes' },
    { name: 'STATX_BLOCKS', value: 0x400n, meaning: 'the number of 512-byte blocks allocated' },
    { name: 'STATX_BASIC_STATS', value: 0x7ffn, meaning: 'everything the classic stat() returns' },
    { name: 'STATX_BTIME', value: 0x800n, meaning: 'the creation (birth) time' },
    { name: 'STATX_ALL', value: 0xfffn, nameOnly: true, meaning: 'basic stats plus birth time (deprecated name)' },
    { name: 'STATX_MNT_ID', value: 0x1000n, meaning: 'the ID of the mount holding the file' },
    { name: 'STATX_DIOALIGN', value: 0x2000n, meaning: 'the alignment direct I/O on this file needs' },
    { name: 'STATX_MNT_ID_UNIQUE', value: 0x4000n, meaning: 'a mount ID that is never reused', since: '6.8' },
    { name: 'STATX_SUBVOL', value: 0x8000n, meaning: 'the subvolume the file lives in (btrfs, bcachefs)', since: '6.10' },
    { name: 'STATX_WRITE_ATOMIC', value: 0x10000n, meaning: 'limits for untorn (atomic) writes', since: '6.11' },
    { name: 'STATX_DIO_READ_ALIGN', value: 0x20000n, meaning: 'the alignment direct-I/O reads need, when it differs from writes', since: '6.14' },
    { name: 'STATX__RESERVED', value: 0x80000000n, meaning: 'reserved for a future extension of struct statx' },
  ],
});

/** statx() stx_attributes bits (<linux/stat.h>). */
export const STATX_ATTRIBUTES = defineTable({
  id: 'statx_attr',
  title: 'statx file attributes',
  kind: 'bits',
  values: [
    { name: 'STATX_ATTR_COMPRESSED', value: 0x4n, meaning: 'the file system stores the file compressed' },
    { name: 'STATX_ATTR_IMMUTABLE', value: 0x10n, meaning: 'the file cannot be modified, renamed or deleted' },
    { name: 'STATX_ATTR_APPEND', value: 0x20n, meaning: 'the file can only be appended to' },
    { name: 'STATX_ATTR_NODUMP', value: 0x40n, meaning: 'backup tools should skip the file' },
    { name: 'STATX_ATTR_ENCRYPTED', value: 0x800n, meaning: 'the file contents are encrypted by the file system' },
    { name: 'STATX_ATTR_AUTOMOUNT', value: 0x1000n, meaning: 'the directory is an automount trigger' },
    { name: 'STATX_ATTR_MOUNT_ROOT', value: 0x2000n, meaning: 'the path is the root of a mount' },
    { name: 'STATX_ATTR_VERITY', value: 0x100000n, meaning: 'the file is protected by fs-verity' },
    { name: 'STATX_ATTR_DAX', value: 0x200000n, meaning: 'the file is accessed directly in persistent memory (DAX)' },
    { name: 'STATX_ATTR_WRITE_ATOMIC', value: 0x400000n, meaning: 'the file supports untorn (atomic) writes', since: '6.11' },
  ],
});
