/**
 * A syscall event seen through the names of its arguments: typed accessors that accept every way
 * strace may print a value (symbolic, raw numbers with -X raw, decorated fds with -y, in/out pairs),
 * and a collector for decoded flags and detail lines.
 */
import type { SyscallEvent, Value } from '../parse/types.js';
import { isWordText, parseValue, splitArgs, structField, toBigInt, valueText } from '../parse/values.js';
import { decodeFlags, type FlagTable } from '../kb/flags/index.js';
import { errnoByName, type ErrnoInfo } from '../kb/errno.js';
import { positionalLayout } from '../kb/structs.js';
import { humanSize } from './format.js';
import { factOf } from '../facts/index.js';

interface ArgCache {
  raw: string[];
  values: Array<Value | undefined>;
}

/**
 * Events from the parser split and parse their own arguments lazily (argParts, argAt). For other
 * events (built by hand), a small ring of recent events' split arguments: the describer and the
 * recognizers ask about the event being pushed, rarely about one a few lines back.
 */
const RING = 8;
const ringEvents: Array<SyscallEvent | undefined> = new Array(RING);
const ringCaches: Array<ArgCache | undefined> = new Array(RING);
let ringNext = 0;

function cacheOf(event: SyscallEvent): ArgCache {
  for (let i = 0; i < RING; i++) if (ringEvents[i] === event) return ringCaches[i]!;
  const raw = splitArgs(event.argsText);
  const cache: ArgCache = { raw, values: new Array<Value | undefined>(raw.length) };
  ringEvents[ringNext] = event;
  ringCaches[ringNext] = cache;
  ringNext = (ringNext + 1) % RING;
  return cache;
}

/** The arguments as printed, split at the top level (no value parsing). */
export function rawArgs(event: SyscallEvent): string[] {
  return event.argParts ? event.argParts() : cacheOf(event).raw;
}

/** Argument i, parsed on first use (the same value `event.args[i]` would give). */
export function argAt(event: SyscallEvent, i: number): Value | undefined {
  if (event.argAt) return event.argAt(i);
  const cache = cacheOf(event);
  if (i >= cache.raw.length) return undefined;
  return (cache.values[i] ??= parseValue(cache.raw[i]));
}

/** The argument strace printed as `name=value`, parsed (the value, without the label). */
export function namedArgAt(event: SyscallEvent, name: string): Value | undefined {
  const raw = rawArgs(event);
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
  /** `NAME: meaning`, one detail line per row. */
  lines: readonly string[];
}

const MAX_DECODE_CACHE = 4096;
interface TableCache {
  byText: Map<string, DecodedRows>;
  /** The last flag word decoded with this table: consecutive calls often repeat it. */
  lastText: string;
  last: DecodedRows | undefined;
}

/** Per table, flag text -> decoded rows (a map per table: no key string built per lookup). */
const decodeCache = new Map<FlagTable, TableCache>();

/** Flag decoding memoised by table and text: logs repeat the same few flag words millions of times. */
function decodeCached(table: FlagTable, text: string): DecodedRows {
  let cache = decodeCache.get(table);
  if (!cache) decodeCache.set(table, (cache = { byText: new Map(), lastText: '', last: undefined }));
  if (cache.last !== undefined && cache.lastText === text) return cache.last;
  const byText = cache.byText;
  let hit = byText.get(text);
  if (!hit) {
    const d = decodeFlags(table, text);
    const rows: Array<{ name: string; meaning: string }> = d.known.map((k) => ({ name: k.name, meaning: k.meaning }));
    for (const n of d.unknownNames) rows.push({ name: n, meaning: 'not in our tables' });
    if (d.unknownBits !== 0n) rows.push({ name: `0x${d.unknownBits.toString(16)}`, meaning: 'bits our tables do not name' });
    hit = { names: d.known.map((k) => k.name).concat(d.unknownNames), rows, lines: rows.map((r) => `${r.name}: ${r.meaning}`) };
    if (byText.size >= MAX_DECODE_CACHE) byText.clear();
    byText.set(text, hit);
  }
  cache.lastText = text;
  cache.last = hit;
  return hit;
}

interface FdArg {
  fd?: number;
  decoration?: string;
}

const NO_FD: FdArg = Object.freeze({});

/**
 * The common descriptor shapes `3` and `3</path>` (-y/-yy) read without parsing a value; undefined
 * for anything else (`AT_FDCWD`, `-X raw` hex, a decoration followed by text).
 */
function plainFd(raw: string): FdArg | undefined {
  const n = raw.length;
  let i = raw.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const digits = i;
  let value = 0;
  for (; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
  }
  if (i === digits || i - digits > 15) return undefined;
  const fd = digits === 1 ? -value : value;
  if (i === n) return { fd };
  // A decoration runs to the last character; `>` inside it would end it early (strace escapes it).
  if (raw.charCodeAt(i) !== 60 /* < */ || raw.charCodeAt(n - 1) !== 62 /* > */) return undefined;
  const decoration = raw.slice(i + 1, n - 1);
  return decoration.indexOf('>') < 0 ? { fd, decoration } : undefined;
}

/** `"..."` with no escapes inside: its bytes are the text between the quotes. */
function isPlainString(raw: string): boolean {
  const n = raw.length;
  return n >= 2 && raw.charCodeAt(0) === 34 && raw.indexOf('"', 1) === n - 1 && raw.indexOf('\\') < 0;
}

export class Call {
  readonly event: SyscallEvent;
  readonly name: string;
  readonly tid: number;
  /** Decoded values by argument name (becomes Explanation.decoded). */
  decoded: Record<string, unknown> | undefined;
  /** Detail lines (becomes Explanation.detail). */
  detail: string[] | undefined;
  /** Memoised: describers ask for the first descriptor and the return value several times. */
  private fd0: FdArg | undefined;
  private retValue: bigint | undefined | null = null;

  /**
   * `as`: the name the describers should see when it differs from the printed one (an i386 call
   * such as fstat64 or waitpid read as its x86-64 counterpart, whose arguments it shares).
   */
  constructor(event: SyscallEvent, as?: string) {
    this.event = event;
    this.name = as ?? event.name;
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

  /** The descriptor this call makes or marks closes on exec (from its descriptor fact). */
  get cloexec(): boolean {
    const fact = factOf(this.event);
    return fact?.fact === 'fd' && fact.cloexec === true;
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
    // A plain number as printed needs no value tree (the same bigint parseValue's int would give).
    const raw = this.raw(i);
    const plain = raw === undefined ? undefined : toBigInt(raw);
    if (plain !== undefined) return plain;
    const v = this.arg(i);
    if (v?.t === 'changed') return toBigInt(v.before);
    return toBigInt(v);
  }

  /** Argument i as text exactly as printed. */
  text(i: number): string | undefined {
    const raw = this.raw(i);
    if (raw !== undefined && isWordText(raw)) return raw; // prints back as itself
    const v = this.arg(i);
    return v === undefined ? undefined : valueText(v);
  }

  /** A string argument's bytes (latin1), undefined when not printed as a string (-X raw, -s 0 keeps `""...`). */
  str(i: number): string | undefined {
    const raw = this.raw(i);
    if (raw !== undefined && isPlainString(raw)) return raw.slice(1, -1);
    const v = this.arg(i);
    return v?.t === 'str' ? v.bytes : undefined;
  }

  /** True when strace cut string argument i at its -s limit (printed `"..."...`). */
  strCut(i: number): boolean {
    const raw = this.raw(i);
    return raw !== undefined && raw.endsWith('"...');
  }

  /** A descriptor argument: number and (with -y) the path or socket strace printed beside it. */
  fd(i: number): FdArg {
    if (i === 0) return (this.fd0 ??= this.readFd(0));
    return this.readFd(i);
  }

  private readFd(i: number): FdArg {
    const raw = this.raw(i);
    if (raw === undefined) return NO_FD;
    const plain = plainFd(raw);
    if (plain) return plain;
    const v = this.arg(i);
    if (v === undefined) return NO_FD;
    if (v.t === 'fd') {
      const n = toBigInt(v.value);
      return { ...(n === undefined ? {} : { fd: Number(n) }), decoration: v.decoration };
    }
    const n = toBigInt(v);
    if (n !== undefined) return { fd: Number(BigInt.asIntN(32, n)) };
    return NO_FD;
  }

  /**
   * A struct argument's field (entry value of an in/out struct). Structs that strace before 4.13
   * printed without field names (`{SIG_IGN, [], SA_RESTORER, 0x...}`, `{1, 0}`) are read by position
   * through the knowledge base's layout for this call and argument.
   */
  field(i: number, name: string): Value | undefined {
    let v = this.arg(i);
    if (v?.t === 'changed') v = v.before.t === 'struct' ? v.before : v.after;
    if (v?.t === 'array' && v.items.length === 1) v = v.items[0];
    if (v?.t !== 'struct') return undefined;
    const hit = structField(v, name);
    if (hit !== undefined || v.fields.length === 0 || v.fields[0].name !== '') return hit;
    const at = positionalLayout(this.name, i)?.indexOf(name) ?? -1;
    return at >= 0 ? v.fields[at]?.value : undefined;
  }

  /** True when argument i is a struct printed without field names (strace before 4.13). */
  positional(i: number): boolean {
    let v = this.arg(i);
    if (v?.t === 'changed') v = v.before;
    return v?.t === 'struct' && v.fields.length > 0 && v.fields[0].name === '' && positionalLayout(this.name, i) !== undefined;
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
    if (this.retValue === null) {
      const r = this.event.ret;
      this.retValue = !r || r.errno !== undefined ? undefined : toBigInt(r.value);
    }
    return this.retValue;
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
    const { names, rows, lines } = decodeCached(table, text);
    this.decode(key, rows);
    if (withDetail) for (const line of lines) this.addDetail(line);
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
