/**
 * A syscall event seen through the names of its arguments: typed accessors that accept every way
 * strace may print a value (symbolic, raw numbers with -X raw, decorated fds with -y, in/out pairs),
 * and a collector for decoded flags and detail lines.
 */
import type { SyscallEvent, Value } from '../parse/types.js';
import { parseValue, splitArgs, structField, toBigInt, valueText } from '../parse/values.js';
import { decodeFlags, type FlagTable } from '../kb/flags/index.js';
import { errnoByName, type ErrnoInfo } from '../kb/errno.js';
import { humanSize } from './format.js';

interface ArgCache {
  raw: string[];
  values: Array<Value | undefined>;
}

/**
 * A small ring of recent events' split arguments: the describer and the recognizers ask about the
 * event being pushed, rarely about one a few lines back, so a WeakMap (slow to fill) is not needed.
 */
const RING = 8;
const ringEvents: Array<SyscallEvent | undefined> = new Array(RING);
const ringCaches: Array<ArgCache | undefined> = new Array(RING);
let ringNext = 0;

function cacheOf(event: SyscallEvent): ArgCache {
  let cache: ArgCache | undefined;
  for (let i = 0; i < RING; i++) {
    if (ringEvents[i] === event) {
      cache = ringCaches[i];
      break;
    }
  }
  if (!cache) {
    // The parser's own `args` parses every argument; explanations mostly need one or two, so the
    // arguments are split here and each parsed only when asked for.
    const raw = splitArgs(event.argsText);
    cache = { raw, values: new Array<Value | undefined>(raw.length) };
    ringEvents[ringNext] = event;
    ringCaches[ringNext] = cache;
    ringNext = (ringNext + 1) % RING;
  }
  return cache;
}

/** The arguments as printed, split at the top level (no value parsing). */
export function rawArgs(event: SyscallEvent): string[] {
  return cacheOf(event).raw;
}

/** Argument i, parsed on first use (the same value `event.args[i]` would give). */
export function argAt(event: SyscallEvent, i: number): Value | undefined {
  const cache = cacheOf(event);
  if (i >= cache.raw.length) return undefined;
  return (cache.values[i] ??= parseValue(cache.raw[i]));
}

/** The argument strace printed as `name=value`, parsed (the value, without the label). */
export function namedArgAt(event: SyscallEvent, name: string): Value | undefined {
  const raw = cacheOf(event).raw;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i].startsWith(name) && raw[i].charCodeAt(name.length) === 61 /* = */) {
      const v = argAt(event, i);
      return v?.t === 'named' ? v.value : v;
    }
  }
  return undefined;
}

interface DecodedRows {
  names: string[];
  rows: ReadonlyArray<{ name: string; meaning: string }>;
}

const MAX_DECODE_CACHE = 4096;
const decodeCache = new Map<string, DecodedRows>();

/** Flag decoding memoised by table and text: logs repeat the same few flag words millions of times. */
function decodeCached(table: FlagTable, text: string): DecodedRows {
  const key = `${table.id}\0${text}`;
  let hit = decodeCache.get(key);
  if (!hit) {
    const d = decodeFlags(table, text);
    const rows: Array<{ name: string; meaning: string }> = d.known.map((k) => ({ name: k.name, meaning: k.meaning }));
    for (const n of d.unknownNames) rows.push({ name: n, meaning: 'not in our tables' });
    if (d.unknownBits !== 0n) rows.push({ name: `0x${d.unknownBits.toString(16)}`, meaning: 'bits our tables do not name' });
    hit = { names: d.known.map((k) => k.name).concat(d.unknownNames), rows };
    if (decodeCache.size >= MAX_DECODE_CACHE) decodeCache.clear();
    decodeCache.set(key, hit);
  }
  return hit;
}

const FD_TEXT = /^(-?\d+)(?:<([^>]*)>)?$/;

export class Call {
  readonly event: SyscallEvent;
  readonly name: string;
  readonly tid: number;
  /** Decoded values by argument name (becomes Explanation.decoded). */
  decoded: Record<string, unknown> | undefined;
  /** Detail lines (becomes Explanation.detail). */
  detail: string[] | undefined;

  constructor(event: SyscallEvent) {
    this.event = event;
    this.name = event.name;
    this.tid = event.prefix.pid ?? 0;
  }

  get line(): number {
    return this.event.line;
  }

  /** Argument i, looking through `name=` labels and `-y` fd decorations' outer shell. */
  arg(i: number): Value | undefined {
    const v = argAt(this.event, i);
    return v?.t === 'named' ? v.value : v;
  }

  /** The argument strace prints as `name=value` (clone's child_stack=, flags=...), else plain argument i. */
  named(name: string, i: number): Value | undefined {
    const hit = namedArgAt(this.event, name);
    if (hit) return hit;
    const v = argAt(this.event, i);
    return v?.t === 'named' ? undefined : v;
  }

  /** Argument i exactly as printed, unparsed (for cheap pattern tests on hot calls). */
  raw(i: number): string | undefined {
    return rawArgs(this.event)[i];
  }

  namedInt(name: string, i: number): bigint | undefined {
    return toBigInt(this.named(name, i));
  }

  /** Argument i as a number (the value on entry for `a => b`). */
  int(i: number): bigint | undefined {
    const v = this.arg(i);
    if (v?.t === 'changed') return toBigInt(v.before);
    return toBigInt(v);
  }

  /** Argument i as text exactly as printed. */
  text(i: number): string | undefined {
    const v = this.arg(i);
    return v === undefined ? undefined : valueText(v);
  }

  /** A string argument's bytes (latin1), undefined when not printed as a string (-X raw, -s 0 keeps `""...`). */
  str(i: number): string | undefined {
    const v = this.arg(i);
    return v?.t === 'str' ? v.bytes : undefined;
  }

  /** A descriptor argument: number and (with -y) the path or socket strace printed beside it. */
  fd(i: number): { fd?: number; decoration?: string } {
    const raw = this.raw(i);
    if (raw === undefined) return {};
    // Fast path for the common shapes `3` and `3</path>` (-y/-yy), without parsing a value.
    const m = FD_TEXT.exec(raw);
    if (m) return m[2] === undefined ? { fd: Number(m[1]) } : { fd: Number(m[1]), decoration: m[2] };
    const v = this.arg(i);
    if (v === undefined) return {};
    if (v.t === 'fd') {
      const n = toBigInt(v.value);
      return { ...(n === undefined ? {} : { fd: Number(n) }), decoration: v.decoration };
    }
    const n = toBigInt(v);
    if (n !== undefined) return { fd: Number(BigInt.asIntN(32, n)) };
    return {};
  }

  /** A struct argument's field (entry value of an in/out struct). */
  field(i: number, name: string): Value | undefined {
    let v = this.arg(i);
    if (v?.t === 'changed') v = v.before.t === 'struct' ? v.before : v.after;
    if (v?.t === 'array' && v.items.length === 1) v = v.items[0];
    return v?.t === 'struct' ? structField(v, name) : undefined;
  }

  fieldInt(i: number, name: string): bigint | undefined {
    return toBigInt(this.field(i, name));
  }

  /** True when the call returned without an error. */
  get ok(): boolean {
    const r = this.event.ret;
    return r !== undefined && r.errno === undefined && r.value !== '?';
  }

  get errno(): string | undefined {
    return this.event.ret?.errno;
  }

  get errnoInfo(): ErrnoInfo | undefined {
    const e = this.errno;
    return e === undefined ? undefined : errnoByName(e);
  }

  /** The return value as a number, when there is one and it is not an error. */
  get ret(): bigint | undefined {
    const r = this.event.ret;
    if (!r || r.errno !== undefined) return undefined;
    return toBigInt(r.value);
  }

  /** The -y decoration of the returned descriptor (`3</etc/passwd>` -> `/etc/passwd`). */
  get retDecoration(): string | undefined {
    return this.event.ret?.decoration;
  }

  /** The call never came back in the log (still blocked, task died, detached). */
  get pending(): boolean {
    return this.event.ret === undefined;
  }

  /** Decodes argument i against a table, records it under `key` and adds one detail line per flag. */
  flags(i: number | string, table: FlagTable, key: string, withDetail = true): string[] {
    const text = typeof i === 'number' ? this.raw(i) : i;
    if (text === undefined) return [];
    const { names, rows } = decodeCached(table, text);
    this.decode(key, rows);
    if (withDetail) for (const r of rows) this.addDetail(`${r.name}: ${r.meaning}`);
    return names;
  }

  /** Records a size argument both exactly and in human units; returns the human text. */
  size(key: string, n: bigint | undefined): string {
    if (n === undefined) return 'an unknown size';
    const human = humanSize(n);
    this.decode(key, { bytes: n.toString(), text: human });
    return human;
  }

  decode(key: string, value: unknown): void {
    (this.decoded ??= {})[key] = value;
  }

  addDetail(line: string): void {
    (this.detail ??= []).push(line);
  }
}
