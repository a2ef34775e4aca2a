/**
 * Building a lab program with gcc, cached: the binary's name carries a hash of the source, the
 * compiler flags and the compiler's version, so an edited source or an upgraded gcc builds anew and
 * anything else reuses the binary. Binaries are written under a temporary name and renamed into
 * place, so two runs building at once never see half a file.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from '../capture/locate.js';
import { ExitCode, TasklensError } from '../errors.js';
import type { BuildResult } from './types.js';

const run = promisify(execFile);

/** -O2 as a real program would be built; -pthread for the thread labs (harmless elsewhere). */
export const CFLAGS = ['-O2', '-pthread', '-Wall', '-Wextra'] as const;

export interface BuildOptions {
  /** Directory binaries are cached in (see labCacheDir). */
  cacheDir: string;
  /** Compiler (path or name on PATH); default `gcc`. */
  compiler?: string;
  /** Always compile, even when a cached binary exists. */
  rebuild?: boolean;
}

/** The error for a missing compiler: one line with the install command, exit 127 like a shell. */
export function gccMissing(name: string): TasklensError {
  return new TasklensError('lab', 'gcc-missing', `${name} not found: install it with \`apt-get install gcc libc6-dev\``, {
    hint: 'labs compile small C programs. On Debian/Ubuntu: sudo apt-get install gcc libc6-dev (or run scripts/install-system-deps.sh as root).',
    exitCode: ExitCode.missingTool,
  });
}

const versionCache = new Map<string, Promise<string>>();

/** `gcc --version`'s first line, e.g. `gcc (Debian 12.2.0-14) 12.2.0` (cached per compiler path). */
export function compilerVersion(path: string): Promise<string> {
  let version = versionCache.get(path);
  if (!version) {
    version = run(path, ['--version']).then(({ stdout }) => stdout.split('\n')[0].trim());
    versionCache.set(path, version);
    version.catch(() => versionCache.delete(path));
  }
  return version;
}

/** Compiles `source` into the cache (or finds it there) and returns the binary's path. */
export async function buildProgram(lab: string, name: string, source: string, options: BuildOptions): Promise<BuildResult> {
  const compilerName = options.compiler ?? 'gcc';
  const compiler = findExecutable(compilerName);
  if (!compiler) throw gccMissing(compilerName);
  let text: Buffer;
  try {
    text = readFileSync(source);
  } catch (error) {
    throw new TasklensError('lab', 'source-missing', `cannot read the lab source ${source}: ${(error as Error).message}`, {
      hint: 'the labs/ directory ships with tasklens; reinstall the package or run from the repository',
    });
  }
  const version = await compilerVersion(compiler);
  const key = createHash('sha256').update(text).update('\0').update(CFLAGS.join(' ')).update('\0').update(version).digest('hex').slice(0, 16);
  // <cache>/<lab>/<key>/<name>: the binary keeps its plain name, so traces read `./thread`.
  const binary = join(options.cacheDir, lab, key, name);
  if (!options.rebuild && existsSync(binary)) return { binary, cached: true, key, compiler: version, compileMs: 0 };

  mkdirSync(dirname(binary), { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  const started = performance.now();
  try {
    await run(compiler, [...CFLAGS, '-o', partial, source]);
  } catch (error) {
    rmSync(partial, { force: true });
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new TasklensError('lab', 'compile-failed', `compiling ${source} failed${stderr ? `:\n${stderr}` : ''}`, {
      hint: 'check that the C library headers are installed: apt-get install libc6-dev',
    });
  }
  renameSync(partial, binary);
  return { binary, cached: false, key, compiler: version, compileMs: Math.round(performance.now() - started) };
}
