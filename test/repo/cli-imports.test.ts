/**
 * The CLI is a client of the library (issue 11 item 2, DESIGN "Library first"): every file in src/cli
 * imports only the library's public entry point (`../index.js`), other files of src/cli, node
 * built-ins and the npm dependencies of package.json. Imports are read with TypeScript's own
 * pre-processor (static imports, `export ... from`, `import type` and dynamic `import()`).
 *
 * IMPORTS_STILL_TO_MOVE lists, per file, the internal modules the CLI still reaches into today. It
 * may only shrink: a new internal import fails, and so does an entry that is no longer imported
 * (delete it). Going through ../index.js for these costs every verb the load of the whole library
 * (~300 ms against ~30 ms for ps) until the CLI is bundled, which is why they are not all moved yet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../support/paths.js';

const IMPORTS_STILL_TO_MOVE: Record<string, string[]> = {
  'common.ts': ['errors', 'render/escape', 'system-errors'],
  'explain.ts': ['errors', 'explain/index', 'explain/man', 'explain/patterns/index', 'kb/syscalls', 'render/explain/index', 'render/explain/json'],
  'input.ts': ['errors', 'parse/index', 'parse/sniff', 'parse/types'],
  'inspect.ts': ['procfs/process', 'procfs/system', 'render/procfs/inspect', 'sched/schedstat-sample'],
  'io.ts': ['render/color', 'render/text'],
  'lab.ts': ['errors', 'lab/index', 'render/escape', 'render/lab/json', 'render/lab/list', 'render/lab/sched', 'render/lab/text'],
  'log-paths.ts': ['errors', 'pid', 'system-errors'],
  'output-files.ts': ['errors', 'render/escape', 'system-errors'],
  'pid-arg.ts': ['pid'],
  'program.ts': ['errors', 'render/escape'],
  'ps.ts': ['errors', 'procfs/listing', 'procfs/select', 'procfs/system', 'render/procfs/ps', 'sched/schedstat-sample'],
  'snapshot.ts': ['ptrace/snapshot', 'render/snapshot/json', 'render/snapshot/text'],
  'trace-engine.ts': ['bpf/engine', 'bpf/session', 'capture/index', 'errors', 'render/escape'],
  'trace.ts': ['capture/index', 'doctor/index', 'errors', 'explain/index', 'kb/signals', 'model/index', 'parse/index', 'parse/types', 'render/doctor/index', 'render/escape', 'render/exec-search', 'render/explain/json', 'render/explain/live', 'render/timeline', 'render/tree/index', 'report/index', 'system-errors'],
  'tree.ts': ['errors', 'model/index', 'render/escape', 'render/tree/index'],
  'zombies.ts': ['errors', 'procfs/zombies', 'render/procfs/zombies'],
};

const cliDir = join(repoRoot, 'src', 'cli');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
const builtins = new Set(builtinModules);

/** Every module specifier a TypeScript source imports or re-exports, dynamic imports included. */
export function importsOf(source: string): string[] {
  return [...new Set(ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName))];
}

/** Why `specifier` may not be imported by a CLI file, or undefined when it may. */
function problem(specifier: string): string | undefined {
  if (specifier === '../index.js') return undefined;
  if (specifier.startsWith('./') && !specifier.slice(2).includes('/')) return undefined; // another file of src/cli
  if (specifier.startsWith('node:') || builtins.has(specifier)) return undefined;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (!specifier.startsWith('.') && dependencies.has(name)) return undefined;
  return specifier.startsWith('../') ? 'an internal module: import it from ../index.js' : 'neither the library, a built-in nor a dependency';
}

test('the import reader sees static, type-only, re-exported and dynamic imports', () => {
  const source = "import a from 'x';\nimport type { B } from '../parse/types.js';\nexport { c } from './c.js';\nconst d = await import('../model/index.js');\n";
  assert.deepEqual(importsOf(source).sort(), ['../model/index.js', '../parse/types.js', './c.js', 'x']);
  assert.equal(problem('../parse/types.js'), 'an internal module: import it from ../index.js');
  assert.equal(problem('../index.js'), undefined);
  assert.equal(problem('node:fs'), undefined);
  assert.equal(problem('commander'), undefined);
  assert.equal(problem('left-pad'), 'neither the library, a built-in nor a dependency');
  assert.equal(problem('./sub/x.js'), 'neither the library, a built-in nor a dependency');
});

test('src/cli imports only ../index.js, its own files, node built-ins and dependencies (known debt may only shrink)', () => {
  const files = readdirSync(cliDir).filter((f) => f.endsWith('.ts')).sort();
  assert.ok(files.includes('main.ts') && files.includes('program.ts'), 'found the CLI sources');
  const offending: string[] = [];
  const stale: string[] = [];
  for (const file of files) {
    const allowed = new Set((IMPORTS_STILL_TO_MOVE[file] ?? []).map((m) => `../${m}.js`));
    const imports = importsOf(readFileSync(join(cliDir, file), 'utf8'));
    for (const specifier of imports) {
      const why = problem(specifier);
      if (why !== undefined && !allowed.has(specifier)) offending.push(`src/cli/${file}: '${specifier}' is ${why}`);
    }
    for (const specifier of allowed) if (!imports.includes(specifier)) stale.push(`src/cli/${file}: '${specifier}' is no longer imported: remove it from IMPORTS_STILL_TO_MOVE`);
  }
  for (const file of Object.keys(IMPORTS_STILL_TO_MOVE)) if (!files.includes(file)) stale.push(`src/cli/${file} is gone: remove it from IMPORTS_STILL_TO_MOVE`);
  assert.deepEqual(offending, [], offending.join('\n'));
  assert.deepEqual(stale, [], stale.join('\n'));
});
