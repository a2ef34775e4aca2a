#!/usr/bin/env node
// Generates a corpus of real strace logs from the project's own C workloads
// (test/workloads/corpus/*.c) over the flag matrix of shared/reference/strace-format.md §4, and writes
// the small normalised fixture subset in test/fixtures/strace/.
//
//   node scripts/gen-corpus.mjs [OUTDIR] [--only REGEX]   corpus into OUTDIR (default: corpus/), with the
//                                                         hand-written logs of test/fixtures/wild as wild.*
//                                                         (old strace, i386, aarch64, glibc 2.41+; --no-hand-written)
//   node scripts/gen-corpus.mjs --fixtures                regenerate test/fixtures/strace/
//
// As a library (tests import it by absolute path from the repository root):
//   const { generateCorpus } = await import(pathToFileURL(join(root, 'scripts/gen-corpus.mjs')).href);
//   const { entries } = await generateCorpus({ outDir, only: /^threads\./ });
//
// Each case NAME produces NAME.strace (or NAME.strace.<tid> per thread with -ff) and NAME.meta.json
// holding the exact command, the capture channel, `strace -V`, `uname -r`, exit status and strace's
// own stderr. Workloads are statically linked so their traces stay short, run from the binary
// directory (so `./child` execs resolve) with a fixed small environment (LC_ALL=C, TZ=UTC).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const workloadDir = join(repoRoot, 'test/workloads/corpus');
export const defaultBinDir = join(repoRoot, 'build/corpus-bin');
export const fixturesDir = join(repoRoot, 'test/fixtures/strace');

/** Environment of every traced run: small and fixed, so `/* N vars *\/`, errno texts and -t times are stable. */
const runEnv = () => ({ PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' });

/**
 * Capture channels: where strace writes its log and what else lands in the same file.
 *  file            -o FILE (tracee stdout/stderr to /dev/null; strace's stderr kept in META)
 *  file-per-thread -ff -o FILE: FILE.<tid>
 *  stderr          no -o: the log is strace's stderr (diagnostics spliced in); tracee stdout to /dev/null
 *  mixed           no -o: stdout and stderr of strace and tracee into one file (tracee output spliced in)
 *  attach          -p PID of a running `sleeper`, -o FILE, ended by SIGINT to strace (detach)
 */
const WORKLOADS = ['threads', 'forkexec', 'vfork', 'spawn', 'thread_exec', 'exit_group', 'signals', 'eintr', 'syntax', 'pipeline', 'zombie', 'daemon', 'net'];

const CHANNEL_VARIANTS = [
  { tag: 'plain', flags: [], channel: 'file' },
  { tag: 'f_o', flags: ['-f'], channel: 'file' },
  { tag: 'f_stderr', flags: ['-f'], channel: 'stderr' },
  { tag: 'f_mixed', flags: ['-f'], channel: 'mixed' },
  { tag: 'ff', flags: ['-ff'], channel: 'file-per-thread' },
  { tag: 'f_Y', flags: ['-f', '-Y'], channel: 'file' },
];
const TIME_OPTIONS = ['-t', '-tt', '-ttt', '-r', '-t -r', '-r --relative-timestamps=ns', '-T', '-T --syscall-times=ns',
  '--absolute-timestamps=format:unix,precision:ns', '--absolute-timestamps=precision:ms', '-n', '-i', '-tt -n -i -T'];
const DECODING_OPTIONS = ['-y', '-yy', '-X raw', '-X verbose', '-X abbrev', '-v', '-x', '-xx', '--strings-in-hex=non-ascii-chars',
  '-s 0', '-s 8', '-e raw=all', '-e read=all -e write=all', '-k'];
const FILTER_OPTIONS = ['-z', '-Z', '-e status=unfinished', '-qq', '-qqq', '-e signal=none', '-e trace=%process',
  '--seccomp-bpf -e trace=%process,%signal', '--seccomp-bpf -e trace=execve,exit_group'];

const words = (options) => options.split(' ').filter(Boolean);
const tagOf = (options) => options.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');

/** Every case of the matrix: { name, workload, flags, channel, group }. */
export function corpusCases() {
  const cases = [];
  const add = (workload, tag, flags, channel, group) => cases.push({ name: `${workload}.${tag}`, workload, flags, channel, group });
  for (const w of WORKLOADS) for (const v of CHANNEL_VARIANTS) add(w, v.tag, v.flags, v.channel, 'channel');
  for (const w of ['forkexec', 'threads', 'vfork']) for (const o of TIME_OPTIONS) add(w, tagOf(o), ['-f', ...words(o)], 'file', 'time');
  for (const w of ['syntax', 'net', 'zombie']) for (const o of DECODING_OPTIONS) add(w, tagOf(o), ['-f', ...words(o)], 'file', 'decoding');
  for (const w of ['forkexec', 'signals', 'exit_group', 'spawn']) for (const o of FILTER_OPTIONS) add(w, tagOf(o), ['-f', ...words(o)], 'file', 'filter');
  add('syntax', 'inject_unlink_fault_openat', ['-f', '-e', 'inject=unlink:error=EPERM', '-e', 'fault=openat:when=2'], 'file', 'inject');
  add('signals', 'inject_chdir_retval_signal', ['-f', '-e', 'inject=chdir:retval=42:signal=SIGUSR1'], 'file', 'inject');
  add('zombie', 'inject_delay', ['-f', '-e', 'inject=clock_nanosleep:delay_enter=1000'], 'file', 'inject');
  add('syntax', 'inject_poke', ['-e', 'trace=write', '-e', 'inject=write:poke_enter=@arg2=4142'], 'file', 'inject');
  add('forkexec', 'c', ['-c', '-f'], 'file', 'summary');
  add('threads', 'C', ['-C', '-f'], 'file', 'summary');
  add('forkexec', 'c_w_U', ['-c', '-f', '-w', '-S', 'calls', '-U', 'name,calls,errors,min-time,max-time'], 'file', 'summary');
  add('sleeper', 'attach_f_tt', ['-f', '-tt'], 'attach', 'attach');
  add('sleeper', 'attach_stderr', ['-f'], 'attach-stderr', 'attach');
  return cases;
}

/** Compiles the workloads (statically, for short traces) into binDir; skips binaries newer than their source. */
export async function buildWorkloads({ binDir = defaultBinDir } = {}) {
  mkdirSync(binDir, { recursive: true });
  const sources = readdirSync(workloadDir).filter((f) => f.endsWith('.c'));
  const jobs = sources.map((source) => async () => {
    const src = join(workloadDir, source);
    const out = join(binDir, source.slice(0, -2));
    if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) return;
    const { code, stderr } = await run('gcc', ['-static', '-O1', '-Wall', '-pthread', '-o', out, src], {});
    if (code !== 0) throw new Error(`gcc failed on ${source}:\n${stderr}`);
  });
  await parallel(jobs, 2);
  return binDir;
}

/**
 * Runs every case (or those whose name matches `only`) and writes the logs and META files into outDir.
 * Options this strace rejects are skipped and listed in `skipped`. Returns { outDir, entries, skipped }.
 */
export async function generateCorpus({ outDir = join(repoRoot, 'corpus'), only, binDir = defaultBinDir, strace = 'strace', concurrency = 2, onProgress } = {}) {
  outDir = resolve(outDir);
  mkdirSync(outDir, { recursive: true });
  await buildWorkloads({ binDir });
  const matches = typeof only === 'function' ? only : only === undefined ? () => true
    : (name) => (only instanceof RegExp ? only.test(name) : name.includes(String(only)));
  const cases = corpusCases().filter((c) => matches(c.name));
  const system = {
    straceVersion: spawnSync(strace, ['-V'], { encoding: 'utf8' }).stdout.split('\n')[0],
    kernel: spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim(),
  };
  const supported = new Map();
  const entries = [];
  const skipped = [];
  await parallel(cases.map((c) => async () => {
    const key = c.flags.join(' ');
    if (!supported.has(key)) supported.set(key, probe(strace, c.flags));
    const unsupported = await supported.get(key);
    if (unsupported) { skipped.push({ name: c.name, reason: unsupported }); return; }
    entries.push(await runCase(c, { outDir, binDir, strace, system }));
    onProgress?.(`${entries.length}/${cases.length} ${c.name}`);
  }), concurrency);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  // Workloads whose cleanup a fault injection refused leave their scratch directory in binDir.
  for (const left of readdirSync(binDir).filter((f) => f.startsWith('tasklens-syntax-'))) rmSync(join(binDir, left), { recursive: true, force: true });
  return { outDir, entries, skipped };
}

/** Hand-written logs (forms this machine's strace cannot produce: old strace, i386, aarch64, glibc 2.41+). */
export const handWrittenDir = join(repoRoot, 'test/fixtures/wild');

/**
 * Copies the hand-written logs into the corpus as `wild.NAME.strace`, each with a meta file that says
 * it was written by hand (no command, no exit status: nothing ran). See test/fixtures/wild/README.md.
 */
export function addHandWritten({ outDir = join(repoRoot, 'corpus'), only } = {}) {
  mkdirSync(outDir, { recursive: true });
  const entries = [];
  for (const file of readdirSync(handWrittenDir).filter((f) => f.endsWith('.hand.strace')).sort()) {
    const name = `wild.${file.replace(/\.hand\.strace$/, '')}`;
    if (only && !only.test(name)) continue;
    const log = `${name}.strace`;
    writeFileSync(join(outDir, log), readFileSync(join(handWrittenDir, file)));
    const meta = { name, handWritten: true, source: `test/fixtures/wild/${file}`, why: 'hand-written in the shape of real logs quoted in issue 17', files: [log] };
    writeFileSync(join(outDir, `${name}.meta.json`), `${JSON.stringify(meta, null, 2)}\n`);
    entries.push({ ...meta, paths: [join(outDir, log)], metaPath: join(outDir, `${name}.meta.json`) });
  }
  return entries;
}

/** Resolves to null when strace accepts these flags, else to its complaint. */
async function probe(strace, flags) {
  const checked = flags.filter((f) => f !== '-ff' && f !== '-Y'); // always supported; -ff needs -o
  const { code, stderr } = await run(strace, [...checked, '-o', '/dev/null', 'true'], {});
  return code === 0 ? null : stderr.trim().split('\n')[0];
}

async function runCase(c, { outDir, binDir, strace, system }) {
  const log = join(outDir, `${c.name}.strace`);
  for (const stale of readdirSync(outDir).filter((f) => f.startsWith(`${c.name}.strace`))) rmSync(join(outDir, stale));
  const command = [`./${c.workload}`];
  const started = Date.now();
  let argv;
  let result;
  if (c.channel === 'attach' || c.channel === 'attach-stderr') {
    ({ argv, result } = await runAttach(c, { log, binDir, strace, command }));
  } else {
    const toFile = c.channel === 'file' || c.channel === 'file-per-thread';
    argv = [...c.flags, ...(toFile ? ['-o', log] : []), ...command];
    const fd = toFile ? null : openSync(log, 'w');
    try {
      const stdio = c.channel === 'stderr' ? ['ignore', 'ignore', fd] : c.channel === 'mixed' ? ['ignore', fd, fd] : ['ignore', 'ignore', 'pipe'];
      result = await run(strace, argv, { cwd: binDir, env: runEnv(), stdio });
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }
  const files = readdirSync(outDir).filter((f) => f === `${c.name}.strace` || f.startsWith(`${c.name}.strace.`)).sort();
  const meta = {
    name: c.name,
    workload: c.workload,
    group: c.group,
    flags: c.flags,
    channel: c.channel,
    command: [strace, ...argv.map((a) => (a.startsWith(outDir) ? basename(a) : a))],
    commandLine: [strace, ...argv].map(shellQuote).join(' '),
    cwd: binDir,
    env: runEnv(),
    ...system,
    exitCode: result.code,
    signal: result.signal,
    straceStderr: result.stderr,
    durationMs: Date.now() - started,
    files,
    generatedAt: new Date(started).toISOString(),
  };
  writeFileSync(join(outDir, `${c.name}.meta.json`), `${JSON.stringify(meta, null, 2)}\n`);
  return { ...meta, paths: files.map((f) => join(outDir, f)), metaPath: join(outDir, `${c.name}.meta.json`) };
}

/** Starts `sleeper`, attaches strace to it, then detaches with SIGINT (what Ctrl-C does) and ends the target. */
async function runAttach(c, { log, binDir, strace, command }) {
  const target = spawn(command[0], [], { cwd: binDir, env: runEnv(), stdio: 'ignore' });
  await sleep(150);
  const toStderr = c.channel === 'attach-stderr';
  const argv = [...c.flags, ...(toStderr ? [] : ['-o', log]), '-p', String(target.pid)];
  const fd = toStderr ? openSync(log, 'w') : null;
  const pending = run(strace, argv, { stdio: ['ignore', 'ignore', toStderr ? fd : 'pipe'], env: runEnv(), onSpawn: async (child) => {
    await sleep(400);
    child.kill('SIGINT');
  } });
  const result = await pending;
  if (fd !== null) closeSync(fd);
  target.kill('SIGTERM');
  await new Promise((done) => (target.exitCode !== null || target.signalCode !== null ? done() : target.once('exit', done)));
  return { argv, result };
}

// ---------------------------------------------------------------------------------------------------
// Fixtures: a small committed subset, pids and addresses normalised, everything else byte-exact.

/** Each fixture: the corpus case it comes from, why it is there, and patterns its log must show. */
export const FIXTURES = [
  { case: 'forkexec.plain', why: '-o without -f: no pid prefix, only the first process is traced', must: [/^execve\(/m] },
  { case: 'forkexec.f_o', why: '-f -o: bare `PID  ` prefix on every line; fork, execve, execvp PATH probing, wait4, exit 3', must: [/^\d+ +clone\(/m, /exited with 3/] },
  { case: 'threads.f_stderr', why: '-f on stderr: `[pid  N] ` prefix that comes and goes, `strace: Process N attached` spliced into a line', must: [/^\[pid +\d+\] /m, /^(?!\[pid)[a-z_0-9]+\(/m, /.strace: Process \d+ attached/] },
  { case: 'forkexec.f_stderr', why: '-f on stderr, fork/exec: unprefixed lines before the first child and after the last', must: [/^\[pid +\d+\] /m, /^(?!\[pid)[a-z_0-9]+\(/m] },
  { case: 'syntax.f_mixed', why: 'tracee stdout interleaved with the trace: write(1, ...) lines split by the written text', must: [/^\)\s+= \d+$/m] },
  { case: 'pipeline.ff', why: '-ff -o: one file per thread named NAME.<tid>, no prefix', files: true },
  { case: 'threads.ff', why: '-ff -o with threads: per-thread files, no unfinished splitting', files: true },
  { case: 'threads.f_Y', why: '-Y: `PID<comm> ` prefix and pids decorated with comm', must: [/^\d+<threads> /m] },
  { case: 'threads.f_o', why: 'threads: clone3 CLONE_THREAD, futex, crossed unfinished/resumed pairs of several tids', must: [/CLONE_THREAD/, /^(\d+) +(\w+)\(.*<unfinished \.\.\.>\n(?!\1 )\d+ +\2\(.*<unfinished \.\.\.>$/m] },
  { case: 'exit_group.f_o', why: 'exit_group while readers block: `<... read resumed> <unfinished ...>) = ?`', must: [/<\.\.\. read resumed> <unfinished \.\.\.>\) += \?/] },
  { case: 'thread_exec.f_o', why: 'execve from a non-leader thread: `+++ superseded by execve in pid N +++`', must: [/superseded by execve in pid \d+/] },
  { case: 'thread_exec.ff', why: '-ff: execve from a thread (`<pid changed to N ...>` in the thread file)', files: true, must: [/superseded by execve/] },
  { case: 'signals.f_o', why: 'SIGSTOP/SIGCONT/SIGTERM, SIGKILL, abort with `+++ killed by SIGABRT (core dumped) +++`, SIGCHLD handler', must: [/killed by SIGABRT \(core dumped\)/, /stopped by SIGSTOP/, /killed by SIGKILL/] },
  { case: 'eintr.f_o', why: 'timer signal interrupting read: ERESTARTSYS, rt_sigreturn, -1 EINTR; restarted read', must: [/ERESTARTSYS/, /EINTR/] },
  { case: 'vfork.f_o', why: 'vfork + execve', must: [/vfork\(/] },
  { case: 'spawn.e_trace_process', why: 'posix_spawn (clone3 CLONE_VM|CLONE_VFORK) under -e trace=%process', must: [/CLONE_VFORK/] },
  { case: 'pipeline.f_o', why: 'pipe + dup2 + two forks + execs: a hand-made `a | b`', must: [/dup2\(/] },
  { case: 'zombie.f_o', why: 'child exits, never reaped before the parent exits', must: [/exited with 7/] },
  { case: 'daemon.f_o', why: 'double fork + setsid daemonisation', must: [/setsid\(/] },
  { case: 'syntax.f_o', why: 'strings that look like strace syntax, octal and non-ASCII bytes, odd file name', must: [/unfinished \.\.\.>\\n"/] },
  { case: 'syntax.yy', why: '-yy: fd decorations including a path with escaped <, >, newline, quotes', must: [/\\74ird\\76/] },
  { case: 'syntax.x', why: '-x: non-ASCII strings in hex', must: [/\\x/] },
  { case: 'syntax.xx', why: '-xx: every string in hex', must: [/\\x2e/] },
  { case: 'syntax.strings_in_hex_non_ascii_chars', why: '--strings-in-hex=non-ascii-chars', must: [/\\x/] },
  { case: 'syntax.X_raw', why: '-X raw: numbers only', must: [/openat\(-100, "/] },
  { case: 'syntax.X_verbose', why: '-X verbose: raw value plus symbolic comment', must: [/\/\* AT_FDCWD \*\//] },
  { case: 'syntax.e_read_all_e_write_all', why: '-e read=all -e write=all: hex dump continuation lines', must: [/^ \| 00000 /m] },
  { case: 'syntax.s_0', why: '-s 0: every string truncated to `""...`', must: [/""\.\.\./] },
  { case: 'syntax.e_raw_all', why: '-e raw=all: every argument raw hex', must: [/^\d+ +write\(0x1, 0x/m] },
  { case: 'net.yy', why: '-yy: socket decorations TCPv6 and UNIX, SCM_RIGHTS', must: [/TCPv6:\[/, /SCM_RIGHTS/] },
  { case: 'zombie.k', why: '-k: stack-frame continuation lines', must: [/^ > /m] },
  { case: 'vfork.t', why: '-t: HH:MM:SS', must: [/^\d+ +\d\d:\d\d:\d\d [a-z]/m] },
  { case: 'vfork.tt', why: '-tt: HH:MM:SS.uuuuuu', must: [/^\d+ +\d\d:\d\d:\d\d\.\d{6} /m] },
  { case: 'vfork.ttt', why: '-ttt: epoch seconds with microseconds', must: [/^\d+ +\d{10}\.\d{6} /m] },
  { case: 'vfork.r', why: '-r: relative time since the previous line', must: [/^\d+ +\s*\d+\.\d{6} /m] },
  { case: 'vfork.t_r', why: '-t -r: `HH:MM:SS (+     0.000277) `', must: [/\(\+ +\d+\.\d{6}\)/] },
  { case: 'vfork.r_relative_timestamps_ns', why: '-r in nanoseconds', must: [/^\d+ +\s*\d+\.\d{9} /m] },
  { case: 'vfork.T', why: '-T: `<0.000015>` durations', must: [/ <\d+\.\d{6}>$/m] },
  { case: 'vfork.T_syscall_times_ns', why: '-T in nanoseconds', must: [/ <\d+\.\d{9}>$/m] },
  { case: 'vfork.absolute_timestamps_format_unix_precision_ns', why: '--absolute-timestamps=format:unix,precision:ns', must: [/^\d+ +\d{10}\.\d{9} /m] },
  { case: 'vfork.absolute_timestamps_precision_ms', why: '--absolute-timestamps=precision:ms', must: [/^\d+ +\d\d:\d\d:\d\d\.\d{3} /m] },
  { case: 'vfork.n', why: '-n: `[ 257] ` syscall numbers, stale on exit lines', must: [/^\d+ +\[ *\d+\] /m] },
  { case: 'vfork.i', why: '-i: instruction pointers, `[????????????????]` on exit lines', must: [/\[0000[0-9a-f]{12}\]/, /\[\?{16}\]/] },
  { case: 'vfork.tt_n_i_T', why: 'every prefix field at once, plus -T', must: [/^\d+ +\d\d:\d\d:\d\d\.\d{6} \[ *\d+\] \[[0-9a-f?]{16}\] /m] },
  { case: 'signals.qq', why: '-qq: no `+++ exited`, `+++ killed by` kept', must: [/killed by/] },
  { case: 'signals.e_signal_none', why: '-e signal=none: no `--- SIG` and no `+++ killed by`', must: [/exited with 0/] },
  { case: 'signals.z', why: '-z: only successful calls, no unfinished splitting', must: [/exited with 0/] },
  { case: 'forkexec.e_status_unfinished', why: '-e status=unfinished', must: [/^/] },
  { case: 'forkexec.seccomp_bpf_e_trace_process_signal', why: 'lifecycle mode: --seccomp-bpf -e trace=%process,%signal', must: [/execve\(/] },
  { case: 'exit_group.seccomp_bpf_e_trace_execve_exit_group', why: '--seccomp-bpf -e trace=execve,exit_group: threads appear without any clone line', must: [/exit_group\(/] },
  { case: 'syntax.inject_unlink_fault_openat', why: '-e inject / -e fault: `(INJECTED)` return values', must: [/\(INJECTED\)/] },
  { case: 'zombie.inject_delay', why: '-e inject=...:delay_enter: `(DELAYED)`', must: [/\(DELAYED\)/] },
  { case: 'signals.inject_chdir_retval_signal', why: '-e inject=chdir:retval=42:signal=SIGUSR1', must: [/= 42 \(INJECTED\)/] },
  { case: 'forkexec.c', why: '-c summary table', must: [/^% time +seconds/m] },
  { case: 'threads.C', why: '-C: the trace followed by the summary table', must: [/^% time +seconds/m, /clone3\(/] },
  { case: 'forkexec.c_w_U', why: '-c -w -S calls -U name,calls,errors,min-time,max-time', must: [/shortest/] },
  { case: 'sleeper.attach_f_tt', why: '-p attach to a running multithreaded process, then detach by SIGINT (`<detached ...>`)', must: [/^\d+ +\d\d:\d\d:\d\d\.\d{6} /m] },
  { case: 'sleeper.attach_stderr', why: '-p attach on stderr: `strace: Process N attached with 3 threads`, detach messages', must: [/attached with 3 threads/] },
];

/** Regenerates test/fixtures/strace/ from fresh runs; retries a case whose nondeterministic form did not show. */
export async function writeFixtures({ dir = fixturesDir, strace = 'strace', attempts = 6, onProgress } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'tasklens-fixtures-'));
  try {
    mkdirSync(dir, { recursive: true });
    for (const stale of readdirSync(dir)) if (stale !== 'README.md') rmSync(join(dir, stale));
    const rows = [];
    for (const fixture of FIXTURES) {
      let entry;
      let missing = [];
      for (let attempt = 0; attempt < attempts; attempt++) {
        const { entries } = await generateCorpus({ outDir: scratch, only: (n) => n === fixture.case, strace });
        entry = entries[0];
        if (!entry) throw new Error(`fixture ${fixture.case}: this strace does not support its flags`);
        const text = entry.paths.map((p) => readFileSync(p, 'latin1')).join('\n');
        missing = (fixture.must ?? []).filter((re) => !re.test(text));
        if (missing.length === 0) break;
      }
      if (missing.length > 0) throw new Error(`fixture ${fixture.case}: after ${attempts} runs the log still lacks ${missing.join(', ')}`);
      const files = writeNormalised(entry, dir);
      rows.push({ fixture, files });
      onProgress?.(`${fixture.case}: ${files.join(', ')}`);
    }
    writeFileSync(join(dir, 'README.md'), fixturesReadme(rows));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function writeNormalised(entry, dir) {
  const texts = entry.paths.map((p) => readFileSync(p, 'latin1'));
  const fileTids = entry.files.map((f) => /\.strace\.(\d+)$/.exec(f)?.[1]).filter(Boolean);
  const attachPid = entry.channel.startsWith('attach') ? entry.command[entry.command.indexOf('-p') + 1] : undefined;
  const { pids, normalise } = normaliser([...texts, entry.straceStderr], [...fileTids, ...(attachPid ? [attachPid] : [])]);
  const written = [];
  entry.files.forEach((file, i) => {
    // The tid after `.strace.` follows a `.`, which the in-text rule skips (fractions): map it here.
    const name = file.replace(/\.strace\.(\d+)$/, (_, tid) => `.strace.${pids.get(tid) ?? tid}`);
    writeFileSync(join(dir, name), Buffer.from(normalise(texts[i]), 'latin1'));
    written.push(name);
  });
  const { paths, metaPath, generatedAt, durationMs, cwd, ...meta } = entry;
  const normalisedMeta = {
    ...meta,
    command: meta.command.map(normalise),
    commandLine: normalise(meta.commandLine.replaceAll(`${dirname(paths[0])}/`, '')),
    straceStderr: normalise(meta.straceStderr),
    files: written,
    normalised: { pids: Object.fromEntries(pids), addresses: 'user-space hex addresses (0x + 9..12 digits, -i pointers) replaced by stable fake values of the same width' },
  };
  writeFileSync(join(dir, `${entry.name}.meta.json`), `${JSON.stringify(normalisedMeta, null, 2)}\n`);
  return written;
}

/** The pid-looking contexts strace prints; numbers found there are treated as pids across the whole fixture. */
const PID_CONTEXTS = [
  /^(\d+)[ <]/gm, /\[pid +(\d+)/g, /Process (\d+) (?:attached|detached|suspended)/g, /si_pid=(\d+)/g,
  /parent_tid=\[(\d+)\]/g, /pid changed to (\d+)/g, /execve in pid (\d+)/g,
  /(?:clone|clone3|fork|vfork|wait4|waitid|getpid|gettid|getppid|set_tid_address)(?:\(| resumed>).*= (\d+)/g,
];

/**
 * Maps each pid to a stable small number with the same digit count (so strace's column padding is
 * unchanged), in ascending order (so parent < child relations survive), and each user-space address to a
 * fake of the same width. A number is replaced only where it stands alone (not inside another number,
 * a hex value or a fraction).
 */
function normaliser(texts, extraPids) {
  const found = new Set(extraPids.map(String));
  for (const text of texts) for (const re of PID_CONTEXTS) for (const m of text.matchAll(re)) found.add(m[1]);
  const sorted = [...found].filter((p) => Number(p) > 1).sort((a, b) => Number(a) - Number(b));
  const pids = new Map();
  const perWidth = new Map();
  for (const pid of sorted) {
    const k = (perWidth.get(pid.length) ?? 0) + 1;
    perWidth.set(pid.length, k);
    pids.set(pid, String(10 ** (pid.length - 1) + k));
  }
  const addresses = new Map();
  const fakeAddress = (hex) => {
    const key = BigInt(`0x${hex}`).toString(16);
    if (!addresses.has(key)) addresses.set(key, (addresses.size + 1).toString(16));
    const fake = `7f${addresses.get(key).padStart(key.length - 2, '0')}`;
    return fake.padStart(hex.length, '0');
  };
  const normalise = (text) => text
    .replace(/\b0x([0-9a-f]{9,12})(?![0-9a-f])/g, (_, hex) => `0x${fakeAddress(hex)}`)
    .replace(/\[(0000[0-9a-f]{12})\]/g, (_, hex) => `[${fakeAddress(hex)}]`)
    .replace(/(?<![0-9.xX])\d+(?![0-9])/g, (n) => pids.get(n) ?? n);
  return { pids, normalise };
}

function fixturesReadme(rows) {
  const lines = [
    '# strace fixtures',
    '',
    'Real strace logs of the project\'s own workloads (`test/workloads/corpus/*.c`), made by',
    '`node scripts/gen-corpus.mjs --fixtures`. Do not edit by hand: regenerate.',
    '',
    'Normalisation: pids are renumbered to stable small values with the same digit count, in ascending',
    'order, consistently within a fixture (prefixes, `-ff` file names, return values, `si_pid=`...);',
    'user-space addresses become fake values of the same width. Everything else is byte-exact, including',
    'timestamps and the column padding. Each fixture has a `NAME.meta.json` sidecar with the flags, the',
    'capture channel (`file`: `-o FILE`; `file-per-thread`: `-ff -o`, files `NAME.strace.<tid>`; `stderr`:',
    'strace\'s stderr; `mixed`: stderr and the tracee\'s stdout in one file; `attach`: `-p PID` then SIGINT),',
    'the exact command, `strace -V`, `uname -r`, exit status, strace\'s own stderr and the pid map.',
    '',
    '| fixture | files | what it shows |',
    '|---|---|---|',
    ...rows.map(({ fixture, files }) => `| \`${fixture.case}\` | ${files.map((f) => `\`${f}\``).join(' ')} | ${fixture.why.replaceAll('|', '\\|')} |`),
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------

function run(cmd, args, { cwd, env, stdio = ['ignore', 'ignore', 'pipe'], onSpawn }) {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env, stdio });
    let stderr = '';
    child.stderr?.setEncoding('latin1').on('data', (chunk) => { stderr += chunk; });
    child.on('error', fail);
    child.on('spawn', () => onSpawn?.(child));
    child.on('close', (code, signal) => done({ code, signal, stderr }));
  });
}

async function parallel(jobs, limit) {
  let next = 0;
  const worker = async () => { while (next < jobs.length) await jobs[next++](); };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const shellQuote = (s) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

async function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: node scripts/gen-corpus.mjs [OUTDIR] [--only REGEX] [--no-hand-written] | --fixtures\n');
    return;
  }
  const progress = (m) => process.stderr.write(`${m}\n`);
  if (argv.includes('--fixtures')) {
    await writeFixtures({ onProgress: progress });
    return;
  }
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? new RegExp(argv[onlyAt + 1]) : undefined;
  const outDir = argv.find((a, i) => !a.startsWith('--') && (onlyAt < 0 || i !== onlyAt + 1)) ?? join(repoRoot, 'corpus');
  const started = Date.now();
  const { entries, skipped } = await generateCorpus({ outDir, only, onProgress: progress });
  for (const s of skipped) progress(`skipped ${s.name}: ${s.reason}`);
  const hand = argv.includes('--no-hand-written') ? [] : addHandWritten({ outDir, only });
  progress(`${entries.length} logs in ${outDir}, ${hand.length} of them hand-written (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`gen-corpus: ${error.message}\n`);
    process.exit(1);
  });
}
