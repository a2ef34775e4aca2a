/** Every benchmark `npm run bench` runs, in order. Add yours here. */
import type { Benchmark } from './harness.js';

export const benchmarks: Benchmark[] = [];
