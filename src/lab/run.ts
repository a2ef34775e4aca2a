/**
 * Running a lab end to end: build each program (cached), trace it under full strace, parse the log,
 * build its task graph, then compute the points worth noticing. Returns data only; the renderers
 * and the CLI decide how to show it.
 */
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseFileSync } from '../parse/index.js';
import { TaskGraph } from '../model/index.js';
import { Explainer, type ExplainedEvent } from '../explain/index.js';
import { packageRoot } from '../paths.js';
import { ExitCode, TasklensError } from '../errors.js';
import { findExecutable, straceMissing } from '../capture/locate.js';
import { buildProgram, gccMissing } from './build.js';
import { chooseLabCacheDir, explicitCacheDir } from './cache.js';
import { ensurePrivateDir } from './private-dir.js';
import { LABS, findLab } from './catalog.js';
import { LAB_STRACE_FLAGS, traceProgram } from './trace.js';
import type { BuildResult, LabDefinition, LabPoint, ProgramRun } from './types.js';

export interface RunLabOptions {
  /**
   * Where binaries and logs go; default chooseLabCacheDir(). Must be a private directory (owned by
   * the user, not writable by group or others, no symlink): anything else is refused.
   */
  cacheDir?: string;
  /** Compile even when a cached binary exists. */
  rebuild?: boolean;
  compiler?: string;
  strace?: string;
  /** Directory holding the labs' C sources; default labs/ of the package. */
  labsDir?: string;
  /** Progress notes (building, tracing) for a CLI to show on stderr. */
  onProgress?: (note: string) => void;
  /** Notes that must not be missed (an unsafe default cache skipped), for a CLI to print on stderr. */
  onNote?: (note: string) => void;
}

export interface LabRun {
  lab: LabDefinition;
  cacheDir: string;
  runs: ProgramRun[];
  points: LabPoint[];
}

/** The error for an unknown lab name, listing the known ones. */
export function unknownLab(id: string): TasklensError {
  return new TasklensError('lab', 'no-such-lab', `no lab named "${id}"`, {
    hint: `known labs: ${LABS.map((l) => l.id).join(', ')} (tasklens lab list)`,
    exitCode: ExitCode.usage,
  });
}

/**
 * Checks for the compiler and strace before any work, so a fresh machine gets one line naming
 * everything it lacks (exit 127, as a shell reports a missing command).
 */
export function requireTools(options: Pick<RunLabOptions, 'compiler' | 'strace'> = {}): void {
  const compiler = options.compiler ?? 'gcc';
  const strace = options.strace ?? 'strace';
  const noCompiler = findExecutable(compiler) === undefined;
  const noStrace = findExecutable(strace) === undefined;
  if (noCompiler && noStrace) {
    throw new TasklensError('lab', 'tools-missing', `${compiler} and ${strace} not found: install them with \`apt-get install gcc libc6-dev strace\``, {
      hint: 'labs compile small C programs and trace them. On Debian/Ubuntu: sudo apt-get install gcc libc6-dev strace (or run scripts/install-system-deps.sh as root).',
      exitCode: ExitCode.missingTool,
    });
  }
  if (noCompiler) throw gccMissing(compiler);
  if (noStrace) throw straceMissing();
}

export async function runLab(id: string, options: RunLabOptions = {}): Promise<LabRun> {
  const lab = findLab(id);
  if (!lab) throw unknownLab(id);
  if (lab.engine === 'perf') {
    throw new TasklensError('lab', 'perf-lab', `lab ${id} records scheduler tracepoints with perf, not strace`, { hint: 'run it with runSchedLatencyLab (tasklens lab does)', exitCode: ExitCode.usage });
  }
  requireTools(options);
  let cacheDir: string;
  if (options.cacheDir !== undefined) cacheDir = explicitCacheDir(options.cacheDir);
  else {
    const choice = chooseLabCacheDir();
    for (const note of choice.notes) options.onNote?.(note);
    cacheDir = choice.dir;
  }
  const labsDir = options.labsDir ?? join(packageRoot, 'labs');
  const progress = options.onProgress ?? (() => undefined);

  // Compile every program first (in parallel: gcc is the slow part of a first run).
  const sources = lab.programs.map((p) => join(labsDir, lab.id, p.source));
  const builds: BuildResult[] = await Promise.all(
    lab.programs.map((p, i) => {
      return buildProgram(lab.id, p.name, sources[i], { cacheDir, rebuild: options.rebuild, compiler: options.compiler }).then((b) => {
        progress(b.cached ? `${p.source}: cached binary ${b.binary}` : `${p.source}: compiled in ${b.compileMs} ms`);
        return b;
      });
    }),
  );

  const runs: ProgramRun[] = [];
  const labDir = ensurePrivateDir(join(cacheDir, lab.id));
  for (const [i, program] of lab.programs.entries()) {
    const log = join(labDir, `${program.name}.strace.log`);
    // strace opens -o with O_CREAT|O_TRUNC and follows symlinks: it writes only into a directory
    // made for this run, and the finished log is renamed over the stable name (rename replaces a
    // symlink there, never its target).
    const work = mkdtempSync(join(labDir, '.trace-'));
    const partial = join(work, `${program.name}.strace.log`);
    const flags = [...LAB_STRACE_FLAGS, ...(program.traceFilter ? ['-e', program.traceFilter] : [])].join(' ');
    const launcher = program.underRun ? `tasklens run ${program.underRun.join(' ')} -- ` : '';
    progress(`tracing ${program.name}: strace ${flags} ${launcher}./${program.name}${program.args?.length ? ` ${program.args.join(' ')}` : ''}`);
    let trace;
    try {
      trace = await traceProgram(builds[i].binary, {
        log: partial,
        args: program.args,
        interact: program.interact,
        strace: options.strace,
        underRun: program.underRun,
        traceFilter: program.traceFilter,
      });
      const events = [...parseFileSync(partial, { source: log, perPidFile: false })];
      // A stable name, replaced atomically, so `tasklens explain` on it always sees a whole log.
      renameSync(partial, log);
      trace.log = log;
      const graph = new TaskGraph();
      const explainer = new Explainer({ graph });
      const explained: ExplainedEvent[] = [];
      for (const event of events) {
        graph.apply(event);
        explained.push(...explainer.push(event));
      }
      explained.push(...explainer.end());
      graph.finish();
      runs.push({ program, sourcePath: sources[i], build: builds[i], trace, events, graph, explained, summary: explainer.summary() });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return { lab, cacheDir, runs, points: lab.analyse(runs) };
}
