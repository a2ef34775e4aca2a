/**
 * A syscall event seen through the names of its arguments: typed accessors that accept every way
 * strace may print a value (symbolic, raw numbers with -X raw, decorated fds with -y, in/out pairs),
 * and a collector for decoded flags and detail lines.
 */
import type { SyscallEvent, Value } from '../parse/types.js';
import { parseValue, toBigInt, valueText } from '../parse/values.js';
import { decodeFlags, type FlagTable } from '../kb/flags/index.js';
import { errnoByName, type ErrnoInfo } from '../kb/errno.js';
import { humanSize } from './format.js';

const argCache = new WeakMap<SyscallEvent, Value[]>();

/**
 * The event's arguments, working around one parser quirk: the argument list of an `<unfinished ...>`
 * line ends with `, ` and its last argument comes back as an `expr` with a trailing comma
 * (`3,`). Such a value is re-parsed without the comma.
 */
export function argsOf(event: SyscallEvent): Value[] {
  const args = event.args;
  const last = args[args.length - 1];
  if (last?.t !== 'expr' || !last.text.endsWith(',')) return args;
  let fixed = argCache.get(event);
  if (!fixed) {
    fixed = [...args.slice(0, -1), parseValue(last.text.slice(0, -1))];
    argCache.set(event, fixed);
  }
  return fixed;
}

/**
 * A struct field by name. With -X verbose strace writes `name=value /* comment *\/`, which the parser
 * returns as an unnamed field holding a comment around `name=value`; that shape is found too (the
 * comment is kept around the value so `toBigInt` still reads the number).
 */
export function fieldOf(v: Value | undefined, name: string): Value | undefined {
  if (v?.t !== 'struct') return undefined;
  for (const f of v.fields) {
    if (f.name === name) return f.value;
    const inner = f.value;
    if (f.name === '' && inner.t === 'comment' && inner.value?.t === 'named' && inner.value.name === name) {
      return { t: 'comment', value: inner.value.value, comment: inner.comment };
    }
  }
  return undefined;
}

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
    const v = argsOf(this.event)[i];
    return v?.t === 'named' ? v.value : v;
  }

  /** The argument strace prints as `name=value` (clone's child_stack=, flags=...), else plain argument i. */
  named(name: string, i: number): Value | undefined {
    const args = argsOf(this.event);
    for (const v of args) if (v.t === 'named' && v.name === name) return v.value;
    const v = args[i];
    return v?.t === 'named' ? undefined : v;
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
    return fieldOf(v, name);
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
    const text = typeof i === 'number' ? this.text(i) : i;
    if (text === undefined) return [];
    const d = decodeFlags(table, text);
    const names = d.known.map((k) => k.name);
    const rows: Array<{ name: string; meaning: string }> = d.known.map((k) => ({ name: k.name, meaning: k.meaning }));
    for (const n of d.unknownNames) rows.push({ name: n, meaning: 'not in our tables' });
    if (d.unknownBits !== 0n) rows.push({ name: `0x${d.unknownBits.toString(16)}`, meaning: 'bits our tables do not name' });
    this.decode(key, rows);
    if (withDetail) for (const r of rows) this.addDetail(`${r.name}: ${r.meaning}`);
    return names.concat(d.unknownNames);
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
