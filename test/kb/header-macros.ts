/**
 * Reads integer constants from the machine's kernel headers (linux-libc-dev). gcc's preprocessor
 * resolves the include chains and #ifdefs and lists every macro (`gcc -E -dM`); we then evaluate
 * the object-like macros whose expansion is an integer constant expression, so values written as
 * `(__O_SYNC|O_DSYNC)` or `0x100000000ULL` are checked exactly as the compiler would see them.
 */
import { execFileSync } from 'node:child_process';

export function macroBodies(headers: readonly string[]): Map<string, string> {
  const source = headers.map((h) => `#include <${h}>\n`).join('');
  const out = execFileSync('gcc', ['-E', '-dM', '-x', 'c', '-'], { input: source, encoding: 'utf8' });
  const bodies = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^#define ([A-Za-z_][A-Za-z0-9_]*)(?: (.*))?$/.exec(line); // function-like macros have "(" right after the name
    if (m) bodies.set(m[1], (m[2] ?? '').trim());
  }
  return bodies;
}

const TOKEN = /\s*(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)|\s*([A-Za-z_][A-Za-z0-9_]*)|\s*(<<|>>|[|&~^+\-*/()])/y;

/** Turns a macro body into a JS BigInt expression, or undefined if it is not an integer constant. */
function toJs(body: string, bodies: Map<string, string>, depth: number): string | undefined {
  if (depth > 20 || body === '') return undefined;
  let js = '';
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < body.length) {
    if (/^\s*$/.test(body.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(body);
    if (!m) return undefined;
    pos = TOKEN.lastIndex;
    if (m[1] !== undefined) {
      const lit = m[1];
      js += /^0[0-7]+$/.test(lit) ? `0o${lit.slice(1)}n` : `${lit}n`;
    } else if (m[3] !== undefined) {
      const inner = bodies.get(m[3]);
      if (inner === undefined) return undefined;
      const sub = toJs(inner, bodies, depth + 1);
      if (sub === undefined) return undefined;
      js += `(${sub})`;
    } else {
      js += ` ${m[4]} `;
    }
  }
  return js === '' ? undefined : js;
}

/** Integer value of every macro whose name matches `filter` and whose body is an integer expression. */
export function headerConstants(headers: readonly string[], filter: RegExp): Map<string, bigint> {
  const bodies = macroBodies(headers);
  const values = new Map<string, bigint>();
  for (const [name, body] of bodies) {
    if (!filter.test(name)) continue;
    const js = toJs(body, bodies, 0);
    if (js === undefined) continue;
    try {
      const v = new Function(`return (${js});`)() as unknown;
      if (typeof v === 'bigint') values.set(name, v);
    } catch {
      // not a constant expression we can evaluate (e.g. a cast); such macros are not table values
    }
  }
  return values;
}

/**
 * Values of named constants as the C compiler sees them, for names that are enum members in the
 * headers (IPPROTO_*, DT_*) or come from glibc: compiles and runs a tiny program that prints them.
 */
export function compiledConstants(headers: readonly string[], names: readonly string[], workDir: string): Map<string, bigint> {
  const source = [
    '#define _GNU_SOURCE',
    ...headers.map((h) => `#include <${h}>`),
    '#include <stdio.h>',
    'int main(void) {',
    ...names.map((n) => `  printf("%s %lld\\n", "${n}", (long long)(${n}));`),
    '  return 0;',
    '}',
  ].join('\n');
  const exe = `${workDir}/constants`;
  execFileSync('gcc', ['-x', 'c', '-o', exe, '-'], { input: source, encoding: 'utf8' });
  const out = execFileSync(exe, { encoding: 'utf8' });
  return new Map(out.trim().split('\n').map((line) => {
    const [name, value] = line.split(' ');
    return [name, BigInt(value)] as const;
  }));
}
