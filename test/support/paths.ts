/** Paths tests share (the root is found from src/paths.ts, so it works from test/ and dist/test/). */
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';

export const repoRoot = packageRoot;
export const straceFixtures = join(repoRoot, 'test', 'fixtures', 'strace');
