/**
 * `tasklens limits`: a process's limits beside its use, checked against a systemd unit's `Limit*=`
 * settings, and suggestions with headroom from the observed use.
 */
import { readProcessLimits, type ProcessLimits } from '../procfs/limit-usage.js';
import { RESOURCES, compareLimit, formatLimitValue, parseLimitValue, resourceByName, type LimitValue, type ResourceInfo } from './limit-spec.js';

export interface LimitRow {
  info: ResourceInfo;
  soft: LimitValue;
  hard: LimitValue;
  use?: { value: bigint; source: string };
  unreadable?: string;
  /** use / soft limit, 0..1+ (undefined when unlimited or no use). */
  fraction?: number;
}

export interface UnitLimit {
  info: ResourceInfo;
  soft: LimitValue;
  hard: LimitValue;
  line: number;
  text: string;
}

export interface UnitProblem {
  line: number;
  text: string;
  message: string;
}

export interface UnitFinding {
  resource: string;
  line: number;
  message: string;
  expected: { soft: LimitValue; hard: LimitValue };
  actual: { soft: LimitValue; hard: LimitValue };
}

export interface Suggestion {
  info: ResourceInfo;
  soft: LimitValue;
  /** A `Limit...=` line for a unit and the matching `--limit` of `tasklens run`. */
  unitLine: string;
  runOption: string;
  why: string;
}

export interface LimitsReport {
  pid: number;
  comm: string;
  realUid: number;
  rows: LimitRow[];
  unit?: { path: string; limits: UnitLimit[]; problems: UnitProblem[]; findings: UnitFinding[] };
  suggestions?: Suggestion[];
}

/** systemd directive name of each resource (systemd.exec(5) "Process Properties"). */
export function unitDirective(info: ResourceInfo): string {
  return `Limit${info.name}`;
}

function ratio(use: bigint, limit: LimitValue): number | undefined {
  if (limit === 'unlimited' || limit === 0n) return undefined;
  return Number((use * 10_000n) / limit) / 10_000;
}

/** One systemd value: a number with units, `infinity`, or for NICE a -20..19 priority. */
function parseUnitValue(value: string, info: ResourceInfo): LimitValue {
  if (info.name === 'NICE' && /^[-+]\d+$/.test(value)) return BigInt(20 - Number(value));
  return parseLimitValue(value, info);
}

/**
 * Reads the `Limit*=` lines of a unit file's [Service] (or any) section. Every line is kept or
 * reported with its number; a bad one never stops the rest.
 */
export function parseUnitLimits(text: string): { limits: UnitLimit[]; problems: UnitProblem[] } {
  const limits: UnitLimit[] = [];
  const problems: UnitProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    const m = /^Limit([A-Za-z]+)\s*=\s*(.*)$/.exec(trimmed);
    if (!m) return;
    const info = resourceByName(m[1]);
    if (!info) {
      problems.push({ line, text: trimmed, message: `unknown limit directive Limit${m[1]}=` });
      return;
    }
    const value = m[2].trim();
    if (value === '') return; // an empty assignment resets to the default
    const parts = value.split(':');
    try {
      if (parts.length > 2) throw new Error('expected VALUE or SOFT:HARD');
      const soft = parseUnitValue(parts[0], info);
      const hard = parts.length === 2 ? parseUnitValue(parts[1], info) : soft;
      limits.push({ info, soft, hard, line, text: trimmed });
    } catch (error) {
      problems.push({ line, text: trimmed, message: error instanceof Error ? error.message.replace(/^--limit [^:]*: /, '') : String(error) });
    }
  });
  return { limits, problems };
}

/** A later line for the same resource wins, as in systemd. */
export function checkUnit(rows: readonly LimitRow[], limits: readonly UnitLimit[]): UnitFinding[] {
  const last = new Map<string, UnitLimit>();
  for (const l of limits) last.set(l.info.name, l);
  const findings: UnitFinding[] = [];
  for (const l of last.values()) {
    const row = rows.find((r) => r.info === l.info);
    if (!row) continue;
    const softOk = compareLimit(row.soft, l.soft) === 0;
    const hardOk = compareLimit(row.hard, l.hard) === 0;
    if (softOk && hardOk) continue;
    const f = (v: LimitValue) => formatLimitValue(v, l.info);
    findings.push({
      resource: l.info.resource,
      line: l.line,
      message: `${unitDirective(l.info)}= asks for ${f(l.soft)}:${f(l.hard)} but the process has ${f(row.soft)}:${f(row.hard)}`,
      expected: { soft: l.soft, hard: l.hard },
      actual: { soft: row.soft, hard: row.hard },
    });
  }
  return findings;
}

/** Rounds up to a power of two (counts) or to whole MiB (sizes). */
function roundUp(value: bigint, info: ResourceInfo): bigint {
  if (info.measure === 'bytes') {
    const mib = 1n << 20n;
    return ((value + mib - 1n) / mib) * mib;
  }
  let p = 1n;
  while (p < value) p <<= 1n;
  return p;
}

/** Headroom: twice the observed use, never below the floors below (what a program needs to start). */
const SUGGEST: Record<string, { factor: bigint; floor: bigint }> = {
  NOFILE: { factor: 2n, floor: 1024n },
  NPROC: { factor: 2n, floor: 256n },
  STACK: { factor: 4n, floor: 8n << 20n },
  AS: { factor: 2n, floor: 256n << 20n },
};

export function suggestLimits(rows: readonly LimitRow[]): Suggestion[] {
  const out: Suggestion[] = [];
  for (const row of rows) {
    const rule = SUGGEST[row.info.name];
    if (!rule || !row.use) continue;
    let soft = roundUp(row.use.value * rule.factor, row.info);
    if (soft < rule.floor) soft = rule.floor;
    if (compareLimit(soft, row.hard) > 0) soft = row.hard === 'unlimited' ? soft : row.hard;
    const text = formatLimitValue(soft, row.info);
    out.push({
      info: row.info,
      soft,
      unitLine: `${unitDirective(row.info)}=${text}`,
      runOption: `--limit ${row.info.name}=${text}`,
      why: `uses ${formatLimitValue(row.use.value, row.info)} (${row.use.source}); ${rule.factor}x with a floor of ${formatLimitValue(rule.floor, row.info)}`,
    });
  }
  return out;
}

/** Every limit of a process with its use. */
export function limitsOf(pid: number): { process: ProcessLimits; rows: LimitRow[] } {
  const process = readProcessLimits(pid);
  const rows: LimitRow[] = [];
  for (const info of RESOURCES) {
    const limit = process.limits.find((l) => l.resource === info.resource);
    if (!limit) continue;
    const row: LimitRow = { info, soft: limit.soft, hard: limit.hard };
    const use = process.use.get(info.resource);
    if (use) {
      row.use = use;
      const fraction = ratio(use.value, limit.soft);
      if (fraction !== undefined) row.fraction = fraction;
    }
    const why = process.unreadable.get(info.resource);
    if (why) row.unreadable = why;
    rows.push(row);
  }
  return { process, rows };
}

/** The whole `tasklens limits` report; `unitText` is the unit file's content when --unit is given. */
export function limitsReport(pid: number, options: { unit?: { path: string; text: string }; suggest?: boolean } = {}): LimitsReport {
  const { process, rows } = limitsOf(pid);
  const report: LimitsReport = { pid, comm: process.comm, realUid: process.realUid, rows };
  if (options.unit) {
    const { limits, problems } = parseUnitLimits(options.unit.text);
    report.unit = { path: options.unit.path, limits, problems, findings: checkUnit(rows, limits) };
  }
  if (options.suggest) report.suggestions = suggestLimits(rows);
  return report;
}
