/**
 * echo-server: a signalfd + epoll TCP echo server on loopback, stopped by SIGTERM mid-stream. From
 * the server's own calls: what sits in the epoll set, when the signal is read, that accepting stops
 * at once, that every byte read from a client was written back to it (also after the signal), and the
 * order in which the descriptors closed.
 */
import { LabTrace, argInt, argText, returned } from '../evidence.js';
import type { SyscallEvent } from '../../parse/types.js';
import { toBigInt } from '../../parse/values.js';
import type { LabPoint, ProgramRun } from '../types.js';

const fdOf = (e: SyscallEvent) => argInt(e, 0);

export function analyseEchoServer(runs: ProgramRun[]): LabPoint[] {
  const run = runs[0];
  const t = new LabTrace(run);
  const server = t.rootTid();
  if (server === undefined) return [];
  const listen = t.first('socket', () => true, server);
  const listenFd = returned(listen);
  const bind = t.first('bind', (e) => fdOf(e) === listenFd, server);
  const sfdCall = t.first(['signalfd4', 'signalfd'], () => true, server);
  const sfd = returned(sfdCall);
  const epCall = t.first(['epoll_create1', 'epoll_create'], () => true, server);
  const adds = t.calls('epoll_ctl', server).filter((e) => argText(e, 1) === 'EPOLL_CTL_ADD');
  const accepts = t.calls(['accept4', 'accept'], server).filter((e) => returned(e) !== undefined);
  const clientFds = accepts.map((e) => returned(e)!);
  const signalRead = t.first('read', (e) => fdOf(e) === sfd && returned(e) !== undefined && returned(e)! > 0n, server);
  const allCalls = t.calls(undefined, server);
  const after = (e: SyscallEvent | undefined) => (e ? allCalls.indexOf(e) : Infinity);
  // Only closes once the socket exists: the loader reuses the same low fd numbers before main.
  const closes = t.calls('close', server).filter((e) => after(e) > after(listen));
  const listenClose = closes.find((e) => fdOf(e) === listenFd);
  const acceptsAfterSignal = accepts.filter((e) => after(e) > after(signalRead));

  const setup: LabPoint = {
    id: 'setup',
    title: 'One epoll set: the listening socket, the signalfd, then every client',
    sides: [
      {
        program: t.program,
        label: 'server',
        says: `listening socket fd ${listenFd ?? '?'} bound to ${bind ? argText(bind, 1) : '?'}; SIGTERM/SIGINT read from signalfd fd ${sfd ?? '?'}; epoll fd ${returned(epCall) ?? '?'} watches ${adds.map((e) => argText(e, 2)).join(', ')}`,
        values: { listenFd, signalFd: sfd, epollAdds: adds.map((e) => Number(argInt(e, 2))), clients: clientFds.map(Number) },
        cites: [listen, bind, sfdCall, epCall, ...adds].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
    ],
    why: 'Blocking the signals and reading them from a signalfd makes SIGTERM one more readable descriptor: no handler runs in the middle of a read or write, and the loop decides when to act on it.',
  };

  const stop: LabPoint = {
    id: 'stop',
    title: 'SIGTERM read as data; accepting stops at once',
    sides: [
      {
        program: t.program,
        label: 'signal',
        says: signalRead
          ? `the signalfd read returns ${returned(signalRead)} bytes (one signalfd_siginfo); ${listenClose ? `then close(${listenFd}) ends accepting` : 'the listening socket is not closed'}; ${acceptsAfterSignal.length} accept(s) after the signal`
          : 'no read from the signalfd in the trace',
        values: { signalRead: signalRead !== undefined, listenClosedAfterSignal: listenClose !== undefined && after(listenClose) > after(signalRead), acceptsAfterSignal: acceptsAfterSignal.length },
        cites: [signalRead, listenClose].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
    ],
    why: 'Graceful shutdown stops new work first (close the listening socket, or remove it from the set) and lets work in progress finish; the kernel refuses connections that arrive later.',
  };

  const perClient = clientFds.map((fd) => {
    const reads = t.calls('read', server).filter((e) => fdOf(e) === fd);
    const writes = t.calls('write', server).filter((e) => fdOf(e) === fd);
    const sum = (list: SyscallEvent[]) => list.reduce((acc, e) => acc + (returned(e) ?? 0n), 0n);
    const afterSignal = reads.filter((e) => after(e) > after(signalRead)).reduce((acc, e) => acc + (returned(e) ?? 0n), 0n);
    const closed = closes.find((e) => fdOf(e) === fd);
    return { fd, read: sum(reads), written: sum(writes), afterSignal, reads, writes, closed };
  });
  const bytes: LabPoint = {
    id: 'no-byte-lost',
    title: 'Every byte read from a client is written back, also after SIGTERM',
    sides: perClient.map((c) => ({
      program: t.program,
      label: `client fd ${c.fd}`,
      says: `read ${c.read} bytes, wrote back ${c.written}${c.read === c.written ? ' (all of it)' : ' (MISSING bytes)'}; ${c.afterSignal} of them read after the signal; then EOF and close`,
      values: { fd: Number(c.fd), read: c.read, written: c.written, afterSignal: c.afterSignal },
      cites: [c.reads[0], c.writes[c.writes.length - 1], c.closed].filter((e) => e !== undefined).map((e) => t.cite(e!)),
    })),
    why: 'Each client half-closes when it has sent everything; the server sees EOF (read returns 0) only after the last byte, so closing on EOF never cuts a client off.',
  };

  // Name each close by the call that made that descriptor last before it (fd numbers are reused).
  const made: Array<{ fd: bigint; name: string; at: number }> = [];
  const add = (fd: bigint | undefined, name: string, e: SyscallEvent | undefined) => {
    if (fd !== undefined && e) made.push({ fd, name, at: after(e) });
  };
  add(listenFd, 'listening socket', listen);
  const pipeCall = t.first(['pipe2', 'pipe'], () => true, server);
  const pipeFds = pipeCall?.args[0]?.t === 'array' ? pipeCall.args[0].items.map((v) => toBigInt(v)) : [];
  add(pipeFds[0], 'pipe (read end)', pipeCall);
  add(pipeFds[1], 'pipe to the clients', pipeCall);
  add(sfd, 'signalfd', sfdCall);
  add(returned(epCall), 'epoll', epCall);
  for (const e of accepts) add(returned(e), `client ${returned(e)}`, e);
  const nameOf = (e: SyscallEvent) => {
    const fd = fdOf(e);
    const at = after(e);
    return made.filter((m) => m.fd === fd && m.at < at).sort((a, b) => b.at - a.at)[0]?.name;
  };
  const ordered = closes.filter((e) => nameOf(e) !== undefined && nameOf(e) !== 'pipe (read end)');
  const order: LabPoint = {
    id: 'close-order',
    title: 'The order the descriptors closed',
    sides: [
      {
        program: t.program,
        label: 'close',
        says: ordered.map((e) => nameOf(e)).join(' -> '),
        values: { order: ordered.map((e) => nameOf(e)) },
        cites: ordered.map((e) => t.cite(e)),
      },
    ],
    why: 'Listening socket first (no new clients), then the pipe that lets the clients send the rest, clients as they finish, the signalfd and epoll last: the loop ends only when no client is left.',
  };
  return [setup, stop, bytes, order];
}
