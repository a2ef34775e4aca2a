/** `tasklens zombies` output: zombies grouped by parent, the findings, the fix; then live processes that only look like zombies. */
import type { Palette } from '../color.js';
import type { ZombieReport, Zombie } from '../../procfs/zombies.js';
import { signalName } from '../../kb/signals.js';
import { taskStateInfo } from '../../procfs/states.js';
import { formatAge } from './table.js';
import { termSafe } from '../escape.js';

function exitText(z: Zombie): string {
  const e = z.exit;
  if (!e) return 'exit status not visible';
  if (e.kind === 'exited') return `exited ${e.code}`;
  if (e.kind === 'signaled') return `killed by ${signalName(e.signal)}${e.coreDumped ? ' (core dumped)' : ''}`;
  return e.kind === 'unknown' ? `status ${e.raw}` : e.kind;
}

const DISPOSITION: Record<string, string> = {
  default: 'SIGCHLD at its default disposition',
  ignored: 'SIGCHLD ignored (SIG_IGN)',
  handler: 'SIGCHLD handled',
};

export function renderZombiesText(report: ZombieReport, c: Palette): string {
  const out: string[] = [];
  const count = report.groups.reduce((n, g) => n + g.zombies.length, 0);
  if (count === 0) out.push(`${c.green('no zombies')}\n`);
  else out.push(`${c.bold(`${count} zombie${count === 1 ? '' : 's'} under ${report.groups.length} parent${report.groups.length === 1 ? '' : 's'}`)}\n`);
  for (const g of report.groups) {
    const p = g.parent;
    const command = termSafe(p.cmdline.length ? p.cmdline.join(' ') : p.comm);
    out.push(
      `\n${c.bold(`parent ${p.pid}`)} ${termSafe(p.comm)}  ${c.dim(command.length > 80 ? `${command.slice(0, 77)}...` : command)}\n` +
        `  ${taskStateInfo(p.state).word} · ${p.threadCount} thread${p.threadCount === 1 ? '' : 's'} · ${DISPOSITION[p.sigchld]}` +
        `${p.blockingThreads.length ? ` · SIGCHLD blocked in ${p.blockingThreads.length === p.threadCount ? 'every thread' : `thread ${p.blockingThreads.join(', ')}`}` : ''}` +
        `${p.sigchldPending ? ' · SIGCHLD pending' : ''}\n`,
    );
    const width = Math.max(...g.zombies.map((z) => String(z.pid).length));
    for (const z of g.zombies) {
      out.push(`  ${c.red('zombie')} ${String(z.pid).padStart(width)}  ${termSafe(z.comm).padEnd(15)} ${exitText(z).padEnd(24)} ${c.dim(`started ${formatAge(z.startedSecondsAgo)} ago`)}\n`);
    }
    out.push(`  ${c.bold('why')}\n`);
    for (const f of g.findings) out.push(`    - ${termSafe(f.message)} ${c.dim(`[${f.code}]`)}\n`);
    if (!g.findings.length) out.push('    - no cause visible in /proc\n');
    out.push(`  ${c.bold('fix')}  ${termSafe(g.fix)}\n`);
  }
  if (report.leaderExited.length) {
    out.push(`\n${c.cyan('not zombies: the main thread exited (pthread_exit) but the process lives on')}\n`);
    out.push(c.dim('  ps shows these as <defunct>, top counts them as zombies and psutil reports "zombie"; they are alive.\n'));
    for (const l of report.leaderExited) {
      const threads = l.liveThreads.map((t) => `${t.tid} ${termSafe(t.name)} (${taskStateInfo(t.state).word})`).join(', ');
      out.push(`  ${String(l.pid).padStart(7)}  ${termSafe(l.comm).padEnd(15)} ${l.liveThreads.length} live thread${l.liveThreads.length === 1 ? '' : 's'}: ${threads}\n`);
    }
  }
  return out.join('');
}

/** JSON document for `zombies --json`. */
export function zombiesJson(report: ZombieReport): unknown {
  return {
    zombieCount: report.groups.reduce((n, g) => n + g.zombies.length, 0),
    groups: report.groups,
    leaderExited: report.leaderExited,
  };
}
