/**
 * `tasklens watch`: the whole machine's process lifecycle live (births, execs, exits, signals) from
 * kernel tracepoints (src/bpf/watch.ts). Thin: options in, events rendered one line each (or JSON
 * Lines), a summary on stderr when it ends (Ctrl-C, --duration).
 */
import type { Command } from 'commander';
import { ExitCode, startWatch, termSafe, uidOf, type WatchEvent, type WatchFilter } from '../index.js';
import { jsonLine, reportError, withExamples } from './common.js';
import { parseDuration } from './duration.js';
import { parsePidArgument } from './pid-arg.js';
import type { CliRun } from './io.js';

interface Flags {
  comm?: string;
  pid?: number;
  user?: string;
  cgroup?: string;
  json?: boolean;
  duration?: number;
}

export function register(program: Command, cli: CliRun): void {
  const command = program
    .command('watch')
    .description('the whole machine\'s process lifecycle live from kernel tracepoints: births (thread/process/vfork), execs, exits, signals sent and delivered')
    .option('--comm <name>', 'only tasks with this comm (for an exec: the new program\'s name)')
    .option('-p, --pid <pid>', 'only this process and its descendants (those alive now and those born while watching)', parsePidArgument)
    .option('--user <name|uid>', 'only tasks of this user (for a signal: the sender)')
    .option('--cgroup <path>', 'only tasks in this cgroup v2 (e.g. system.slice/ssh.service; not its children)')
    .option('--json', 'JSON Lines: one event per line, then a summary line')
    .option('-d, --duration <time>', 'stop after this long (10s, 500ms, 2m); default: until Ctrl-C', (v: string) => parseDuration(v, '--duration'))
    .addHelpText(
      'after',
      `
Needs root, or CAP_BPF and CAP_PERFMON; bpftrace (apt-get install bpftrace); kernel BTF
(/sys/kernel/btf/vmlinux); tracefs (mounted at /sys/kernel/tracing when missing).
Columns: time, event, TGID/TID (one number when equal), comm, what happened.
Events the kernel drops when bpftrace cannot keep up are counted and reported, never hidden.
Exit codes: 0 ok, 1 events were lost, 2 usage, 77 not permitted, 127 bpftrace missing.`,
    )
    .action(async (flags: Flags) => {
      cli.exitCode = await runWatch(flags, cli).catch((error: unknown) => reportError(error, cli));
    });
  withExamples(command, [
    ['sudo tasklens watch', 'every fork, exec, exit and signal of the machine until Ctrl-C'],
    ['sudo tasklens watch --comm nginx', 'only what nginx tasks do and receive'],
    ['sudo tasklens watch -p 1234 -d 30s', 'process 1234 and everything it starts, for 30 s'],
    ['sudo tasklens watch --json | jq -c "select(.kind==\\"exit\\")"', 'exits as JSON'],
  ]);
}

async function runWatch(flags: Flags, cli: CliRun): Promise<number> {
  const filter: WatchFilter = {
    ...(flags.comm !== undefined ? { comm: flags.comm } : {}),
    ...(flags.pid !== undefined ? { pid: flags.pid } : {}),
    ...(flags.user !== undefined ? { uid: uidOf(flags.user) } : {}),
    ...(flags.cgroup !== undefined ? { cgroup: flags.cgroup } : {}),
  };
  const session = await startWatch({ filter, path: cli.env.PATH });
  if (!flags.json) cli.stderr.write('tasklens: watching (Ctrl-C to stop)\n');
  const stop = (): void => session.stop();
  cli.signals.on('SIGINT', stop);
  cli.signals.on('SIGTERM', stop);
  const timer = flags.duration !== undefined ? setTimeout(stop, flags.duration) : undefined;
  try {
    for await (const batch of session.events) {
      let text = '';
      for (const event of batch) text += flags.json ? `${jsonLine(toJson(event, session.epochOffsetNs))}\n` : `${renderEvent(event, session.epochOffsetNs)}\n`;
      cli.stdout.write(text);
    }
  } finally {
    clearTimeout(timer);
    cli.signals.off('SIGINT', stop);
    cli.signals.off('SIGTERM', stop);
  }
  const summary = await session.result;
  for (const line of summary.diagnostics) cli.stderr.write(`tasklens: ${termSafe(line)}\n`);
  const c = summary.counts;
  if (flags.json) cli.stdout.write(`${jsonLine({ kind: 'summary', ...summary })}\n`);
  else cli.stderr.write(`tasklens: ${c.birth} births, ${c.exec} execs, ${c.exit} exits, ${c.signal} signals sent, ${c.delivered} delivered; ${summary.lostEvents} events lost\n`);
  return summary.lostEvents > 0 ? ExitCode.failure : ExitCode.ok;
}

function clock(ns: bigint, offset: bigint): string {
  const t = ns + offset;
  const date = new Date(Number(t / 1_000_000n));
  const micros = ((t / 1000n) % 1_000_000n).toString().padStart(6, '0');
  return `${date.toTimeString().slice(0, 8)}.${micros}`;
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/** One line per event; every untrusted string (comm, path, argv) through termSafe. */
export function renderEvent(event: WatchEvent, offset: bigint): string {
  const t = event.task;
  const who = `${t.tgid === t.tid ? String(t.tgid) : `${t.tgid}/${t.tid}`} ${termSafe(t.comm)}`;
  const head = `${clock(event.ns, offset)} ${event.kind.padEnd(9)} ${who}`;
  switch (event.kind) {
    case 'birth':
      return `${head} → ${event.birth} ${event.child} (${event.call})`;
    case 'exec': {
      const argv = event.argv.map((a) => termSafe(quoteArg(a))).join(' ');
      return `${head} ppid ${t.ppid} uid ${t.uid}: ${termSafe(event.path)} [${argv}${event.argvCut ? ' ...' : ''}]${event.ok ? '' : ` failed ${event.errno ?? ''}`}`;
    }
    case 'exit': {
      const s = event.status;
      const how = s.kind === 'exited' ? `exited ${s.code}` : `killed by ${s.signal}${s.coreDumped ? ' (core dumped)' : ''}`;
      return `${head} ppid ${t.ppid}: ${event.groupDead ? how : `thread ${how}`}`;
    }
    case 'signal':
      return `${head} → ${event.target} ${event.signal} (${event.result})`;
    case 'delivered':
      return `${head} ← ${event.signal}`;
  }
}

/** An event as JSON: times as epoch nanoseconds (a decimal string), the rest as the library gives it. */
function toJson(event: WatchEvent, offset: bigint): unknown {
  return { ...event, ns: undefined, time: (event.ns + offset).toString() };
}
