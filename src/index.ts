/**
 * tasklens library API. Layers, lower to upper: capture (strace, bpftrace) -> parse (text -> events)
 * -> facts (each event decoded once) -> model (task graph) -> explain / doctor / report -> render
 * (text, JSON, HTML, Perfetto); beside them procfs (live /proc), ptrace (snapshots), kb (knowledge
 * tables), lab, sched and run. The CLI (src/cli) is a client of this module.
 */
export * from './errors.js';
/**
 * Parsing: strace text (a file, files of -ff, a stream, a string) into typed events, lossless, never
 * throwing on input. The line splitter and prefix reader inside are not part of the API.
 */
export {
  StraceParser,
  parseLines,
  parseText,
  parseFileSync,
  parseFilesSync,
  parseFile,
  parseFiles,
  parseFileBatches,
  parseFilesBatches,
  parseStream,
  parseStreamBatches,
  pidFromFileName,
  readLinesSync,
  readLines,
  readFileLines,
  lineText,
  lineBytes,
  escapedByte,
  stripAnsi,
  decodeUtf8,
  decodeStraceString,
  DEFAULT_MAX_LINE_BYTES,
  parseReturn,
  parseArgs,
  parseValue,
  unescapeString,
  toBigInt,
  valueText,
  structField,
  flagNames,
  printedWaitStatus,
} from './parse/index.js';
export type { ParseOptions, FileParseOptions, Line, OverlongLine, SplitOptions, ReadOptions, PrintedWaitStatus } from './parse/index.js';
export type * from './parse/types.js';
export * from './kb/index.js';
export * from './capture/index.js';
export * from './bpf/index.js';
/** Terminal-safe text: control bytes, C1 and bidi characters escaped (untrusted comm, argv, paths). */
export { termSafe } from './render/escape.js';
export * from './model/index.js';
/**
 * Facts: each lifecycle event decoded once into a typed record (`factOf(event)`): task creation with
 * its one clone classification, exec, wait, signal delivered or sent, exit, limit, descriptor.
 */
export { factOf, factsOf, classifyClone, waitStatusOf, limitValue, FACT_SYSCALLS } from './facts/index.js';
export type { Fact, FactKind, CloneKind, CreatingSyscall, TaskCreationFact, ExecFact, WaitFact, WaitTarget, SignalDeliveryFact, SignalSentFact, ExitFact, LimitFact, LimitValue, FdFact, FdOp } from './facts/index.js';
export * from './procfs/index.js';
export { renderTreeText, renderTreeDocument, treeToJSON, buildTree } from './render/tree/index.js';
/** What buildTree returns (and treeToJSON serialises): processes with their threads, execs and ends. */
export type { TreeDocument, ProcessNode as TreeProcessNode, ThreadNode as TreeThreadNode, ExecNode as TreeExecNode, EndNode as TreeEndNode } from './render/tree/build.js';
export { TimelineRenderer, shellExitCode, type TimelineOptions } from './render/timeline.js';
export * from './ptrace/index.js';
export { renderSnapshotText, type TextOptions as SnapshotTextOptions } from './render/snapshot/text.js';
export { renderSnapshotJson } from './render/snapshot/json.js';
export { LABS, findLab, runLab, requireTools, labCacheDir, type LabRun, type RunLabOptions, type LabDefinition, type LabPoint, type LabSide, type ProgramRun } from './lab/index.js';
export { Explainer, explainAll, describedSyscalls, BENIGN_RULES, type Explanation, type PatternMatch, type PatternRole, type ExplainedEvent, type ExplainSummary } from './explain/index.js';
export { renderExplainedText, renderExplainSummary, type ExplainTextOptions } from './render/explain/index.js';
export * from './sched/index.js';
export * from './run/index.js';
export { renderRunReport, runReportJson } from './render/run/text.js';
export { renderLimitsText, limitsJson } from './render/run/limits.js';
export * from './report/index.js';
export * from './doctor/index.js';
export { renderDoctorText, renderFinding, findingToJSON, doctorSummaryJSON, citationLocation, type DoctorTextOptions } from './render/doctor/index.js';
/** Terminal and JSON output: untrusted text made inert (termSafe), colour only on a terminal (NO_COLOR honoured), line widths. */
export { termSafeLines, jsonSafe } from './render/escape.js';
export { colorEnabled, palette, type Palette } from './render/color.js';
export { terminalWidth } from './render/text.js';
/** Operating-system errors (ENOENT, EACCES, EMFILE...) as one line and an exit code. */
export { isSystemError, systemErrorText, systemErrorMessage, systemErrorExitCode, type SystemError } from './system-errors.js';
/** Scheduling latency as text: the perf-based analysis and the schedstat sample. */
export { renderSchedText, type SchedTextOptions } from './render/sched/text.js';
export { renderSchedstatText } from './render/sched/schedstat.js';
