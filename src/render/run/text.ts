/** The end-of-run summary of `tasklens run` (stderr or --report) and its JSON form. */
import type { RunReport } from '../../run/supervisor.js';
import type { ExitOutcome } from '../../run/reaper.js';
import { formatLimitValue, resourceByName } from '../../run/limit-spec.js';
import { signalName } from '../../kb/signals.js';
import { termSafe } from '../escape.js';
import type { Palette } from '../color.js';

function outcomeText(outcome: ExitOutcome): string {
  if (outcome.kind === 'exited') return `exited ${outcome.code}`;
  return `killed by ${signalName(outcome.signal)}${outcome.core ? ' (core dumped)' : ''}`;
}

const who = (pid: number, comm: string) => `${pid} ${termSafe(comm)}`;

/** Several lines, each starting with `run:`, so they stand apart from the program's own stderr. */
export function renderRunReport(report: RunReport, p: Palette, options: { allLimits?: boolean } = {}): string {
  const lines: string[] = [];
  const command = report.command.map((a) => termSafe(a)).join(' ');
  if (report.startError) {
    lines.push(`could not start: ${termSafe(report.startError)} -> exit ${report.exitCode}`);
  } else if (report.setupError) {
    lines.push(`could not set up (the program never ran): ${termSafe(report.setupError)} -> exit ${report.exitCode}`);
  } else {
    lines.push(`${p.bold(command)}: pid ${report.pid ?? '?'}, ${report.outcome ? outcomeText(report.outcome) : 'no status'} -> exit ${report.exitCode} (${report.durationMs} ms)`);
    lines.push(
      `subreaper: ${report.subreaper ? 'yes (orphans of the tree are re-parented to tasklens)' : 'NO (orphans go to the init of the namespace)'}; processes seen: ${report.processesSeen}`,
    );
  }
  if (report.keptSignals) {
    const names = (numbers: number[]) => (numbers.length ? numbers.map((n) => signalName(n)).join(' ') : 'none');
    lines.push(`signals kept from tasklens's parent (--keep-signals): ignored ${names(report.keptSignals.ignored)}; blocked ${names(report.keptSignals.blocked)}`);
  }
  const ended = report.startError !== undefined || report.setupError !== undefined;
  const limits = (report.limits ?? []).filter((l) => options.allLimits || l.requested);
  if (limits.length) {
    const others = (report.limits?.length ?? 0) - limits.length;
    lines.push(`limits in force (read from /proc/PID/limits after exec)${others ? `; ${others} other(s) inherited unchanged (--json lists them)` : ''}:`);
    for (const l of limits) {
      const info = resourceByName(l.name);
      lines.push(`  ${l.name.padEnd(10)} soft ${formatLimitValue(l.soft, info).padEnd(10)} hard ${formatLimitValue(l.hard, info)}${l.requested ? '' : '  (inherited)'}`);
    }
  } else if (report.limits && !ended) {
    lines.push('limits: all inherited unchanged (--json lists them)');
  } else if (report.limits === undefined && !ended) {
    lines.push('limits in force: not read (the program ended before tasklens saw it exec)');
  }
  if (report.limits === undefined && report.requestedLimits.length) {
    lines.push('limits requested (set by prlimit before exec):');
    for (const l of report.requestedLimits) {
      const info = resourceByName(l.name);
      lines.push(`  ${l.name.padEnd(10)} soft ${formatLimitValue(l.soft, info).padEnd(10)} hard ${formatLimitValue(l.hard, info)}`);
    }
  }
  for (const f of report.forwarded) {
    const target = f.target < 0 ? `process group ${-f.target}` : `pid ${f.target}`;
    lines.push(`forwarded ${f.signal} to ${target} at ${f.atMs} ms${f.error ? ` (failed: ${f.error})` : ''}`);
  }
  if (report.reaped.length) {
    lines.push(`reaped ${report.reaped.length} orphan(s):`);
    for (const r of report.reaped.slice(0, 50)) {
      const from = r.abandonedBy ? `, orphaned by ${who(r.abandonedBy.pid, r.abandonedBy.comm)}` : '';
      lines.push(`  ${who(r.pid, r.comm)}: ${outcomeText(r.outcome)}${from}`);
    }
    if (report.reaped.length > 50) lines.push(`  ... and ${report.reaped.length - 50} more (--json lists every one)`);
  }
  if (report.stop) {
    const s = report.stop;
    if (s.escalatedAtMs === undefined) {
      lines.push(`stop: ${s.signal} at ${s.atMs} ms${s.timeoutMs !== undefined ? `; the tree ended within the ${s.timeoutMs} ms timeout` : ''}`);
    } else {
      lines.push(`stop: ${s.signal} at ${s.atMs} ms; after ${s.timeoutMs} ms, ${s.killed.length} process(es) had to be killed with SIGKILL:`);
      for (const k of s.killed) {
        const disposition =
          k.stopSignalDisposition === 'ignored'
            ? `ignores ${s.signal}`
            : k.stopSignalBlocked
              ? `blocks ${s.signal}`
              : k.stopSignalDisposition === 'caught'
                ? `catches ${s.signal} but did not exit`
                : `did not exit on ${s.signal}`;
        // tasklens signals only the main child (or its group): another process hears of the stop
        // only if its parent passes it on, which tasklens cannot see; its disposition still can.
        const why = k.gotStopSignal
          ? disposition
          : `not signalled by tasklens (only the main child, or its process group with --group, is)${
              k.stopSignalDisposition === 'ignored' || k.stopSignalBlocked ? `; it ${disposition}` : ''
            }`;
        lines.push(`  ${p.red(who(k.pid, k.comm))} (parent ${k.ppid}): ${why}`);
      }
    }
  }
  if (report.leftRunning.length) {
    lines.push(`left running (use --wait-all to wait for them): ${report.leftRunning.map((d) => who(d.pid, d.comm)).join(', ')}`);
  }
  return lines.map((line) => `run: ${line}\n`).join('');
}

/** The report as one JSON-ready object (bigints become strings in jsonLine). */
export function runReportJson(report: RunReport): unknown {
    return {
    ...report,
    limits: report.limits?.map((l) => ({ ...l, soft: String(l.soft), hard: String(l.hard) })),
    requestedLimits: report.requestedLimits.map((l) => ({ ...l, soft: String(l.soft), hard: String(l.hard) })),
  };
}
