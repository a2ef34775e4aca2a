/**
 * The bpf engine against strace on the same workloads: the same process tree (births and their kind,
 * execs, exits, signals received, reaps), and every event of a 500-spawn burst. Needs root, bpftrace,
 * tracefs and BTF (scripts/install-system-deps.sh installs bpftrace); elsewhere the tests fail with
 * the engine's own error, which names what is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTrace } from '../../src/capture/index.js';
import { startBpfTrace, type CaptureSession } from '../../src/bpf/index.js';
import { StraceParser } from '../../src/parse/index.js';
import { TaskGraph } from '../../src/model/index.js';
import { treeToJSON } from '../../src/render/tree/index.js';
import type { ProcessNode } from '../../src/render/tree/build.js';
import type { TraceEvent } from '../../src/parse/types.js';
import { workloadBinaries } from '../model/support.js';

const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C' };

async function graphOf(session: CaptureSession): Promise<{ graph: TaskGraph; lines: string[] }> {
  const graph = new TaskGraph();
  const parser = new StraceParser();
  const lines: string[] = [];
  const batch: TraceEvent[] = [];
  for await (const chunk of session.batches) {
    for (const line of chunk) { lines.push(typeof line === "string" ? line : "(overlong line)"); parser.push(line, batch); }
    for (const e of batch) graph.apply(e);
    batch.length = 0;
  }
  for (const e of parser.end()) graph.apply(e);
  await session.result;
  graph.finish();
  return { graph, lines };
}

async function traced(engine: 'bpf' | 'strace', command: string[], cwd: string): Promise<{ graph: TaskGraph; lines: string[] }> {
  const options = { command, cwd, env: ENV, stdio: ['ignore', 'ignore', 'ignore'] as ['ignore', 'ignore', 'ignore'] };
  return graphOf(engine === 'bpf' ? await startBpfTrace(options) : await startTrace({ ...options, mode: 'lifecycle' }));
}

/**
 * Signals received, comparable across two separate runs: a standard signal that arrives while one of
 * its kind is still pending is merged by the kernel (two children exiting together can give one
 * SIGCHLD or two, run by run), so standard signals count once; real-time signals queue and count each.
 */
function received(names: string[]): string[] {
  const standard = new Set(names.filter((n) => !n.startsWith('SIGRT')));
  return [...standard, ...names.filter((n) => n.startsWith('SIGRT'))].sort();
}

/** The tree with pids replaced by their order of birth, and only the lifecycle facts both engines report. */
function shape(graph: TaskGraph): unknown {
  const doc = treeToJSON(graph);
  const order = new Map<number, number>();
  const id = (pid: number | undefined): string => {
    if (pid === undefined) return '?';
    if (!order.has(pid)) order.set(pid, order.size);
    return `#${order.get(pid)}`;
  };
  const walk = (p: ProcessNode): unknown => ({
    pid: id(p.pid),
    birth: p.birth.kind,
    execs: p.execs.map((e) => `${e.path} ${e.result}${e.errno ? ` ${e.errno}` : ''} ${JSON.stringify(e.argv)}`),
    status: p.status ? `${p.status.kind} ${p.status.code ?? ''}${p.status.signal ?? ''}` : 'none',
    reaped: p.reaped ? `${p.reaped.syscall} ${p.reaped.status?.kind ?? ''}` : 'no',
    threads: p.threads.filter((t) => !t.leader).map((t) => `${t.birth.kind} ${t.status?.kind ?? 'none'}`).sort(),
    signals: received(p.signals.filter((s) => !s.stopped).map((s) => s.signal)),
    sent: p.sent.map((s) => `${s.syscall} ${s.signal} ${s.ok}`),
    children: p.children.map(walk),
  });
  return doc.roots.map(walk);
}

for (const name of ['forkexec', 'vfork', 'spawn', 'threads', 'signals', 'zombie', 'exit_group', 'pipeline']) {
  test(`bpf and strace give the same tree: ${name}`, { timeout: 180_000 }, async () => {
    const bin = await workloadBinaries();
    const viaStrace = await traced('strace', [join(bin, name)], bin);
    const viaBpf = await traced('bpf', [join(bin, name)], bin);
    assert.deepEqual(shape(viaBpf.graph), shape(viaStrace.graph), `bpf log:\n${viaBpf.lines.join('\n')}`);
  });
}

test('the bpf engine sees every event of a 500-spawn burst', { timeout: 300_000 }, async () => {
  const { graph, lines } = await traced('bpf', ['/bin/sh', '-c', 'i=0; while [ $i -lt 500 ]; do /bin/true; i=$((i+1)); done'], '/');
  const doc = treeToJSON(graph);
  assert.equal(doc.roots.length, 1);
  const children = doc.roots[0].children;
  assert.equal(children.length, 500, 'one child per spawn');
  assert.equal(children.filter((c) => c.execs.some((e) => e.path === '/bin/true' && e.result === 'ok')).length, 500, 'every exec of /bin/true');
  assert.equal(children.filter((c) => c.status?.kind === 'exited' && c.status.code === 0).length, 500, 'every exit');
  assert.equal(children.filter((c) => c.reaped !== undefined).length, 500, 'every reap');
  assert.equal(lines.filter((l) => /^\d+ [\d.]+ --- SIGCHLD /.test(l)).length, 500, 'every SIGCHLD');
});

test('trace --engine bpf: a missing command is the same error as with strace', async () => {
  await assert.rejects(startBpfTrace({ command: [join('/nonexistent', 'prog')] }), (e: { exitCode?: number }) => e.exitCode === 127);
});

test('trace --engine bpf: a file that cannot run is 126, as with strace (it was reported as missing, 127)', async () => {
  await assert.rejects(startBpfTrace({ command: ['/etc/passwd'] }), (e: { exitCode?: number }) => e.exitCode === 126);
  await assert.rejects(startBpfTrace({ command: ['/tmp'] }), (e: { exitCode?: number }) => e.exitCode === 126);
});
