/** Wording shared across families: signals, kill targets, descriptors, wait statuses. */
import { signalByName, type SignalInfo } from '../../kb/signals.js';
import type { ProcessState } from '../context.js';
import { baseName } from '../format.js';
import type { ChildStatus } from '../../facts/index.js';

const GLIBC_INTERNAL: Record<number, string> = {
  32: "glibc's SIGCANCEL, used by pthread_cancel",
  33: "glibc's SIGSETXID, used to make setuid() and friends apply to every thread",
};

/** `SIGUSR1`, `SIGRT_1 (glibc's SIGSETXID, ...)`, from any spelling (a number, `USR1`, `SIGRTMIN`). */
export function signalWords(name: string | undefined): string {
  if (name === undefined) return 'a signal';
  const info = signalByName(name);
  if (!info) return name;
  const internal = GLIBC_INTERNAL[info.number];
  return internal ? `${info.name} (${internal})` : info.name;
}

export function signalOf(name: string | undefined): SignalInfo | undefined {
  return name === undefined ? undefined : signalByName(name);
}

/** What the kernel does with a signal that has no handler. */
export function defaultActionWords(info: SignalInfo): string {
  switch (info.defaultAction) {
    case 'term':
      return 'terminates the process';
    case 'core':
      return 'terminates the process with a core dump';
    case 'ignore':
      return 'is ignored';
    case 'stop':
      return 'stops the process';
    case 'continue':
      return 'continues a stopped process';
  }
}

/** kill()'s pid argument in words. */
export function killTarget(pid: bigint | undefined): string {
  if (pid === undefined) return 'a target';
  if (pid > 0n) return `process ${pid}`;
  if (pid === 0n) return "every process in the caller's process group";
  if (pid === -1n) return 'every process the caller may signal (except init and itself)';
  return `every process in process group ${-pid}`;
}

/** fd 1 -> `stdout`, fd 3 (/etc/passwd) -> `fd 3 (passwd)`. */
export function fdWords(fd: number | undefined, proc: ProcessState, decoration?: string): string {
  if (fd === undefined) return 'a descriptor';
  if (fd === -100) return 'the current directory';
  const std = fd === 0 ? 'stdin' : fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : undefined;
  const info = proc.fds.get(fd);
  const what = decoration ?? info?.what;
  if (std && (!info || info.kind === 'inherited')) return decoration ? `${std} (${decoration})` : std;
  if (!what) return std ?? `fd ${fd}`;
  // Most calls name a descriptor opened earlier, by the same path: its words are kept on it.
  const kept = info?.words;
  if (kept !== undefined && kept.fd === fd && kept.what === what) return kept.text;
  const shown = what.startsWith('/') ? baseName(what) || what : what;
  const text = `${std ?? `fd ${fd}`} (${shown})`;
  if (info) info.words = { fd, what, text };
  return text;
}

/** A child's reported status (from the wait fact) in words: `exited with status 3`, `was killed by SIGKILL (core dumped)`. */
export function waitStatusWords(status: ChildStatus | undefined): string | undefined {
  if (status === undefined) return undefined;
  switch (status.kind) {
    case 'exited':
      return status.code === undefined ? undefined : `exited with status ${status.code}`;
    case 'killed':
      return status.signal === undefined ? undefined : `was killed by ${status.signal}${status.coreDumped ? ' (core dumped)' : ''}`;
    case 'stopped':
      return status.signal === undefined ? undefined : `was stopped by ${status.signal}`;
    case 'continued':
      return 'was continued by SIGCONT';
  }
}

/** `process 1234`, or `the traced process` while a log without pid prefixes has not shown its pid (0). */
export function processWords(tgid: number): string {
  return tgid === 0 ? 'the traced process' : `process ${tgid}`;
}
