/**
 * Descriptors: read, write, close, dup, pipes, fcntl, ioctl, seeking. The per-process descriptor table
 * the explainer keeps says what a number refers to (a pipe end, a library, a socket) and catches the
 * difference between a defensive close of a free number and a real double close.
 */
import { CLOSE_RANGE_FLAGS, FCNTL_CMDS, FD_FLAGS, IOCTL_REQUESTS, OPEN_FLAGS, SEEK_WHENCE, flagByName } from '../../kb/flags/index.js';
import { toBigInt } from '../../parse/values.js';
import type { Call } from '../call.js';
import type { FdInfo } from '../context.js';
import { baseName, dec, humanSize, shortString } from '../format.js';
import type { FamilyTable, Said, Scope } from './types.js';
import { fdWords } from './words.js';

function target(c: Call, s: Scope, i = 0): string {
  const { fd, decoration } = c.fd(i);
  return fdWords(fd, s.proc, decoration);
}

function read(c: Call, s: Scope): Said {
  const { fd } = c.fd(0);
  const asked = c.int(2);
  const got = c.ret;
  const where = target(c, s);
  const at = c.name === 'pread64' ? ` at offset ${c.text(3) ?? '?'}` : '';
  const info = fd === undefined ? undefined : s.proc.fds.get(fd);
  // Only small buffers and ELF headers are worth decoding (unescaping a 256-byte string costs more
  // than the rest of the explanation).
  const rawBuf = c.raw(1) ?? '';
  const elf = rawBuf.charCodeAt(1) === 92 /* \\ */ && (rawBuf.startsWith('"\\177ELF') || rawBuf.startsWith('"\\x7f\\x45\\x4c\\x46') || rawBuf.startsWith('"\\x7fELF'));
  const bytes = elf || (got !== undefined && got <= 64n) ? c.str(1) : undefined;
  if (bytes !== undefined && bytes.startsWith('\x7fELF') && c.ok) {
    if (info) info.elfRead = true;
    return { text: `reads the ELF header and program headers of ${info?.what ? baseName(info.what) : where} (${got === undefined ? '?' : humanSize(got)}): the loader learns which segments to map and where`, coversResult: true };
  }
  if (c.pending) return { text: `reads from ${where}${at}${asked === undefined ? '' : ` (up to ${humanSize(asked)})`}; it blocks until data arrives` };
  if (got === 0n) {
    const eof = info?.kind === 'pipe-read' ? 'end of file: every write end of the pipe is closed' : 'end of file';
    return { text: `reads from ${where}${at} → ${eof}`, coversResult: true };
  }
  if (got !== undefined) {
    const partial = asked !== undefined && got < asked ? ` (asked for up to ${humanSize(asked)})` : '';
    const sample = bytes !== undefined && got <= 64n ? `: ${shortString(bytes, 40)}` : '';
    return { text: `reads ${humanSize(got)} from ${where}${at}${partial}${sample}`, coversResult: true };
  }
  const said: Said = { text: `reads from ${where}${at}${asked === undefined ? '' : ` (up to ${humanSize(asked)})`}` };
  if (c.errno === 'EAGAIN') said.benign = 'non-blocking descriptor with nothing to read yet: the program is expected to wait with poll/epoll and retry';
  return said;
}

function write(c: Call, s: Scope): Said {
  const asked = c.int(2);
  const got = c.ret;
  const where = target(c, s);
  const at = c.name === 'pwrite64' ? ` at offset ${c.text(3) ?? '?'}` : '';
  const bytes = asked !== undefined && asked <= 64n ? c.str(1) : undefined;
  const shown = bytes !== undefined ? shortString(bytes, 40) : undefined;
  const sample = shown !== undefined ? ` ${shown}${c.strCut(1) && !shown.endsWith('…') ? '…' : ''}` : '';
  if (got !== undefined) {
    const partial = asked !== undefined && got < asked ? ` (a short write: ${humanSize(asked)} were offered)` : '';
    return { text: `writes ${humanSize(got)}${sample} to ${where}${at}${partial}`, coversResult: true };
  }
  const said: Said = { text: `writes ${asked === undefined ? '' : `${humanSize(asked)}`}${sample} to ${where}${at}` };
  if (c.errno === 'EPIPE') said.text += ': nobody reads the other end any more (SIGPIPE usually comes with it)';
  if (c.errno === 'EAGAIN') said.benign = 'non-blocking descriptor that is full: the program is expected to wait for it to drain and retry';
  return said;
}

function vectored(c: Call, s: Scope): Said {
  const n = c.int(2);
  const verb = c.name.startsWith('read') || c.name.startsWith('pread') || c.name.startsWith('preadv') ? 'reads' : 'writes';
  return { text: `${verb} ${c.ret === undefined ? '' : `${humanSize(c.ret)} `}${verb === 'reads' ? 'from' : 'to'} ${target(c, s)} using ${n ?? '?'} buffer${n === 1n ? '' : 's'} in one call`, coversResult: c.ok };
}

function close(c: Call, s: Scope): Said {
  const { fd } = c.fd(0);
  if (fd === undefined) return { text: 'closes a descriptor' };
  const where = target(c, s);
  const closedBefore = s.proc.closed.get(fd);
  if (c.errno === 'EBADF') {
    if (closedBefore) {
      const text = `closes ${where}, which was already closed on line ${closedBefore.line} (${closedBefore.what}): a double close`;
      // With one thread nothing can have reused the number in between: the second close is a no-op.
      if (s.ctx.liveThreads(c.tid) <= 1) return { text, benign: 'a second close in a single-threaded process changes nothing (no other thread can have reused the number meanwhile); bash closes pipe ends twice like this' };
      return { text: `${text}, a bug if another thread may have reused the number meanwhile` };
    }
    return { text: `closes ${where}, which is not open`, benign: 'closing a number that is not open changes nothing: shells (bash) and daemons close descriptors defensively before they redirect or exec' };
  }
  const info = s.proc.closeFd(fd, c.line);
  const opened = info && info.pipeLine === undefined ? `, opened on line ${info.line}` : '';
  const pipeNote = info?.kind === 'pipe-write' ? '; once every write end is closed the reader sees end of file' : '';
  return { text: `closes ${where}${opened}${pipeNote}` };
}

function dup(c: Call, s: Scope): Said {
  const { fd: oldFd } = c.fd(0);
  const from = target(c, s);
  const newFd = c.name === 'dup' ? (c.ret === undefined ? undefined : Number(c.ret)) : c.fd(1).fd;
  const info = oldFd === undefined ? undefined : s.proc.fds.get(oldFd);
  const cloexec = c.name === 'dup3' && c.cloexec;
  if (newFd !== undefined && c.ok) {
    s.proc.openFd(newFd, { what: info?.what ?? `copy of fd ${oldFd ?? '?'}`, kind: info?.kind ?? 'other', line: c.line, cloexec, ...(info?.pipeLine === undefined ? {} : { pipeLine: info.pipeLine }) });
  }
  if (c.name === 'dup') return { text: `duplicates ${from} onto the lowest free number${c.ret === undefined ? '' : ` → fd ${dec(c.ret)}`}: both refer to the same open file (shared offset and status flags)`, coversResult: c.ok };
  const std = newFd === 0 ? 'stdin' : newFd === 1 ? 'stdout' : newFd === 2 ? 'stderr' : undefined;
  const what = info?.kind === 'pipe-write' ? 'into the pipe' : info?.kind === 'pipe-read' ? 'from the pipe' : info?.what ? `${newFd === 0 ? 'from' : 'to'} ${info.what}` : '';
  if (std) {
    const flow = newFd === 0 ? `it now reads ${what || `from ${from}`}` : `what it writes to ${std} now goes ${what || `to ${from}`}`;
    return { text: `makes ${std} a copy of ${from}: ${flow}${oldFd === newFd ? ' (same number: nothing changes)' : ''}; this is how a shell redirects before exec` };
  }
  return { text: `makes fd ${newFd ?? '?'} a copy of ${from}${cloexec ? ' with close-on-exec' : ''}, closing whatever fd ${newFd ?? '?'} was first` };
}

function pipe(c: Call, s: Scope): Said {
  const v = c.arg(0);
  const ends = v?.t === 'array' ? v.items.map((i) => { const n = toBigInt(i); return n === undefined ? NaN : Number(n); }) : [];
  const flags = c.name === 'pipe2' ? c.flags(1, OPEN_FLAGS, 'flags') : [];
  const cloexec = flags.includes('O_CLOEXEC');
  const [r, w] = ends;
  if (c.ok && r !== undefined && w !== undefined && !Number.isNaN(r) && !Number.isNaN(w)) {
    const base: Omit<FdInfo, 'kind' | 'what'> = { line: c.line, cloexec, pipeLine: c.line };
    s.proc.openFd(r, { ...base, kind: 'pipe-read', what: `read end of the pipe from line ${c.line}` });
    s.proc.openFd(w, { ...base, kind: 'pipe-write', what: `write end of the pipe from line ${c.line}` });
    const extra = flags.filter((f) => f !== 'O_CLOEXEC' && f !== 'O_RDONLY');
    return { text: `creates a pipe: what is written to fd ${w} can be read from fd ${r}${cloexec ? ' (both close-on-exec)' : ''}${extra.length ? ` (${extra.join(', ')})` : ''}; after a fork, each side closes the end it does not use`, coversResult: true };
  }
  return { text: 'creates a pipe: a one-way byte channel with a read end and a write end' };
}

function fcntl(c: Call, s: Scope): Said {
  const cmd = c.flags(1, FCNTL_CMDS, 'cmd', false)[0] ?? c.text(1) ?? '?';
  const { fd } = c.fd(0);
  const where = target(c, s);
  const info = fd === undefined ? undefined : s.proc.fds.get(fd);
  if (cmd === 'F_SETFD') {
    const on = c.cloexec;
    c.flags(2, FD_FLAGS, 'flags');
    if (info) info.cloexec = on;
    return { text: `${on ? 'sets' : 'clears'} close-on-exec on ${where}: it will ${on ? 'be closed' : 'stay open'} across execve` };
  }
  if (cmd === 'F_GETFD') return { text: `reads the descriptor flags of ${where}${c.ret !== undefined ? `: close-on-exec ${c.ret & 1n ? 'on' : 'off'}` : ''}`, coversResult: c.ok };
  if (cmd === 'F_GETFL') return { text: `reads the access mode and status flags of ${where}${statusFlagsWords(c.event.ret?.aux)}`, coversResult: c.ok };
  if (cmd === 'F_SETFL') return { text: `sets the status flags of ${where} to ${c.flags(2, OPEN_FLAGS, 'flags').join('|') || c.text(2)}` };
  if (cmd === 'F_DUPFD' || cmd === 'F_DUPFD_CLOEXEC') {
    if (c.ret !== undefined) s.proc.openFd(Number(c.ret), { what: info?.what ?? `copy of fd ${fd ?? '?'}`, kind: info?.kind ?? 'other', line: c.line, cloexec: cmd === 'F_DUPFD_CLOEXEC' });
    return { text: `duplicates ${where} onto the lowest free number ≥ ${c.text(2) ?? '?'}${cmd === 'F_DUPFD_CLOEXEC' ? ' with close-on-exec' : ''}${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}`, coversResult: c.ok };
  }
  const meaning = (c.decoded?.cmd as Array<{ meaning: string }> | undefined)?.[0]?.meaning;
  return { text: `${cmd} on ${where}${meaning ? `: ${meaning}` : ''}` };
}

/** F_GETFL's decoded result (`flags O_RDONLY|O_CLOEXEC` beside the number) as `: O_RDONLY|O_CLOEXEC`. */
function statusFlagsWords(aux: readonly string[] | undefined): string {
  if (!aux || aux.length === 0) return '';
  const text = aux.length === 1 ? aux[0] : aux.join(' ');
  return `: ${text.startsWith('flags ') ? text.slice(6) : text}`;
}

function ioctl(c: Call, s: Scope): Said {
  // Requests that share a number are printed as alternatives (`BTRFS_IOC_CLONE or FICLONE`; old
  // strace: `SNDCTL_TMR_TIMEBASE or SNDRV_TIMER_IOCTL_NEXT_DEVICE or TCGETS`): the one we table wins.
  const raw = c.raw(1) ?? '';
  const alternatives = raw.includes(' or ') ? raw.split(' or ') : undefined;
  const chosen = alternatives?.find((a) => flagByName(IOCTL_REQUESTS, a) !== undefined);
  const req = c.flags(chosen ?? 1, IOCTL_REQUESTS, 'request', false)[0] ?? c.text(1) ?? '?';
  const where = target(c, s);
  const meaning = (c.decoded?.request as Array<{ meaning: string }> | undefined)?.[0]?.meaning;
  if ((req === 'TCGETS' || req === 'TCGETS2' || req === 'TIOCGWINSZ') && c.errno === 'ENOTTY') {
    return { text: `asks ${where} for terminal ${req === 'TIOCGWINSZ' ? 'size' : 'settings'}: it is not a terminal`, benign: 'this is isatty(): ENOTTY just means "not a terminal", so stdio chooses full buffering instead of line buffering' };
  }
  return { text: `${req} on ${where}${meaning ? `: ${meaning}` : ''}` };
}

/** How lseek moves: relative moves say forwards or back by how much, absolute ones where to. */
export function seekWords(whence: string, offset: bigint | undefined, text: string): string {
  const by = (n: bigint): string => (n === 1n || n === -1n ? '1 byte' : `${n < 0n ? -n : n} bytes`);
  if (offset !== undefined && whence === 'SEEK_CUR') return offset < 0n ? `moves back ${by(offset)} in` : `moves ${by(offset)} forward in`;
  if (offset !== undefined && whence === 'SEEK_END') return offset === 0n ? 'moves to the end of' : offset < 0n ? `moves to ${by(offset)} before the end of` : `moves to ${by(offset)} past the end of`;
  if (whence === 'SEEK_SET') return `moves to offset ${text} of`;
  return `moves the position (${whence}) by ${text} in`;
}

function lseek(c: Call, s: Scope): Said {
  const whence = c.flags(2, SEEK_WHENCE, 'whence', false)[0] ?? c.text(2) ?? '?';
  const off = c.text(1) ?? '?';
  const where = target(c, s);
  const now = c.ret !== undefined ? ` → now ${dec(c.ret)}` : '';
  const said: Said = { text: whence === 'SEEK_CUR' && off === '0' ? `asks the current position of ${where}${c.ret !== undefined ? ` → ${dec(c.ret)}` : ''}` : `${seekWords(whence, c.int(1), off)} ${where}${now}`, coversResult: c.ok };
  if (c.errno === 'ESPIPE') said.benign = 'pipes, sockets and terminals cannot seek; stdio probes this and carries on';
  return said;
}

export const FD: FamilyTable = {
  read,
  pread64: read,
  write,
  pwrite64: write,
  readv: vectored,
  writev: vectored,
  preadv: vectored,
  pwritev: vectored,
  preadv2: vectored,
  pwritev2: vectored,
  close,
  close_range: (c, s) => {
    const first = c.int(0);
    const last = c.int(1);
    const flags = c.flags(2, CLOSE_RANGE_FLAGS, 'flags');
    const cloexec = flags.includes('CLOSE_RANGE_CLOEXEC');
    if (first !== undefined && last !== undefined && !cloexec) for (const fd of [...s.proc.fds.keys()]) if (BigInt(fd) >= first && BigInt(fd) <= last) s.proc.closeFd(fd, c.line);
    return { text: `${cloexec ? 'marks close-on-exec' : 'closes'} every descriptor from ${first ?? '?'} to ${last === 0xffffffffn || last === 4294967295n ? 'the highest' : last ?? '?'} (often just before exec, so nothing leaks into the new program)` };
  },
  dup,
  dup2: dup,
  dup3: dup,
  pipe,
  pipe2: pipe,
  fcntl,
  ioctl,
  lseek,
  fsync: (c, s) => ({ text: `waits until ${target(c, s)}'s data and metadata are on stable storage` }),
  fdatasync: (c, s) => ({ text: `waits until ${target(c, s)}'s data is on stable storage` }),
  flock: (c, s) => ({ text: `${c.text(1)?.includes('LOCK_UN') ? 'releases' : 'takes'} a whole-file lock (${c.text(1) ?? '?'}) on ${target(c, s)}` }),
  sendfile: (c, s) => ({ text: `copies ${c.ret === undefined ? 'data' : humanSize(c.ret)} from ${target(c, s, 1)} to ${target(c, s, 0)} inside the kernel`, coversResult: c.ok }),
  splice: (c, s) => ({ text: `moves ${c.ret === undefined ? 'data' : humanSize(c.ret)} from ${target(c, s, 0)} to ${target(c, s, 2)} through a pipe buffer without copying to user space`, coversResult: c.ok }),
  tee: (c, s) => ({ text: `duplicates ${c.ret === undefined ? 'data' : humanSize(c.ret)} from pipe ${target(c, s, 0)} to pipe ${target(c, s, 1)} without consuming it`, coversResult: c.ok }),
  copy_file_range: (c, s) => ({ text: `copies ${c.ret === undefined ? 'data' : humanSize(c.ret)} from ${target(c, s, 0)} to ${target(c, s, 2)} inside the kernel (may share blocks)`, coversResult: c.ok }),
  eventfd2: (c, s) => {
    if (c.ret !== undefined) s.proc.openFd(Number(c.ret), { what: 'eventfd', kind: 'eventfd', line: c.line, cloexec: c.cloexec });
    return { text: `creates an eventfd (a counter threads or processes can signal each other through) starting at ${c.text(0) ?? '?'}${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}`, coversResult: c.ok };
  },
  fadvise64: (c, s) => ({ text: `tells the kernel how ${target(c, s)} will be read (${c.text(3) ?? '?'}) so it can tune read-ahead` }),
  fallocate: (c, s) => ({ text: `reserves ${c.int(3) === undefined ? 'space' : humanSize(c.int(3)!)} of disk space in ${target(c, s)}` }),
  readahead: (c, s) => ({ text: `reads ${c.int(2) === undefined ? 'part' : humanSize(c.int(2)!)} of ${target(c, s)} into the page cache ahead of use` }),
};
