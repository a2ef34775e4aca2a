/** Every benchmark `npm run bench` runs, in order. Add yours here. */
import type { Benchmark } from './harness.js';
import { parseBenchmark } from './parse.js';
import { psBenchmark } from './ps.js';
import { tracingBenchmark, tracingCliBenchmark } from './tracing.js';
import { snapshotBenchmark, snapshotManyBenchmark } from './snapshot.js';
import { explainBenchmark } from './explain.js';
import { treeBenchmark, treeVsStraceGraphBenchmark } from './tree.js';
import { runLauncherBenchmark } from './run-launcher.js';
import { schedBenchmark } from './sched.js';
import { reportBenchmark } from './report.js';
import { doctorBenchmark } from './doctor.js';
import { bpfBenchmark } from './bpf.js';

export const benchmarks: Benchmark[] = [parseBenchmark, psBenchmark, tracingBenchmark, tracingCliBenchmark, snapshotBenchmark, snapshotManyBenchmark, explainBenchmark, treeBenchmark, treeVsStraceGraphBenchmark, schedBenchmark, runLauncherBenchmark, reportBenchmark, doctorBenchmark, bpfBenchmark];
