/**
 * `doctor`: findings in a trace or a live process, each with the tasks and log lines it rests on, why
 * it matters and the fix. Library use:
 *
 *   import { diagnose, parseFileSync } from 'tasklens';
 *   const report = diagnose(parseFileSync('trace.log'));
 *   for (const f of report.findings) console.log(f.severity, f.rule, f.message);
 */
export { Doctor, diagnose, diagnoseBatches, type DoctorOptions } from './doctor.js';
export { RULES, RULE_IDS, ruleById } from './rules/index.js';
export type { RuleDefinition, RuleContext, RuleRun, DoctorThresholds } from './rule.js';
export { SEVERITIES } from './types.js';
export type { Finding, Severity, RuleId, TaskRef, Citation, SkippedRule, DoctorReport, LogProfile, Need } from './types.js';
export { diagnoseCommand, DOCTOR_STRACE_FLAGS, type DiagnoseCommandOptions, type CommandDiagnosis } from './command.js';
export { diagnoseProcess, type LiveOptions } from './live.js';
