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
