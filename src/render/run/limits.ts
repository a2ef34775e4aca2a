/** `tasklens limits` as text and JSON. */
import type { LimitsReport } from '../../run/limits-check.js';
import { formatLimitValue } from '../../run/limit-spec.js';
import { termSafe } from '../escape.js';
import type { Palette } from '../color.js';

export function renderLimitsText(report: LimitsReport, p: Palette): string {
  const lines: string[] = [`process ${report.pid} (${termSafe(report.comm)}), real UID ${report.realUid}`, ''];
  const table = report.rows.map((r) => {
    const use = r.use ? formatLimitValue(r.use.value, r.info) : r.unreadable ? '?' : '-';
    const pct = r.fraction !== undefined ? `${(r.fraction * 100).toFixed(r.fraction < 0.01 ? 2 : 0)}%` : '';
    return [r.info.name, formatLimitValue(r.soft, r.info), formatLimitValue(r.hard, r.info), use, pct, r.info.atLimit, r.fraction];
  });
  lines.push(`${'LIMIT'.padEnd(11)}${'SOFT'.padEnd(11)}${'HARD'.padEnd(11)}${'USE'.padEnd(11)}${'USE%'.padEnd(7)}AT THE LIMIT`);
  for (const [name, soft, hard, use, pct, at, fraction] of table) {
    const usePct = String(pct).padEnd(7);
    const colored = typeof fraction === 'number' && fraction >= 0.8 ? p.red(usePct) : usePct;
    lines.push(`${String(name).padEnd(11)}${String(soft).padEnd(11)}${String(hard).padEnd(11)}${String(use).padEnd(11)}${colored}${at}`);
  }
  const sources = report.rows.filter((r) => r.use || r.unreadable).map((r) => `${r.info.name}: ${r.use ? r.use.source : r.unreadable}`);
  lines.push('', `use read from: ${sources.join('; ')}`);
  if (report.unit) {
    const u = report.unit;
    lines.push('', `unit ${termSafe(u.path)}: ${u.limits.length} Limit*= line(s)`);
    for (const problem of u.problems) lines.push(`  line ${problem.line}: ${termSafe(problem.message)}: ${termSafe(problem.text)}`);
    if (!u.findings.length) lines.push(p.green('  the process has every limit the unit asks for'));
    for (const f of u.findings) lines.push(`  ${p.red('mismatch')} line ${f.line}: ${f.message}`);
  }
  if (report.suggestions) {
    lines.push('', 'suggested (headroom over observed use):');
    for (const s of report.suggestions) lines.push(`  ${s.unitLine.padEnd(22)} ${s.runOption.padEnd(26)} ${s.why}`);
  }
  return `${lines.join('\n')}\n`;
}

export function limitsJson(report: LimitsReport): unknown {
  const v = (x: bigint | 'unlimited') => String(x);
  return {
    pid: report.pid,
    comm: report.comm,
    realUid: report.realUid,
    limits: report.rows.map((r) => ({
      name: r.info.name,
      resource: r.info.resource,
      soft: v(r.soft),
      hard: v(r.hard),
      ...(r.use ? { use: String(r.use.value), useSource: r.use.source } : {}),
      ...(r.unreadable ? { unreadable: r.unreadable } : {}),
      ...(r.fraction !== undefined ? { fraction: r.fraction } : {}),
      atLimit: r.info.atLimit,
    })),
    ...(report.unit
      ? {
          unit: {
            path: report.unit.path,
            problems: report.unit.problems,
            findings: report.unit.findings.map((f) => ({ ...f, expected: { soft: v(f.expected.soft), hard: v(f.expected.hard) }, actual: { soft: v(f.actual.soft), hard: v(f.actual.hard) } })),
          },
        }
      : {}),
    ...(report.suggestions ? { suggestions: report.suggestions.map((s) => ({ name: s.info.name, soft: v(s.soft), unitLine: s.unitLine, runOption: s.runOption, why: s.why })) } : {}),
  };
}
