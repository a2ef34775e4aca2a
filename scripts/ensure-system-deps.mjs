#!/usr/bin/env node
// Checks for the system tools tasklens runs (strace, gcc). As root on Debian it installs the missing
// ones through scripts/install-system-deps.sh; otherwise it prints exactly how to install them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const required = ['strace', 'gcc'];
const onPath = (tool) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status === 0;
const missing = required.filter((tool) => !onPath(tool));
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = onPath('apt-get');
if (isRoot && hasApt) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'install-system-deps.sh');
  const result = spawnSync('bash', [script], { stdio: 'inherit' });
  if (result.status === 0) process.exit(0);
}
console.error(`tasklens: missing system tools: ${missing.join(', ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
process.exit(127);
