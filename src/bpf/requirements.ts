/**
 * Can the bpf engine run here? bpftrace installed, enough privilege (root, or CAP_BPF + CAP_PERFMON),
 * kernel BTF (bpftrace reads task_struct through it) and tracefs (mounted on demand, as root can).
 */
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { ExitCode, TasklensError } from '../errors.js';
import { findExecutable } from '../capture/locate.js';
import { TRACEFS } from './tracepoints.js';

const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;
export const BTF_PATH = '/sys/kernel/btf/vmlinux';
export const INSTALL_HINT = 'apt-get install -y bpftrace';

export interface BpfReadiness {
  /** Path of bpftrace, when found. */
  bpftrace?: string;
  /** Why the engine cannot run, as an error to throw; undefined when it can. */
  problem?: TasklensError;
}

/** The effective capability mask of this process. */
function effectiveCaps(): bigint {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? BigInt(`0x${m[1]}`) : 0n;
  } catch {
    return 0n;
  }
}

const has = (mask: bigint, bit: bigint): boolean => (mask & (1n << bit)) !== 0n;

/** tracefs mounted (mounts it when missing and allowed); false when it cannot be. */
export function ensureTracefs(root = TRACEFS): boolean {
  if (existsSync(`${root}/events`)) return true;
  try {
    execFileSync('mount', ['-t', 'tracefs', 'nodev', root], { stdio: 'ignore' });
  } catch {
    return false;
  }
  return existsSync(`${root}/events`);
}

/** Checks everything the engine needs, in the order a user fixes them. Mounts tracefs when it can. */
export function bpfReadiness(path = process.env.PATH ?? ''): BpfReadiness {
  const bpftrace = findExecutable('bpftrace', path);
  if (!bpftrace) {
    return { problem: new TasklensError('capture', 'bpftrace-missing', 'bpftrace not found: the bpf engine runs it', { hint: `${INSTALL_HINT} (or use --engine strace)`, exitCode: ExitCode.missingTool }) };
  }
  const caps = effectiveCaps();
  if (!has(caps, CAP_SYS_ADMIN) && !(has(caps, CAP_BPF) && has(caps, CAP_PERFMON))) {
    return { bpftrace, problem: new TasklensError('capture', 'bpf-not-permitted', 'the bpf engine needs root, or CAP_BPF and CAP_PERFMON', { hint: 'run as root, or give the capabilities CAP_BPF,CAP_PERFMON (or use --engine strace)', exitCode: ExitCode.permission }) };
  }
  if (!existsSync(BTF_PATH)) {
    return { bpftrace, problem: new TasklensError('capture', 'no-btf', `the kernel has no BTF (${BTF_PATH})`, { hint: 'enable CONFIG_DEBUG_INFO_BTF=y in the kernel (or use --engine strace)' }) };
  }
  if (!ensureTracefs()) {
    return { bpftrace, problem: new TasklensError('capture', 'no-tracefs', `tracefs is not mounted at ${TRACEFS} and could not be mounted`, { hint: `mount -t tracefs nodev ${TRACEFS} (needs CONFIG_TRACING) or use --engine strace` }) };
  }
  return { bpftrace };
}
