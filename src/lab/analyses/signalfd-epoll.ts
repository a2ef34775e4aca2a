/**
 * signalfd-epoll: a server that blocks SIGTERM/SIGINT, reads them from a signalfd inside an epoll
 * loop next to a timerfd, and shuts down when the lab sends SIGTERM. Computed: the set-up calls, the
 * loop's wake-ups by descriptor, the siginfo read from the signalfd (decoded from its bytes: strace
 * shows the struct as raw data), the absence of any asynchronous delivery, and the clean shutdown.
 */
import { SI_CODE, decodeFlags, signalName } from '../../kb/index.js';
import type { SyscallEvent } from '../../parse/types.js';
import { LabTrace, argInt, argText, humanDuration, returned, secondsBetween } from '../evidence.js';
import type { LabPoint, ProgramRun } from '../types.js';

/** The fields at the start of struct signalfd_siginfo (<sys/signalfd.h>): all 32-bit, little-endian. */
const SIGNALFD_FIELDS = [
  ['ssi_signo', 0, 'u32'],
  ['ssi_errno', 4, 's32'],
  ['ssi_code', 8, 's32'],
  ['ssi_pid', 12, 'u32'],
  ['ssi_uid', 16, 'u32'],
] as const;

/** Decodes the struct from a read's buffer as strace printed it (the first `-s` bytes). */
function signalfdInfo(read: SyscallEvent): Record<string, number> | undefined {
  const buffer = read.args[1];
  if (buffer?.t !== 'str') return undefined;
  const bytes = Buffer.from(buffer.bytes, 'latin1');
  const out: Record<string, number> = {};
  for (const [name, offset, type] of SIGNALFD_FIELDS) {
    if (bytes.length < offset + 4) break;
    out[name] = type === 'u32' ? bytes.readUInt32LE(offset) : bytes.readInt32LE(offset);
  }
  return out;
}

export function analyseSignalfdEpoll(runs: ProgramRun[]): LabPoint[] {
  const run = runs[0];
  const t = new LabTrace(run);
  const server = t.rootTid();
  if (server === undefined) return [];
  const block = t.first('rt_sigprocmask', (e) => argText(e, 0) === 'SIG_BLOCK', server);
  const sfdCall = t.first(['signalfd4', 'signalfd'], (e) => (returned(e) ?? -1n) >= 0n, server);
  const sfd = returned(sfdCall);
  const tfdCall = t.first('timerfd_create', (e) => (returned(e) ?? -1n) >= 0n, server);
  const tfd = returned(tfdCall);
  const epCall = t.first(['epoll_create1', 'epoll_create'], (e) => (returned(e) ?? -1n) >= 0n, server);
  const adds = t.calls('epoll_ctl', server).filter((e) => argText(e, 1) === 'EPOLL_CTL_ADD');

  const setup: LabPoint = {
    id: 'setup',
    title: 'Signals become a file descriptor',
    sides: [
      {
        program: t.program,
        label: 'set-up',
        says: [
          block ? `rt_sigprocmask(SIG_BLOCK, ${argText(block, 1)}): these signals are never delivered asynchronously` : 'no signal blocking traced',
          sfdCall ? `${sfdCall.name}(${argText(sfdCall, 0)}, ${argText(sfdCall, 1)}) = ${sfd}: the same set, readable from fd ${sfd}` : 'no signalfd traced',
          tfdCall ? `timerfd_create = ${tfd} for the periodic work` : '',
          epCall ? `${epCall.name} = ${returned(epCall)}, then ${adds.length} EPOLL_CTL_ADD (fds ${adds.map((e) => argText(e, 2)).join(', ')})` : 'no epoll traced',
        ]
          .filter(Boolean)
          .join('; '),
        values: { signalfd: sfd === undefined ? undefined : Number(sfd), timerfd: tfd === undefined ? undefined : Number(tfd), blocked: block ? argText(block, 1) : undefined },
        cites: [block, sfdCall, tfdCall, epCall, ...adds].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
    ],
    why:
      'A signalfd only sees signals that are blocked: otherwise the kernel would deliver them the usual way first. Blocking them turns "something may interrupt me at any instruction" into "a descriptor became readable", handled in the loop like any other event.',
  };

  const waits = t.calls('epoll_wait', server).filter((e) => (returned(e) ?? 0n) > 0n);
  // Every descriptor an epoll_wait reported ready (the data.u64 we registered is the fd).
  const readyFds = (e: SyscallEvent): bigint[] => [...argText(e, 1).matchAll(/u64=(\d+)/g)].map((m) => BigInt(m[1]));
  const timerWakes = waits.filter((e) => readyFds(e).includes(tfd ?? -1n));
  const signalWake = waits.find((e) => readyFds(e).includes(sfd ?? -1n));
  const timerReads = t.calls('read', server).filter((e) => tfd !== undefined && argInt(e, 0) === tfd && (returned(e) ?? 0n) > 0n);
  const loop: LabPoint = {
    id: 'loop',
    title: 'One loop, one thread, no handler',
    sides: [
      {
        program: t.program,
        label: 'epoll_wait',
        says: `${waits.length} wake-ups: the timerfd (fd ${tfd}) was ready in ${timerWakes.length} and read ${timerReads.length} times, the signalfd (fd ${sfd}) in ${
          signalWake ? 1 : 0
        }`,
        values: { wakeups: waits.length, timer: timerWakes.length, timerReads: timerReads.length, signal: signalWake ? 1 : 0 },
        cites: [timerWakes[0], signalWake].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
    ],
    why: 'Timers, sockets and signals all arrive through epoll_wait, so the code never runs anything from inside a signal handler and needs no locks or async-signal-safe tricks.',
  };

  const sigRead = signalWake ? t.first('read', (e) => argInt(e, 0) === sfd && e.line > signalWake.line, server) : undefined;
  const info = sigRead ? signalfdInfo(sigRead) : undefined;
  const sent = run.trace.interactions.find((i) => i.action === 'sigterm');
  const deliveries = t.signals(undefined, server).filter((s) => s.signal === 'SIGTERM' || s.signal === 'SIGINT');
  const interrupted = t.calls(undefined, server).filter((e) => e.ret?.errno === 'EINTR' || e.ret?.errno?.startsWith('ERESTART'));
  const code = info?.ssi_code === undefined ? undefined : decodeFlags(SI_CODE, BigInt(info.ssi_code)).known[0]?.name;
  const delivery: LabPoint = {
    id: 'read-not-delivered',
    title: 'SIGTERM is read, not delivered',
    sides: [
      {
        program: t.program,
        label: 'read',
        says: sigRead
          ? `read(${sfd}, ..., ${argText(sigRead, 2)}) = ${sigRead.ret?.value}: ssi_signo=${info?.ssi_signo === undefined ? '?' : `${info.ssi_signo} (${signalName(info.ssi_signo)})`}, ssi_code=${
              code ?? info?.ssi_code ?? '?'
            }, ssi_pid=${info?.ssi_pid ?? '?'}${sent ? ` (the lab: pid ${process.pid}, sent ${sent.atMs} ms after start)` : ''}`
          : 'no read of the signalfd traced',
        values: { siginfo: info, siCode: code, labPid: process.pid },
        cites: [signalWake, sigRead].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
      {
        program: t.program,
        label: 'delivery',
        says: `asynchronous deliveries (--- SIGTERM/SIGINT --- lines): ${deliveries.length}; calls cut short by a signal (EINTR, ERESTART*): ${interrupted.length}`,
        values: { deliveries: deliveries.length, interruptedCalls: interrupted.length },
        cites: [...deliveries, ...interrupted].map((e) => t.cite(e)).sort((a, b) => a.line - b.line),
      },
    ],
    why: 'strace prints a --- SIG --- line when the kernel delivers a signal to a task. A blocked signal is never delivered: it waits in the pending set until the signalfd read consumes it, siginfo and all.',
  };

  const after = sigRead?.line ?? epCall?.line ?? 0;
  const closes = t.calls('close', server).filter((e) => e.line > after && [sfd, tfd, returned(epCall)].some((fd) => fd !== undefined && argInt(e, 0) === fd));
  const exitCall = t.first('exit_group', () => true, server);
  const span = secondsBetween(sigRead, exitCall);
  const shutdown: LabPoint = {
    id: 'shutdown',
    title: 'Clean shutdown',
    sides: [
      {
        program: t.program,
        label: 'shutdown',
        says: `${closes.map((e) => `close(${argText(e, 0)})`).join(', ') || 'no close'}, then ${exitCall ? `${exitCall.name}(${exitCall.argsText})` : 'no exit call'}${
          span === undefined ? '' : `, ${humanDuration(span)} after reading the signal`
        }; exit code ${run.trace.exitCode}`,
        values: { closed: closes.map((e) => argText(e, 0)), exitCode: run.trace.exitCode, seconds: span },
        cites: [...closes, ...(exitCall ? [exitCall] : [])].map((e) => t.cite(e)),
      },
    ],
    why: 'Because the signal arrived as an event, shutdown is ordinary code on the main path: finish the current work, close what is open, exit 0.',
  };
  return [setup, loop, delivery, shutdown];
}
