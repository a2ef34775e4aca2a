/**
 * Labs: classic process/thread/signal experiments as small C programs of our own, built with gcc
 * (cached), traced with full strace, and analysed into points that cite the real trace lines.
 */
export { LABS, findLab } from './catalog.js';
export { runLab, unknownLab, requireTools, type LabRun, type RunLabOptions } from './run.js';
export { buildProgram, buildKey, compilerVersion, gccMissing, CFLAGS, type BuildOptions } from './build.js';
export { labCacheDir, chooseLabCacheDir, explicitCacheDir, cacheCandidates, type CacheChoice } from './cache.js';
export { ensurePrivateDir, ownDirectoryProblem, ancestorProblem } from './private-dir.js';
export { traceProgram, procState, LAB_STRACE_FLAGS, type TraceProgramOptions } from './trace.js';
export { LabTrace, humanDuration, oneLine } from './evidence.js';
export { runSchedLatencyLab, schedLatencyPoints, type SchedLabRun } from './sched-latency.js';
export type * from './types.js';
