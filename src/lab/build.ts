/**
 * Building a lab program with gcc, cached: the binary's name carries a hash of the source, the
 * compiler flags and the compiler's version, so an edited source or an upgraded gcc builds anew and
 * anything else reuses the binary. gcc writes into a fresh private directory (mkdtemp) and the
 * binary is renamed into place, so two runs building at once never see half a file and nothing
 * planted at a predictable temporary name is ever followed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from '../capture/locate.js';
import { ExitCode, TasklensError } from '../errors.js';
import type { BuildResult } from './types.js';
import { effectiveUid, ensurePrivateDir } from './private-dir.js';

const run = promisify(execFile);

/** -O2 as a real program would be built; -pthread for the thread labs (harmless elsewhere). */
export const CFLAGS = ['-O2', '-pthread', '-Wall', '-Wextra'] as const;

export interface BuildOptions {
  /** Directory binaries are cached in (see chooseLabCacheDir); subdirectories are created private. */
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
  const key = buildKey(text, version);
  // <cache>/<lab>/<key>/<name>: the binary keeps its plain name, so traces read `./thread`.
  const dir = ensurePrivateDir(join(options.cacheDir, lab, key));
  const binary = join(dir, name);
  if (!options.rebuild && isOwnExecutable(binary)) return { binary, cached: true, key, compiler: version, compileMs: 0 };

  const work = mkdtempSync(join(dir, '.build-'));
  const started = performance.now();
  try {
    await run(compiler, [...CFLAGS, '-o', join(work, name), source]);
    renameSync(join(work, name), binary);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    if (stderr === undefined) throw error;
    throw new TasklensError('lab', 'compile-failed', `compiling ${source} failed${stderr ? `:\n${stderr}` : ''}`, {
      hint: 'check that the C library headers are installed: apt-get install libc6-dev',
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { binary, cached: false, key, compiler: version, compileMs: Math.round(performance.now() - started) };
}

/** The cache key of a source: its bytes, the flags and the compiler's version. */
export function buildKey(source: Buffer, compilerVersionLine: string): string {
  return createHash('sha256').update(source).update('\0').update(CFLAGS.join(' ')).update('\0').update(compilerVersionLine).digest('hex').slice(0, 16);
}

/** A cached binary is reused only when it is a regular file of ours nobody else can rewrite. */
function isOwnExecutable(path: string): boolean {
  try {
    const st = lstatSync(path);
    return st.isFile() && st.uid === effectiveUid() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
