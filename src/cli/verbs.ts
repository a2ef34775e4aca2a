/** Every verb of the CLI, one module each. Add a verb by adding its register function here. */
import type { Command } from 'commander';

export const verbs: Array<(program: Command) => void> = [];
