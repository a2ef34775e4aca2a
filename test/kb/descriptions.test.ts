/**
 * Quality of the knowledge-base text: every row has a specific, non-empty line in our own words.
 * The syscall descriptions are also compared with the installed manual pages (manpages-dev) to show
 * no sentence was copied: no run of seven words may match the page text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SYSCALLS, SYSCALL_CATEGORIES, SIGNALS, CAPABILITIES, ERRNOS, FLAG_TABLES } from '../../src/kb/index.js';

function assertSpecific(what: string, name: string, text: string): void {
  assert.ok(text.trim().length >= 12, `${what} ${name}: too short: "${text}"`);
  assert.ok(text.includes(' '), `${what} ${name}: a phrase, not a word`);
  assert.notEqual(text.trim().toUpperCase(), name.toUpperCase(), `${what} ${name}: repeats the name`);
  assert.doesNotMatch(text, /\b(TODO|TBD|FIXME|not implemented)\b/i, `${what} ${name}: placeholder text`);
}

test('every syscall has args, a known category and a specific description', () => {
  for (const s of SYSCALLS) {
    assertSpecific('syscall', s.name, s.description);
    assert.ok(s.category in SYSCALL_CATEGORIES, `${s.name}: category ${s.category}`);
    assert.ok(s.args.every((a) => /^[a-z_][a-z0-9_]*$/.test(a)), `${s.name}: argument names ${s.args}`);
  }
  // Descriptions are unique, except the identical "reserved" lines of never-implemented numbers.
  const seen = new Map<string, string>();
  for (const s of SYSCALLS.filter((x) => x.category !== 'obsolete')) {
    assert.equal(seen.get(s.description), undefined, `${s.name} repeats the description of ${seen.get(s.description)}`);
    seen.set(s.description, s.name);
  }
  for (const [cat, text] of Object.entries(SYSCALL_CATEGORIES)) {
    assertSpecific('category', cat, text);
    assert.ok(SYSCALLS.some((s) => s.category === cat), `category ${cat} is used`);
  }
});

test('the forensic syscalls land in the categories the explainer relies on', () => {
  const expect: Record<string, string> = {
    clone: 'process', clone3: 'process', fork: 'process', vfork: 'process', execve: 'process', wait4: 'process',
    exit_group: 'process', exit: 'process', set_tid_address: 'thread', set_robust_list: 'thread', rseq: 'thread',
    arch_prctl: 'thread', gettid: 'thread', futex: 'sync', futex_waitv: 'sync', rt_sigaction: 'signal',
    rt_sigprocmask: 'signal', tgkill: 'signal', kill: 'signal', mmap: 'memory', mprotect: 'memory', madvise: 'memory',
    brk: 'memory', prlimit64: 'resource', openat: 'file', close: 'fd', dup2: 'fd', pipe2: 'fd', epoll_wait: 'io',
  };
  for (const [name, cat] of Object.entries(expect)) assert.equal(SYSCALLS.find((s) => s.name === name)?.category, cat, name);
});

test('signals, capabilities, errnos and every flag value have specific text', () => {
  for (const s of SIGNALS) assertSpecific('signal', s.name, s.meaning);
  for (const c of CAPABILITIES) assertSpecific('capability', c.name, c.meaning);
  for (const e of ERRNOS) assertSpecific('errno', e.name, e.meaning);
  for (const t of FLAG_TABLES) {
    assertSpecific('table', t.id, t.title.length >= 12 ? t.title : `${t.title} table`);
    for (const v of t.values) assertSpecific(t.id, v.name, v.meaning);
  }
});

const MAN2 = '/usr/share/man/man2';

/** Plain words of a man page: troff requests and font escapes removed, `.so` links followed. */
function manWords(name: string, depth = 0): string[] | undefined {
  const file = `${MAN2}/${name}.2.gz`;
  if (!existsSync(file) || depth > 3) return undefined;
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const link = /^\.so\s+man2\/(\S+)\.2/m.exec(text);
  if (link && text.trim().split('\n').length <= 2) return manWords(link[1], depth + 1);
  const plain = text
    .split('\n')
    .map((line) => (line.startsWith('.') ? line.replace(/^\.\S+\s*/, '') : line))
    .join(' ')
    .replace(/\\f[BIRP]|\\f\(..|\\\*\(..|\\[-&e]|\\\(../g, ' ');
  return words(plain);
}

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9_]+/).filter(Boolean);
}

test('syscall descriptions share no seven-word run with the installed man pages', () => {
  assert.ok(existsSync(`${MAN2}/read.2.gz`), 'manpages-dev must be installed (scripts/install-system-deps.sh)');
  const RUN = 7;
  let compared = 0;
  for (const s of SYSCALLS) {
    const page = manWords(s.name);
    if (page === undefined) continue; // no page for this call (rseq, newer calls): nothing to copy from
    compared++;
    const pageText = ` ${page.join(' ')} `;
    const ours = words(s.description);
    for (let i = 0; i + RUN <= ours.length; i++) {
      const run = ours.slice(i, i + RUN).join(' ');
      assert.ok(!pageText.includes(` ${run} `), `${s.name}: "${run}" appears in its man page`);
    }
  }
  assert.ok(compared >= 300, `only ${compared} syscalls had a man page to compare with`);
});
