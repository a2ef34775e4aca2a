/**
 * Tracepoint layouts read from tracefs (`events/CATEGORY/NAME/format`), never assumed: fields move and
 * change type between kernels (on 6.18 `sched_process_fork`'s comm fields became `__data_loc char[]`,
 * while `sched_process_exit` keeps `char comm[16]`). The script generator checks every field it reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TasklensError } from '../errors.js';

/** Where tracefs is (or gets) mounted. */
export const TRACEFS = '/sys/kernel/tracing';

export interface TracepointField {
  name: string;
  /** The C type as printed, e.g. `pid_t`, `__data_loc char[]`, `char[16]`. */
  type: string;
  /** A string the script must read with str(): a fixed char array or a `__data_loc` string. */
  isString: boolean;
}

/** The fields of one tracepoint's format file, by name (common_* fields left out). */
export function parseFormat(text: string): Map<string, TracepointField> {
  const fields = new Map<string, TracepointField>();
  for (const line of text.split('\n')) {
    const m = /^\s*field:([^;]+);/.exec(line);
    if (!m) continue;
    const decl = m[1].trim();
    // `char comm[16]`, `__data_loc char[] parent_comm`, `const char * filename`
    const named = /^(.*?)([A-Za-z_][A-Za-z0-9_]*)(\[\d*\])?$/.exec(decl);
    if (!named || named[2].startsWith('common_')) continue;
    const type = `${named[1].trim()}${named[3] ?? ''}`;
    fields.set(named[2], { name: named[2], type, isString: /^(__data_loc )?char\s*\[\d*\]$/.test(type.replace(/\s+\[/, '[')) });
  }
  return fields;
}

/** Reads the format of CATEGORY:NAME; throws a TasklensError naming the tracepoint when it is missing. */
export function readFormat(category: string, name: string, root = TRACEFS): Map<string, TracepointField> {
  let text: string;
  try {
    text = readFileSync(join(root, 'events', category, name, 'format'), 'utf8');
  } catch (error) {
    throw new TasklensError('capture', 'no-tracepoint', `the kernel has no tracepoint ${category}:${name} (or tracefs is not readable at ${root})`, {
      cause: error,
      hint: category === 'syscalls' ? 'syscall tracepoints need CONFIG_FTRACE_SYSCALLS=y' : 'check the kernel configuration (CONFIG_TRACEPOINTS, CONFIG_EVENT_TRACING)',
    });
  }
  return parseFormat(text);
}

/** Checks that every named field exists; returns the layout for the caller to pick str() or not. */
export function requireFields(category: string, name: string, wanted: readonly string[], root = TRACEFS): Map<string, TracepointField> {
  const fields = readFormat(category, name, root);
  const missing = wanted.filter((f) => !fields.has(f));
  if (missing.length > 0) {
    throw new TasklensError('capture', 'tracepoint-layout', `tracepoint ${category}:${name} has no field ${missing.join(', ')} on this kernel`, {
      hint: 'this kernel changed the tracepoint: use --engine strace',
    });
  }
  return fields;
}
