/**
 * What happens to strace when tasklens dies without cleaning up (SIGKILL, OOM killer, crash).
 *
 * A parent-death signal on strace is not enough: running a command, strace blocks SIGTERM/SIGINT/
 * SIGHUP for its whole life (-I3, so that a terminal's Ctrl-C reaches the program while strace keeps
 * tracing), and a strace that simply dies leaves lifecycle-mode tracees with its seccomp filter: with
 * no tracer, every filtered call (clone, execve, wait4, exit_group...) then fails with ENOSYS, so the
 * program crashes ("Cannot fork", a segfault after exit_group fails), measured on this machine.
 *
 * So a tiny guardian runs beside strace: /bin/sh in its own session (a terminal's Ctrl-C does not
 * reach it), reading a pipe whose only writer is tasklens. The first line is strace's pid; `done`
 * means the trace ended normally. End of file without `done` means tasklens died, and the guardian:
 * - running a command: stops strace (so nothing more is traced or written), kills every process strace
 *   traces, then strace: the program ends with tasklens, as it would have to;
 * - attached (-p): sends strace SIGINT, its "detach" request (the target keeps running untraced), and
 *   SIGKILL if strace is still there after 5 s;
 * and then removes the trace directory. Blocking in read(2), it costs no CPU while the trace runs.
 * It also holds the log FIFO's read end (as fd 3, never read): when tasklens dies, strace's next lines
 * still go into the pipe instead of failing with EPIPE ("Broken pipe" on the program's stderr)
 * before the guardian has stopped it (a writer gets EPIPE only once every reader is gone).
 * The script is constant; pids and the directory are passed as arguments, never spliced into it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const SCRIPT = `
IFS= read -r s || s=
case "$s" in ''|done|*[!0-9]*) [ "$s" = done ] || rm -rf -- "$2"; exit 0;; esac
IFS= read -r word && [ "$word" = done ] && exit 0
if [ "$1" = detach ]; then
  kill -INT "$s" 2>/dev/null
  n=0
  while kill -0 "$s" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n+1)); done
  kill -KILL "$s" 2>/dev/null
else
  kill -STOP "$s" 2>/dev/null
  for round in 1 2 3 4; do
    pids=$(grep -l "^TracerPid:[[:space:]]*$s\$" /proc/[0-9]*/status 2>/dev/null | sed 's|^/proc/\\([0-9]*\\)/status$|\\1|')
    [ -n "$pids" ] || break
    kill -KILL $pids 2>/dev/null
  done
  kill -KILL "$s" 2>/dev/null
fi
rm -rf -- "$2"
`;

export interface Guardian {
  /** Tells the guardian which process is strace (call right after spawning it). */
  watch(stracePid: number): void;
  /** The trace ended normally: the guardian exits and does nothing. */
  release(): void;
}

/**
 * Starts the guardian for a trace whose FIFO lives in `dir` (`fifoFd`: tasklens's read end of it). `onDeath`: what to do with strace's
 * tracees if tasklens dies (kill them when strace started them, detach when attached). Never throws:
 * without /bin/sh there is simply no guardian.
 */
export function startGuardian(onDeath: 'kill' | 'detach', dir: string, fifoFd?: number): Guardian {
  let child: ChildProcess | undefined;
  try {
    child = spawn('/bin/sh', ['-c', SCRIPT, 'tasklens-guardian', onDeath, dir], { stdio: ['pipe', 'ignore', 'ignore', ...(fifoFd === undefined ? [] : [fifoFd])], detached: true });
    child.on('error', () => undefined);
    child.stdin!.on('error', () => undefined);
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
  } catch {
    child = undefined;
  }
  let released = false;
  return {
    watch(stracePid) {
      if (!released) child?.stdin?.write(`${stracePid}\n`);
    },
    release() {
      if (released) return;
      released = true;
      child?.stdin?.end('done\n');
    },
  };
}
