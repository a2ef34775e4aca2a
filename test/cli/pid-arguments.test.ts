/**
 * One PID parser for every verb (issue 9.8): decimal digits only, 1..4194304. Number() let `0x10`
 * stop PID 16, `1e3` mean 1000, and ` 123`, `+123`, `123.0` through; a 20-digit PID printed as 1e+20.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PID_MAX, pidFromText, pidTextProblem } from '../../src/pid.js';
import { runCliInProcess } from '../support/cli.js';

const BAD = ['0x10', '1e3', ' 123', '+123', '123.0', '99999999999999999999', '0', '-1', '', '0123', '4194305', '١٢٣'];

test('pidFromText: digits in range only', () => {
  for (const text of BAD) assert.equal(pidFromText(text), undefined, JSON.stringify(text));
  assert.equal(pidFromText('1'), 1);
  assert.equal(pidFromText('123'), 123);
  assert.equal(pidFromText(String(PID_MAX)), 4194304);
  assert.match(pidTextProblem('99999999999999999999')!, /above the largest possible PID, 4194304/);
  assert.match(pidTextProblem('0')!, /start at 1/);
});

test('every verb that takes a PID refuses loose forms with exit 2 and says why, before doing anything', async () => {
  const verbs: Array<(pid: string) => string[]> = [
    (pid) => ['snapshot', pid],
    (pid) => ['inspect', pid],
    (pid) => ['ps', pid],
    (pid) => ['trace', '-p', pid],
  ];
  for (const verb of verbs) {
    for (const text of ['0x10', '1e3', ' 123', '+123', '123.0', '99999999999999999999', '0']) {
      const args = verb(text);
      const r = await runCliInProcess(args); // a usage error: nothing starts, no process boundary to test
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^tasklens: .*Expected a process ID: /m, args.join(' '));
      assert.ok(!/1e\+20/.test(r.stderr), r.stderr);
      assert.equal(r.stdout, '');
    }
  }
});

test('a valid PID that does not exist is "no such process", not a usage error', async () => {
  const r = await runCliInProcess(['inspect', String(PID_MAX)]);
  assert.equal(r.status, 3, r.stderr);
});
