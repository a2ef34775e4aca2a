/**
 * Paths and inodes: open, stat, access, readlink, directories, permissions. Opened descriptors are
 * remembered (path, close-on-exec) so later reads, maps and closes can name what they touch.
 */
import { ACCESS_MODE, AT_FLAGS, OPEN_FLAGS } from '../../kb/flags/index.js';
import type { Call } from '../call.js';
import { isWordChar } from '../../parse/scan.js';
import type { FdInfo } from '../context.js';
import { baseName, dec, humanBytes, humanSize, printable } from '../format.js';
import type { FamilyTable, Said, Scope } from './types.js';
import { fdWords } from './words.js';

const LIBRARY = /\.so(\.[0-9.]+)?$/;

function pathArg(c: Call, i: number): string {
  const s = c.str(i);
  // `…`: strace cut the path at its -s limit.
  if (s !== undefined) return s === '' ? (c.strCut(i) ? '"…"' : '""') : `${printable(s)}${c.strCut(i) ? '…' : ''}`;
  return c.text(i) ?? '?';
}

function dirPrefix(c: Call, s: Scope, i: number, path: string): string {
  if (path.startsWith('/')) return '';
  const { fd, decoration } = c.fd(i);
  if (fd === undefined && c.text(i)?.startsWith('AT_FDCWD')) return '';
  if (fd === -100 || fd === undefined) return '';
  return ` relative to ${fdWords(fd, s.proc, decoration)}`;
}

function open(c: Call, s: Scope): Said {
  const at = c.name === 'openat' || c.name === 'openat2' ? 1 : 0;
  const path = pathArg(c, at);
  const flagsIndex = c.name === 'creat' ? -1 : at + 1;
  const flags = flagsIndex < 0 ? ['O_WRONLY', 'O_CREAT', 'O_TRUNC'] : c.name === 'openat2' ? c.flags(c.field(2, 'flags') ? String(c.text(2)?.match(/flags=([^,}]+)/)?.[1] ?? '0') : '0', OPEN_FLAGS, 'flags') : c.flags(flagsIndex, OPEN_FLAGS, 'flags');
  const mode = flags.includes('O_ACCMODE') ? '' : flags.includes('O_RDWR') ? 'read-write' : flags.includes('O_WRONLY') ? 'for writing' : flags.includes('O_PATH') ? 'as a path handle (no I/O)' : 'read-only';
  const extras: string[] = [];
  if (flags.includes('O_CREAT')) extras.push(`creating it if missing (mode ${c.text(flagsIndex < 0 ? 1 : at + 2) ?? '?'} minus the umask)`);
  if (flags.includes('O_EXCL')) extras.push('failing if it exists');
  if (flags.includes('O_TRUNC')) extras.push('emptying it');
  if (flags.includes('O_APPEND')) extras.push('every write goes to the end');
  if (flags.includes('O_DIRECTORY')) extras.push('it must be a directory');
  if (flags.includes('O_NONBLOCK')) extras.push('non-blocking');
  if (flags.includes('O_CLOEXEC')) extras.push('close-on-exec');
  const fd = c.ret;
  const result = fd === undefined ? '' : ` → fd ${dec(fd)}`;
  if (fd !== undefined) {
    const what = c.retDecoration ?? path;
    const kind: FdInfo['kind'] = LIBRARY.test(path) ? 'library' : 'file';
    s.proc.openFd(Number(fd), { what, kind, line: c.line, cloexec: flags.includes('O_CLOEXEC') });
  }
  const rel = c.name === 'openat' ? dirPrefix(c, s, 0, path) : '';
  let role = '';
  if (path === '/etc/ld.so.cache') role = ": the dynamic loader's cache of library locations";
  else if (LIBRARY.test(path)) role = `: the dynamic loader looks for the library ${baseName(path)}`;
  else if (path === '/dev/null') role = ': the bit bucket (reads give end-of-file, writes vanish)';
  const said: Said = { text: `opens ${path}${rel} ${mode}${extras.length ? ` (${extras.join(', ')})` : ''}${role}${result}`, coversResult: fd !== undefined };
  if (c.errno === 'ENOENT' && LIBRARY.test(path)) said.benign = 'the loader tries each directory of its search path (hwcaps subdirectories, RPATH, LD_LIBRARY_PATH) in turn; misses are normal as long as one attempt succeeds';
  else if (c.errno === 'ENOENT' && /locale-archive|\/locale\/|gconv-modules/.test(path)) said.benign = 'optional locale data: the C library falls back to the built-in C locale';
  return said;
}

function access(c: Call): Said {
  const at = c.name === 'access' ? 0 : 1;
  const path = pathArg(c, at);
  const mode = c.flags(at + 1, ACCESS_MODE, 'mode', false);
  const what = mode.includes('F_OK') || mode.length === 0 ? 'exists' : `may be ${mode.map((m) => (m === 'R_OK' ? 'read' : m === 'W_OK' ? 'written' : m === 'X_OK' ? 'executed' : m)).join(' and ')}`;
  const said: Said = { text: `checks whether ${path} ${what} (using the real, not effective, user)` };
  if (path === '/etc/ld.so.preload') {
    said.text = 'checks for /etc/ld.so.preload, the system-wide list of libraries to load before all others';
    if (c.errno === 'ENOENT') said.benign = 'the loader checks for this file at every start-up; almost no system has one';
  }
  return said;
}

/** st_mode's S_IF* file types in words. */
const FILE_TYPES: ReadonlyArray<readonly [code: string, words: string]> = [
  ['REG', 'a regular file'],
  ['DIR', 'a directory'],
  ['CHR', 'a character device'],
  ['FIFO', 'a pipe'],
  ['SOCK', 'a socket'],
  ['LNK', 'a symbolic link'],
  ['BLK', 'a block device'],
];

/*
 * Stat buffers are searched, not parsed: stat calls are among the most frequent lines of real logs
 * (a `find` is mostly newfstatat), so these read straight from the argument text.
 */

/** Index just past `st_KEY=` (statx: `stx_KEY=`) in a stat buffer, or -1. */
function statField(text: string, stat: string, statx: string): number {
  const at = text.indexOf(stat);
  if (at >= 0) return at + stat.length;
  const x = text.indexOf(statx);
  return x < 0 ? -1 : x + statx.length;
}

/** The file type of `st_mode=S_IFxxx`, or undefined for none or one our table does not name. */
function statType(text: string): (typeof FILE_TYPES)[number] | undefined {
  let at = statField(text, 'st_mode=', 'stx_mode=');
  if (at < 0 || !text.startsWith('S_IF', at)) return undefined;
  at += 4;
  for (const type of FILE_TYPES) if (text.startsWith(type[0], at) && !isWordChar(text.charCodeAt(at + type[0].length))) return type;
  return undefined;
}

/** `st_size=N` in words, or undefined when absent or not a plain decimal. */
function statSizeWords(text: string): string | undefined {
  const at = statField(text, 'st_size=', 'stx_size=');
  if (at < 0) return undefined;
  let end = at;
  let n = 0;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  if (end === at || isWordChar(text.charCodeAt(end))) return undefined;
  return end - at <= 15 ? humanBytes(n) : humanSize(BigInt(text.slice(at, end)));
}

function statCall(c: Call, s: Scope): Said {
  const isF = c.name === 'fstat';
  const isAt = c.name === 'newfstatat' || c.name === 'statx' || c.name === 'fstatat64';
  const path = isF ? '' : pathArg(c, isAt ? 1 : 0);
  const flags = isAt ? c.flags(c.name === 'statx' ? 2 : 3, AT_FLAGS, 'flags', false) : [];
  const fdIndex = isF ? 0 : isAt ? 0 : -1;
  const buf = c.name === 'statx' ? 4 : isF ? 1 : isAt ? 2 : 1;
  const statText = c.raw(buf) ?? '';
  const type = statType(statText);
  const isChr = type?.[0] === 'CHR';
  const typeWords = type?.[1];
  const sizeWords = isChr ? undefined : statSizeWords(statText);
  const found = c.ok && (typeWords || sizeWords) ? `: ${typeWords && sizeWords ? `${typeWords}, ${sizeWords}` : (typeWords ?? sizeWords)}` : '';
  if (isF || (isAt && (path === '""' || path === '') && flags.includes('AT_EMPTY_PATH'))) {
    const { fd, decoration } = c.fd(fdIndex);
    const tty = isChr && (fd === 1 || fd === 0 || fd === 2) ? ' (stdio checks what kind of file its stream is before choosing a buffer)' : '';
    return { text: `reads the metadata of ${fdWords(fd, s.proc, decoration)}${found}${tty}` };
  }
  const nofollow = flags.includes('AT_SYMLINK_NOFOLLOW') || c.name === 'lstat' ? ' (not following a final symlink)' : '';
  return { text: `reads the metadata of ${path}${nofollow}${found}` };
}

function readlink(c: Call): Said {
  const at = c.name === 'readlinkat' ? 1 : 0;
  const path = pathArg(c, at);
  const target = c.str(at + 1) !== undefined ? pathArg(c, at + 1) : undefined;
  const self = path === '/proc/self/exe' ? ' (the path of its own executable)' : '';
  const said: Said = { text: `reads where the symbolic link ${path}${self} points${target !== undefined && c.ok ? `: ${target}` : ''}`, coversResult: c.ok };
  if (c.errno === 'EINVAL') said.benign = 'EINVAL means the path is not a symbolic link: a common way to test that';
  return said;
}

const simplePath = (verb: string, at = 0) => (c: Call): Said => ({ text: `${verb} ${pathArg(c, at)}` });

export const FILE: FamilyTable = {
  open,
  openat: open,
  openat2: open,
  creat: open,
  access,
  faccessat: access,
  faccessat2: access,
  stat: statCall,
  lstat: statCall,
  fstat: statCall,
  newfstatat: statCall,
  statx: statCall,
  readlink,
  readlinkat: readlink,
  unlink: simplePath('removes the name'),
  unlinkat: (c) => ({ text: `${/AT_REMOVEDIR/.test(c.text(2) ?? '') ? 'removes the directory' : 'removes the name'} ${pathArg(c, 1)}${/AT_REMOVEDIR/.test(c.text(2) ?? '') ? '' : ' (the file itself goes when no descriptor or other link remains)'}` }),
  mkdir: (c) => ({ text: `creates the directory ${pathArg(c, 0)} (mode ${c.text(1) ?? '?'})` }),
  mkdirat: (c) => ({ text: `creates the directory ${pathArg(c, 1)} (mode ${c.text(2) ?? '?'})` }),
  rmdir: simplePath('removes the empty directory'),
  rename: (c) => ({ text: `renames ${pathArg(c, 0)} to ${pathArg(c, 1)} (atomically replacing the target)` }),
  renameat: (c) => ({ text: `renames ${pathArg(c, 1)} to ${pathArg(c, 3)}` }),
  renameat2: (c) => ({ text: `renames ${pathArg(c, 1)} to ${pathArg(c, 3)}${c.text(4) && c.text(4) !== '0' ? ` (${c.text(4)})` : ''}` }),
  link: (c) => ({ text: `adds the name ${pathArg(c, 1)} for ${pathArg(c, 0)} (a hard link)` }),
  linkat: (c) => ({ text: `adds the name ${pathArg(c, 3)} for ${pathArg(c, 1)} (a hard link)` }),
  symlink: (c) => ({ text: `creates the symbolic link ${pathArg(c, 1)} pointing to ${pathArg(c, 0)}` }),
  symlinkat: (c) => ({ text: `creates the symbolic link ${pathArg(c, 2)} pointing to ${pathArg(c, 0)}` }),
  chmod: (c) => ({ text: `sets the permissions of ${pathArg(c, 0)} to ${c.text(1) ?? '?'}` }),
  fchmodat: (c) => ({ text: `sets the permissions of ${pathArg(c, 1)} to ${c.text(2) ?? '?'}` }),
  fchmod: (c, s) => ({ text: `sets the permissions of ${fdWords(c.fd(0).fd, s.proc, c.fd(0).decoration)} to ${c.text(1) ?? '?'}` }),
  chown: (c) => ({ text: `gives ${pathArg(c, 0)} to user ${c.text(1) ?? '?'} and group ${c.text(2) ?? '?'} (-1 keeps one)` }),
  lchown: (c) => ({ text: `gives the link ${pathArg(c, 0)} to user ${c.text(1) ?? '?'} and group ${c.text(2) ?? '?'}` }),
  fchownat: (c) => ({ text: `gives ${pathArg(c, 1)} to user ${c.text(2) ?? '?'} and group ${c.text(3) ?? '?'}` }),
  fchown: (c, s) => ({ text: `gives ${fdWords(c.fd(0).fd, s.proc, c.fd(0).decoration)} to user ${c.text(1) ?? '?'} and group ${c.text(2) ?? '?'}` }),
  truncate: (c) => ({ text: `sets the size of ${pathArg(c, 0)} to ${c.int(1) === undefined ? '?' : humanSize(c.int(1)!)}` }),
  ftruncate: (c, s) => ({ text: `sets the size of ${fdWords(c.fd(0).fd, s.proc, c.fd(0).decoration)} to ${c.int(1) === undefined ? '?' : humanSize(c.int(1)!)}` }),
  getdents64: (c, s) => ({ text: `reads directory entries from ${fdWords(c.fd(0).fd, s.proc, c.fd(0).decoration)}${c.ret === 0n ? ' → no more entries' : c.ret !== undefined ? ` → ${humanSize(c.ret)} of entries` : ''}`, coversResult: c.ok }),
  getdents: (c, s) => ({ text: `reads directory entries from ${fdWords(c.fd(0).fd, s.proc, c.fd(0).decoration)} (old 32-bit layout)` }),
  statfs: (c) => ({ text: `reads file-system statistics (type, free space) for ${pathArg(c, 0)}` }),
  fstatfs: (c, s) => ({ text: `reads file-system statistics for ${fdWords(c.fd(0).fd, s.proc, c.fd(0).decoration)}` }),
  utimensat: (c) => ({ text: `sets the access and modification times of ${c.str(1) ?? `fd ${c.text(0)}`}` }),
  mknod: (c) => ({ text: `creates the special file ${pathArg(c, 0)} (${c.text(1) ?? '?'})` }),
  mknodat: (c) => ({ text: `creates the special file ${pathArg(c, 1)} (${c.text(2) ?? '?'})` }),
  inotify_init1: (c) => ({ text: `creates an inotify instance to watch files for changes${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}` }),
  inotify_add_watch: (c) => ({ text: `watches ${pathArg(c, 1)} for ${c.text(2) ?? 'events'}` }),
  getxattr: (c) => ({ text: `reads the extended attribute ${pathArg(c, 1)} of ${pathArg(c, 0)}` }),
  lgetxattr: (c) => ({ text: `reads the extended attribute ${pathArg(c, 1)} of ${pathArg(c, 0)} (not following a symlink)` }),
  fgetxattr: (c) => ({ text: `reads the extended attribute ${pathArg(c, 1)} of fd ${c.text(0) ?? '?'}` }),
  setxattr: (c) => ({ text: `sets the extended attribute ${pathArg(c, 1)} of ${pathArg(c, 0)}` }),
  listxattr: (c) => ({ text: `lists the extended attributes of ${pathArg(c, 0)}` }),
  llistxattr: (c) => ({ text: `lists the extended attributes of ${pathArg(c, 0)} (not following a symlink)` }),
  memfd_create: (c) => ({ text: `creates an anonymous in-memory file named ${pathArg(c, 0)}${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}` }),
};
