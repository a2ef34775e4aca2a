/**
 * The socket constants strace prints most: address families, socket types and their creation
 * flags, option levels, IP protocols and control-message types (<bits/socket.h>, <linux/in.h>,
 * <asm/socket.h>). Only the common values: the kernel knows dozens more families.
 */
import { defineTable } from './table.js';

type Row = [string, bigint, string];
const enumRows = (rows: readonly Row[]) => rows.map(([name, value, meaning]) => ({ name, value, meaning }));

export const ADDRESS_FAMILIES = defineTable({
  id: 'af',
  title: 'socket address families',
  kind: 'enum',
  values: enumRows([
    ['AF_UNSPEC', 0n, 'no particular address family'],
    ['AF_UNIX', 1n, 'local sockets named by a file path or an abstract name (same machine only)'],
    ['AF_INET', 2n, 'IPv4 internet sockets'],
    ['AF_INET6', 10n, 'IPv6 internet sockets'],
    ['AF_NETLINK', 16n, 'netlink: messages between user space and the kernel (routing, udev, audit)'],
    ['AF_PACKET', 17n, 'raw link-layer packets (packet capture)'],
    ['AF_VSOCK', 40n, 'sockets between virtual machines and their host'],
  ]),
});

export const SOCKET_TYPES = defineTable({
  id: 'sock_type',
  title: 'socket types and creation flags',
  kind: 'bits',
  fields: { type: { mask: 0xfn } },
  values: [
    { name: 'SOCK_STREAM', value: 1n, field: 'type', meaning: 'reliable ordered byte stream (TCP, stream Unix sockets)' },
    { name: 'SOCK_DGRAM', value: 2n, field: 'type', meaning: 'separate datagrams that keep their boundaries (UDP, datagram Unix sockets)' },
    { name: 'SOCK_RAW', value: 3n, field: 'type', meaning: 'raw protocol access below the transport layer' },
    { name: 'SOCK_RDM', value: 4n, field: 'type', meaning: 'reliably delivered messages (rarely implemented)' },
    { name: 'SOCK_SEQPACKET', value: 5n, field: 'type', meaning: 'reliable ordered messages with boundaries' },
    { name: 'SOCK_PACKET', value: 10n, field: 'type', meaning: 'obsolete link-level packet interface' },
    { name: 'SOCK_NONBLOCK', value: 0o4000n, meaning: 'create the socket in non-blocking mode' },
    { name: 'SOCK_CLOEXEC', value: 0o2000000n, meaning: 'close the socket automatically on execve' },
  ],
});

export const SOCKET_LEVELS = defineTable({
  id: 'sol',
  title: 'socket option levels',
  kind: 'enum',
  values: enumRows([['SOL_SOCKET', 1n, 'generic socket options (SO_REUSEADDR, SO_RCVBUF...) rather than protocol ones']]),
});

export const IP_PROTOCOLS = defineTable({
  id: 'ipproto',
  title: 'IP protocols',
  kind: 'enum',
  values: enumRows([
    ['IPPROTO_IP', 0n, 'the default protocol for the socket type (also the IPv4 option level)'],
    ['IPPROTO_ICMP', 1n, 'ICMP (ping sockets)'],
    ['IPPROTO_TCP', 6n, 'TCP: connection-oriented streams'],
    ['IPPROTO_UDP', 17n, 'UDP: connectionless datagrams'],
    ['IPPROTO_IPV6', 41n, 'IPv6 (also the IPv6 option level)'],
    ['IPPROTO_RAW', 255n, 'raw IP packets built by the caller'],
  ]),
});

export const SCM_TYPES = defineTable({
  id: 'scm',
  title: 'control-message types at SOL_SOCKET',
  kind: 'enum',
  values: enumRows([
    ['SCM_RIGHTS', 1n, 'passes open descriptors to the receiving process over a Unix socket'],
    ['SCM_CREDENTIALS', 2n, 'passes the sender\'s PID, UID and GID over a Unix socket'],
  ]),
});
