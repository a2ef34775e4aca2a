/** doctor over every committed fixture (the generated corpus and the hand-written wild logs): no crash, and the only warnings or errors are the bugs the workloads commit on purpose. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose, parseFilesSync } from '../../src/index.js';
import { repoRoot } from '../support/paths.js';

/** Logs grouped as the reader takes them: the NAME.<tid> files of -ff together. */
function logs(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const dir of ['test/fixtures/strace', 'test/fixtures/wild']) {
    for (const name of readdirSync(join(repoRoot, dir))) {
      if (!/\.strace(\.\d+)?$/.test(name)) continue;
      const key = name.replace(/\.\d+$/, '');
      groups.set(key, [...(groups.get(key) ?? []), join(repoRoot, dir, name)]);
    }
  }
  return groups;
}

/** forkexec execs /nonexistent/program on purpose (exit 127): the one expected finding. */
const EXPECTED: Record<string, string[]> = {
  'forkexec.f_o.strace': ['error:exec-failed'],
  'forkexec.f_stderr.strace': ['error:exec-failed'],
  'forkexec.seccomp_bpf_e_trace_process_signal.strace': ['error:exec-failed'],
};

test('doctor on every fixture: no crash, no warning or error beyond the bugs the workloads commit on purpose', () => {
  const all = logs();
  assert.ok(all.size > 40, `${all.size} logs`);
  for (const [name, files] of all) {
    const report = diagnose(parseFilesSync(files.sort()));
    const serious = report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity}:${f.rule}`);
    assert.deepEqual(serious, EXPECTED[name] ?? [], `${name}: ${report.findings.map((f) => f.message).join(' | ')}`);
    for (const f of report.findings) for (const line of f.lines) assert.ok(line.line >= 1, `${name}: ${f.rule} cites line ${line.line}`);
  }
});

test('exec-failed in forkexec cites the failing execve and the 127 exit by their real lines', () => {
  const report = diagnose(parseFilesSync([join(repoRoot, 'test/fixtures/strace/forkexec.f_o.strace')]));
  const [f] = report.findings;
  assert.equal(f.rule, 'exec-failed');
  assert.match(f.lines[0].text ?? '', /^10005 execve\("\/nonexistent\/program"/);
  assert.match(f.lines.at(-1)!.text ?? '', /exited with 127/);
  assert.equal(f.details?.exitCode, 127);
});
