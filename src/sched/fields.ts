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
  for (const tail of ['==>', '[ns]']) if (v.endsWith(tail)) v = v.slice(0, -tail.length).trimEnd();
  return v;
}

/**
 * One field of that text by name, without splitting the rest (the hot path of a large recording):
 * `name=` at the start or after a space; the value runs to the next ` other=` like traceFields'.
 */
export function traceField(text: string, name: string): string | undefined {
  const key = `${name}=`;
  let at = text.indexOf(key);
  while (at > 0 && text.charCodeAt(at - 1) !== 32) at = text.indexOf(key, at + 1);
  if (at < 0) return undefined;
  const start = at + key.length;
  const n = text.length;
  for (let i = start; i < n; i++) {
    if (text.charCodeAt(i) !== 32) continue;
    let j = i + 1;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    if (j > i + 1 && j < n && text.charCodeAt(j) === 61) return trimValue(text.slice(start, i));
  }
  return trimValue(text.slice(start));
}

/** A decimal integer field (optionally negative), or undefined when absent or not a number. */
export function intField(text: string, name: string): number | undefined {
  const v = traceField(text, name);
  if (v === undefined || v.length === 0) return undefined;
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
