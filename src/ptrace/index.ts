/**
 * Snapshots of a live process through ptrace: every thread stopped together for a few milliseconds,
 * registers, pthread_t, stack mapping and a symbolized backtrace per thread.
 */
export { takeSnapshot } from './snapshot.js';
export type {
  Snapshot,
  SnapshotOptions,
  ThreadSnapshot,
  PauseTiming,
  StackInfo,
  ThreadSyscall,
  UnwindOrder,
} from './snapshot.js';
export type { Frame, UnwindMethod } from './unwind.js';
export type { Registers, RegisterName } from './arch.js';
export type { StopKind } from './tracer.js';
