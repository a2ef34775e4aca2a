// Types for scripts/gen-corpus.mjs, so TypeScript tests can import it:
//   const corpus: typeof import('../../scripts/gen-corpus.mjs') = await import(pathToFileURL(join(root, 'scripts/gen-corpus.mjs')).href);
export type Channel = 'file' | 'file-per-thread' | 'stderr' | 'mixed' | 'attach' | 'attach-stderr';

export interface CorpusCase {
  /** `WORKLOAD.TAG`, e.g. `threads.f_o`, `vfork.tt_n_i_T`. */
  name: string;
  workload: string;
  /** strace options other than -o / -p. */
  flags: string[];
  channel: Channel;
  group: 'channel' | 'time' | 'decoding' | 'filter' | 'inject' | 'summary' | 'attach';
}

export interface CorpusEntry extends CorpusCase {
  command: string[];
  commandLine: string;
  cwd: string;
  env: Record<string, string>;
  straceVersion: string;
  kernel: string;
  exitCode: number | null;
  signal: string | null;
  /** strace's own stderr when the log went to a file (attach/detach messages, errors). */
  straceStderr: string;
  durationMs: number;
  /** Log file names: `NAME.strace`, or `NAME.strace.<tid>` per thread with -ff. */
  files: string[];
  generatedAt: string;
  /** Absolute paths of the log files. */
  paths: string[];
  metaPath: string;
}

export interface FixtureSpec {
  case: string;
  why: string;
  must?: RegExp[];
  files?: boolean;
}

export const repoRoot: string;
export const workloadDir: string;
export const defaultBinDir: string;
export const fixturesDir: string;
export const FIXTURES: FixtureSpec[];
export function corpusCases(): CorpusCase[];
export function buildWorkloads(options?: { binDir?: string }): Promise<string>;
export function generateCorpus(options?: {
  outDir?: string;
  only?: RegExp | string | ((name: string) => boolean);
  binDir?: string;
  strace?: string;
  concurrency?: number;
  onProgress?: (message: string) => void;
}): Promise<{ outDir: string; entries: CorpusEntry[]; skipped: Array<{ name: string; reason: string }> }>;
export const handWrittenDir: string;
/** A hand-written log copied into the corpus (see test/fixtures/wild/README.md). */
export interface HandWrittenEntry {
  name: string;
  handWritten: true;
  source: string;
  why: string;
  files: string[];
  paths: string[];
  metaPath: string;
}
export function addHandWritten(options?: { outDir?: string; only?: RegExp }): HandWrittenEntry[];
export function writeFixtures(options?: { dir?: string; strace?: string; attempts?: number; onProgress?: (message: string) => void }): Promise<void>;
