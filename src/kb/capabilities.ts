/**
 * Linux capability bits 0..40 (<linux/capability.h>), as they appear in /proc/PID/status CapEff etc.
 * and in capget/capset. Bit numbers above 40 are reported by number: a newer kernel may define them.
 */

export interface CapabilityInfo {
  readonly bit: number;
  readonly name: string;
  /** One line, our own words. */
  readonly meaning: string;
}

const ROWS: ReadonlyArray<[string, string]> = [
  ['CAP_CHOWN', 'change the owner and group of any file'],
  ['CAP_DAC_OVERRIDE', 'ignore read, write and execute permission bits on files'],
  ['CAP_DAC_READ_SEARCH', 'read any file and search any directory regardless of permissions'],
  ['CAP_FOWNER', 'act as the owner of any file (chmod, utimes, set ACLs) without owning it'],
  ['CAP_FSETID', 'keep set-user-ID/set-group-ID bits when modifying a file, and set SGID on foreign groups'],
  ['CAP_KILL', 'send signals to processes of other users'],
  ['CAP_SETGID', 'change group IDs and supplementary groups arbitrarily'],
  ['CAP_SETUID', 'change user IDs arbitrarily'],
  ['CAP_SETPCAP', 'grant or drop capabilities in the bounding set and change securebits'],
  ['CAP_LINUX_IMMUTABLE', 'set the immutable and append-only attributes on files'],
  ['CAP_NET_BIND_SERVICE', 'bind sockets to privileged ports below 1024'],
  ['CAP_NET_BROADCAST', 'send broadcasts and listen to multicast (historical, barely checked)'],
  ['CAP_NET_ADMIN', 'configure network interfaces, routes, firewall rules and socket options reserved for admins'],
  ['CAP_NET_RAW', 'open raw and packet sockets (ping, packet capture)'],
  ['CAP_IPC_LOCK', 'lock memory with mlock/mlockall/SHM_LOCK beyond RLIMIT_MEMLOCK'],
  ['CAP_IPC_OWNER', 'bypass permission checks on System V IPC objects'],
  ['CAP_SYS_MODULE', 'load and unload kernel modules'],
  ['CAP_SYS_RAWIO', 'perform raw I/O: ioperm/iopl, /dev/mem, raw block device commands'],
  ['CAP_SYS_CHROOT', 'call chroot and change mount namespaces with setns'],
  ['CAP_SYS_PTRACE', 'trace or read the memory of any process, bypassing ptrace_scope and ownership'],
  ['CAP_SYS_PACCT', 'switch process accounting on or off'],
  ['CAP_SYS_ADMIN', 'the catch-all administrator capability: mount, namespaces, swap, many ioctls and more'],
  ['CAP_SYS_BOOT', 'reboot the machine and load a new kernel with kexec'],
  ['CAP_SYS_NICE', 'raise priorities, use real-time scheduling and set CPU affinity of other processes'],
  ['CAP_SYS_RESOURCE', 'exceed resource limits and quotas, and raise hard limits'],
  ['CAP_SYS_TIME', 'set the system clock and the hardware clock'],
  ['CAP_SYS_TTY_CONFIG', 'configure terminals with vhangup and privileged tty ioctls'],
  ['CAP_MKNOD', 'create device special files with mknod'],
  ['CAP_LEASE', 'take file leases on files the process does not own'],
  ['CAP_AUDIT_WRITE', 'write records to the kernel audit log'],
  ['CAP_AUDIT_CONTROL', 'configure kernel auditing and its rules'],
  ['CAP_SETFCAP', 'set file capabilities on executables, and map root in new user namespaces'],
  ['CAP_MAC_OVERRIDE', 'bypass mandatory access control (Smack)'],
  ['CAP_MAC_ADMIN', 'change mandatory access control policy (Smack, AppArmor)'],
  ['CAP_SYSLOG', 'read and control the kernel log and see kernel addresses'],
  ['CAP_WAKE_ALARM', 'set timers that wake the system from suspend'],
  ['CAP_BLOCK_SUSPEND', 'prevent the system from suspending (epoll wakeups)'],
  ['CAP_AUDIT_READ', 'read the audit log through a multicast netlink socket'],
  ['CAP_PERFMON', 'use perf events and other performance monitoring without CAP_SYS_ADMIN'],
  ['CAP_BPF', 'load BPF programs and create maps without CAP_SYS_ADMIN'],
  ['CAP_CHECKPOINT_RESTORE', 'checkpoint/restore helpers: choose PIDs for new processes, read map_files'],
];

export const CAPABILITIES: readonly CapabilityInfo[] = ROWS.map(([name, meaning], bit) => ({ bit, name, meaning }));

/** Highest capability bit this table knows (CAP_LAST_CAP of the kernel headers we were written for). */
export const CAP_LAST_CAP = CAPABILITIES.length - 1;

const BY_NAME = new Map(CAPABILITIES.map((c) => [c.name, c]));

export function capabilityName(bit: number): string | undefined {
  return CAPABILITIES[bit]?.name;
}

export function capabilityInfo(bit: number): CapabilityInfo | undefined {
  return CAPABILITIES[bit];
}

/** Accepts `CAP_KILL`, `kill`, `cap_kill` or a bit number as text. */
export function capabilityByName(name: string): CapabilityInfo | undefined {
  const text = name.trim();
  if (/^\d+$/.test(text)) return CAPABILITIES[Number(text)];
  const upper = text.toUpperCase();
  return BY_NAME.get(upper.startsWith('CAP_') ? upper : `CAP_${upper}`);
}

/** Capability bits set in a 64-bit mask (as in CapEff: bit n = capability n); unknown bits keep only their number. */
export function capabilitiesInMask(mask: bigint): Array<{ bit: number; name?: string }> {
  const out: Array<{ bit: number; name?: string }> = [];
  let m = BigInt.asUintN(64, mask);
  for (let bit = 0; m !== 0n; bit++, m >>= 1n) {
    if (!(m & 1n)) continue;
    const name = capabilityName(bit);
    out.push(name === undefined ? { bit } : { bit, name });
  }
  return out;
}
