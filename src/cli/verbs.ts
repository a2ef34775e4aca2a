/** Every verb of the CLI, one module each. Add a verb by adding its register function here. */
import type { Command } from 'commander';
import { register as trace } from './trace.js';
import { register as snapshot } from './snapshot.js';
import { register as tree } from './tree.js';
import { register as ps } from './ps.js';
import { register as inspect } from './inspect.js';
import { register as zombies } from './zombies.js';
import { register as explain } from './explain.js';

export const verbs: Array<(program: Command) => void> = [trace, snapshot, tree, ps, inspect, zombies, explain];
