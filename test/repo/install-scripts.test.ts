/**
 * A fresh `npm install` prints no install-scripts warning (issue 10.14): every locked package with
 * an install script is declared in package.json's allowScripts (npm 11 warns about, and will
 * block, the others). Checked against the lockfile, without installing anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

test('allowScripts covers every locked package that has an install script', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
    .map(([path, entry]) => ({ name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), version: entry.version }));
  assert.ok(withScripts.length > 0, 'the lockfile lists packages with install scripts (esbuild, koffi)');
  const allowed = pkg.allowScripts ?? {};
  for (const { name, version } of withScripts) {
    assert.ok(allowed[name] === true || allowed[`${name}@${version}`] === true, `${name}@${version} has an install script but is not in allowScripts`);
  }
});
