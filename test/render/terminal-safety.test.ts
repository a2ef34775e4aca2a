/**
 * Untrusted text never reaches a terminal raw (issue 9 item 5): a live process whose name, thread
 * name, zombie child, argv and executable path are escape sequences, and a crafted strace log, go
 * through every verb; no ESC, BEL or C1 CSI byte of theirs may come out (colour is off, so none of
 * ours either), the escaped form must, and JSON keeps the exact text. `ps` on a pseudo-terminal
 * (unsized, and sized) must end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { termSafe, termSafeLines, jsonSafe } from '../../src/render/escape.js';
import { renderPointsText } from '../../src/render/lab/points.js';
import { palette } from '../../src/render/color.js';
import { StraceParser } from '../../src/parse/index.js';
import { lineBytes } from '../../src/parse/lines.js';
import type { TraceEvent } from '../../src/parse/types.js';
import { TaskGraph } from '../../src/model/index.js';
import { TimelineRenderer } from '../../src/render/timeline.js';
import { compile, until, stateOf } from '../procfs/programs.js';
import { cliArgv, runCli, runCliInProcess } from '../support/cli.js';

/** The names hostile.c gives itself, as bytes read back from /proc (latin1 keeps each byte). */
const HOSTILE = '\x1b]2;PWN\x07\x1b[2J';
const HOSTILE_THREAD = '\x1b[31mT\x9b\x07';
const SHOWN = '\\e]2;PWN\\x07\\e[2J';
const ARGV = ['\x1b]0;ARGV\x07', 'c1\u009bcsi', 'bidi\u202eevil'];
const EXE = '\x1b]2;EXE\x07bin';

/** Bytes a hostile text could use to act on a terminal: ESC, BEL, C1 CSI (raw and UTF-8), bidi override. */
function assertInert(text: string, what: string): void {
  for (const [ch, name] of [['\x1b', 'ESC'], ['\x07', 'BEL'], ['\x9b', 'CSI'], ['\u202e', 'RLO']] as const) {
    const at = text.indexOf(ch);
    assert.equal(at, -1, `${what}: raw ${name} at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}`);
  }
}

function readLatin1(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1').replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

describe('escape functions', () => {
  test('termSafe shows controls, C1 and bidi/format characters visibly and keeps printable UTF-8', () => {
    assert.equal(termSafe('\x1b]2;PWN\x07\x1b[2J'), '\\e]2;PWN\\x07\\e[2J');
    assert.equal(termSafe('a\u009bb\u007f\x00'), 'a\\x9bb\\x7f\\x00');
    assert.equal(termSafe('x\ny\tz\r'), 'x\\ny\\tz\\r');
    assert.equal(termSafe('a\u202eb\u2066c\u200bd\ufeffe\u2028f'), 'a\\u{202e}b\\u{2066}c\\u{200b}d\\u{feff}e\\u{2028}f');
    assert.equal(termSafe('lone \ud800 tag \u{e0041}'), 'lone \\u{d800} tag \\u{e0041}');
    const printable = 'héllo 日本語 👩‍💻 नमस्ते ‌ \\e';
    assert.equal(termSafe(printable), printable);
    assert.equal(termSafeLines('a\x1b\nb\x07'), 'a\\e\nb\\x07');
  });

  test('jsonSafe keeps the exact text for a JSON parser and nothing a terminal acts on', () => {
    const value = { s: `${HOSTILE}\u009b\u202e\u2028\u{e0041}é` };
    const json = jsonSafe(JSON.stringify(value));
    assertInert(json, 'json');
    assert.doesNotMatch(json, /[\u0080-\u009f\u2028\u202e]/);
    assert.deepEqual(JSON.parse(json), value);
  });

  test('lab points: cited log lines, sentences and grid cells are escaped', () => {
    const text = renderPointsText(
      [{ id: 'x', title: 't', why: `w${HOSTILE}`, sides: [{ program: 'p', says: `says ${HOSTILE}`, cites: [{ program: 'p', line: 1, raw: `1 write(1, "${HOSTILE}", 3) = 3` }] }], table: { columns: ['a', 'b'], rows: [[HOSTILE, `yes ${HOSTILE}`]] } }],
      { palette: palette(false), width: 200 },
    );
    assertInert(text, 'lab points');
    assert.ok(text.includes(SHOWN));
  });
});

describe('a hostile live process: ps, inspect, snapshot, zombies', { timeout: 120_000 }, () => {
  let child: ChildProcess;
  let dir: string;
  let zombie: number;
  let hostileTid: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tasklens-hostile-'));
    const exe = join(dir, EXE);
    copyFileSync(compile('hostile'), exe);
    child = spawn(exe, ARGV, { stdio: 'ignore' });
    const pid = child.pid!;
    await until(() => readLatin1(`/proc/${pid}/comm`) === HOSTILE, 'the process to name itself');
    await until(() => {
      const tids = readdirSync(`/proc/${pid}/task`).map(Number);
      hostileTid = tids.find((tid) => readLatin1(`/proc/${pid}/task/${tid}/comm`) === HOSTILE_THREAD) ?? 0;
      return hostileTid !== 0;
    }, 'the thread to name itself');
    await until(() => {
      const children = (readLatin1(`/proc/${pid}/task/${pid}/children`) ?? '').trim().split(' ').filter(Boolean).map(Number);
      zombie = children.find((c) => stateOf(c) === 'Z' && readLatin1(`/proc/${c}/comm`) === HOSTILE) ?? 0;
      return zombie !== 0;
    }, 'the named child to become a zombie');
  });

  after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('ps (tree, threads, flat): escaped name, thread name and argv; JSON keeps them exactly', async () => {
    for (const args of [['ps', String(child.pid)], ['ps', '--threads', String(child.pid)], ['ps', '--flat', '--threads', String(child.pid)]]) {
      const r = await runCliInProcess(args);
      assert.equal(r.status, 0, r.stderr);
      assertInert(r.stdout + r.stderr, args.join(' '));
      assert.ok(r.stdout.includes('\\e]0;ARGV\\x07 c1\\x9bcsi bidi\\u{202e}evil'), r.stdout);
    }
    const threads = (await runCliInProcess(['ps', '--threads', String(child.pid)])).stdout;
    assert.ok(threads.includes('{\\e[31mT\ufffd\\x07}'), threads); // the lone 0x9b byte is not UTF-8: U+FFFD
    const json = await runCliInProcess(['ps', '--json', '--threads', String(child.pid)]);
    assertInert(json.stdout, 'ps --json');
    const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(records[0].comm, HOSTILE);
    assert.deepEqual(records[0].cmdline.slice(1), ARGV);
    assert.ok(records.some((r: { kind: string; comm: string }) => r.kind === 'thread' && r.comm === '\x1b[31mT\ufffd\x07'));
  });

  test('ps on a pseudo-terminal ends, unsized (0x0) and sized, with the lines cut but not emptied', () => {
    const cli = [...cliArgv(), 'ps', '--threads', String(child.pid)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    for (const [setup, width] of [['', undefined], ['stty cols 60 rows 20; ', 60]] as const) {
      const r = spawnSync('script', ['-qec', `${setup}exec ${process.execPath} ${cli}`, '/dev/null'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 60_000,
      });
      assert.equal(r.signal, null, `ps on a ${width ?? 'zero'}-column terminal did not end`);
      assert.equal(r.status, 0, r.stderr);
      assertInert(r.stdout, 'ps on a pty');
      const lines = r.stdout.split(/\r?\n/).filter(Boolean);
      const row = lines.find((l) => l.trimStart().startsWith(`${child.pid} `));
      assert.ok(row, `no row for the process in:\n${r.stdout}`);
      if (width !== undefined) {
        for (const l of lines) assert.ok([...l].length <= width, `longer than ${width}: ${l}`);
        assert.ok(row.endsWith('…'), row);
      } else assert.ok(row.includes('bidi\\u{202e}evil'), row);
    }
  });

  test('inspect: escaped comm, argv, executable path and thread names; JSON exact', async () => {
    const r = await runCliInProcess(['inspect', String(child.pid)]);
    assert.equal(r.status, 0, r.stderr);
    assertInert(r.stdout + r.stderr, 'inspect');
    assert.ok(r.stdout.includes(`process ${child.pid}  ${SHOWN}`), r.stdout);
    assert.ok(r.stdout.includes('\\e]2;EXE\\x07bin'));
    assert.ok(r.stdout.includes('\\e[31mT'));
    const json = await runCliInProcess(['inspect', '--json', String(child.pid)]);
    assertInert(json.stdout, 'inspect --json');
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.comm, HOSTILE);
    assert.equal(doc.exe, join(dir, EXE));
    assert.deepEqual(doc.cmdline.slice(1), ARGV);
  });

  test('snapshot: escaped process and thread names and module path; JSON exact', () => {
    const r = runCli(['snapshot', String(child.pid)]);
    assert.equal(r.status, 0, r.stderr);
    assertInert(r.stdout + r.stderr, 'snapshot');
    assert.ok(r.stdout.includes(`Thread ${child.pid}  "${SHOWN}"`), r.stdout);
    assert.ok(r.stdout.includes(`Thread ${hostileTid}  "\\e[31mT`), r.stdout);
    assert.ok(r.stdout.includes('(\\e]2;EXE\\x07bin)'), r.stdout);
    const json = runCli(['snapshot', '--json', String(child.pid)]);
    assertInert(json.stdout, 'snapshot --json');
    const doc = JSON.parse(json.stdout) as { threads: Array<{ tid: number; name: string }> };
    assert.equal(doc.threads.find((t) => t.tid === child.pid)?.name, HOSTILE);
  });

  test('zombies: escaped parent and zombie names and command; JSON exact', async () => {
    const r = await runCliInProcess(['zombies']);
    assert.equal(r.status, 1, r.stderr); // there are zombies
    assertInert(r.stdout + r.stderr, 'zombies');
    assert.match(r.stdout, new RegExp(`zombie +${zombie}  ${SHOWN.replace(/[\\[\]]/g, '\\$&')}`));
    assert.ok(r.stdout.includes(`parent ${child.pid}`));
    const json = await runCliInProcess(['zombies', '--json']);
    assertInert(json.stdout, 'zombies --json');
    const doc = JSON.parse(json.stdout) as { groups: Array<{ parent: { pid: number; comm: string }; zombies: Array<{ pid: number; comm: string }> }> };
    const group = doc.groups.find((g) => g.parent.pid === child.pid);
    assert.equal(group?.parent.comm, HOSTILE);
    assert.equal(group?.zombies.find((z) => z.pid === zombie)?.comm, HOSTILE);
  });
});

describe('a crafted strace log and a hostile program: explain, tree, trace, errors', { timeout: 120_000 }, () => {
  let dir: string;
  let log: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tasklens-hostile-log-'));
    log = join(dir, 'hostile.log');
    const lines = [
      // strace's own escapes (decoded by the parser into raw bytes: C1 and a bidi override), and raw
      // bytes (ESC, BEL, a lone 0x9b CSI; the file is written byte for byte).
      '100 execve("/tmp/\\33]2;PWN\\7x", ["\\33[2J", "a\\302\\233b", "\\342\\200\\256rtl"], 0x7ffd /* 1 var */) = 0',
      '100 openat(AT_FDCWD, "\\33]0;pwn\\7", O_RDONLY) = -1 ENOENT (No such file or directory)',
      `100 openat(AT_FDCWD, "\x1b[2Jraw\x07\x9b", O_RDONLY) = 3`,
      '100 write(1, "\\33[2J\\7", 5) = 5',
      `100 \x1b]2;RAWLINE\x07 garbage`,
      '100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101',
      `101 execve("/bin/\\342\\200\\256evil\x1b[2J", ["x\\33]2;T\\7"], 0x0 /* 0 vars */) = 0`,
      '101 exit_group(0) = ?',
      '101 +++ exited with 0 +++',
      '100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---',
      '100 exit_group(0) = ?',
      '100 +++ exited with 0 +++',
    ];
    writeFileSync(log, Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('explain (full, brief, detail): every raw line, path and argv escaped; JSON keeps the raw text', async () => {
    for (const extra of [[], ['--brief'], ['--detail']]) {
      const r = await runCliInProcess(['explain', ...extra, log]);
      assert.equal(r.status, 0, r.stderr);
      assertInert(r.stdout + r.stderr, `explain ${extra.join(' ')}`);
      assert.ok(r.stdout.includes('\\e]2;RAWLINE\\x07'), r.stdout);
      assert.ok(r.stdout.includes('\\e[2Jraw\\x07\\x9b'), r.stdout);
    }
    const json = await runCliInProcess(['explain', '--json', log]);
    assertInert(json.stdout, 'explain --json');
    const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    // The lone 0x9b is not UTF-8: JSON carries it as U+DC9B (README, "surrogateescape"), which maps
    // back to the exact byte; U+009B would be the valid UTF-8 pair C2 9B, a different line.
    const raw: string = records.find((r: { line?: number }) => r.line === 3).raw;
    assert.equal(raw, `100 openat(AT_FDCWD, "\x1b[2Jraw\x07\udc9b", O_RDONLY) = 3`);
    assert.deepEqual(lineBytes(raw), Buffer.from(`100 openat(AT_FDCWD, "\x1b[2Jraw\x07\x9b", O_RDONLY) = 3`, 'latin1'));
  });

  test('tree: exec paths and argv escaped; JSON exact', async () => {
    const r = await runCliInProcess(['tree', log]);
    assert.equal(r.status, 0, r.stderr);
    assertInert(r.stdout + r.stderr, 'tree');
    assert.ok(r.stdout.includes('exec /bin/\\u{202e}evil\\e[2J'), r.stdout);
    assert.ok(r.stdout.includes('exec /tmp/\\e]2;PWN\\x07x'), r.stdout);
    const json = await runCliInProcess(['tree', '--json', log]);
    assertInert(json.stdout, 'tree --json');
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.roots[0].children[0].execs[0].path, '/bin/\u202eevil\x1b[2J');
  });

  test('trace timeline: raw bytes of a log line, a path, a signal, program output and strace messages are escaped', () => {
    const graph = new TaskGraph();
    const timeline = new TimelineRenderer(graph, { palette: palette(false), continuations: true });
    const parser = new StraceParser({ source: 'hostile' });
    const events: TraceEvent[] = [];
    for (const line of readFileSync(log, 'latin1').split('\n')) parser.push(line, events);
    events.push(...parser.end());
    const text = events.map((e) => (graph.apply(e), timeline.render(e) ?? '')).join('\n');
    assertInert(text, 'timeline');
    assert.ok(text.includes('\\e]2;RAWLINE\\x07'), text);
    assert.ok(text.includes('\\e[2Jraw\\x07\\x9b'), text);
  });

  test('trace: a hostile program path and argv, with and without --explain', () => {
    const exe = join(dir, EXE);
    copyFileSync('/bin/true', exe);
    for (const [mode, shown] of [[[], '\\33]2;EXE\\7bin'], [['--full', '--explain'], '\\e]2;EXE\\x07bin']] as const) {
      const r = runCli(['trace', ...mode, '--', exe, ...ARGV]);
      assert.equal(r.status, 0, r.stderr);
      assertInert(r.stdout + r.stderr, `trace ${mode.join(' ')}`);
      assert.ok(r.stderr.includes(shown), r.stderr); // strace's escapes as written; the explanation decodes them, then escapes
    }
    const json = runCli(['trace', '--json', '--out', '-', '--', exe, ...ARGV]);
    assertInert(json.stdout, 'trace --json');
    const events = json.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { raw?: string });
    assert.ok(events.some((e) => e.raw?.includes('\\33]2;EXE\\7bin')), json.stdout); // strace's own escapes, kept as written
  });

  test('error messages quoting a path or an argument are escaped', async () => {
    const missing = await runCliInProcess(['explain', join(dir, `${HOSTILE}missing.log`)]);
    assert.equal(missing.status, 1);
    assertInert(missing.stderr, 'explain error');
    assert.ok(missing.stderr.includes(SHOWN), missing.stderr);
    const usage = await runCliInProcess(['inspect', HOSTILE]);
    assert.equal(usage.status, 2);
    assertInert(usage.stderr, 'usage error');
    assert.ok(usage.stderr.includes(SHOWN), usage.stderr);
  });
});
