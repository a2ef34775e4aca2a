/**
 * Numbers shown to people, one formatter each, for every layer: hexadecimal and sizes in binary units.
 * (Explanations word sizes exactly instead, `8 MiB + 4 KiB`, so a sentence matches the number in the
 * log beside it: explain/format.ts humanSize.)
 */

/** `0x7f51f3a21000`; `width` pads the digits with zeros (`hex(0x10n, 4)` is `0x0010`). Negative values as 64-bit two's complement. */
export function hex(n: bigint, width = 0): string {
  return `0x${BigInt.asUintN(64, n).toString(16).padStart(width, '0')}`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in binary units, short: `512 B`, `4 KiB`, `1.5 KiB`, `10 KiB`, `8 MiB`, `1.5 GiB`. */
export function formatBytes(bytes: bigint | number): string {
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  return `${text} ${BYTE_UNITS[unit]}`;
}
