/**
 * graceful-shutdown: a parent with three workers (one ignores SIGTERM) under `tasklens run
 * --stop-timeout`, once forwarding SIGTERM to its workers and once leaving without a word. Computed
 * from each trace (tasklens itself is traced too): the subreaper call, the SIGTERM tasklens got and
 * forwarded, what the parent did with it, who ignored it, the escalation to SIGKILL after the timeout,
 * who reaped whom, and the exit status tasklens ended with.
 */
import type { SyscallEvent, TraceEvent } from '../../parse/types.js';
import { LabTrace, argText, exitLine, humanDuration, returned, secondsBetween, structInt } from '../evidence.js';
import type { Citation, LabPoint, LabSide, ProgramRun } from '../types.js';

interface Cast {
  t: LabTrace;
  run: ProgramRun;
  launcher: number;
  parent?: number;
  workers: number[];
  stubborn?: number;
}

function castOf(run: ProgramRun): Cast | undefined {
  const t = new LabTrace(run);
  const launcher = t.rootTid();
  if (launcher === undefined) return undefined;
  const exec = t.first('execve', (e) => argText(e, 0).includes(`./${run.program.name}`) && returned(e) === 0n);
  const parent = exec?.prefix.pid;
  const workers = parent === undefined ? [] : t.calls(['clone', 'clone3', 'fork', 'vfork'], parent).filter((e) => (returned(e) ?? 0n) > 0n).map((e) => Number(returned(e)));
  const stubborn = workers.find((w) => t.first('rt_sigaction', (e) => argText(e, 0) === 'SIGTERM' && argText(e, 1).includes('SIG_IGN'), w));
  return { t, run, launcher, parent, workers, stubborn };
}

const cites = (t: LabTrace, events: Array<TraceEvent | undefined>): Citation[] =>
  events.filter((e): e is TraceEvent => e !== undefined).map((e) => t.cite(e)).sort((a, b) => a.line - b.line);

/** kill(pid, SIG) calls by `tid`, with their target. */
function killsBy(t: LabTrace, tid: number | undefined, signal: string): Array<{ call: SyscallEvent; target: number }> {
  if (tid === undefined) return [];
  return t.calls('kill', tid).filter((e) => argText(e, 1) === signal).map((call) => ({ call, target: Number(argText(call, 0)) }));
}

function ending(t: LabTrace, run: ProgramRun, pid: number): { text: string; event?: TraceEvent; killedBy?: string } {
  const end = exitLine(run, pid);
  if (end?.kind === 'exit') return { text: `exited ${end.code}`, event: end };
  if (end?.kind === 'killed') return { text: `was killed by ${end.signal}`, event: end, killedBy: end.signal };
  return { text: 'no end traced' };
}

function launcherSide(c: Cast): LabSide {
  const { t, launcher, parent } = c;
  const subreaper = t.first('prctl', (e) => argText(e, 0) === 'PR_SET_CHILD_SUBREAPER', launcher);
  const exec = parent === undefined ? undefined : t.first('execve', (e) => returned(e) === 0n, parent);
  return {
    program: t.program,
    says: `tasklens (pid ${launcher}) ${subreaper ? `made itself a subreaper: prctl(PR_SET_CHILD_SUBREAPER, ${argText(subreaper, 1)}) = ${subreaper.ret?.raw}` : 'made no prctl(PR_SET_CHILD_SUBREAPER) call'}; its child ${parent ?? '?'} ${exec ? `exec'd ${argText(exec, 0)}` : 'was not seen exec\'ing the program'}`,
    values: { launcher, subreaper: subreaper !== undefined && returned(subreaper) === 0n, parent },
    cites: cites(t, [subreaper, exec]),
  };
}

function forwardingSide(c: Cast): LabSide {
  const { t, launcher, parent } = c;
  // A process-directed signal is delivered to any thread that does not block it: one of Node's.
  const tgidOf = (tid: number) => {
    const task = t.task(tid);
    return task ? t.run.graph.processOf(task).tgid : tid;
  };
  const arrival = t.signals('SIGTERM').find((e) => e.prefix.pid !== undefined && tgidOf(e.prefix.pid) === launcher);
  const forward = killsBy(t, launcher, 'SIGTERM').find((k) => k.target === parent);
  const atParent = parent === undefined ? undefined : t.signals('SIGTERM', parent)[0];
  const from = arrival ? structInt(arrival.siginfo, 'si_pid') : undefined;
  const to = atParent ? structInt(atParent.siginfo, 'si_pid') : undefined;
  return {
    program: t.program,
    says: `${arrival ? `tasklens got SIGTERM from si_pid=${from}` : 'no SIGTERM reached tasklens'}; ${forward ? `it forwarded it: kill(${forward.target}, SIGTERM)` : 'it did not forward it'}; ${
      atParent ? `the parent got it from si_pid=${to}${to === BigInt(launcher) ? ' (tasklens)' : ''}` : 'no delivery to the parent traced'
    }`,
    values: { from: from === undefined ? undefined : Number(from), forwardedTo: forward?.target, parentGotFrom: to === undefined ? undefined : Number(to) },
    cites: cites(t, [arrival, forward?.call, atParent]),
  };
}

function parentSide(c: Cast): LabSide {
  const { t, run, parent, workers, stubborn } = c;
  const kills = killsBy(t, parent, 'SIGTERM');
  const deliveries = workers.map((w) => ({ pid: w, signal: t.signals('SIGTERM', w)[0] }));
  const got = deliveries.filter((d) => d.signal).map((d) => d.pid);
  const parentEnd = parent === undefined ? { text: '?' } : ending(t, run, parent);
  const says =
    kills.length > 0
      ? `the parent forwarded SIGTERM to ${kills.length} worker(s) (${kills.map((k) => `kill(${k.target}, SIGTERM)`).join(', ')}); delivered to ${got.join(', ') || 'none'}; then it waited for them and ${parentEnd.text}`
      : `the parent forwarded nothing: it ${parentEnd.text} right after SIGTERM, and its ${workers.length} workers (${workers.join(', ')}) got no SIGTERM at all: orphans, re-parented to the subreaper`;
  return {
    program: t.program,
    says: stubborn !== undefined && got.includes(stubborn) ? `${says}; worker ${stubborn} ignores SIGTERM, so its delivery changed nothing` : says,
    values: { forwardedTo: kills.map((k) => k.target), gotSigterm: got, workers, stubborn, parentEnd: parentEnd.text },
    cites: cites(t, [...kills.map((k) => k.call), ...deliveries.map((d) => d.signal), parentEnd.event]),
  };
}

function stubbornSide(c: Cast): LabSide {
  const { t, stubborn } = c;
  const ignore = stubborn === undefined ? undefined : t.first('rt_sigaction', (e) => argText(e, 0) === 'SIGTERM' && argText(e, 1).includes('SIG_IGN'), stubborn);
  const got = stubborn === undefined ? undefined : t.signals('SIGTERM', stubborn)[0];
  return {
    program: t.program,
    says: `worker ${stubborn ?? '?'} ${ignore ? `set SIGTERM to SIG_IGN (rt_sigaction(SIGTERM, ${argText(ignore, 1)}))` : 'ignores nothing traced'}; ${
      got ? `a SIGTERM was delivered to it and it went on waiting in pause (a traced process sees even ignored signals; untraced, the kernel drops them at once)` : 'no SIGTERM ever reached it'
    }`,
    values: { stubborn, ignores: ignore !== undefined, gotSigterm: got !== undefined },
    cites: cites(t, [ignore, got]),
  };
}

function escalationSide(c: Cast, timeoutMs: number | undefined): LabSide {
  const { t, run, launcher } = c;
  const forward = killsBy(t, launcher, 'SIGTERM')[0];
  const kills = killsBy(t, launcher, 'SIGKILL');
  const after = secondsBetween(forward?.call, kills[0]?.call);
  const ends = kills.map((k) => ({ pid: k.target, ...ending(t, run, k.target) }));
  return {
    program: t.program,
    says: kills.length
      ? `${after === undefined ? '' : `${humanDuration(after)} after forwarding (stop timeout ${timeoutMs ?? '?'} ms), `}tasklens sent SIGKILL to ${kills.map((k) => k.target).join(', ')}: ${ends.map((e) => `${e.pid} ${e.text}`).join(', ')}`
      : 'tasklens killed nobody: the tree stopped within the timeout',
    values: { killed: kills.map((k) => k.target), afterSeconds: after, killedBySigkill: ends.filter((e) => e.killedBy === 'SIGKILL').map((e) => e.pid) },
    cites: cites(t, [...kills.map((k) => k.call), ...ends.map((e) => e.event)]),
  };
}

function reapingSide(c: Cast): LabSide {
  const { t, launcher, parent } = c;
  const reaps = t.calls(['wait4', 'waitid'], launcher).filter((e) => (returned(e) ?? 0n) > 0n && e.name === 'wait4');
  const exit = t.first('exit_group', () => true, launcher);
  const reaped = reaps.map((e) => Number(returned(e)));
  const orphans = reaped.filter((p) => p !== parent);
  return {
    program: t.program,
    says: `tasklens reaped ${reaped.length} process(es) itself with wait4: ${reaps.map((e) => `${returned(e)} ${argText(e, 1)}`).join('; ')}${orphans.length ? ` (${orphans.length} orphan(s) that were never its children at birth)` : ''}; it ended with ${
      exit ? `exit_group(${exit.argsText})` : 'no exit traced'
    }`,
    values: { reaped, orphans, exitCode: exit ? Number(exit.argsText) : undefined },
    cites: cites(t, [...reaps, exit]),
  };
}

export function analyseGracefulShutdown(runs: ProgramRun[]): LabPoint[] {
  const casts = runs.map(castOf).filter((c): c is Cast => c !== undefined);
  if (!casts.length) return [];
  const timeoutOf = (c: Cast): number | undefined => {
    const i = c.run.program.underRun?.indexOf('--stop-timeout') ?? -1;
    const text = i >= 0 ? c.run.program.underRun![i + 1] : undefined;
    return text?.endsWith('ms') ? Number(text.slice(0, -2)) : undefined;
  };
  return [
    {
      id: 'launcher',
      title: 'tasklens starts the parent as a subreaper',
      sides: casts.map(launcherSide),
      why: 'A subreaper inherits every orphan of its tree instead of init: it can wait for them, signal them and reap them, so nothing escapes the stop.',
    },
    {
      id: 'forwarded',
      title: 'SIGTERM reaches tasklens and is forwarded to the parent',
      sides: casts.map(forwardingSide),
      why: 'A service manager signals the process it started. A launcher that does not pass the signal on leaves the program running until it is killed.',
    },
    {
      id: 'fan-out',
      title: 'With and without forwarding inside the tree',
      sides: casts.map(parentSide),
      why:
        'A signal reaches one process. A parent that exits on SIGTERM without telling its workers orphans them: under a plain init they run on unnoticed, ' +
        'and the parent\'s exit 0 says nothing about them.',
    },
    {
      id: 'ignored',
      title: 'A worker that ignores SIGTERM',
      sides: casts.filter((c) => c.stubborn !== undefined).map(stubbornSide),
      why: 'SIG_IGN is inherited across fork and exec; a process that ignores SIGTERM can only be stopped by SIGKILL, which no process can catch, block or ignore.',
    },
    {
      id: 'escalation',
      title: 'The stop timeout: SIGKILL for whatever is left',
      sides: casts.map((c) => escalationSide(c, timeoutOf(c))),
      why: 'Escalation bounds the stop: after the grace period every remaining descendant is killed, and the launcher can name each one, which a bare exit status cannot.',
    },
    {
      id: 'reaped',
      title: 'Every process reaped; the exit status tasklens returns',
      sides: casts.map(reapingSide),
      why: 'Without forwarding the parent exits 0 although its workers had to be killed: only a launcher that waits for the whole tree sees it. With forwarding the parent itself was killed waiting for the stubborn worker: 128+9 = 137.',
    },
  ];
}
