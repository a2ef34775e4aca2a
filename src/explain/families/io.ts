/** Readiness waiting and asynchronous I/O: poll, select, epoll, io_uring. */
import { dec } from '../format.js';
import type { Call } from '../call.js';
import type { FamilyTable, Said, Scope } from './types.js';
import { fdWords } from './words.js';
import { durationWords } from './time.js';

function timeoutWords(ms: bigint | undefined): string {
  if (ms === undefined) return '';
  if (ms < 0n) return ' with no timeout';
  if (ms === 0n) return ' without waiting';
  return ` for up to ${ms} ms`;
}

function poll(c: Call): Said {
  const v = c.arg(0);
  const n = v?.t === 'array' ? v.items.length : Number(c.int(1) ?? 0n);
  const wait = c.name === 'poll' ? timeoutWords(c.int(2)) : c.arg(2)?.t === 'null' ? ' with no timeout' : '';
  const ready = c.ret === 0n ? ' → timed out, nothing ready' : c.ret !== undefined ? ` → ${dec(c.ret)} ready` : '';
  return { text: `waits${wait} until one of ${n} descriptor${n === 1 ? '' : 's'} is ready${ready}`, coversResult: c.ok };
}

function epollWait(c: Call, s: Scope): Said {
  const { fd, decoration } = c.fd(0);
  const ready = c.ret === 0n ? ' → timed out, nothing ready' : c.ret !== undefined ? ` → ${dec(c.ret)} ready` : '';
  return { text: `waits${timeoutWords(c.int(3))} for events on the epoll set ${fdWords(fd, s.proc, decoration)}${ready}`, coversResult: c.ok };
}

/**
 * select/pselect6: with no descriptors (nfds 0 or every set NULL) it is a sleep, an old idiom for
 * sleeping with microsecond precision; otherwise a readiness wait, bounded by the timeout if any.
 */
function select(c: Call): Said {
  const n = c.int(0);
  const noSets = [1, 2, 3].every((i) => c.arg(i)?.t === 'null');
  const timeout = c.arg(4);
  const hasTimeout = timeout !== undefined && timeout.t !== 'null';
  const mask = c.name === 'pselect6' ? ' (with a temporary signal mask)' : '';
  if ((n === 0n || noSets) && hasTimeout) {
    return { text: `sleeps for ${durationWords(c, 4)}${mask}: a ${c.name} with no descriptors to watch is a sleep${c.errno === undefined && c.ret !== undefined && c.ret !== 0n ? ` → ${dec(c.ret)}` : ''}`, coversResult: c.ok };
  }
  if (noSets) return { text: `blocks until a signal arrives: a ${c.name} with no descriptors and no timeout is a pause`, coversResult: c.ok };
  const wait = hasTimeout ? ` for up to ${durationWords(c, 4)}` : '';
  return { text: `waits${mask}${wait} until one of the descriptors below ${c.text(0) ?? '?'} in its sets is ready${c.ret === 0n ? ' → timed out' : c.ret !== undefined ? ` → ${dec(c.ret)} ready` : ''}`, coversResult: c.ok };
}

export const IO: FamilyTable = {
  poll,
  ppoll: poll,
  select,
  pselect6: select,
  epoll_create1: (c, s) => {
    if (c.ret !== undefined) s.proc.openFd(Number(c.ret), { what: 'epoll set', kind: 'epoll', line: c.line, cloexec: c.cloexec });
    return { text: `creates an epoll set (a kernel list of descriptors to watch)${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}`, coversResult: c.ok };
  },
  epoll_create: (c) => ({ text: `creates an epoll set (old form)${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}`, coversResult: c.ok }),
  epoll_ctl: (c, s) => {
    const op = c.text(1) ?? '?';
    const verb = op.includes('ADD') ? 'adds' : op.includes('DEL') ? 'removes' : 'changes';
    const { fd, decoration } = c.fd(2);
    return { text: `${verb} ${fdWords(fd, s.proc, decoration)} ${verb === 'removes' ? 'from' : 'in'} the epoll set ${c.text(0) ?? '?'}${verb !== 'removes' && c.text(3) ? ` (${/events=([^,}]+)/.exec(c.text(3)!)?.[1] ?? c.text(3)})` : ''}` };
  },
  epoll_wait: epollWait,
  epoll_pwait: epollWait,
  epoll_pwait2: epollWait,
  io_uring_setup: (c) => ({ text: `creates an io_uring instance with ${c.text(0) ?? '?'} submission entries${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}`, coversResult: c.ok }),
  io_uring_enter: (c) => ({ text: `submits ${c.text(1) ?? '?'} queued I/O request(s) to io_uring fd ${c.text(0) ?? '?'} and waits for ${c.text(2) ?? '0'} completion(s)` }),
  io_uring_register: (c) => ({ text: `registers resources (${c.text(1) ?? '?'}) with io_uring fd ${c.text(0) ?? '?'}` }),
};
