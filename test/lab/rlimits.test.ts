/** lab rlimits end to end (real gcc, real strace): each point's values checked against the trace and the kernel's rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLab } from '../../src/lab/index.js';
import { checkCitations, point, side, tempCache } from './support.js';

test('rlimits: 1 MiB thread stacks after RLIMIT_STACK + re-exec, a guard-page SIGSEGV, fork EAGAIN under RLIMIT_NPROC', async () => {
  const run = await runLab('rlimits', { cacheDir: tempCache() });
  assert.equal(run.runs[0].trace.exitCode, 0, run.runs[0].trace.stderr);
  const limit = side(point(run, 'stack-limit'), 'rlimits', 'limit').values!;
  assert.equal(limit.stackLimit, 1n << 20n);
  assert.equal(limit.reexec, true);
  const stack = side(point(run, 'stack-limit'), 'rlimits', 'thread stack').values!;
  assert.equal(stack.mappingSize, (1n << 20n) + 4096n, 'the limit plus one guard page');
  assert.equal(stack.guard, 4096n);
  const fault = side(point(run, 'overflow'), 'rlimits', 'fault').values!;
  assert.equal(fault.inGuard, true, `si_addr ${fault.faultAt} vs base ${fault.stackBase}`);
  assert.equal(side(point(run, 'overflow'), 'rlimits', 'reaped').values!.reaped, true);
  assert.match(run.runs[0].trace.stdout, new RegExp(`overflow child ${fault.child} killed by signal 11`));
  const nproc = point(run, 'nproc');
  assert.equal(side(nproc, 'rlimits', 'limit').values!.limit, 4n);
  assert.equal(side(nproc, 'rlimits', 'limit').values!.uid, 65534);
  const forks = side(nproc, 'rlimits', 'forks').values!;
  assert.equal(forks.failedWith, 'EAGAIN');
  assert.ok((forks.made as number) < 4, `${forks.made} forks made under a limit of 4 (the forking child counts)`);
  assert.match(run.runs[0].trace.stdout, new RegExp(`made ${forks.made} children under RLIMIT_NPROC=4`));
  assert.ok(checkCitations(run) >= 8);
});
