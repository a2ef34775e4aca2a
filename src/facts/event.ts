/** Small readers of a parsed syscall event shared by the fact decoders. */
import type { SyscallEvent, Value } from '../parse/types.js';
import { decodeUtf8 } from '../parse/lines.js';
import { toBigInt } from '../parse/values.js';

/** Linux's PID_MAX_LIMIT (2^22): a larger number in a log is not a pid. */
export const MAX_PID = 4_194_304n;

/** Argument i, parsing only that one when the event can (decoders read one or two arguments). */
export function argOf(event: SyscallEvent, i: number): Value | undefined {
  return event.argAt ? event.argAt(i) : event.args[i];
}

/** The value of the argument strace printed as `name=value`. */
export function namedArg(event: SyscallEvent, name: string): Value | undefined {
  const parts = event.argParts?.();
  const n = parts ? parts.length : event.args.length;
  for (let i = 0; i < n; i++) {
    // Look at the printed text first: no value is parsed for the arguments passed over.
    if (parts && !(parts[i].startsWith(name) && parts[i].charCodeAt(name.length) === 61 /* = */)) continue;
    const v = argOf(event, i);
    if (v?.t === 'named' && v.name === name) return v.value;
  }
  return undefined;
}

/** Whether the call worked, and its errno when it failed. A call that never returned is not ok. */
export function outcome(event: SyscallEvent): { ok: boolean; errno?: string } {
  const ret = event.ret;
  if (ret === undefined) return { ok: false };
  if (ret.errno !== undefined) return { ok: false, errno: ret.errno };
  return { ok: ret.value !== '?' && !ret.value.startsWith('-') };
}

/** The integer a call returned, when it returned one (no errno). */
export function returnedInt(event: SyscallEvent): bigint | undefined {
  if (event.ret === undefined || event.ret.errno !== undefined) return undefined;
  return toBigInt(event.ret.value);
}

/** A pid a call returned (0 < pid <= 2^22). */
export function pidResult(event: SyscallEvent): number | undefined {
  return asPid(returnedInt(event));
}

/** A number that can be a pid (0 < n <= 2^22) as a JS number. */
export function asPid(n: bigint | undefined): number | undefined {
  return n !== undefined && n > 0n && n <= MAX_PID ? Number(n) : undefined;
}

/** A value as a JS number when it is a small integer (fds, codes, counts); undefined otherwise. */
export function smallInt(v: Value | string | undefined): number | undefined {
  const n = toBigInt(v);
  return n !== undefined && n >= -0x80000000n && n <= 0xffffffffn ? Number(n) : undefined;
}

/**
 * A copy of `text` that shares no memory with the line it was cut from. A name parsed from a line is a
 * slice of that line, and the model keeps facts as long as it lives: 19,500 tasks kept 13 MB of log
 * lines alive this way.
 */
export function detached(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string); // V8 copies slices under 13 chars itself
}

/** The parser keeps string bytes as latin1 (one char per byte); programs' strings are usually UTF-8 (invalid bytes kept, see decodeUtf8). */
export function bytesToText(bytes: string): string {
  const text = utf8Text(bytes);
  return text === bytes ? detached(bytes) : text;
}

/** bytesToText for facts that live no longer than their event: ASCII stays a slice of the line. */
export function utf8Text(bytes: string): string {
  for (let i = 0; i < bytes.length; i++) if (bytes.charCodeAt(i) > 0x7f) return decodeUtf8(Buffer.from(bytes, 'latin1'));
  return bytes;
}
