/**
 * The shape of every flag and constant table, and the one generic decoder that reads them.
 *
 * A table is either a set of bits (clone flags, O_*, MAP_*) or an enumeration (madvise advice,
 * prctl options). Bit tables may contain fields: groups of bits that hold one value out of several
 * (the access mode in O_ACCMODE, the mapping type in MAP_TYPE, the exit signal in clone's low byte,
 * the futex command). Decoding a number walks the fields first, then the remaining single- or
 * multi-bit flags, largest first so O_SYNC wins over its O_DSYNC part, and reports what is left
 * as unknown bits instead of dropping it.
 */

export interface FlagValue {
  readonly name: string;
  /** The value; for a field member it is the value already shifted into place within the mask. */
  readonly value: bigint;
  /** One line, our own words. */
  readonly meaning: string;
  /** The field this value belongs to (values of a field exclude each other). */
  readonly field?: string;
  /**
   * Known by name but never produced when decoding a number: aliases (O_NDELAY, WSTOPPED), and
   * names whose bits mean something else in this table's context (CLONE_NEWTIME in clone()).
   */
  readonly nameOnly?: boolean;
  /** Set when the value is newer than Debian 12's kernel headers (6.1): the first kernel that has it. */
  readonly since?: string;
  /** Set for names that never reached mainline headers but that real programs use (glibc's ARCH_CET_STATUS). */
  readonly outOfTree?: boolean;
}

export interface FlagField {
  readonly mask: bigint;
  /** Only decode this field when these bits are set too (MAP_HUGE_* needs MAP_HUGETLB). */
  readonly when?: bigint;
  /** Print the member whose value is 0 (O_RDONLY is printed; AT_STATX_SYNC_AS_STAT is not). */
  readonly showZero?: boolean;
}

export interface FlagTable {
  /** Short identifier, e.g. `clone`, `open`, `madvise`. */
  readonly id: string;
  /** What the table decodes, for headings. */
  readonly title: string;
  readonly kind: 'bits' | 'enum';
  readonly values: readonly FlagValue[];
  readonly fields?: Readonly<Record<string, FlagField>>;
  /** Name to show for a value of 0 when nothing else matched (PROT_NONE). */
  readonly zeroName?: string;
  /** Shift constants strace writes as `N<<NAME` (MAP_HUGE_SHIFT). */
  readonly shifts?: Readonly<Record<string, number>>;
}

export interface DecodedFlag {
  readonly name: string;
  readonly meaning: string;
  readonly value: bigint;
}

export interface DecodedFlags {
  /** The matching table rows, in table order. Results may be shared between calls and are frozen. */
  readonly known: readonly DecodedFlag[];
  /** Bits (or, for an enumeration, the whole value) that no table entry explains. */
  readonly unknownBits: bigint;
  /** Words in a symbolic string that the table does not know. */
  readonly unknownNames: string[];
  /** The numeric value, when the input could be fully turned into a number. */
  readonly value?: bigint;
}

/** Builds a table and checks at load time that names are unique, so lookups can never be ambiguous. */
export function defineTable(table: FlagTable): FlagTable {
  const seen = new Set<string>();
  for (const v of table.values) {
    if (seen.has(v.name)) throw new Error(`kb: duplicate name ${v.name} in flag table ${table.id}`);
    seen.add(v.name);
    if (v.field !== undefined && !table.fields?.[v.field]) throw new Error(`kb: ${v.name} names unknown field ${v.field} in ${table.id}`);
  }
  return table;
}

/**
 * Lookup structures built once per table on first use, so decoding on the explain hot path does
 * no per-call allocation beyond its result.
 */
interface Compiled {
  readonly byName: Map<string, FlagValue>;
  /** Position of each row in the table: decoded names come out in table order. */
  readonly order: Map<FlagValue, number>;
  /** Enumerations: value -> first decodable row. */
  readonly byValue: Map<bigint, FlagValue>;
  /** Fields: name, definition and value -> member. */
  readonly fields: Array<{ name: string; field: FlagField; members: Map<bigint, FlagValue> }>;
  /** Plain bit flags, widest first, so a multi-bit name claims its bits before its parts do. */
  readonly bits: FlagValue[];
  readonly zero?: FlagValue;
}

const compiledCache = new WeakMap<FlagTable, Compiled>();

function compile(table: FlagTable): Compiled {
  const cached = compiledCache.get(table);
  if (cached) return cached;
  const byName = new Map(table.values.map((v) => [v.name, v]));
  if (table.zeroName !== undefined && !byName.has(table.zeroName)) {
    byName.set(table.zeroName, { name: table.zeroName, value: 0n, meaning: 'no flags' });
  }
  const byValue = new Map<bigint, FlagValue>();
  for (const v of table.values) if (!v.nameOnly && !byValue.has(v.value)) byValue.set(v.value, v);
  const fields = Object.entries(table.fields ?? {}).map(([name, field]) => {
    const members = new Map<bigint, FlagValue>();
    for (const v of table.values) if (v.field === name && !v.nameOnly && !members.has(v.value)) members.set(v.value, v);
    return { name, field, members };
  });
  const bits = table.values
    .filter((v) => v.field === undefined && !v.nameOnly && v.value !== 0n)
    .sort((a, b) => popcount(b.value) - popcount(a.value));
  const compiled: Compiled = {
    byName,
    order: new Map(table.values.map((v, i) => [v, i])),
    byValue,
    fields,
    bits,
    ...(table.zeroName !== undefined ? { zero: byName.get(table.zeroName) } : {}),
  };
  compiledCache.set(table, compiled);
  return compiled;
}

function popcount(v: bigint): number {
  let n = 0;
  for (let x = v < 0n ? BigInt.asUintN(64, v) : v; x !== 0n; x >>= 1n) n += Number(x & 1n);
  return n;
}

function decodeNumber(table: FlagTable, value: bigint, context: bigint): { known: FlagValue[]; unknownBits: bigint } {
  const c = compile(table);
  if (table.kind === 'enum') {
    // Also accept the value as a signed 32-bit int: AT_FDCWD may arrive as 0xffffff9c.
    const hit = c.byValue.get(value) ?? c.byValue.get(BigInt.asIntN(32, value));
    return hit ? { known: [hit], unknownBits: 0n } : { known: [], unknownBits: value };
  }
  let remaining = BigInt.asUintN(64, value);
  const known: FlagValue[] = [];
  let unknownBits = 0n;
  for (const { field, members } of c.fields) {
    if (field.when !== undefined && (context & field.when) !== field.when) continue;
    const part = remaining & field.mask;
    const hit = members.get(part);
    if (hit && (part !== 0n || field.showZero)) known.push(hit);
    else if (!hit) unknownBits |= part;
    remaining &= ~field.mask;
  }
  for (const v of c.bits) {
    if ((remaining & v.value) === v.value) {
      known.push(v);
      remaining &= ~v.value;
    }
  }
  unknownBits |= remaining;
  if (value === 0n && known.length === 0 && c.zero) known.push(c.zero);
  return { known, unknownBits };
}

/** Parses a number as strace or C writes it: decimal, 0x hex, 0 octal, optionally negative. */
export function parseIntegerText(text: string): bigint | undefined {
  const t = text.trim();
  const m = /^(-?)(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i.exec(t);
  if (!m) return undefined;
  const body = m[2];
  const magnitude = /^0[0-7]+$/.test(body) ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
  return m[1] === '-' ? -magnitude : magnitude;
}

/**
 * Decodes a flag or constant value against a table. Accepts a number (bigint), or the text strace
 * printed: `CLONE_VM|CLONE_FS|SIGCHLD`, `O_RDONLY|O_CLOEXEC`, `0x80 /* FUTEX_??? *\/`,
 * `MAP_PRIVATE|MAP_HUGETLB|21<<MAP_HUGE_SHIFT`, or a plain number in any base.
 */
export function decodeFlags(table: FlagTable, value: bigint | string): DecodedFlags {
  if (typeof value === 'string') {
    // Logs repeat the same few flag strings millions of times: remember recent answers per table.
    let cache = textCache.get(table);
    if (!cache) textCache.set(table, (cache = new Map()));
    const hit = cache.get(value);
    if (hit) return hit;
    const decoded = freeze(decodeText(table, value));
    if (cache.size >= TEXT_CACHE_LIMIT) cache.clear();
    cache.set(value, decoded);
    return decoded;
  }
  return freeze(decodeValue(table, value));
}

const TEXT_CACHE_LIMIT = 4096;
const textCache = new WeakMap<FlagTable, Map<string, DecodedFlags>>();

function freeze(d: DecodedFlags): DecodedFlags {
  Object.freeze(d.known);
  Object.freeze(d.unknownNames);
  return Object.freeze(d);
}

function decodeValue(table: FlagTable, value: bigint): DecodedFlags {
  const { known, unknownBits } = decodeNumber(table, value, value);
  return { known: sort(table, known), unknownBits, unknownNames: [], value };
}

function decodeText(table: FlagTable, value: string): DecodedFlags {
  const text = value.includes('/*') ? value.replace(/\/\*.*?\*\//g, ' ').trim() : value.trim();
  const names = compile(table).byName;
  const named: FlagValue[] = [];
  const unknownNames: string[] = [];
  let numeric = 0n;
  let namedValue = 0n;
  let sawNumber = false;
  for (const raw of text.split('|')) {
    const token = raw.trim();
    if (token === '') continue;
    const hit = names.get(token);
    if (hit) { named.push(hit); namedValue |= hit.value; continue; }
    const n = parseIntegerText(token);
    if (n !== undefined) { numeric |= n; sawNumber = true; continue; }
    const shifted = /^(\S+?)\s*<<\s*(\w+)$/.exec(token);
    if (shifted) {
      const base = parseIntegerText(shifted[1]);
      const shift = table.shifts?.[shifted[2]];
      if (base !== undefined && shift !== undefined) { numeric |= base << BigInt(shift); sawNumber = true; continue; }
    }
    unknownNames.push(token);
  }
  let known = named;
  let unknownBits = 0n;
  if (sawNumber) {
    const decoded = decodeNumber(table, numeric, numeric | namedValue);
    known = [...named, ...decoded.known];
    unknownBits = decoded.unknownBits;
  }
  const result: DecodedFlags = { known: sort(table, known), unknownBits, unknownNames };
  if (unknownNames.length > 0) return result;
  return { ...result, value: table.kind === 'enum' && !sawNumber ? namedValue : namedValue | numeric };
}

function sort(table: FlagTable, rows: FlagValue[]): FlagValue[] {
  if (rows.length < 2) return rows;
  const index = compile(table).order;
  const unique = rows.filter((v, i) => rows.indexOf(v) === i);
  return unique.sort((a, b) => (index.get(a) ?? -1) - (index.get(b) ?? -1));
}

/** The meaning of one name strace prints (`CLONE_VM`, `O_CLOEXEC`, `FUTEX_WAIT_PRIVATE`), or undefined. */
export function flagMeaning(table: FlagTable, name: string): string | undefined {
  return compile(table).byName.get(name.trim())?.meaning;
}

/** The table row for one name, or undefined. */
export function flagByName(table: FlagTable, name: string): FlagValue | undefined {
  return compile(table).byName.get(name.trim());
}
