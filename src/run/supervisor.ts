/**
 * `tasklens run`'s engine: start one program with its limits in force from its first instruction,
 * become the subreaper of its whole tree, forward signals, stop the tree with escalation, and report
 * what happened.
 *
 * Limits: they must be in force before the program's exec, and Node cannot run code in a child
 * between fork and exec. Setting them on the child with prlimit64 after spawn() returns is a race
 * (the program may already run, and may have forked or read its limits); lowering tasklens's own
 * limits around spawn() would hit Node's own threads and, for hard limits, could not be undone. So
 * the child runs a constant setup script first (exec-setup.ts): prlimit(1) sets them on it, then it
 * execs the program: same pid, limits inherited through exec, argv passed as an array.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { TasklensError } from '../errors.js';
import { signalInfo } from '../kb/signals.js';
import { parseLimits } from '../procfs/limits.js';
import { resolveCommand } from './command.js';
import { descendantsOf, dispositionOf, type Descendant, type Disposition } from './descendants.js';
import { compareLimit, limitArgument, resourceByLabel, type LimitSpec, type LimitValue } from './limit-spec.js';
import { SETUP_FAILED_EXIT, SETUP_FD, setupArgv } from './exec-setup.js';
import { signalsOfMask, type SignalState } from './signal-state.js';
import { Reaper, exitCodeOf, type ExitOutcome, type ReapedProcess } from './reaper.js';

/** Signals forwarded to the child by default (as tini, dumb-init and catatonit do). */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];
/** Job-control stops: passed on to the program (SIGSTOP with --group), then tasklens stops itself. */
export const JOB_STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTSTP', 'SIGTTIN', 'SIGTTOU'];
/** The signals that start a stop (and its escalation when a stop timeout is set). */
const STOP_SIGNALS = new Set<NodeJS.Signals>(['SIGTERM', 'SIGINT']);

export interface RunOptions {
  command: string;
  args?: string[];
  limits?: LimitSpec[];
  /** Start the child in a new session and process group (setsid) and signal the whole group. */
  group?: boolean;
  /** After SIGTERM/SIGINT, SIGKILL whatever of the tree remains after this many ms. */
  stopTimeoutMs?: number;
  /** Return only when every descendant has ended, not when the main child has. */
  waitAll?: boolean;
  /**
   * Give the program these ignored and blocked signals (what tasklens inherited, see
   * `takeInheritedSignals`). Default: every signal at its default action and none blocked.
   */
  keepSignals?: SignalState;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdio of the child; default 'inherit'. */
  stdio?: 'inherit' | 'ignore' | 'pipe';
  /** How often the tree is scanned through /proc (ms); default 100. */
  scanMs?: number;
  /** Called with the child once spawned (tests, library users that pipe its output). */
  onSpawn?: (child: ChildProcess) => void;
}

export interface LimitInForce {
  resource: string;
  name: string;
  soft: LimitValue;
  hard: LimitValue;
  /** True when this limit was asked for with --limit. */
  requested: boolean;
}

export interface ForwardedSignal {
  signal: string;
  /** pid, or -pgid for a group. */
  target: number;
  atMs: number;
  /** Why it did not arrive: ESRCH and the like. */
  error?: string;
}

export interface KilledProcess {
  pid: number;
  ppid: number;
  comm: string;
  /** Whether the stop signal was sent to it (the main child, or a member of its group with --group). */
  gotStopSignal: boolean;
  /** Its disposition of the stop signal when it had to be killed. */
  stopSignalDisposition: Disposition;
  stopSignalBlocked: boolean;
}

export interface RunReport {
  command: string[];
  /** Resolved path of the program, when it was found. */
  path?: string;
  pid?: number;
  /** The program could not be started: the reason (exit code 126/127). */
  startError?: string;
  /** The program was found but could not be set up (a limit the kernel refused): the reason (exit code 125). */
  setupError?: string;
  /** The ignored and blocked signals the program was given with keepSignals (signal numbers). */
  keptSignals?: { ignored: number[]; blocked: number[] };
  outcome?: ExitOutcome;
  /** What tasklens exits with: the child's code, 128+N for signal N, 126/127 when it could not start, 125 when it could not be set up. */
  exitCode: number;
  subreaper: boolean;
  /** Limits read from /proc/PID/limits of the program after its exec (absent if it ended first). */
  limits?: LimitInForce[];
  /** The limits asked for, as handed to prlimit (soft, hard). */
  requestedLimits: Array<{ name: string; soft: LimitValue; hard: LimitValue }>;
  /** Distinct descendants seen in the /proc scans (short-lived ones between scans are missed). */
  processesSeen: number;
  reaped: ReapedProcess[];
  forwarded: ForwardedSignal[];
  /** The stop: which signal, when, and who had to be SIGKILLed after the timeout. */
  stop?: { signal: string; atMs: number; timeoutMs?: number; escalatedAtMs?: number; killed: KilledProcess[] };
  /** Descendants still running when tasklens returned (without --wait-all). */
  leftRunning: Array<{ pid: number; comm: string }>;
  durationMs: number;
}

/** Hard limits unprivileged processes cannot raise: checked before starting rather than failing in prlimit. */
function checkLimits(specs: readonly LimitSpec[]): Array<{ spec: LimitSpec; soft: LimitValue; hard: LimitValue }> {
  const own = parseLimits(readFileSync('/proc/self/limits', 'utf8'));
  const privileged = process.geteuid?.() === 0;
  return specs.map((spec) => {
    const current = own.find((l) => l.resource === spec.info.resource);
    const hard = spec.hard ?? current?.hard ?? 'unlimited';
    if (compareLimit(spec.soft, hard) > 0) {
      throw new TasklensError('run', 'bad-limit', `--limit ${spec.text}: the soft limit is above the hard limit (${limitArgument(hard)})`, {
        hint: `give both: ${spec.info.name}=SOFT:HARD`,
        exitCode: SETUP_FAILED_EXIT,
      });
    }
    if (!privileged && current && compareLimit(hard, current.hard) > 0) {
      throw new TasklensError('run', 'limit-denied', `--limit ${spec.text}: cannot raise the hard limit above ${limitArgument(current.hard)} without CAP_SYS_RESOURCE`, {
        hint: 'ask for a lower hard limit, or run as root',
        exitCode: SETUP_FAILED_EXIT,
      });
    }
    return { spec, soft: spec.soft, hard };
  });
}

function readLimitsInForce(pid: number, requested: readonly LimitSpec[]): LimitInForce[] | undefined {
  try {
    return parseLimits(readFileSync(`/proc/${pid}/limits`, 'utf8')).flatMap((row) => {
      const info = resourceByLabel(row.label);
      if (!info) return [];
      return [{ resource: info.resource, name: info.name, soft: row.soft, hard: row.hard, requested: requested.some((s) => s.info === info) }];
    });
  } catch {
    return undefined;
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  for (let n = 1; n < 32; n++) if (signalInfo(n)?.name === signal) return n;
  return 0;
}

/** Starts the program and supervises its tree until it ends; never throws for the program's own failure. */
export async function runSupervised(options: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const args = options.args ?? [];
  const report: RunReport = { command: [options.command, ...args], exitCode: 0, requestedLimits: [], subreaper: false, processesSeen: 0, reaped: [], forwarded: [], leftRunning: [], durationMs: 0 };
  const resolved = resolveCommand(options.command, options.env ?? process.env);
  if (!resolved.ok) {
    report.startError = `${options.command}: ${resolved.reason}`;
    report.exitCode = resolved.exitCode;
    return report;
  }
  report.path = resolved.path;
  const limits = checkLimits(options.limits ?? []);
  report.requestedLimits = limits.map(({ spec, soft, hard }) => ({ name: spec.info.name, soft, hard }));
  let programExe: string;
  try {
    programExe = realpathSync(resolved.path);
  } catch {
    programExe = resolved.path;
  }
  const { file, argv, setup } = setupArgv(limits, options.keepSignals, options.command, args);
  if (options.keepSignals) {
    report.keptSignals = { ignored: signalsOfMask(options.keepSignals.ignored), blocked: signalsOfMask(options.keepSignals.blocked) };
  }

  // Who was whose parent, from the scans: the reaper names the process that abandoned each orphan.
  const lastSeen = new Map<number, Descendant>();
  const owned = new Set<number>();
  const reaper = new Reaper({
    owned: (pid) => owned.has(pid),
    lastParent: (pid) => {
      const ppid = lastSeen.get(pid)?.ppid;
      if (ppid === undefined || ppid === process.pid) return undefined;
      return { pid: ppid, comm: lastSeen.get(ppid)?.comm ?? '?' };
    },
  });
  report.subreaper = reaper.start();

  let child: ChildProcess | undefined;
  let mainDone = false;
  let pendingSignals: NodeJS.Signals[] = [];
  let escalation: NodeJS.Timeout | undefined;
  let wake: () => void = () => undefined;

  const elapsed = () => Date.now() - started;
  const send = (target: number, signal: NodeJS.Signals | 'SIGKILL'): string | undefined => {
    try {
      process.kill(target, signal);
      return undefined;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? String(error);
    }
  };
  const targetOf = (pid: number) => (options.group ? -pid : pid);

  const escalate = () => {
    if (!report.stop) return;
    report.stop.escalatedAtMs = elapsed();
    const stopSignal = signalNumber(report.stop.signal as NodeJS.Signals);
    const remaining = descendantsOf(process.pid).filter((d) => d.state !== 'Z');
    for (const d of remaining) {
      const { disposition, blocked } = dispositionOf(d.pid, stopSignal);
      const gotStopSignal = d.pid === child?.pid || (options.group === true && d.pgrp === child?.pid);
      report.stop.killed.push({ pid: d.pid, ppid: d.ppid, comm: d.comm, gotStopSignal, stopSignalDisposition: disposition, stopSignalBlocked: blocked });
    }
    if (options.group && child?.pid) send(-child.pid, 'SIGKILL');
    for (const d of remaining) send(d.pid, 'SIGKILL');
    wake();
  };

  let scan: () => void = () => undefined;
  const forward = (signal: NodeJS.Signals) => {
    if (!child?.pid) {
      pendingSignals.push(signal);
      return;
    }
    scan(); // the tree and the limits as they were before the signal changed them
    if (mainDone && !options.group) {
      // The main child is gone: the signal goes to what remains of its tree (--wait-all, a stop in progress).
      for (const d of descendantsOf(process.pid).filter((x) => x.state !== 'Z')) {
        const error = send(d.pid, signal);
        report.forwarded.push({ signal, target: d.pid, atMs: elapsed(), ...(error ? { error } : {}) });
      }
    } else {
      const target = targetOf(child.pid);
      const error = send(target, signal);
      report.forwarded.push({ signal, target, atMs: elapsed(), ...(error ? { error } : {}) });
    }
    if (STOP_SIGNALS.has(signal) && !report.stop) {
      report.stop = { signal, atMs: elapsed(), killed: [] };
      if (options.stopTimeoutMs !== undefined) {
        report.stop.timeoutMs = options.stopTimeoutMs;
        escalation = setTimeout(escalate, options.stopTimeoutMs);
      }
    }
    wake();
  };
  // Job control (Ctrl-Z, then fg/bg): catching a stop signal replaces Node's default stop, so the
  // program is stopped first, then tasklens stops itself with SIGSTOP; SIGCONT is passed on. With
  // --group the program leads its own session, an orphaned process group in which the kernel discards
  // SIGTSTP/SIGTTIN/SIGTTOU: it gets SIGSTOP instead (as dumb-init does in its setsid mode).
  const jobStop = (signal: NodeJS.Signals) => {
    if (child?.pid && !mainDone) {
      const sent: NodeJS.Signals = options.group ? 'SIGSTOP' : signal;
      const target = targetOf(child.pid);
      const error = send(target, sent);
      report.forwarded.push({ signal: sent, target, atMs: elapsed(), ...(error ? { error } : {}) });
    }
    process.kill(process.pid, 'SIGSTOP');
  };
  const jobContinue = () => {
    if (!child?.pid || mainDone) return;
    const target = targetOf(child.pid);
    const error = send(target, 'SIGCONT');
    report.forwarded.push({ signal: 'SIGCONT', target, atMs: elapsed(), ...(error ? { error } : {}) });
  };
  const handlers = [
    ...FORWARDED_SIGNALS.map((signal) => [signal, () => forward(signal)] as const),
    ...JOB_STOP_SIGNALS.map((signal) => [signal, () => jobStop(signal)] as const),
    ['SIGCONT' as NodeJS.Signals, jobContinue] as const,
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);

  try {
    let setupMessage: Promise<string> = Promise.resolve('');
    const exited = new Promise<ExitOutcome | { spawnError: NodeJS.ErrnoException }>((resolve) => {
      const stdio = options.stdio ?? 'inherit';
      child = spawn(file, argv, {
        argv0: setup ? undefined : options.command,
        stdio: setup ? [stdio, stdio, stdio, 'pipe'] : stdio,
        detached: options.group === true,
        env: options.env,
        cwd: options.cwd,
      });
      if (child.pid) owned.add(child.pid);
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ spawnError: error }));
      child.once('exit', (code, signal) => {
        resolve(signal ? { kind: 'killed', signal: signalNumber(signal), core: false } : { kind: 'exited', code: code ?? 0 });
      });
    });
    const channel = setup ? child!.stdio[SETUP_FD] : null;
    if (channel) {
      setupMessage = new Promise((resolve) => {
        let text = '';
        channel.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        channel.on('error', () => resolve(text));
        channel.on('close', () => resolve(text));
      });
    }
    options.onSpawn?.(child!);
    report.pid = child!.pid;
    for (const signal of pendingSignals) forward(signal);
    pendingSignals = [];

    let limitsPending = child!.pid !== undefined;
    scan = () => {
      for (const d of descendantsOf(process.pid)) {
        const before = lastSeen.get(d.pid);
        if (!before) report.processesSeen++;
        // Re-parented to us: keep the parent that left it, for the report.
        lastSeen.set(d.pid, before && d.ppid === process.pid && before.ppid !== process.pid ? { ...d, ppid: before.ppid } : d);
      }
      if (limitsPending && child?.pid && !mainDone) {
        let exe: string | undefined;
        try {
          exe = readlinkSync(`/proc/${child.pid}/exe`);
        } catch {
          exe = undefined;
        }
        // The limits shown are the program's: read them once the child has exec'd it (not Node before
        // exec, not the prlimit wrapper).
        if (exe === programExe) {
          const inForce = readLimitsInForce(child.pid, options.limits ?? []);
          if (inForce) report.limits = inForce;
          limitsPending = false;
        }
      }
    };
    scan();
    const scanner = setInterval(scan, options.scanMs ?? 100);
    let result: Awaited<typeof exited>;
    try {
      result = await exited;
    } finally {
      clearInterval(scanner);
    }
    mainDone = true;
    if ('spawnError' in result) {
      const code = result.spawnError.code;
      report.startError = `${options.command}: ${result.spawnError.message}`;
      report.exitCode = code === 'ENOENT' ? 127 : 126;
      return report;
    }
    // The setup shell closes its end before exec'ing the program, or reports on it and exits.
    const failure = (await setupMessage).trim();
    if (failure) {
      report.setupError = `${options.command}: could not apply ${limits.map((l) => `--limit ${l.spec.text}`).join(' ')}: ${failure}`;
      report.exitCode = SETUP_FAILED_EXIT;
      return report;
    }
    report.outcome = result;
    report.exitCode = exitCodeOf(result);

    // After the main child: wait for the rest of the tree when asked to (or while stopping it).
    const live = () => descendantsOf(process.pid).filter((d) => d.state !== 'Z');
    const mustWait = () => options.waitAll === true || (report.stop !== undefined && options.stopTimeoutMs !== undefined);
    while (mustWait()) {
      scan();
      reaper.reap();
      if (live().length === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.scanMs ?? 100);
      });
    }
    reaper.reap();
    report.leftRunning = live().map((d) => ({ pid: d.pid, comm: d.comm }));
    return report;
  } finally {
    if (escalation) clearTimeout(escalation);
    for (const [signal, handler] of handlers) process.off(signal, handler);
    reaper.stop();
    report.reaped = reaper.reaped;
    report.durationMs = Date.now() - started;
  }
}
