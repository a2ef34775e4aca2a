/**
 * Issue 10 item 13: a resumed half whose opener is not in the log (an attach, a filtered log) holds only
 * the trailing arguments; explain's echo of the call marks the missing leading ones with "…".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventText } from '../../src/render/explain/index.js';
import { parseText } from '../../src/parse/index.js';

test('a resumed half without its opener is echoed with its leading arguments marked as cut', () => {
  const [wait, read] = parseText('200 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 201\n200 <... read resumed>) = 0\n');
  assert.equal(eventText(wait), 'wait4(…, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 201');
  assert.equal(eventText(read), 'read(…) = 0');
});

test('a call joined with its opener is echoed whole, with no mark', () => {
  const events = parseText('200 wait4(-1,  <unfinished ...>\n200 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 201\n');
  const joined = events.find((e) => e.kind === 'syscall' && e.state === 'joined');
  assert.ok(joined);
  assert.equal(eventText(joined), 'wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 201');
});
