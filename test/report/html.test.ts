/**
 * The page as text: the CSP hash is the hash of the one inline script, the markup holds no log text
 * but the HTML-escaped title, and the data islands are base64 (nothing in them can end an element).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseText } from '../../src/parse/index.js';
import { reportFromEvents, renderReportHtml, jsonForScript, escapeHtml } from '../../src/report/index.js';

const hostile = '</script><script>alert(1)</script><!--';
const log = `100<${hostile}> execve("/bin/${hostile.replace(/"/g, '\\"')}", ["x"], 0x1 /* 0 vars */) = 0\n100<${hostile}> exit_group(0) = ?\n100<${hostile}> +++ exited with 0 +++\n`;

test('one inline script, allowed by its hash; nothing else can run', () => {
  const html = renderReportHtml(reportFromEvents(parseText(log), { title: hostile }));
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.deepEqual(scripts.map((m) => m[1].trim()), ['type="application/octet-stream" id="tl-data"', 'type="application/octet-stream" id="tl-calls"', 'type="application/octet-stream" id="tl-details"', 'type="application/octet-stream" id="tl-trace"', '']);
  for (const m of scripts.slice(0, 4)) assert.match(m[2], /^[A-Za-z0-9+/=.]*$/, 'islands are base64 (details: chunks joined by dots)');
  const hash = createHash('sha256').update(scripts[4][2], 'utf8').digest('base64');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1].replaceAll('&#39;', "'");
  assert.ok(csp.includes(`script-src 'sha256-${hash}'`), csp);
  assert.ok(csp.startsWith("default-src 'none'"));
  assert.ok(!/\son[a-z]+=/i.test(html.replace(scripts[4][2], '')), 'no inline event handlers');
  // The hostile text appears only escaped (title and header).
  assert.equal(html.split(hostile).length, 1);
  assert.ok(html.includes(escapeHtml(hostile)));
});

test('jsonForScript leaves no < and no line separators', () => {
  const text = jsonForScript({ a: hostile, b: '\u2028\u2029' });
  assert.ok(!text.includes('<') && !text.includes('\u2028') && !text.includes('\u2029'));
  assert.deepEqual(JSON.parse(text), { a: hostile, b: '\u2028\u2029' });
});
