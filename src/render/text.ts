/** Text helpers every renderer shares. */

const SGR = /\x1b\[[0-9;]*m/g;
const SGR_AT = /^\x1b\[[0-9;]*m/;

/** Length of a line as shown on a terminal (colour codes take no room). */
export function visibleLength(line: string): number {
  return line.includes('\x1b') ? line.replace(SGR, '').length : line.length;
}

/** Cuts a (possibly coloured) line to `width` visible characters, ending with `…`; no width: unchanged. */
export function cut(line: string, width: number | undefined): string {
  if (width === undefined || visibleLength(line) <= width) return line;
  let out = '';
  let visible = 0;
  for (let i = 0; i < line.length; ) {
    const m = line.charCodeAt(i) === 27 ? SGR_AT.exec(line.slice(i, i + 16)) : null;
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (visible === width - 1) {
      out += '…';
      break;
    }
    out += line[i++];
    visible++;
  }
  return line.includes('\x1b') ? `${out}\x1b[0m` : out;
}

/**
 * Columns to cut output to: the terminal's width, or undefined (never cut) when the stream is not a
 * terminal or reports no usable size (a pseudo-terminal nobody sized says 0x0).
 */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }): number | undefined {
  const columns = stream.isTTY === true ? stream.columns : undefined;
  return columns !== undefined && Number.isInteger(columns) && columns >= MIN_WIDTH ? columns : undefined;
}

/** Narrower than this, cutting would leave nothing readable: print whole lines instead. */
const MIN_WIDTH = 20;
