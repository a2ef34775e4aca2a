/** strace's probe answers kept on disk: a second `tasklens trace` starts strace without probing it again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedProbe, storeProbe } from '../../src/capture/probe-cache.js';
import { locateStrace } from '../../src/capture/index.js';
import { runCli } from '../support/cli.js';

const INFO = { version: { major: 6, minor: 1, text: 'strace -- version 6.1' }, seccompBpf: true };

test('stored answers come back for the same binary only; a file others can write is ignored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-probe-'));
  try {
    const strace = locateStrace();
    const copy = join(dir, 'strace-copy');
    copyFileSync(strace, copy);
    storeProbe({ path: strace, ...INFO }, join(dir, 'cache'));
    assert.deepEqual(cachedProbe(strace, join(dir, 'cache')), { path: strace, ...INFO });
    assert.equal(cachedProbe(copy, join(dir, 'cache')), undefined); // another binary: probe it
    storeProbe({ path: copy, ...INFO, seccompBpf: false }, join(dir, 'cache'));
    assert.equal(cachedProbe(copy, join(dir, 'cache'))?.seccompBpf, false);
    assert.equal(cachedProbe(strace, join(dir, 'cache'))?.seccompBpf, true); // both kept
    chmodSync(join(dir, 'cache', 'strace-probe.json'), 0o666);
    assert.equal(cachedProbe(strace, join(dir, 'cache')), undefined);
    writeFileSync(join(dir, 'cache', 'strace-probe.json'), 'not json', { mode: 0o600 });
    chmodSync(join(dir, 'cache', 'strace-probe.json'), 0o600);
    assert.equal(cachedProbe(strace, join(dir, 'cache')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tasklens trace probes strace once: the second run starts it straight away', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklens-probe-'));
  try {
    // A strace that notes each invocation's arguments, then runs the real one.
    const calls = join(dir, 'calls');
    const wrapper = join(dir, 'bin', 'strace');
    writeFileSync(calls, '');
    mkdirSync(join(dir, 'bin'));
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\nexec '${locateStrace()}' "$@"\n`, { mode: 0o755 });
    const env = { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, XDG_CACHE_HOME: join(dir, 'cache') };
    for (let run = 0; run < 2; run++) {
      const r = runCli(['trace', '-o', join(dir, `log${run}`), '--', 'true'], { env });
      assert.equal(r.status, 0, r.stderr);
    }
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    assert.equal(lines.filter((l) => l === '-V').length, 1, lines.join('\n'));
    assert.equal(lines.filter((l) => l.includes(' -- true')).length, 2, lines.join('\n')); // both traces ran
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

