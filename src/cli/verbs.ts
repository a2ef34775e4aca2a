/**
 * Every verb of the CLI, one module each, loaded on demand: a verb's module (and what it imports, such
 * as the FFI of snapshot) is loaded only when that verb runs, which keeps start-up short for `ps`.
 * Add a verb with one row here.
 */
import type { Command } from 'commander';
import type { CliRun } from "./io.js";

export interface VerbModule {
  register(program: Command, cli: CliRun): void;
}

export const verbs: Array<{ name: string; load: () => Promise<VerbModule> }> = [
  { name: 'trace', load: () => import('./trace.js') },
  { name: 'tree', load: () => import('./tree.js') },
  { name: 'explain', load: () => import('./explain.js') },
  { name: 'ps', load: () => import('./ps.js') },
  { name: 'inspect', load: () => import('./inspect.js') },
  { name: 'zombies', load: () => import('./zombies.js') },
  { name: 'snapshot', load: () => import('./snapshot.js') },
  { name: 'lab', load: () => import('./lab.js') },
  { name: 'sched', load: () => import('./sched.js') },
  { name: 'run', load: () => import('./run.js') },
  { name: 'limits', load: () => import('./limits.js') },
  { name: 'report', load: () => import('./report.js') },
  { name: 'doctor', load: () => import('./doctor.js') },
  { name: 'watch', load: () => import('./watch.js') },
];
