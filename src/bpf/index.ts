/** The kernel-tracepoint engine (bpftrace): lifecycle capture for `trace` and the whole machine for `watch`. */
export { startBpfTrace, stopTracer } from './session.js';
export type { BpfTraceOptions, CaptureSession } from './session.js';
export { bpfReadiness, ensureTracefs, INSTALL_HINT } from './requirements.js';
export type { BpfReadiness } from './requirements.js';
export { generateScript, checkTracepoints } from './script.js';
export type { ScriptOptions, ScriptScope } from './script.js';
export { parseFormat, readFormat } from './tracepoints.js';
export { RecordReader, byTime } from './records.js';
export type { BpfRecord, BpfLine } from './records.js';
export { StraceLineWriter, quoteString } from './strace-lines.js';
export { chooseEngine } from './engine.js';
export type { EngineChoice, EngineName } from './engine.js';
export { startWatch, watchFilter, cgroupId, uidOf } from './watch.js';
export type { WatchFilter, WatchOptions, WatchSession, WatchSummary } from './watch.js';
export { WatchDecoder, exitStatus } from './watch-events.js';
export type { WatchEvent, WatchTask, WatchBirthKind, WatchExitStatus } from './watch-events.js';
