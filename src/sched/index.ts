/**
 * Scheduling latency per thread: `perf script` parsing of the scheduler tracepoints, the wait
 * analysis (perf sched latency's accounting, per TID), perf recording, and schedstat sampling for
 * when tracing is not permitted.
 */
export { traceFields } from './fields.js';
export { parsePerfScriptLine, PERF_SCRIPT_FIELDS } from './perf-script.js';
export type { SchedRecord, SwitchRecord, WakeupRecord, MigrateRecord, RuntimeRecord, ForkRecord, OtherRecord, UnknownRecord, TraceTime } from './records.js';
export { SchedAnalyzer, HISTOGRAM_BUCKETS, bucketLowerUs } from './analysis.js';
export type { SchedAnalysis, TaskLatency, WaitEvent, RanInstead, CpuUsage, AnalysisOptions, WaitCause } from './analysis.js';
export { analyzePerfData, analyzePerfScriptText, analyzePerfScriptFile, writePerfScript, readLines as readPerfScriptLines, recordSched, locatePerf, tracingDenied, permissionError, LineSplitter as PerfLineSplitter, RECORD_TRACEPOINTS, PERF_INSTALL_HINT } from './perf.js';
export type { PerfDataOptions, RecordOptions, RecordResult, RecordTarget } from './perf.js';
export { readSchedstats, schedstatDeltas, sampleSchedstat, taskState } from './schedstat-sample.js';
export type { SchedstatReading, ThreadWait } from './schedstat-sample.js';
export { latencyByComm, type CommLatency } from './by-comm.js';
