/**
 * `tasklens inspect PID` output: the text report (sections: identity, capabilities, limits,
 * namespaces, signals, threads) and the JSON document (masks as hex plus decoded names).
 */
import type { Palette } from '../color.js';
import { decodeCapabilities, decodeSignalMask, maskHex, type DecodedSignal } from '../../procfs/decode.js';
import { isUnavailable, type Maybe, type Unavailable } from '../../procfs/files.js';
import type { ProcessDetail, ThreadDetail } from '../../procfs/process.js';
import { taskStateInfo } from '../../procfs/states.js';
import { exitText } from '../../procfs/special.js';
import { SCHED_POLICIES } from '../../procfs/stat.js';
import type { CapabilitySets, IdSet } from '../../procfs/status.js';
import type { ResourceLimit } from '../../procfs/limits.js';
import type { SyscallState } from '../../procfs/syscall.js';
import { CAP_LAST_CAP } from '../../kb/capabilities.js';
import { formatAge, formatBytes, formatCpu, formatNs, renderTable, type Column } from './table.js';
import { termSafe } from '../escape.js';
import type { ThreadWait } from '../../sched/schedstat-sample.js';

export interface InspectRenderOptions {
  palette: Palette;
  users: Map<number, string>;
  groups: Map<number, string>;
  /** Run-queue waits per TID sampled over an interval (`inspect --sample`): adds WAIT % and AVG WAIT. */
  waits?: Map<number, ThreadWait>;
}

const UNAVAILABLE_TEXT: Record<Unavailable['unavailable'], string> = {
  'not-permitted': 'not permitted (needs ptrace access)',
  gone: 'gone (exited while reading)',
  unsupported: 'not available on this kernel',
  'kernel-thread': 'none: a kernel thread has no user space',
  exited: 'none: the process has exited (a zombie keeps only its exit status)',
};

export function unavailableText(value: Unavailable): string {
  return UNAVAILABLE_TEXT[value.unavailable];
}

function or<T>(value: Maybe<T>, show: (v: T) => string): string {
  return isUnavailable(value) ? unavailableText(value) : show(value);
}

function signalList(signals: DecodedSignal[]): string {
  if (!signals.length) return 'none';
  return signals.map((s) => (s.glibcInternal ? `${s.name} (glibc-internal)` : s.name)).join(' ');
}

/** `wait4(pid=1234)`-style text for a blocked syscall; arguments only where they say who or what. */
export function syscallText(call: Maybe<SyscallState>): string {
  if (isUnavailable(call)) return call.unavailable === 'not-permitted' ? 'not permitted' : unavailableText(call);
  if (call.state === 'running') return 'running';
  if (call.state === 'not-in-syscall') return '- (not in a syscall)';
  const name = call.name ?? `syscall ${call.nr}`;
  const shown = ARGS_SHOWN[name];
  if (!shown || !call.argNames) return `${name}()`;
  const parts = shown.map((i) => `${call.argNames?.[i] ?? `arg${i}`}=${Number(BigInt.asIntN(32, call.args[i]))}`);
  return `${name}(${parts.join(', ')})`;
}

/** Syscalls whose first arguments identify what the thread waits on (a pid, an fd). */
const ARGS_SHOWN: Record<string, number[]> = {
  wait4: [0],
  waitid: [0, 1],
  read: [0],
  write: [0],
  recvfrom: [0],
  recvmsg: [0],
  accept: [0],
  accept4: [0],
  epoll_wait: [0],
  epoll_pwait: [0],
  poll: [1],
  ppoll: [1],
  select: [0],
  pselect6: [0],
  flock: [0],
  connect: [0],
};

function ids(set: IdSet, names: Map<number, string>): string {
  const name = (id: number) => (names.has(id) ? `${id}(${termSafe(names.get(id)!)})` : String(id));
  if (set.real === set.effective && set.effective === set.saved && set.saved === set.filesystem) return `${name(set.real)} (real = effective = saved = fs)`;
  return `real ${name(set.real)}  effective ${name(set.effective)}  saved ${name(set.saved)}  fs ${name(set.filesystem)}`;
}

function capabilityText(mask: bigint): string {
  const caps = decodeCapabilities(mask);
  if (!caps.length) return 'none';
  const known = caps.filter((c) => c.known).length;
  const unknown = caps.filter((c) => !c.known).map((c) => c.name);
  const extra = unknown.length ? ` + unknown ${unknown.join(' ')}` : '';
  if (known === CAP_LAST_CAP + 1) return `all ${known} known capabilities${extra}`;
  // A nearly full set reads better as what is missing (root in a container, minus one or two).
  if (known > (CAP_LAST_CAP + 1) / 2) {
    const missing = decodeCapabilities(~mask & ((1n << BigInt(CAP_LAST_CAP + 1)) - 1n)).map((x) => x.name);
    return `all known capabilities except ${missing.join(' ')}${extra}`;
  }
  return caps.map((c) => c.name).join(' ');
}

function limitValue(v: bigint | 'unlimited', units: string): string {
  if (v === 'unlimited') return 'unlimited';
  return units === 'bytes' ? `${formatBytes(v)}` : v.toString();
}

function stackText(thread: ThreadDetail, defaultStack: bigint | undefined): string {
  const stack = thread.stack;
  if (stack === undefined) return isUnavailable(thread.syscall) ? '' : thread.stat.state === 'R' ? 'running (no SP)' : '?';
  if (isUnavailable(stack)) return stack.unavailable === 'not-permitted' ? 'not permitted' : unavailableText(stack);
  const size = formatBytes(stack.sizeBytes);
  const used = `${formatBytes(stack.usedBytes)} used`;
  if (stack.label === '[stack]') return `main [stack] ${size}, ${used}${defaultStack ? `, may grow to ${formatBytes(defaultStack)}` : ''}`;
  const guard = stack.guard ? ` + ${formatBytes(stack.guard.sizeBytes)} guard` : ', NO guard page';
  return `${size}${guard}, ${used}`;
}

function sectionTitle(c: Palette, title: string): string {
  return `\n${c.bold(c.underline(title))}\n`;
}

function keyValues(rows: Array<[string, string]>, c: Palette): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${c.dim(k.padEnd(width))}  ${v}`).join('\n') + '\n';
}

/** What the process is, when it is not an ordinary one: said next to its name. */
function titleNote(d: ProcessDetail, c: Palette): string {
  if (d.leaderExited) return c.cyan('  [main thread exited; other threads run: NOT a zombie]');
  if (d.special?.kind === 'kernel-thread') return c.cyan('  [kernel thread: runs kernel code only, no user space]');
  if (d.special?.kind === 'zombie') {
    const parent = `${d.special.ppid}${d.special.parentComm === undefined ? '' : ` (${termSafe(d.special.parentComm)})`}`;
    return c.yellow(`  [zombie: ${exitText(d.special.exit)}; waits for its parent ${parent} to reap it]`);
  }
  return '';
}

export function renderInspectText(d: ProcessDetail, options: InspectRenderOptions): string {
  const c = options.palette;
  const s = d.status;
  const out: string[] = [];
  const title = `process ${d.pid}  ${termSafe(d.comm)}`;
  out.push(`${c.bold(title)}${titleNote(d, c)}\n`);
  const stateWord = d.leaderExited ? 'main thread exited, process alive' : taskStateInfo(d.stat.state).word;
  const rss = s.memoryKiB.VmRSS;
  const fds = d.fds;
  const identity: Array<[string, string]> = [
    ['command', termSafe(d.cmdline.length ? d.cmdline.join(' ') : `[${d.comm}]`)],
    ['executable', or(d.exe, termSafe)],
    ['cwd', or(d.cwd, termSafe)],
    ['state', `${stateWord} · ${s.threads} thread${s.threads === 1 ? '' : 's'} · started ${d.started} (${formatAge(d.ageSeconds)} ago)`],
    ['parent', `${d.stat.ppid} · process group ${d.stat.pgrp} · session ${d.stat.session}${d.stat.ttyNr ? ` · tty ${d.stat.ttyNr >> 8}:${d.stat.ttyNr & 0xff}` : ' · no terminal'}`],
    ['uid', ids(s.uid, options.users)],
    ['gid', ids(s.gid, options.groups)],
    ['groups', s.groups.length ? s.groups.map((g) => (options.groups.has(g) ? `${g}(${termSafe(options.groups.get(g)!)})` : String(g))).join(' ') : 'none'],
    ['security', `umask ${s.umask ?? '?'} · no_new_privs ${s.noNewPrivs ? 'yes' : 'no'} · seccomp ${['off', 'strict', 'filter'][s.seccomp] ?? s.seccomp}${s.seccompFilters ? ` (${s.seccompFilters} filters)` : ''} · ${s.tracerPid ? c.yellow(`traced by ${s.tracerPid}`) : 'not traced'}`],
    ['pid namespaces', s.nsPid.length > 1 ? `PID ${s.nsPid.join(' → ')} (outermost → innermost namespace)` : 'initial pid namespace only'],
    ['scheduling', `${SCHED_POLICIES[d.stat.policy] ?? d.stat.policy} · nice ${d.stat.nice}${d.stat.rtPriority ? ` · rt priority ${d.stat.rtPriority}` : ''} · CPUs ${s.cpusAllowedList}`],
    ['oom', `score ${or(d.oomScore, String)} · adj ${or(d.oomScoreAdj, String)}`],
    ['memory', rss === undefined ? 'none (kernel thread or exited)' : `RSS ${formatBytes(rss * 1024)} · virtual ${formatBytes(d.stat.vsizeBytes)} · ${or(d.mappings, (n) => `${n} mappings`)}`],
    ['cpu', `user ${formatCpu(d.stat.utime)} · system ${formatCpu(d.stat.stime)}`],
    ['open fds', or(fds, (list) => {
      const kinds = new Map<string, number>();
      for (const f of list) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
      return `${list.length}${list.length ? `: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}` : ''}`;
    })],
  ];
  out.push(keyValues(identity, c));

  out.push(sectionTitle(c, 'Capabilities (main thread; capabilities are per thread)'));
  out.push(keyValues(capabilityRows(s.capabilities), c));
  const differing = d.threads.filter((t) => t.status.capabilities.effective !== s.capabilities.effective);
  for (const t of differing) out.push(`  ${c.yellow(`thread ${t.tid} (${termSafe(t.name)}) has different effective capabilities:`)} ${capabilityText(t.status.capabilities.effective)}\n`);

  out.push(sectionTitle(c, 'Limits'));
  out.push(or(d.limits, (limits) => limitsTable(limits, c)));

  out.push(sectionTitle(c, 'Namespaces'));
  out.push(
    or(d.namespaces, (list) =>
      keyValues(
        list.map((n) => [n.type, `${n.inode}${n.sameAsInit === undefined ? '' : n.sameAsInit ? c.dim('  same as PID 1') : c.yellow('  own (differs from PID 1)')}`]),
        c,
      ),
    ),
  );

  out.push(sectionTitle(c, 'Signals (dispositions are process-wide; masks and pending sets are per thread)'));
  out.push(
    keyValues(
      [
        ['handled', signalList(decodeSignalMask(s.signals.caught))],
        ['ignored', signalList(decodeSignalMask(s.signals.ignored))],
        ['pending (process)', signalList(decodeSignalMask(s.signals.sharedPending))],
        ['queued', `${s.sigQueued} of ${s.sigQueueLimit} for this real UID (RLIMIT_SIGPENDING)`],
      ],
      c,
    ),
  );
  const threadSignals = d.threads.filter((t) => t.status.signals.blocked !== 0n || t.status.signals.pending !== 0n);
  if (threadSignals.length) {
    out.push(`  ${c.dim('per thread:')}\n`);
    for (const t of threadSignals) {
      const blocked = decodeSignalMask(t.status.signals.blocked);
      const pending = decodeSignalMask(t.status.signals.pending);
      let line = `    ${String(t.tid).padStart(7)} ${termSafe(t.name).padEnd(15)} blocks ${signalList(blocked)}`;
      if (pending.length) {
        const stuck = pending.filter((p) => blocked.some((b) => b.signo === p.signo));
        line += c.yellow(` · pending ${signalList(pending)}`) + (stuck.length ? c.yellow(' (blocked here: delivered only when unblocked or taken with sigwait/signalfd)') : '');
      }
      out.push(`${line}\n`);
    }
  } else out.push(`  ${c.dim('per thread:')} no thread blocks or has pending signals\n`);

  out.push(sectionTitle(c, `Threads (${d.threads.length})`));
  out.push(threadsTable(d, c, options.waits));
  const stackLimit = isUnavailable(d.limits) ? undefined : d.limits.find((l) => l.resource === 'RLIMIT_STACK')?.soft;
  if (stackLimit !== undefined) {
    out.push(
      c.dim(
        `  default stack of a new thread: ${stackLimit === 'unlimited' ? '2 MiB (RLIMIT_STACK is unlimited, so glibc uses its built-in default)' : `${formatBytes(stackLimit)} (the RLIMIT_STACK soft limit)`}, with a guard page below it\n`,
      ),
    );
  }
  return out.join('');
}

function capabilityRows(sets: CapabilitySets): Array<[string, string]> {
  const same = (a: bigint, b: bigint, name: string, text: string) => (a === b ? `same as ${name}` : text);
  return [
    ['effective', capabilityText(sets.effective)],
    ['permitted', same(sets.permitted, sets.effective, 'effective', capabilityText(sets.permitted))],
    ['inheritable', capabilityText(sets.inheritable)],
    ['bounding', same(sets.bounding, sets.permitted, 'permitted', capabilityText(sets.bounding))],
    ['ambient', capabilityText(sets.ambient)],
  ];
}

function limitsTable(limits: ResourceLimit[], c: Palette): string {
  const columns: Array<Column<ResourceLimit>> = [
    { header: '  RESOURCE', value: (l) => `  ${l.resource ?? l.label}` },
    { header: 'SOFT', align: 'right', value: (l) => limitValue(l.soft, l.units) },
    { header: 'HARD', align: 'right', value: (l) => limitValue(l.hard, l.units) },
    { header: 'UNITS', value: (l) => l.units },
    { header: 'NOTE', value: (l) => l.note ?? '', paint: () => c.dim },
  ];
  return renderTable(columns, limits, c.dim);
}

function threadsTable(d: ProcessDetail, c: Palette, waits?: Map<number, ThreadWait>): string {
  const stackLimit = isUnavailable(d.limits) ? undefined : d.limits.find((l) => l.resource === 'RLIMIT_STACK')?.soft;
  const mainGrowth = stackLimit === 'unlimited' ? undefined : stackLimit;
  const columns: Array<Column<ThreadDetail>> = [
    { header: '  TID', align: 'right', value: (t) => `  ${t.tid}`, paint: () => c.bold },
    { header: 'NAME', value: (t) => termSafe(t.name) },
    { header: 'STATE', value: (t) => taskStateInfo(t.stat.state).word, paint: (t) => (t.stat.state === 'Z' ? c.red : t.stat.state === 'D' ? c.yellow : undefined) },
    { header: 'SYSCALL', value: (t) => syscallText(t.syscall) },
    { header: 'WCHAN', value: (t) => or(t.wchan, (w) => termSafe(w) || '-') },
    { header: 'CPU', align: 'right', value: (t) => formatCpu(t.stat.utime + t.stat.stime) },
    { header: 'RUNQ WAIT', align: 'right', value: (t) => or(t.schedstat, (st) => formatNs(st.waitNs)) },
    ...(waits ? sampledWaitColumns(waits, c) : []),
    { header: 'SWITCHES vol/invol', align: 'right', value: (t) => `${t.status.voluntaryCtxtSwitches}/${t.status.nonvoluntaryCtxtSwitches}` },
    { header: 'STACK', value: (t) => stackText(t, mainGrowth) },
  ];
  return renderTable(columns, d.threads, c.dim);
}

/** WAIT % (share of the sample spent runnable but not running) and average wait per slice, from two schedstat reads. */
function sampledWaitColumns(waits: Map<number, ThreadWait>, c: Palette): Array<Column<ThreadDetail>> {
  return [
    {
      header: 'WAIT %',
      align: 'right',
      value: (t) => {
        const w = waits.get(t.tid);
        return w ? `${w.waitPercent.toFixed(1)}%` : '-';
      },
      paint: (t) => {
        const p = waits.get(t.tid)?.waitPercent ?? 0;
        return p >= 20 ? c.red : p >= 5 ? c.yellow : undefined;
      },
    },
    {
      header: 'AVG WAIT',
      align: 'right',
      value: (t) => {
        const w = waits.get(t.tid);
        return w?.avgWaitNs === undefined ? '-' : formatNs(BigInt(Math.round(w.avgWaitNs)));
      },
    },
  ];
}

/** JSON document for `inspect --json`: masks as `{ hex, signals }`, 64-bit values as strings. */
export function inspectJson(d: ProcessDetail): unknown {
  const s = d.status;
  const masks = (mask: bigint) => ({ hex: maskHex(mask), signals: decodeSignalMask(mask) });
  const caps = (mask: bigint) => ({ hex: maskHex(mask), capabilities: decodeCapabilities(mask).map((x) => x.name) });
  const capSets = (sets: CapabilitySets) => ({
    effective: caps(sets.effective),
    permitted: caps(sets.permitted),
    inheritable: caps(sets.inheritable),
    bounding: caps(sets.bounding),
    ambient: caps(sets.ambient),
  });
  return {
    pid: d.pid,
    comm: d.comm,
    cmdline: d.cmdline,
    exe: d.exe,
    cwd: d.cwd,
    state: d.stat.state,
    leaderExited: d.leaderExited,
    kind: d.special?.kind ?? 'process',
    ...(d.special?.kind === 'zombie' ? { exit: d.special.exit ?? null } : {}),
    ppid: d.stat.ppid,
    pgrp: d.stat.pgrp,
    session: d.stat.session,
    started: d.started,
    ageSeconds: Math.round(d.ageSeconds),
    threadCount: s.threads,
    uid: s.uid,
    gid: s.gid,
    groups: s.groups,
    umask: s.umask,
    noNewPrivs: s.noNewPrivs,
    seccomp: s.seccomp,
    tracerPid: s.tracerPid,
    nsPid: s.nsPid,
    nsTgid: s.nsTgid,
    oomScore: d.oomScore,
    oomScoreAdj: d.oomScoreAdj,
    memoryKiB: s.memoryKiB,
    capabilities: capSets(s.capabilities),
    limits: d.limits,
    namespaces: d.namespaces,
    fds: d.fds,
    signals: {
      handled: masks(s.signals.caught),
      ignored: masks(s.signals.ignored),
      sharedPending: masks(s.signals.sharedPending),
      queued: s.sigQueued,
      queueLimit: s.sigQueueLimit,
    },
    threads: d.threads.map((t) => ({
      tid: t.tid,
      name: t.name,
      state: t.stat.state,
      stateWord: taskStateInfo(t.stat.state).word,
      blocked: masks(t.status.signals.blocked),
      pending: masks(t.status.signals.pending),
      capabilitiesEffective: caps(t.status.capabilities.effective),
      syscall: isUnavailable(t.syscall)
        ? t.syscall
        : t.syscall.state === 'in-syscall'
          ? { ...t.syscall, args: t.syscall.args.map((a) => `0x${a.toString(16)}`), sp: `0x${t.syscall.sp.toString(16)}`, pc: `0x${t.syscall.pc.toString(16)}` }
          : t.syscall.state === 'running'
            ? t.syscall
            : { state: t.syscall.state, sp: `0x${t.syscall.sp.toString(16)}`, pc: `0x${t.syscall.pc.toString(16)}` },
      wchan: t.wchan,
      cpuTicks: { user: t.stat.utime, system: t.stat.stime },
      processor: t.stat.processor,
      policy: SCHED_POLICIES[t.stat.policy] ?? String(t.stat.policy),
      nice: t.stat.nice,
      schedstat: t.schedstat,
      contextSwitches: { voluntary: t.status.voluntaryCtxtSwitches, involuntary: t.status.nonvoluntaryCtxtSwitches },
      stack:
        t.stack === undefined || isUnavailable(t.stack)
          ? t.stack ?? null
          : {
              start: `0x${t.stack.start.toString(16)}`,
              end: `0x${t.stack.end.toString(16)}`,
              sizeBytes: t.stack.sizeBytes,
              usedBytes: t.stack.usedBytes,
              headroomBytes: t.stack.headroomBytes,
              label: t.stack.label,
              guard: t.stack.guard ? { start: `0x${t.stack.guard.start.toString(16)}`, sizeBytes: t.stack.guard.sizeBytes } : null,
            },
    })),
  };
}
