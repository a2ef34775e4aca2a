/**
 * sigterm-fanout: the lab sends SIGTERM to a parent with three workers; the parent forwards it with
 * kill() and waits for each. Computed: how SIGTERM arrived (who sent it, what it interrupted), the
 * forwarding calls, each worker's delivery and exit, the reaps, and the shutdown time.
 */
import type { SignalEvent, SyscallEvent } from '../../parse/types.js';
import { LabTrace, argText, humanDuration, returned, secondsBetween, structInt } from '../evidence.js';
import type { LabPoint, ProgramRun } from '../types.js';

function interruptedBy(t: LabTrace, signal: SignalEvent): SyscallEvent | undefined {
  const own = t.calls(undefined, signal.prefix.pid).filter((e) => e.line < signal.line);
  const last = own[own.length - 1];
  return last?.ret?.errno ? last : undefined;
}

export function analyseSigtermFanout(runs: ProgramRun[]): LabPoint[] {
  const run = runs[0];
  const t = new LabTrace(run);
  const parent = t.rootTid();
  if (parent === undefined) return [];
  const workers = t
    .calls(['clone', 'clone3', 'fork', 'vfork'], parent)
    .filter((e) => (returned(e) ?? 0n) > 0n)
    .map((e) => Number(returned(e)));
  const sent = run.trace.interactions.find((i) => i.action === 'sigterm');
  const arrival = t.signals('SIGTERM', parent)[0];
  const sender = arrival ? structInt(arrival.siginfo, 'si_pid') : undefined;
  const cut = arrival ? interruptedBy(t, arrival) : undefined;
  const handlerReturn = arrival ? t.first('rt_sigreturn', (e) => e.line > arrival.line, parent) : undefined;
  const blocking = t.first('rt_sigprocmask', (e) => argText(e, 0) === 'SIG_BLOCK' && argText(e, 1).includes('TERM'), parent);
  const suspend = t.first('rt_sigsuspend', () => true, parent);

  const arrivalPoint: LabPoint = {
    id: 'arrival',
    title: 'SIGTERM reaches the parent',
    sides: [
      {
        program: t.program,
        label: 'setup',
        says: blocking
          ? `SIGTERM is blocked first (rt_sigprocmask(SIG_BLOCK, ${argText(blocking, 1)})), and only rt_sigsuspend(${suspend ? argText(suspend, 0) : '?'}) unblocks it while the parent sleeps`
          : 'no SIGTERM blocking was traced',
        cites: [blocking, suspend].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
      {
        program: t.program,
        label: 'arrival',
        says: arrival
          ? `--- SIGTERM from si_pid=${sender ?? '?'}${sent ? ` (the lab, ${sent.atMs} ms after start)` : ''}${cut ? `; it cut ${cut.name} short with ${cut.ret?.errno}` : ''}${
              handlerReturn ? '; the handler ran and rt_sigreturn went back' : ''
            }`
          : 'no SIGTERM delivery to the parent was traced',
        values: { sender: sender === undefined ? undefined : Number(sender), labPid: process.pid, interrupted: cut?.name, errno: cut?.ret?.errno },
        cites: [cut, arrival, handlerReturn].filter((e) => e !== undefined).map((e) => t.cite(e!)).sort((a, b) => a.line - b.line),
      },
    ],
    why:
      'A handler should do almost nothing: set a flag. Blocking SIGTERM and waiting in sigsuspend closes the race where the signal lands between checking the flag and going to sleep.',
  };

  const kills = t.calls(['kill', 'tgkill', 'tkill'], parent).filter((e) => argText(e, e.name === 'kill' ? 1 : 2) === 'SIGTERM');
  const deliveries = workers.map((pid) => ({ pid, signal: t.signals('SIGTERM', pid)[0] }));
  const ownHandlers = workers.flatMap((pid) => t.calls('rt_sigaction', pid));
  const parentHandler = t.first('rt_sigaction', (e) => argText(e, 0) === 'SIGTERM', parent);
  const fanout: LabPoint = {
    id: 'fan-out',
    title: 'The parent forwards SIGTERM',
    sides: [
      {
        program: t.program,
        label: 'kill',
        says: `${kills.length} kill calls: ${kills.map((e) => `kill(${argText(e, 0)}, ${argText(e, 1)}) = ${e.ret?.value}`).join(', ')}`,
        values: { targets: kills.map((e) => argText(e, 0)), workers },
        cites: kills.map((e) => t.cite(e)),
      },
      {
        program: t.program,
        label: 'delivered',
        says: deliveries.map((d) => (d.signal ? `${d.pid} got SIGTERM from si_pid=${structInt(d.signal.siginfo, 'si_pid')}` : `${d.pid}: no delivery traced`)).join('; '),
        values: { deliveries: deliveries.map((d) => ({ pid: d.pid, from: d.signal ? Number(structInt(d.signal.siginfo, 'si_pid')) : undefined })) },
        cites: deliveries.flatMap((d) => (d.signal ? [t.cite(d.signal)] : [])),
      },
      {
        program: t.program,
        label: 'handlers',
        says: `the parent installed the handler once (rt_sigaction(SIGTERM, ...)); the workers made ${ownHandlers.length} rt_sigaction calls: they run the handler they inherited across fork`,
        values: { workerSigactions: ownHandlers.length },
        cites: [parentHandler, ...ownHandlers].filter((e) => e !== undefined).map((e) => t.cite(e!)),
      },
    ],
    why:
      'A signal sent to a process reaches that process only; its children are separate processes and hear nothing. fork copies the handlers and the mask, not the news. ' +
      'A parent that wants its family to stop must tell each member, or signal the whole process group with kill(-pgid, SIGTERM).',
  };

  const reaps = t.calls(['wait4', 'waitid'], parent).filter((e) => (returned(e) ?? 0n) > 0n);
  const ends = workers.map((pid) => ({ pid, call: t.first(['exit_group', 'exit'], () => true, pid) }));
  const parentExit = t.first(['exit_group'], () => true, parent);
  const lastReap = reaps[reaps.length - 1];
  const shutdown = secondsBetween(arrival, lastReap, true);
  const graceful: LabPoint = {
    id: 'graceful',
    title: 'Everyone finishes and is reaped',
    sides: [
      {
        program: t.program,
        label: 'workers',
        says: ends.map((x) => `${x.pid} ${x.call ? `${x.call.name}(${x.call.argsText})` : 'no exit call traced'}`).join('; '),
        values: { exits: ends.map((x) => ({ pid: x.pid, call: x.call?.name, code: x.call?.argsText })) },
        cites: ends.flatMap((x) => (x.call ? [t.cite(x.call)] : [])).sort((a, b) => a.line - b.line),
      },
      {
        program: t.program,
        label: 'parent',
        says: `${reaps.map((e) => `${e.name}(${argText(e, 0)}) = ${returned(e)} ${argText(e, 1)}`).join('; ')}; then ${parentExit ? `${parentExit.name}(${parentExit.argsText})` : 'no exit call'}${
          shutdown === undefined ? '' : `; SIGTERM to last reap: ${humanDuration(shutdown)}`
        }`,
        values: { reaped: reaps.map((e) => Number(returned(e))), shutdownSeconds: shutdown, exitCode: run.trace.exitCode },
        cites: [...reaps, ...(parentExit ? [parentExit] : [])].map((e) => t.cite(e)),
      },
    ],
    why:
      'Graceful shutdown means: stop taking work, tell the children, wait for every one of them, then exit with a status that says how it went. A parent that exits first leaves orphans and loses their exit codes.',
  };
  const interrupted = t.calls(['wait4', 'waitid', 'read', 'write', 'clock_nanosleep', 'nanosleep']).filter((e) => e.ret?.errno?.startsWith('ERESTART'));
  if (interrupted.length > 0) {
    graceful.sides.push({
      program: t.program,
      label: 'restarts',
      says: `${interrupted.length} blocking call${interrupted.length === 1 ? ' was' : 's were'} interrupted by a signal with no handler (${[...new Set(interrupted.map((e) => `${e.name} ${e.ret?.errno}`))].join(', ')}) and restarted by the kernel: the program never saw it`,
      cites: interrupted.slice(0, 3).map((e) => t.cite(e)),
    });
  }
  return [arrivalPoint, fanout, graceful];
}
