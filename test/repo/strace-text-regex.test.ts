/**
 * Nothing above the parser matches strace's text with a regex (issue 11): siginfo fields, wait
 * status macros and the `+++ exited/killed +++` lines are decoded once (parse, then src/facts) and
 * read from the typed records. This test scans the upper layers' sources for regex literals and
 * `RegExp(...)` patterns that mention them; comments and ordinary strings do not count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../support/paths.js';

/** The layers above parse (kb and parse own strace's grammar; ptrace reads no strace text). */
const UPPER = ['model', 'facts', 'explain', 'lab', 'render', 'capture', 'cli', 'run', 'sched', 'procfs', 'doctor', 'report', 'bpf'];

/** What a regex over strace's siginfo, wait-status or exit text mentions. */
const STRACE_TEXT = /si_(signo|code|pid|uid|status|addr)|W(IFEXITED|EXITSTATUS|IFSIGNALED|TERMSIG|COREDUMP|IFSTOPPED|STOPSIG|IFCONTINUED)|(\\*\+){3}|exited with|killed by/;

/**
 * The regex patterns of a TypeScript source: regex literals, and the string or template literal
 * passed to `RegExp(`. A small scanner that knows comments, strings, templates (with `${}`
 * nesting) and where a `/` starts a regex rather than a division.
 */
export function regexPatterns(source: string): string[] {
  const found: string[] = [];
  const n = source.length;
  let i = 0;
  /** Brace depth at which each open template's `${` resumes the template. */
  const templates: number[] = [];
  let braces = 0;
  let last = ''; // last significant code character (or word) before the current position
  let wantRegExpArg = false;
  const readQuoted = (quote: string): string => {
    const start = ++i;
    while (i < n && source[i] !== quote) i += source[i] === '\\' ? 2 : 1;
    return source.slice(start, i++);
  };
  const readTemplate = (): string => {
    // Reads up to the closing backtick or to `${` (then the code inside is scanned as code).
    const start = i;
    while (i < n && source[i] !== '`' && !(source[i] === '$' && source[i + 1] === '{')) i += source[i] === '\\' ? 2 : 1;
    const text = source.slice(start, i);
    if (source[i] === '`') i++;
    else {
      i += 2;
      templates.push(braces);
      braces++;
    }
    return text;
  };
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      const text = readQuoted(c);
      if (wantRegExpArg) found.push(text);
      wantRegExpArg = false;
      last = 'x';
      continue;
    }
    if (c === '`') {
      if (wantRegExpArg) found.push(source.slice(i + 1, templateEnd(source, i)));
      i++;
      readTemplate();
      wantRegExpArg = false;
      last = 'x';
      continue;
    }
    if (c === '}' && templates.length > 0 && braces - 1 === templates[templates.length - 1]) {
      templates.pop();
      braces--;
      i++;
      readTemplate();
      last = 'x';
      continue;
    }
    if (c === '/' && (last === '' || '(,=:[!&|?{};+-*%<>~^'.includes(last) || last === 'return' || last === 'typeof')) {
      // A regex literal: up to the closing slash outside a character class.
      let j = i + 1;
      let inClass = false;
      while (j < n && source[j] !== '\n') {
        const d = source[j];
        if (d === '\\') { j += 2; continue; }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        j++;
      }
      found.push(source.slice(i + 1, j));
      i = j + 1;
      while (i < n && /[a-z]/.test(source[i])) i++;
      last = 'x';
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i;
      while (j < n && /[\w$]/.test(source[j])) j++;
      const word = source.slice(i, j);
      i = j;
      let k = i;
      while (k < n && /\s/.test(source[k])) k++;
      if (word === 'RegExp' && source[k] === '(') wantRegExpArg = true;
      last = word === 'return' || word === 'typeof' ? word : 'x';
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '{') braces++;
    if (c === '}') braces--;
    if (c !== '(') wantRegExpArg = false;
    last = /[0-9)\].]/.test(c) ? 'x' : c;
    i++;
  }
  return found;
}

/** Index of the backtick closing the template that opens at `start` (nested `${}` and templates skipped). */
function templateEnd(source: string, start: number): number {
  let i = start + 1;
  while (i < source.length && source[i] !== '`') {
    if (source[i] === '\\') i += 2;
    else if (source[i] === '$' && source[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (i < source.length && depth > 0) {
        if (source[i] === '`') i = templateEnd(source, i) + 1;
        else {
          if (source[i] === '{') depth++;
          else if (source[i] === '}') depth--;
          i++;
        }
      }
    } else i++;
  }
  return i;
}

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

test('the scanner finds regex literals and RegExp patterns, and skips comments and strings', () => {
  const sample = [
    '// a comment: /si_pid=(\\d+)/ is not code',
    "const text = 'si_code=CLD_EXITED / WIFEXITED(s)';",
    'const a = x / 2 / y;',
    'const m = /si_pid=(\\d+)/.exec(t);',
    "const r = new RegExp(`${name}=([^,}]+)`);",
    'if (/WEXITSTATUS\\(s\\) == (\\d+)/.test(s)) f(`+++ exited ${n}`);',
    "const t = new RegExp('\\\\+\\\\+\\\\+ killed');",
    'const u = `a${b ? `c${d}` : /[/]x/.source}`;',
  ].join('\n');
  assert.deepEqual(regexPatterns(sample), ['si_pid=(\\d+)', '${name}=([^,}]+)', 'WEXITSTATUS\\(s\\) == (\\d+)', '\\\\+\\\\+\\\\+ killed', '[/]x']);
  assert.deepEqual(regexPatterns(sample).filter((p) => STRACE_TEXT.test(p)).length, 3);
});

test('no layer above parse matches siginfo, wait-status or exit-line text with a regex', () => {
  const offenders: string[] = [];
  let files = 0;
  for (const layer of UPPER) {
    for (const file of sources(join(repoRoot, 'src', layer))) {
      files++;
      for (const pattern of regexPatterns(readFileSync(file, 'utf8'))) {
        if (STRACE_TEXT.test(pattern)) offenders.push(`${relative(repoRoot, file)}: /${pattern}/`);
      }
    }
  }
  assert.ok(files > 50, `scanned the upper layers (${files} files)`);
  assert.deepEqual(offenders, [], 'decode these through the parser and src/facts (factOf) instead');
});
