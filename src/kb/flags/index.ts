/**
 * Flag and constant tables, one file per family, plus the generic decoder. FLAG_TABLES lists every
 * table by id so callers (and tests) can walk them; findFlag answers "which table knows this name".
 */
import type { FlagTable, FlagValue } from './table.js';
import { flagByName } from './table.js';
import { CLONE_FLAGS, CLONE3_FLAGS, EXIT_SIGNAL } from './clone.js';
import { PROT, MAP_FLAGS, MADVISE_ADVICE, MSYNC_FLAGS, MLOCKALL_FLAGS, MLOCK2_FLAGS, MREMAP_FLAGS } from './mman.js';
import { OPEN_FLAGS, AT_FLAGS, AT_DIRFD, FCNTL_CMDS, FD_FLAGS, SEEK_WHENCE, CLOSE_RANGE_FLAGS, FADVISE_ADVICE } from './fcntl.js';
import { CLOCK_IDS, TIMER_FLAGS, ITIMER_WHICH, GETRANDOM_FLAGS } from './time.js';
import {
  SIGPROCMASK_HOW, SIGACTION_FLAGS, SIG_HANDLER, SIGALTSTACK_FLAGS,
  SI_CODE, SI_CODE_CHLD, SI_CODE_SEGV, SI_CODE_BUS, SI_CODE_ILL, SI_CODE_FPE, SI_CODE_TRAP, SI_CODE_SYS, SI_CODE_POLL,
} from './signal.js';
import { WAIT_OPTIONS, WAITID_IDTYPE } from './wait.js';
import { FUTEX_OPS, FUTEX2_FLAGS, FUTEX_WORD_BITS, FUTEX_WAKE_OP_OPS, FUTEX_WAKE_OP_CMPS, FUTEX_BITSET } from './futex.js';
import { PRCTL_OPTIONS, ARCH_PRCTL_CODES } from './prctl.js';
import { RLIMIT_RESOURCES, RLIMIT_VALUES } from './rlimit.js';
import { ADDRESS_FAMILIES, SOCKET_TYPES, SOCKET_LEVELS, IP_PROTOCOLS, SCM_TYPES } from './socket.js';
import { FILE_TYPES, MODE_SPECIAL_BITS, DIRENT_TYPES, ACCESS_MODE, STATX_MASK, STATX_ATTRIBUTES } from './stat.js';
import { IOCTL_REQUESTS } from './ioctl.js';
import { SOCKETCALL_CALLS, IPC_CALLS } from './multiplexers.js';

export * from './table.js';
export * from './clone.js';
export * from './mman.js';
export * from './fcntl.js';
export * from './time.js';
export * from './signal.js';
export * from './wait.js';
export * from './futex.js';
export * from './prctl.js';
export * from './rlimit.js';
export * from './socket.js';
export * from './stat.js';
export * from './ioctl.js';
export * from './multiplexers.js';

export const FLAG_TABLES: readonly FlagTable[] = [
  CLONE_FLAGS, CLONE3_FLAGS, EXIT_SIGNAL,
  PROT, MAP_FLAGS, MADVISE_ADVICE, MSYNC_FLAGS, MLOCKALL_FLAGS, MLOCK2_FLAGS, MREMAP_FLAGS,
  OPEN_FLAGS, AT_FLAGS, AT_DIRFD, FCNTL_CMDS, FD_FLAGS, SEEK_WHENCE, CLOSE_RANGE_FLAGS, FADVISE_ADVICE,
  CLOCK_IDS, TIMER_FLAGS, ITIMER_WHICH, GETRANDOM_FLAGS,
  SIGPROCMASK_HOW, SIGACTION_FLAGS, SIG_HANDLER, SIGALTSTACK_FLAGS,
  SI_CODE, SI_CODE_CHLD, SI_CODE_SEGV, SI_CODE_BUS, SI_CODE_ILL, SI_CODE_FPE, SI_CODE_TRAP, SI_CODE_SYS, SI_CODE_POLL,
  WAIT_OPTIONS, WAITID_IDTYPE,
  FUTEX_OPS, FUTEX2_FLAGS, FUTEX_WORD_BITS, FUTEX_WAKE_OP_OPS, FUTEX_WAKE_OP_CMPS, FUTEX_BITSET,
  PRCTL_OPTIONS, ARCH_PRCTL_CODES,
  RLIMIT_RESOURCES, RLIMIT_VALUES,
  ADDRESS_FAMILIES, SOCKET_TYPES, SOCKET_LEVELS, IP_PROTOCOLS, SCM_TYPES,
  FILE_TYPES, MODE_SPECIAL_BITS, DIRENT_TYPES, ACCESS_MODE, STATX_MASK, STATX_ATTRIBUTES,
  IOCTL_REQUESTS, SOCKETCALL_CALLS, IPC_CALLS,
];

const BY_ID = new Map(FLAG_TABLES.map((t) => [t.id, t]));

export function flagTable(id: string): FlagTable | undefined {
  return BY_ID.get(id);
}

/**
 * Every table that knows a name, in FLAG_TABLES order. Some names live in several tables on purpose
 * (CLONE_VM in clone and clone3; SIGCHLD as a clone exit signal), so this returns all of them.
 */
export function findFlag(name: string): Array<{ table: FlagTable; value: FlagValue }> {
  const out: Array<{ table: FlagTable; value: FlagValue }> = [];
  for (const table of FLAG_TABLES) {
    const value = flagByName(table, name);
    if (value) out.push({ table, value });
  }
  return out;
}
