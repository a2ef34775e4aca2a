/** Sockets: creating, naming, connecting, accepting, sending and receiving; descriptors passed with SCM_RIGHTS. */
import { ADDRESS_FAMILIES, SOCKET_TYPES } from '../../kb/flags/index.js';
import { valueText } from '../../parse/values.js';
import type { Value } from '../../parse/types.js';
import type { Call } from '../call.js';
import { dec, humanSize } from '../format.js';
import type { FamilyTable, Said, Scope } from './types.js';
import { fdWords } from './words.js';

/** `{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}` -> `1.2.3.4:80`. */
export function sockaddrWords(v: Value | undefined): string {
  if (!v) return 'an address';
  const text = valueText(v);
  const path = /sun_path=(@?"[^"]*")/.exec(text)?.[1];
  if (path) return `the Unix socket ${path}`;
  const port = /port=htons\((\d+)\)/.exec(text)?.[1];
  const ip4 = /inet_addr\("([^"]+)"\)/.exec(text)?.[1];
  const ip6 = /inet_pton\(AF_INET6, "([^"]+)"/.exec(text)?.[1];
  if (ip4 || ip6) return `${ip6 ? `[${ip6}]` : ip4}${port ? `:${port}` : ''}`;
  if (/AF_NETLINK/.test(text)) return 'the kernel (netlink)';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function sock(c: Call, s: Scope, i = 0): string {
  const { fd, decoration } = c.fd(i);
  return fdWords(fd, s.proc, decoration);
}

function socket(c: Call, s: Scope): Said {
  const family = c.flags(0, ADDRESS_FAMILIES, 'domain', false)[0] ?? c.text(0) ?? '?';
  const type = c.flags(1, SOCKET_TYPES, 'type');
  const kind = type.includes('SOCK_STREAM') ? (family === 'AF_UNIX' ? 'stream Unix' : 'TCP') : type.includes('SOCK_DGRAM') ? (family === 'AF_UNIX' ? 'datagram Unix' : 'UDP') : type[0] ?? '';
  const fam = family === 'AF_INET6' ? 'IPv6 ' : family === 'AF_INET' ? 'IPv4 ' : family === 'AF_NETLINK' ? 'netlink ' : '';
  if (c.ret !== undefined) s.proc.openFd(Number(c.ret), { what: c.retDecoration ?? `${fam}${kind} socket`, kind: 'socket', line: c.line, cloexec: type.includes('SOCK_CLOEXEC') });
  return { text: `creates a ${fam}${kind} socket${c.ret !== undefined ? ` → fd ${dec(c.ret)}` : ''}`, coversResult: c.ok };
}

function connect(c: Call, s: Scope): Said {
  const to = sockaddrWords(c.arg(1));
  const said: Said = { text: `connects ${sock(c, s)} to ${to}` };
  if (c.errno === 'EINPROGRESS') said.benign = 'a non-blocking connect has started; the program learns the result later through poll/epoll';
  if ((c.errno === 'ENOENT' || c.errno === 'ECONNREFUSED') && /nscd/.test(to)) said.benign = 'glibc asks the name-service cache daemon first and falls back to reading files when it is not running';
  return said;
}

function accept(c: Call, s: Scope): Said {
  if (c.ret !== undefined) s.proc.openFd(Number(c.ret), { what: c.retDecoration ?? 'accepted connection', kind: 'socket', line: c.line, cloexec: c.cloexec });
  const said: Said = { text: `takes the next connection waiting on ${sock(c, s)}${c.ret !== undefined ? ` → new socket fd ${dec(c.ret)}${c.arg(1) && c.arg(1)!.t !== 'null' ? ` from ${sockaddrWords(c.arg(1))}` : ''}` : ''}`, coversResult: c.ok };
  if (c.errno === 'EAGAIN') said.benign = 'non-blocking listener with no connection waiting: the program waits with poll/epoll and retries';
  return said;
}

function sendmsg(c: Call, s: Scope): Said {
  const text = c.text(1) ?? '';
  const rights = /SCM_RIGHTS/.test(text) ? '; it passes open descriptors to the receiver (SCM_RIGHTS): the receiver gets its own copies' : '';
  const verb = c.name === 'sendmsg' || c.name === 'sendmmsg' ? 'sends' : 'receives';
  return { text: `${verb} ${c.ret === undefined ? 'a message' : humanSize(c.ret)} ${verb === 'sends' ? 'on' : 'from'} ${sock(c, s)}${rights}`, coversResult: c.ok };
}

export const NETWORK: FamilyTable = {
  socket,
  socketpair: (c) => ({ text: `creates a pair of connected sockets (${c.text(0) ?? '?'}): ${c.text(3) ?? '?'}; what one end sends the other receives` }),
  connect,
  bind: (c, s) => ({ text: `names ${sock(c, s)} ${sockaddrWords(c.arg(1))}` }),
  listen: (c, s) => ({ text: `makes ${sock(c, s)} accept connections (queue of up to ${c.text(1) ?? '?'} waiting)` }),
  accept,
  accept4: accept,
  sendto: (c, s) => ({ text: `sends ${c.ret === undefined ? humanSize(c.int(2) ?? 0n) : humanSize(c.ret)} on ${sock(c, s)}${c.arg(4) && c.arg(4)!.t !== 'null' ? ` to ${sockaddrWords(c.arg(4))}` : ''}`, coversResult: c.ok }),
  recvfrom: (c, s) => {
    const said: Said = { text: `receives ${c.ret === undefined ? 'data' : humanSize(c.ret)} from ${sock(c, s)}${c.arg(4) && c.arg(4)!.t !== 'null' ? ` (sender ${sockaddrWords(c.arg(4))})` : ''}`, coversResult: c.ok };
    if (c.errno === 'EAGAIN') said.benign = 'non-blocking socket with nothing to receive yet';
    return said;
  },
  sendmsg,
  recvmsg: sendmsg,
  sendmmsg: sendmsg,
  recvmmsg: sendmsg,
  shutdown: (c, s) => ({ text: `shuts down ${c.text(1) === 'SHUT_RD' ? 'receiving' : c.text(1) === 'SHUT_WR' ? 'sending (the peer reads end of file)' : 'both directions'} on ${sock(c, s)}` }),
  setsockopt: (c, s) => ({ text: `sets ${c.text(2) ?? '?'} = ${c.text(3) ?? '?'} on ${sock(c, s)}` }),
  getsockopt: (c, s) => ({ text: `reads ${c.text(2) ?? '?'} of ${sock(c, s)}${c.ok && c.text(3) ? `: ${c.text(3)}` : ''}` }),
  getsockname: (c, s) => ({ text: `asks which local address ${sock(c, s)} is bound to${c.ok ? `: ${sockaddrWords(c.arg(1))}` : ''}` }),
  getpeername: (c, s) => ({ text: `asks which address ${sock(c, s)} is connected to${c.ok ? `: ${sockaddrWords(c.arg(1))}` : ''}` }),
};
