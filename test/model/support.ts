/** Shared by the model tests: building the corpus workloads, running them under real strace, the CLI. */
import { runCliInProcess } from '../support/cli.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths.js';
import { parseFilesSync } from '../../src/parse/index.js';
import { TaskGraph } from '../../src/model/index.js';
import { resolveLogPaths } from '../../src/cli/tree.js';

/** Binaries of test/workloads/corpus, built once per run into build/ (gitignored). */
let built: Promise<string> | undefined;
export function workloadBinaries(): Promise<string> {
  built ??= (async () => {
    const gen = (await import(pathToFileURL(join(repoRoot, 'scripts/gen-corpus.mjs')).href)) as { buildWorkloads(o: { binDir: string }): Promise<string> };
    return gen.buildWorkloads({ binDir: join(repoRoot, 'build', 'model-test-bin') });
  })();
  return built;
}

export type Capture = 'file' | 'plain' | 'stderr' | 'ff' | 'ff-ttt';

/**
 * Runs `binDir/name` under strace in one capture form and returns the task graph of the log.
 * `file`: -f -o LOG; `stderr`: -f, log is strace's stderr; `ff`: -ff -o LOG (files LOG.<tid>);
 * `ff-ttt`: the same with -ttt, so files merge by time; `plain`: -o LOG without -f (no pid prefixes).
 */
export function traceWorkload(binDir: string, name: string, capture: Capture, extra: string[] = []): { graph: TaskGraph; log: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), `tasklens-model-${name}-`));
  const log = join(dir, 'trace');
  const flags = capture === 'file' ? ['-f', '-o', log] : capture === 'plain' ? ['-o', log] : capture === 'stderr' ? ['-f'] : capture === 'ff' ? ['-ff', '-o', log] : ['-ff', '-ttt', '-o', log];
  const result = spawnSync('strace', [...flags, ...extra, `./${name}`], {
    cwd: binDir,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C' },
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  if (capture === 'stderr') writeFileSync(log, result.stderr);
  const graph = TaskGraph.fromEvents(parseFilesSync(resolveLogPaths([log])));
  return { graph, log, dir };
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs the tasklens CLI in-process (main(argv, io)): these tests read logs, no process boundary is under test. */
export async function runCli(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = await runCliInProcess(args, input === undefined ? {} : { input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
