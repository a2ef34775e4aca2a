/**
 * Live inspection from /proc, psutil-style: readers and decoders, no printing.
 * - listProcesses: every process (and thread) fast, for ps-like views
 * - inspectProcess: one process in depth, per-thread truth from task/TID/*
 * - findZombies: zombies grouped by parent, with the reason they are not reaped
 * Values that could not be read are `{ unavailable: 'gone' | 'not-permitted' | 'unsupported' }`.
 */
export { isUnavailable, orElse, type Maybe, type Unavailable, type UnavailableReason } from './files.js';
export { listProcesses, listPids, listTids, type ListOptions, type ProcessEntry, type ThreadEntry } from './listing.js';
export { buildProcessTree, subtreePids, walkTree, type ProcessNode } from './tree.js';
export { selectProcesses, processOf, type ProcessSelection } from './select.js';
export { inspectProcess, type InspectOptions, type ProcessDetail, type ThreadDetail } from './process.js';
export {
  findZombies,
  type ZombieReport,
  type ZombieGroup,
  type Zombie,
  type ParentFacts,
  type WaitCall,
  type Finding as ZombieFinding,
  type FindingCode as ZombieFindingCode,
  type LeaderExited,
} from './zombies.js';
export { parseStat, parseStatBrief, USER_HZ, SCHED_POLICIES, type TaskStat } from './stat.js';
export { parseStatus, hexMask, type TaskStatus, type SignalMasks, type CapabilitySets, type IdSet } from './status.js';
export { parseMaps, mappingAt, stackOf, guardedAnonymousRegions, type Mapping, type ThreadStack } from './maps.js';
export { parseLimits, type ResourceLimit } from './limits.js';
export { parseSchedStat, type SchedStat } from './schedstat.js';
export { parseSyscall, type SyscallState } from './syscall.js';
export { readNamespaces, type NamespaceLink } from './namespaces.js';
export { readFds, fdKind, type OpenFd, type FdKind } from './fds.js';
export { decodeSignalMask, decodeCapabilities, signalNames, maskHex, type DecodedSignal, type DecodedCapability } from './decode.js';
export { taskStateInfo, TASK_STATES, type TaskStateInfo } from './states.js';
