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
