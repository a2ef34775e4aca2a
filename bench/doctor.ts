/**
 * doctor against explain on the same >= 100 MB log in one run (issue 12: doctor costs at most 1.5x
 * explain's time), alternated, best of two each after a warm-up; and doctor's peak RSS on the
 * >= 1 GB log in a child process (memory must stay bounded by the tasks, not the log).
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { secondsOf, type Benchmark } from './harness.js';
import { bigLog, hugeLog } from './logs.js';
import { explainAllEvents } from './explain.js';
import { parseFileSync } from '../src/parse/index.js';
import { Doctor } from '../src/doctor/index.js';

/** Parses and diagnoses every event; returns the number of findings. */
export function doctorAllEvents(path: string): number {
  const doctor = new Doctor();
  for (const event of parseFileSync(path, { perPidFile: false })) doctor.push(event);
  return doctor.end().findings.length;
}

export const doctorBenchmark: Benchmark = {
  name: 'doctor',
  description: 'doctor time vs explain time on the same >= 100 MB log; doctor peak RSS on the >= 1 GB log',
  async run(progress) {
    const log = bigLog(progress);
    const mb = statSync(log).size / 1e6;
    explainAllEvents(log);
    doctorAllEvents(log);
    let explainSec = Infinity;
    let doctorSec = Infinity;
    let findings = 0;
    for (let round = 0; round < 2; round++) {
      explainSec = Math.min(explainSec, secondsOf(() => explainAllEvents(log)));
      doctorSec = Math.min(doctorSec, secondsOf(() => (findings = doctorAllEvents(log))));
      progress(`explain ${explainSec.toFixed(2)} s, doctor ${doctorSec.toFixed(2)} s`);
    }
    const huge = hugeLog(log, 1e9, progress);
    const script = fileURLToPath(import.meta.url).replace(/doctor\.(ts|js)$/, 'doctor-child.$1');
    const args = script.endsWith('.ts') ? ['--import', 'tsx', script, huge] : [script, huge];
    const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`doctor child failed: ${child.stderr}`);
    const { maxRssMB } = JSON.parse(child.stdout) as { maxRssMB: number };
    return [
      {
        name: `doctor time (${mb.toFixed(0)} MB log, ${findings} findings)`,
        value: doctorSec,
        unit: 's',
        baseline: { name: 'explain on the same log', value: explainSec, unit: 's' },
        ratio: doctorSec / explainSec,
        ratioMeaning: 'doctor time / explain time',
        target: '<= 1.5x explain (issue 12)',
        met: doctorSec / explainSec <= 1.5,
      },
      { name: `doctor peak RSS on the ${(statSync(huge).size / 1e9).toFixed(1)} GB log`, value: maxRssMB, unit: 'MB' },
    ];
  },
};
