/**
 * `watch`: the whole machine's process lifecycle, live, from kernel tracepoints through bpftrace
 * (script.ts, scope `machine`). Events come in kernel-time order (per-CPU buffers are merged after a
 * short reorder window), filtered by comm, process (and its descendants), user or cgroup.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { TasklensError } from '../errors.js';
import { bpfReadiness } from './requirements.js';
import { bpftraceEnv, generateScript } from './script.js';
import { byTime, isHarmlessStderr, RecordReader, type BpfRecord } from './records.js';
import { stopTracer } from './session.js';
import { WatchDecoder, type WatchEvent } from './watch-events.js';

const REORDER_NS = 40_000_000n;
const FLUSH_EVERY_MS = 50;

/** Which events to keep; all given filters must match (an event passes when a filter has nothing to say). */
export interface WatchFilter {
  /** The task's comm (exact), or for an exec the new program's name. */
  comm?: string;
  /** This process and every task it (or its descendants) creates from now on, plus its current descendants. */
  pid?: number;
  /** Real uid of the task the event is about (the sender, for a signal). */
  uid?: number;
  /** cgroup v2 path (under /sys/fs/cgroup, or absolute); the cgroup itself, not its children. */
  cgroup?: string;
}

export interface WatchOptions {
  filter?: WatchFilter;
  /** PATH to find bpftrace in; default process.env.PATH. */
  path?: string;
}

export interface WatchSummary {
  /** Events passed on, by kind. */
  counts: Record<WatchEvent['kind'], number>;
  /** Events the kernel dropped because bpftrace could not keep up (0 when none). */
  lostEvents: number;
  /** bpftrace's own complaints (the harmless ones left out). */
  diagnostics: string[];
}

export interface WatchSession {
  /** Batches of events in kernel-time order; ends after stop(). */
  readonly events: AsyncIterable<WatchEvent[]>;
  /** Ends the watch; the events still buffered are passed on first. */
  stop(): void;
  readonly result: Promise<WatchSummary>;
  /** CLOCK_MONOTONIC ns to epoch ns: add to an event's ns. */
  readonly epochOffsetNs: bigint;
}

/** Current descendants of pid (from /proc), pid included. */
function descendantsOf(pid: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // Gone meanwhile.
    }
  }
  const set = new Set<number>([pid]);
  const queue = [pid];
  while (queue.length > 0) for (const c of children.get(queue.pop()!) ?? []) if (!set.has(c)) { set.add(c); queue.push(c); }
  return set;
}

/** The cgroup v2 id of a path: the inode number of its directory. */
export function cgroupId(path: string): string {
  const full = path.startsWith('/sys/fs/cgroup') ? path : `/sys/fs/cgroup/${path.replace(/^\/+/, '')}`;
  try {
    return statSync(full, { bigint: true }).ino.toString();
  } catch (error) {
    throw new TasklensError('capture', 'no-cgroup', `no cgroup ${full}`, { cause: error, hint: 'give a cgroup v2 path, e.g. system.slice/ssh.service' });
  }
}

/** A predicate over events for a filter; keeps the followed set of --pid up to date as births pass. */
export function watchFilter(filter: WatchFilter = {}): (event: WatchEvent) => boolean {
  const followed = filter.pid !== undefined ? descendantsOf(filter.pid) : undefined;
  const cgroup = filter.cgroup !== undefined ? cgroupId(filter.cgroup) : undefined;
  return (event) => {
    if (followed) {
      if (event.kind === 'birth' && followed.has(event.task.tgid)) followed.add(event.child);
      const inSet = followed.has(event.task.tgid) || followed.has(event.task.tid) || (event.kind === 'signal' && followed.has(event.target));
      if (!inSet) return false;
    }
    if (filter.comm !== undefined && event.task.comm !== filter.comm) return false;
    if (filter.uid !== undefined && event.task.uid !== filter.uid) return false;
    if (cgroup !== undefined && event.task.cgroup !== cgroup) return false;
    return true;
  };
}

/** A queue of batches read once, in order. */
class Batches implements AsyncIterable<WatchEvent[]> {
  private items: WatchEvent[][] = [];
  private waiting: ((r: IteratorResult<WatchEvent[]>) => void) | undefined;
  private closed = false;
  push(batch: WatchEvent[]): void {
    if (batch.length === 0) return;
    if (this.waiting) { const w = this.waiting; this.waiting = undefined; w({ done: false, value: batch }); } else this.items.push(batch);
  }
  close(): void {
    this.closed = true;
    if (this.waiting) { const w = this.waiting; this.waiting = undefined; w({ done: true, value: undefined }); }
  }
  [Symbol.asyncIterator](): AsyncIterator<WatchEvent[]> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item) return Promise.resolve({ done: false, value: item });
        if (this.closed) return Promise.resolve({ done: true, value: undefined });
        return new Promise((done) => { this.waiting = done; });
      },
    };
  }
}

/**
 * Starts watching: resolves once bpftrace's BEGIN probe has fired (every event from then on is seen).
 * Throws a TasklensError when the engine cannot run: exit code 77 without root or CAP_BPF+CAP_PERFMON,
 * 127 without bpftrace, with what to enable when BTF or tracefs is missing.
 */
export async function startWatch(options: WatchOptions = {}): Promise<WatchSession> {
  const ready = bpfReadiness(options.path ?? process.env.PATH ?? '');
  if (ready.problem) throw ready.problem;
  const keep = watchFilter(options.filter);
  const script = generateScript({ scope: 'machine' });
  const tracer = spawn(ready.bpftrace!, ['-B', 'line', '-e', script], { env: bpftraceEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  tracer.stderr!.setEncoding('latin1').on('data', (t: string) => { stderr += t; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    tracer.once('error', () => done({ code: null, signal: null }));
    tracer.once('close', (code, signal) => done({ code, signal }));
  });
  const reader = new RecordReader(true);
  const decoder = new WatchDecoder();
  const pending: BpfRecord[] = [];
  const unparsed: string[] = [];
  let lost = 0;
  let partial = '';
  let sawReady!: () => void;
  const readyLine = new Promise<void>((done) => { sawReady = done; });
  const take = (line: string): void => {
    const parsed = reader.push(line);
    if (!parsed) return;
    if (parsed.kind === 'ready') sawReady();
    else if (parsed.kind === 'lost') lost += parsed.count;
    else if (parsed.kind === 'record') pending.push(parsed.record);
    else if (!isHarmlessStderr(parsed.text) && unparsed.length < 20) unparsed.push(parsed.text);
  };
  tracer.stdout!.setEncoding('latin1').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) take(line);
  });
  const started = await Promise.race([readyLine.then(() => true), exited.then(() => false)]);
  if (!started) {
    const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !isHarmlessStderr(l));
    throw new TasklensError('capture', 'bpftrace-failed', `bpftrace could not start watching${lines.length > 0 ? `: ${lines.slice(0, 5).join('; ')}` : ''}`, {
      hint: 'run bpftrace -l "tracepoint:sched:*" to check the kernel',
    });
  }
  const epochOffsetNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  const batches = new Batches();
  const counts: WatchSummary['counts'] = { birth: 0, exec: 0, exit: 0, signal: 0, delivered: 0 };
  const flush = (all: boolean): void => {
    if (pending.length === 0) return;
    pending.sort(byTime);
    const limit = process.hrtime.bigint() - REORDER_NS;
    let n = 0;
    while (n < pending.length && (all || pending[n].ns <= limit)) n++;
    const out: WatchEvent[] = [];
    for (const record of pending.splice(0, n)) {
      const event = decoder.push(record);
      if (event && keep(event)) { counts[event.kind]++; out.push(event); }
    }
    batches.push(out);
  };
  const timer = setInterval(() => flush(false), FLUSH_EVERY_MS);
  let stopping: Promise<WatchSummary> | undefined;
  let finished!: (summary: WatchSummary) => void;
  const result = new Promise<WatchSummary>((done) => { finished = done; });
  const end = async (): Promise<WatchSummary> => {
    await stopTracer(tracer, exited);
    if (partial !== '') take(partial);
    clearInterval(timer);
    flush(true);
    batches.close();
    const diagnostics = stderr.split('\n').filter((l) => l.trim() !== '' && !isHarmlessStderr(l));
    if (lost > 0) diagnostics.push(`bpftrace lost ${lost} events: the watch is incomplete`);
    const summary = { counts, lostEvents: lost, diagnostics: [...diagnostics, ...unparsed.map((l) => `unexpected bpftrace output: ${l}`)] };
    finished(summary);
    return summary;
  };
  // bpftrace ending on its own (killed) ends the watch too.
  void exited.then(() => { stopping ??= end(); });
  return {
    events: batches,
    result,
    epochOffsetNs,
    stop: () => { stopping ??= end(); },
  };
}

/** A user name or numeric uid as a uid (names from /etc/passwd); a usage error when unknown. */
export function uidOf(user: string): number {
  if (/^\d+$/.test(user)) return Number(user);
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , uid] = line.split(':');
      if (name === user && uid !== undefined && /^\d+$/.test(uid)) return Number(uid);
    }
  } catch {
    // No passwd file: only numbers then.
  }
  throw new TasklensError('cli', 'no-such-user', `no such user: ${user}`, { hint: 'give a user name from /etc/passwd or a numeric uid', exitCode: 2 });
}
