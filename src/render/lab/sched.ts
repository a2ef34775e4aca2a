/** The sched-latency lab as text and JSON: what it teaches, the files, the latency table, the cited points. */
import type { Palette } from '../color.js';
import type { SchedLabRun } from '../../lab/sched-latency.js';
import { renderSchedText } from '../sched/text.js';
import { renderPointsText, wrap } from './points.js';
import { displayPath } from './text.js';
import { labToJSON } from './list.js';

export function renderSchedLabText(run: SchedLabRun, options: { palette: Palette; width?: number }): string {
  const c = options.palette;
  const prose = Math.min(options.width ?? 100, 100);
  const out: string[] = [c.bold(`lab ${run.lab.id}: ${run.lab.title}`), ...wrap(run.lab.teaches, prose, ''), ''];
  const field = (name: string, value: string): string => `   ${c.dim(name.padEnd(7))} ${value}`;
  out.push(field('source', displayPath(run.sourcePath)));
  out.push(field('binary', `${displayPath(run.build.binary)} ${c.dim(run.build.cached ? '(cached)' : `(compiled in ${run.build.compileMs} ms)`)}`));
  out.push(field('record', `${displayPath(run.perfData)} ${c.dim(`(process ${run.commandPid ?? '?'}, exit ${run.exitCode})`)}`));
  out.push(field('log', `${displayPath(run.scriptLog)} ${c.dim('(perf script: the cited lines)')}`));
  out.push('');
  out.push(renderSchedText(run.analysis, { palette: c, source: `lab ${run.lab.id}, the workload's threads`, rows: 25 }));
  out.push(c.bold('━━ what the recording shows'));
  out.push(renderPointsText(run.points, { palette: c, ...(options.width !== undefined ? { width: options.width } : {}) }));
  return out.join('\n');
}

export function schedLabToJSON(run: SchedLabRun): Record<string, unknown> {
  return {
    tasklens: 'lab',
    version: 1,
    lab: labToJSON(run.lab),
    cacheDir: run.cacheDir,
    programs: [{ name: run.lab.programs[0].name, source: run.sourcePath, build: run.build, perfData: run.perfData, scriptLog: run.scriptLog, pid: run.commandPid, exitCode: run.exitCode }],
    analysis: run.analysis,
    points: run.points,
  };
}
