/**
 * The ELF reader and .eh_frame parser checked against binutils on real files (our workload and the
 * system libc): every function readelf lists resolves to itself, every FDE readelf lists is found at both
 * ends of its range (with the .eh_frame_hdr table and with our own index), and the unwind rows
 * readelf --debug-dump=frames-interp computes are the rows we compute.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realpathSync } from 'node:fs';
import { arch } from '../../src/ptrace/arch.js';
import { rowAt, type RegisterRule } from '../../src/ptrace/dwarf/cfa.js';
import { EhFrame } from '../../src/ptrace/dwarf/ehframe.js';
import { buildId, findSection, loadBias, parseElf, sectionData } from '../../src/ptrace/elf/elf.js';
import { clearElfCache, openElfImage } from '../../src/ptrace/elf/image.js';
import { fileSource } from '../../src/ptrace/elf/source.js';
import { compileWorkload } from './support.js';

const LIBC = realpathSync('/lib/x86_64-linux-gnu/libc.so.6');
/** stdout of a binutils command; readelf exits 1 on libc over a missing interpreter, after printing everything. */
function run(cmd: string, args: string[]): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (result.error || !result.stdout) throw new Error(`${cmd} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
  return result.stdout;
}

/** Address -> names of defined function symbols, per readelf -s (or --dyn-syms). */
function elfFunctions(path: string, dynamic: boolean): Map<bigint, string[]> {
  const out = new Map<bigint, string[]>();
  for (const line of run('readelf', ['-W', dynamic ? '--dyn-syms' : '--syms', path]).split('\n')) {
    const m = /^\s*\d+: ([0-9a-f]+)\s+\d+ (FUNC|IFUNC)\s+\S+\s+\S+\s+(\d+) (\S+)/.exec(line);
    if (!m) continue;
    const address = BigInt(`0x${m[1]}`);
    if (address === 0n) continue;
    out.set(address, [...(out.get(address) ?? []), m[4].replace(/@.*$/, '')]);
  }
  return out;
}

/** Images opened without debug files, each under its own cache identity. */
const plainImage = (path: string, tag: string) => openElfImage(path, { identity: `test:${tag}`, debugRoot: '/nonexistent' })!;

describe('ELF symbols', () => {
  for (const [label, path, dynamic] of [['workload .symtab', () => compileWorkload('O2-no-frame-pointer'), false], ['libc .dynsym', () => LIBC, true]] as const) {
    test(`${label}: every function readelf lists resolves to one of its names at offset 0`, () => {
      const file = path();
      const image = plainImage(file, label);
      const expected = elfFunctions(file, dynamic);
      assert.ok(expected.size > 10);
      for (const [address, names] of expected) {
        const hit = image.symbols().lookup(address);
        assert.ok(hit && names.includes(hit.name) && hit.offset === 0n, `0x${address.toString(16)}: got ${hit?.name}+${hit?.offset}, readelf says ${names.join('|')}`);
      }
    });
  }

  test('an address inside a function resolves to it with the right offset; one past the end of the text does not', () => {
    const image = plainImage(LIBC, 'libc-offsets');
    const [address] = [...elfFunctions(LIBC, true)].find(([, names]) => names.includes('clock_nanosleep'))!;
    assert.deepEqual(image.symbols().lookup(address + 0x10n), { name: 'clock_nanosleep', offset: 0x10n });
    assert.equal(image.symbols().lookup(0n), undefined);
  });

  test('build-id matches readelf -n; load bias of a mapping', () => {
    const elf = parseElf(fileSource(LIBC));
    const note = /Build ID: ([0-9a-f]+)/.exec(run('readelf', ['-n', LIBC]))![1];
    assert.equal(buildId(elf), note);
    // A shared object's first PT_LOAD is at offset 0, vaddr 0: the bias is the mapping's start.
    assert.equal(loadBias(elf, 0x7f0000000000n, 0n), 0x7f0000000000n);
    elf.source.close();
  });

  test('load bias when the code segment shares its first page with the read-only one (lld, rustc)', () => {
    // r_v0 built by rustc: LOAD R at offset 0 (0x17398 bytes), LOAD R+X at offset 0x173a0, vaddr 0x183a0,
    // mapped r-xp from file offset 0x17000. The R+X segment is the one mapped there: vaddr - offset = 0x1000.
    const segment = (offset: number, vaddr: bigint, filesz: number) => ({ type: 1, flags: 0, offset, vaddr, filesz, memsz: filesz });
    const elf = { type: 3, machine: 62, sections: [], segments: [segment(0, 0n, 0x17398), segment(0x173a0, 0x183a0n, 0x45380)], source: undefined as never };
    const mapStart = 0x55c7be122000n;
    assert.equal(loadBias(elf, mapStart, 0x17000n), mapStart - 0x18000n);
    assert.equal(loadBias(elf, 0x55c7be10a000n, 0n), 0x55c7be10a000n);
  });

  test('refuses what is not an ELF64 file', () => {
    assert.throws(() => parseElf(fileSource('/etc/hostname')), /not a usable ELF64 file/);
  });
});

interface ReadelfFde {
  begin: bigint;
  end: bigint;
  rows: Array<{ loc: bigint; cfa: string; regs: Map<string, string> }>;
}

/** FDEs and their unwind rows from readelf --debug-dump=frames-interp. */
function readelfFdes(path: string): ReadelfFde[] {
  const fdes: ReadelfFde[] = [];
  let current: ReadelfFde | undefined;
  let columns: string[] = [];
  for (const line of run('readelf', ['--debug-dump=frames-interp', path]).split('\n')) {
    const head = /FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line);
    if (head) {
      current = { begin: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), rows: [] };
      fdes.push(current);
      columns = [];
      continue;
    }
    if (/ CIE /.test(line)) current = undefined; // a CIE's own rows belong to no FDE
    if (!current) continue;
    const tokens = line.trim().split(/\s+/);
    if (tokens[0] === 'LOC') {
      columns = tokens.slice(2);
      continue;
    }
    if (!/^[0-9a-f]{16}$/.test(tokens[0] ?? '')) continue;
    // "r9 (r9)" is one value split by a space.
    const values: string[] = [];
    for (const t of tokens.slice(2)) {
      if (t.startsWith('(') && values.length) values[values.length - 1] += ` ${t}`;
      else values.push(t);
    }
    current.rows.push({ loc: BigInt(`0x${tokens[0]}`), cfa: tokens[1], regs: new Map(columns.map((c, i) => [c, values[i]])) });
  }
  return fdes;
}

const registerName = (n: number) => (n === 16 ? 'ra' : arch.dwarfRegisterName(n));

/** Our rule in readelf's notation. */
function notation(rule: RegisterRule | undefined): string {
  if (!rule || rule.kind === 'undefined') return 'u';
  const signed = (v: bigint) => (v < 0n ? `${v}` : `+${v}`);
  const table: { [K in RegisterRule['kind']]: (r: Extract<RegisterRule, { kind: K }>) => string } = {
    undefined: () => 'u',
    same: () => 's',
    offset: (r) => `c${signed(r.offset)}`,
    valOffset: (r) => `v${signed(r.offset)}`,
    register: (r) => `r${r.register} (${registerName(r.register)})`,
    expression: () => 'exp',
    valExpression: () => 'vexp',
  };
  return (table[rule.kind] as (r: RegisterRule) => string)(rule);
}

function loadFrame(path: string, withHdr: boolean): EhFrame {
  const elf = parseElf(fileSource(path));
  const frame = findSection(elf, '.eh_frame')!;
  const hdr = findSection(elf, '.eh_frame_hdr')!;
  return new EhFrame(
    { data: sectionData(elf, frame)!, address: frame.addr },
    withHdr ? { data: sectionData(elf, hdr)!, address: hdr.addr } : undefined,
  );
}

describe('.eh_frame against readelf', () => {
  for (const [label, path] of [['workload', () => compileWorkload('O2-no-frame-pointer')], ['libc', () => LIBC]] as const) {
    test(`${label}: the same FDEs, found at both ends of their ranges, with and without .eh_frame_hdr`, () => {
      const file = path();
      const expected = readelfFdes(file);
      const ours = [...loadFrame(file, true).entries()].map((f) => `${f.pcBegin.toString(16)}..${f.pcEnd.toString(16)}`);
      assert.deepEqual(ours, expected.map((f) => `${f.begin.toString(16)}..${f.end.toString(16)}`));
      for (const frame of [loadFrame(file, true), loadFrame(file, false)]) {
        for (const f of expected) {
          if (f.end === f.begin) continue;
          for (const pc of [f.begin, f.end - 1n]) assert.equal(frame.findFde(pc)?.pcBegin, f.begin, `pc 0x${pc.toString(16)}`);
        }
      }
    });

    test(`${label}: every unwind row readelf computes is the row we compute`, () => {
      const file = path();
      const frame = loadFrame(file, true);
      let rows = 0;
      for (const f of readelfFdes(file)) {
        const fde = frame.findFde(f.begin)!;
        for (const expected of f.rows) {
          const row = rowAt(fde, expected.loc);
          assert.ok(row, `no row at 0x${expected.loc.toString(16)}`);
          const cfa = row.cfa.kind === 'expression' ? 'exp' : `${arch.dwarfRegisterName(row.cfa.register)}+${row.cfa.offset}`;
          assert.equal(cfa, expected.cfa, `CFA at 0x${expected.loc.toString(16)}`);
          for (const [column, value] of expected.regs) {
            const n = column === 'ra' ? 16 : Array.from({ length: 17 }, (_, i) => i).find((i) => arch.dwarfRegisterName(i) === column)!;
            assert.equal(notation(row.rules.get(n)), value, `${column} at 0x${expected.loc.toString(16)}`);
          }
          rows++;
        }
      }
      assert.ok(rows > 10, `${rows} rows compared`);
    });
  }
});

describe('separate debug files', () => {
  /** A stripped copy of the workload and its debug file, laid out as distributions do. */
  function stripped(): { dir: string; binary: string; debug: string; id: string } {
    const dir = mkdtempSync(join(tmpdir(), 'tasklens-debug-'));
    const binary = join(dir, 'bin', 'threads');
    mkdirSync(join(dir, 'bin'));
    copyFileSync(compileWorkload('O2-no-frame-pointer'), binary);
    const debug = join(dir, 'threads.debug');
    execFileSync('objcopy', ['--only-keep-debug', binary, debug]);
    execFileSync('strip', ['--strip-all', binary]);
    const id = /Build ID: ([0-9a-f]+)/.exec(run('readelf', ['-n', binary]))![1];
    return { dir, binary, debug, id };
  }

  test('a stripped binary has lost its static functions; its debug file found by build-id restores them', () => {
    const { dir, binary, debug, id } = stripped();
    try {
      const [address] = [...elfFunctions(debug, false)].find(([, names]) => names.includes('sleep_long'))!;
      clearElfCache();
      assert.notEqual(openElfImage(binary, { debugRoot: join(dir, 'none') })!.symbols().lookup(address)?.name, 'sleep_long');
      const root = join(dir, 'debug');
      mkdirSync(join(root, '.build-id', id.slice(0, 2)), { recursive: true });
      copyFileSync(debug, join(root, '.build-id', id.slice(0, 2), `${id.slice(2)}.debug`));
      clearElfCache();
      const image = openElfImage(binary, { debugRoot: root })!;
      assert.deepEqual(image.symbols().lookup(address + 4n), { name: 'sleep_long', offset: 4n });
    } finally {
      clearElfCache();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('found through .gnu_debuglink in .debug/ beside the binary; a debug file of another build is refused', () => {
    const { dir, binary, debug } = stripped();
    try {
      const [address] = [...elfFunctions(debug, false)].find(([, names]) => names.includes('spin'))!;
      execFileSync('objcopy', [`--add-gnu-debuglink=${debug}`, binary]);
      mkdirSync(join(dir, 'bin', '.debug'));
      copyFileSync(debug, join(dir, 'bin', '.debug', 'threads.debug'));
      clearElfCache();
      assert.equal(openElfImage(binary, { debugRoot: join(dir, 'none') })!.symbols().lookup(address)?.name, 'spin');
      // Same name, other build (the frame-pointer variant): its build-id differs, so it must not be used.
      execFileSync('objcopy', ['--only-keep-debug', compileWorkload('O0-frame-pointer'), join(dir, 'bin', '.debug', 'threads.debug')]);
      clearElfCache();
      const image = openElfImage(binary, { debugRoot: join(dir, 'none') })!;
      assert.equal(image.debugFile(), undefined);
      assert.notEqual(image.symbols().lookup(address)?.name, 'spin');
    } finally {
      clearElfCache();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
