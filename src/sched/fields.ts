/**
 * The `name=value` text perf prints for a tracepoint (its `print fmt`), read by field name: field
 * order and field types change between kernels (on 6.18 `sched_migrate_task`'s comm became
 * `__data_loc char[]`; `prev_state` gained `+` for a preempted task), the names stay.
 */

/**
 * Splits `comm=yes pid=12 prio=120 target_cpu=001` into its fields. A value runs to the next
 * ` name=` (so a comm with spaces stays whole); tokens without `=` (`==>`, `[ns]`) are dropped.
 */
export function traceFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let key: string | undefined;
  let valueStart = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // A field name starts the text or follows a space, is [a-z0-9_]+ and ends with '='.
    if (i === 0 || text.charCodeAt(i - 1) === 32) {
      let j = i;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      if (j > i && j < n && text.charCodeAt(j) === 61 /* = */) {
        if (key !== undefined) fields.set(key, trimValue(text.slice(valueStart, i)));
        key = text.slice(i, j);
        valueStart = j + 1;
        i = j + 1;
        continue;
      }
    }
    i++;
  }
  if (key !== undefined) fields.set(key, trimValue(text.slice(valueStart)));
  return fields;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

/** Drops trailing spaces and perf's decorations after a value (`==>` in sched_switch, `[ns]` in stat_runtime). */
function trimValue(value: string): string {
  let v = value.trimEnd();
  if (v.endsWith('==>')) v = v.slice(0, -3).trimEnd();
  if (v.endsWith('[ns]')) v = v.slice(0, -4).trimEnd();
  return v;
}

/**
 * Where the value of `key` (`name=`) starts in `text`, searching from `from` (the start of the
 * fields): the key must be at `from` or follow a space. -1 when absent.
 */
function valueStartOf(text: string, key: string, from: number): number {
  let at = text.indexOf(key, from);
  while (at > from && text.charCodeAt(at - 1) !== 32) at = text.indexOf(key, at + 1);
  return at < 0 ? -1 : at + key.length;
}

/** Where a value starting at `start` ends: before the space of the next ` other=`, or at the text's end. */
function valueEndOf(text: string, start: number): number {
  const n = text.length;
  for (let i = start; i < n; i++) {
    if (text.charCodeAt(i) !== 32) continue;
    let j = i + 1;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    if (j > i + 1 && j < n && text.charCodeAt(j) === 61) return i;
  }
  return n;
}

/**
 * One field of that text by name, without splitting the rest (the hot path of a large recording):
 * `name=` at the start or after a space; the value runs to the next ` other=` like traceFields'.
 */
export function traceField(text: string, name: string): string | undefined {
  return fieldText(text, `${name}=`, 0);
}

/** traceField with the key (`name=`) given whole and the fields starting at `from`: no allocation but the value. */
export function fieldText(text: string, key: string, from: number): string | undefined {
  const start = valueStartOf(text, key, from);
  if (start < 0) return undefined;
  return trimValue(text.slice(start, valueEndOf(text, start)));
}

/** A decimal integer field (optionally negative), or undefined when absent or not a number. */
export function intField(text: string, name: string): number | undefined {
  return fieldInt(text, `${name}=`, 0);
}

/**
 * intField with the key given whole and the fields starting at `from`. Digits are read in place; a
 * value with anything but digits before the next field falls back to the string rules.
 */
export function fieldInt(text: string, key: string, from: number): number | undefined {
  const start = valueStartOf(text, key, from);
  if (start < 0) return undefined;
  const end = valueEndOf(text, start);
  let i = start;
  const negative = i < end && text.charCodeAt(i) === 45;
  if (negative) i++;
  const first = i;
  let n = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  if (i === end && i > first) return negative ? -n : n;
  return parseIntValue(trimValue(text.slice(start, end)));
}

function parseIntValue(v: string): number | undefined {
  if (v.length === 0) return undefined;
  let i = v.charCodeAt(0) === 45 ? 1 : 0;
  if (i === v.length) return undefined;
  let n = 0;
  for (; i < v.length; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return v.charCodeAt(0) === 45 ? -n : n;
}
