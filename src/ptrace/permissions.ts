/**
 * Why ptrace said EPERM, and what to do about it. The kernel gives one errno for several causes, so we
 * look at the evidence in the order that decides: another tracer, Yama's ptrace_scope, then
 * capabilities and ownership (ptrace(2), "Ptrace access mode checking"; Documentation/admin-guide/LSM/Yama.rst).
 */
import { readFileSync } from 'node:fs';
import { ExitCode, TasklensError } from '../errors.js';
import { readStatus } from './tasks.js';

const CAP_SYS_PTRACE = 19n;

const YAMA_SCOPES: Record<string, { meaning: string; fix: string }> = {
  '1': {
    meaning: 'Yama ptrace_scope is 1 (only a parent may trace its descendants)',
    fix: 'run tasklens as root, or allow tracing with: echo 0 | sudo tee /proc/sys/kernel/yama/ptrace_scope',
  },
  '2': {
    meaning: 'Yama ptrace_scope is 2 (only processes with CAP_SYS_PTRACE may trace)',
    fix: 'run tasklens with sudo (or grant it CAP_SYS_PTRACE)',
  },
  '3': {
    meaning: 'Yama ptrace_scope is 3 (ptrace is disabled until reboot)',
    fix: 'set kernel.yama.ptrace_scope to 0-2 at boot (sysctl.d) and reboot; it cannot be lowered at run time',
  },
};

function hasCapability(capEff: string | undefined, bit: bigint): boolean {
  return capEff !== undefined && ((BigInt(`0x${capEff}`) >> bit) & 1n) === 1n;
}

/** Builds the error for an EPERM from PTRACE_SEIZE on `pid`, with the most likely cause and its fix. */
export function ptraceDenied(pid: number): TasklensError {
  const target = readStatus(pid);
  const self = readStatus('self');
  const tracer = target?.get('TracerPid');
  const deny = (why: string, hint: string) =>
    new TasklensError('ptrace', 'ptrace-denied', `cannot stop process ${pid}: ptrace not permitted (${why})`, {
      hint,
      exitCode: ExitCode.permission,
    });
  if (tracer && tracer !== '0') {
    const name = readStatus(Number(tracer))?.get('Name') ?? 'unknown';
    return deny(`it is already traced by process ${tracer} (${name})`, `detach the other tracer first (a debugger or strace), then retry`);
  }
  let scope: string | undefined;
  try {
    scope = readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'latin1').trim();
  } catch {
    scope = undefined;
  }
  const privileged = hasCapability(self?.get('CapEff'), CAP_SYS_PTRACE);
  if (scope && YAMA_SCOPES[scope] && !(privileged && scope !== '3')) return deny(YAMA_SCOPES[scope].meaning, YAMA_SCOPES[scope].fix);
  if (!privileged) {
    const targetUid = target?.get('Uid')?.split(/\s+/)[0];
    const selfUid = self?.get('Uid')?.split(/\s+/)[0];
    if (targetUid !== undefined && targetUid !== selfUid) {
      return deny(`it belongs to uid ${targetUid} and tasklens runs as uid ${selfUid}`, 'run tasklens as that user or with sudo');
    }
    return deny(
      'tasklens lacks CAP_SYS_PTRACE',
      'in a container, add the capability (docker run --cap-add=SYS_PTRACE, Kubernetes securityContext.capabilities.add: [SYS_PTRACE]); otherwise run with sudo',
    );
  }
  return deny(
    'refused despite CAP_SYS_PTRACE: a security module (SELinux, AppArmor, seccomp) or a non-dumpable process',
    'check the audit log (journalctl -k | grep -i ptrace) for the denial and the policy that made it',
  );
}
