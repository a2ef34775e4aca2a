#!/usr/bin/env node
// Makes sure the system packages are there before `npm start` (runtime set) or `npm test` (`test`:
// everything). As root with apt-get it installs the missing ones through install-system-deps.sh;
// otherwise it prints exactly how to install them and exits 127.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const script = join(dirname(fileURLToPath(import.meta.url)), 'install-system-deps.sh');
const scope = process.argv[2] === 'test' ? [] : ['--runtime'];
const check = spawnSync('bash', [script, '--check', ...scope], { encoding: 'utf8' });
if (check.status === 0) process.exit(0);
const missing = check.stdout.trim();

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (isRoot && hasApt) {
  const install = spawnSync('bash', [script, ...scope], { stdio: 'inherit' });
  if (install.status === 0) process.exit(0);
}
console.error(`tasklens: missing system packages: ${missing}. Install them with: sudo apt-get install -y ${missing}`);
if (missing.split(' ').includes('chromium')) console.error('tasklens: chromium (Debian\'s package, /usr/bin/chromium) runs the report tests in a headless browser; nothing downloads a browser of its own');
process.exit(127);
