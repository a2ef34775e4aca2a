/**
 * Continuation lines: strace prints them with no prefix right after the event they belong to, so
 * they take that event's prefix (pid, time).
 */
import type { Prefix, TraceEvent } from './types.js';

/** ` > /lib/x86_64-linux-gnu/libc.so.6(__write+0x4f) [0xf838f]` (`-k`; `-kk` adds ` file.c:LINE`). */
export function stackFrameLine(text: string, lineNo: number, raw: string, prefix: Prefix, source: string | undefined): TraceEvent {
  const frame = text.slice(3);
  const m = /^(.*?)(?:\(([^()]*)\))? \[(0x[0-9a-f]+)\](?: (.*))?$/.exec(frame);
  if (!m) return { kind: 'stack', line: lineNo, raw, prefix, module: '', error: frame, source };
  const [, module, symbolPart, address] = m;
  const event: TraceEvent = { kind: 'stack', line: lineNo, raw, prefix, module, address, source };
  if (symbolPart !== undefined) {
    const plus = symbolPart.lastIndexOf('+');
    if (plus >= 0) {
      if (plus > 0) event.symbol = symbolPart.slice(0, plus);
      event.offset = symbolPart.slice(plus + 1);
    } else if (symbolPart !== '') {
      event.symbol = symbolPart;
    }
  }
  if (module === 'unexpected_backtracing_error') event.error = module;
  return event;
}

/** ` | 00000  7f 45 4c 46 ...  .ELF... |` (`-e read=`/`-e write=`), or ` * N bytes in buffer M`. */
export function dumpLine(text: string, lineNo: number, raw: string, prefix: Prefix, source: string | undefined): TraceEvent {
  const m = /^ \| ([0-9a-f]{5,})  ((?:[0-9a-f]{2} {1,2})*)/.exec(text);
  if (!m) return { kind: 'dump', line: lineNo, raw, prefix, source };
  return { kind: 'dump', line: lineNo, raw, prefix, offset: parseInt(m[1], 16), hex: m[2].replace(/ +/g, ''), source };
}
