/** Capture layer: finding strace, the flag sets tasklens traces with, and running strace with a live log. */
export { locateStrace, straceInfo, parseStraceVersion, findExecutable, straceMissing } from './locate.js';
export type { StraceInfo, StraceVersion, LocateOptions } from './locate.js';
export { MODES, LIFECYCLE_SYSCALLS, straceFlags } from './flags.js';
export type { CaptureMode, ModeFlags } from './flags.js';
export { startTrace } from './trace.js';
export type { Attachment, TraceOptions, TraceResult, TraceSession } from './trace.js';
export { classifyStraceStderr, straceMessages, commandNotFound, commandNotExecutable } from './diagnostics.js';
export { traceesOf } from './tracees.js';
export type { Tracee } from './tracees.js';
