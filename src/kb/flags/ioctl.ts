/**
 * The terminal and generic file ioctls that ordinary programs issue (<asm-generic/ioctls.h>):
 * isatty() is TCGETS, shells use the process-group ones for job control.
 */
import { defineTable } from './table.js';

type Row = [string, bigint, string];

const ROWS: readonly Row[] = [
  ['TCGETS', 0x5401n, 'read terminal settings; libc\'s isatty() uses it, so ENOTTY just means "not a terminal"'],
  ['TCSETS', 0x5402n, 'change terminal settings now'],
  ['TCSETSW', 0x5403n, 'change terminal settings after pending output is written'],
  ['TCSETSF', 0x5404n, 'change terminal settings after output drains, discarding pending input'],
  ['TIOCSCTTY', 0x540en, 'make this terminal the controlling terminal of the session'],
  ['TIOCGPGRP', 0x540fn, 'read the foreground process group of the terminal'],
  ['TIOCSPGRP', 0x5410n, 'make a process group the terminal\'s foreground group (job control)'],
  ['TIOCGWINSZ', 0x5413n, 'read the terminal window size in rows and columns'],
  ['TIOCSWINSZ', 0x5414n, 'set the terminal window size (sends SIGWINCH)'],
  ['FIONREAD', 0x541bn, 'count the bytes waiting to be read'],
  ['FIONBIO', 0x5421n, 'turn non-blocking mode on or off'],
  ['TIOCNOTTY', 0x5422n, 'give up the controlling terminal'],
  ['FIONCLEX', 0x5450n, 'clear close-on-exec on the descriptor'],
  ['FIOCLEX', 0x5451n, 'set close-on-exec on the descriptor'],
];

export const IOCTL_REQUESTS = defineTable({
  id: 'ioctl',
  title: 'common ioctl requests',
  kind: 'enum',
  values: ROWS.map(([name, value, meaning]) => ({ name, value, meaning })),
});
