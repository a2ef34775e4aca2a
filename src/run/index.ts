/**
 * `tasklens run` as a library: a signal-disciplined launcher (limits before exec, child subreaper,
 * orphan reaping beside Node's own child handling, signal forwarding, whole-tree stop with escalation,
 * honest exit codes) and the resource-limit tables it shares with `tasklens limits`.
 */
export { runSupervised, FORWARDED_SIGNALS, type RunOptions, type RunReport, type LimitInForce, type ForwardedSignal, type KilledProcess } from './supervisor.js';
export { Reaper, outcomeOfStatus, exitCodeOf, type ExitOutcome, type ReapedProcess, type ReaperOptions } from './reaper.js';
export { resolveCommand, EXEC_EXIT, type Resolution } from './command.js';
export { descendantsOf, childrenOf, dispositionOf, type Descendant, type Disposition } from './descendants.js';
export {
  RESOURCES, parseLimitSpec, parseLimitValue, compareLimit, formatLimitValue, limitArgument, resourceByName, resourceByLabel,
  LimitSpecError, type LimitSpec, type LimitValue, type ResourceInfo,
} from './limit-spec.js';
export {
  limitsReport, limitsOf, parseUnitLimits, checkUnit, suggestLimits, unitDirective,
  type LimitsReport, type LimitRow, type UnitLimit, type UnitProblem, type UnitFinding, type Suggestion,
} from './limits-check.js';
export { readProcessLimits, threadsOfUid, type ProcessLimits, type LimitUse } from '../procfs/limit-usage.js';
export { SETUP_FAILED_EXIT, setupArgv, type LimitToApply } from './exec-setup.js';
export {
  INHERITED_SIGNALS_ENV, takeInheritedSignals, parseInheritedSignals, signalsOfMask, envSignalOptions, isDefaultSignalState, type SignalState,
} from './signal-state.js';
