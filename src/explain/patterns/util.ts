/** Small helpers the recognizers share: what an item is, and the argument shapes they test. */
import type { SyscallEvent, Value } from '../../parse/types.js';
import { toBigInt, valueText } from '../../parse/values.js';
import { decodeFlags, MAP_FLAGS, PROT, MADVISE_ADVICE } from '../../kb/flags/index.js';
import type { ExplainedEvent } from '../types.js';
import { argAt, rawArgs } from '../call.js';
import { factOf, type TaskCreationFact } from '../../facts/index.js';

export function syscallOf(item: ExplainedEvent, ...names: string[]): SyscallEvent | undefined {
  const e = item.event;
  if (e.kind !== 'syscall') return undefined;
  return names.length === 0 || names.includes(e.name) ? e : undefined;
}

export function tidOf(item: ExplainedEvent): number {
  return item.tid ?? 0;
}

export function ok(e: SyscallEvent): boolean {
  return e.ret !== undefined && e.ret.errno === undefined && e.ret.value !== '?';
}

export function arg(e: SyscallEvent, i: number): Value | undefined {
  const v = argAt(e, i);
  return v?.t === 'named' ? v.value : v;
}

export function argText(e: SyscallEvent, i: number): string {
  const v = arg(e, i);
  return v === undefined ? '' : valueText(v);
}

export function argInt(e: SyscallEvent, i: number): bigint | undefined {
  const v = arg(e, i);
  return v?.t === 'changed' ? toBigInt(v.before) : toBigInt(v);
}

export function retInt(e: SyscallEvent): bigint | undefined {
  return e.ret && e.ret.errno === undefined ? toBigInt(e.ret.value) : undefined;
}

const flagCache = new Map<string, string[]>();
function names(table: typeof MAP_FLAGS, text: string): string[] {
  const key = `${table.id}\0${text}`;
  let hit = flagCache.get(key);
  if (!hit) {
    hit = decodeFlags(table, text).known.map((k) => k.name);
    if (flagCache.size > 4096) flagCache.clear();
    flagCache.set(key, hit);
  }
  return hit;
}

/** mmap of an anonymous PROT_NONE reservation flagged MAP_STACK (pthread stacks). */
export function isStackReservation(e: SyscallEvent): boolean {
  if (e.name !== 'mmap' && e.name !== 'mmap2') return false;
  // Cheap test first, most mmaps are not stacks: named flags without MAP_STACK (raw numbers are decoded).
  const raw = rawArgs(e)[3] ?? '';
  const first = raw.charCodeAt(0);
  if (!(first >= 48 && first <= 57) && !raw.includes('MAP_STACK')) return false;
  return names(MAP_FLAGS, argText(e, 3)).includes('MAP_STACK') && names(PROT, argText(e, 2)).every((n) => n === 'PROT_NONE');
}

/**
 * mmap of an anonymous read-write MAP_STACK mapping: glibc 2.41+ maps thread stacks this way and
 * then installs the guard page with madvise(MADV_GUARD_INSTALL) instead of reserving PROT_NONE.
 */
export function isStackMapping(e: SyscallEvent): boolean {
  if (e.name !== 'mmap' && e.name !== 'mmap2') return false;
  const raw = rawArgs(e)[3] ?? '';
  const first = raw.charCodeAt(0);
  if (!(first >= 48 && first <= 57) && !raw.includes('MAP_STACK')) return false;
  const prot = names(PROT, argText(e, 2));
  return names(MAP_FLAGS, argText(e, 3)).includes('MAP_STACK') && prot.includes('PROT_READ') && prot.includes('PROT_WRITE');
}

/** madvise(addr, len, MADV_GUARD_INSTALL), also as an older strace prints it (0x66 with its MADV_??? comment). */
export function isGuardInstall(e: SyscallEvent): boolean {
  if (e.name !== 'madvise') return false;
  const raw = rawArgs(e)[2] ?? '';
  return raw === 'MADV_GUARD_INSTALL' || names(MADVISE_ADVICE, argText(e, 2)).includes('MADV_GUARD_INSTALL');
}

/** mprotect(addr, len, PROT_NONE): a guard region made inaccessible. */
export function isProtNone(e: SyscallEvent): boolean {
  return e.name === 'mprotect' && names(PROT, argText(e, 2)).every((n) => n === 'PROT_NONE');
}

/** Clone flag names of clone/clone3 (fork and vfork give their implied sets). */
/** The creation fact of a creating call (its kind from the one clone classifier, its flags). */
export function creationOf(e: SyscallEvent): TaskCreationFact | undefined {
  const fact = factOf(e);
  return fact?.fact === 'create' ? fact : undefined;
}

export function isCreation(e: SyscallEvent): boolean {
  return e.name === 'clone' || e.name === 'clone3' || e.name === 'fork' || e.name === 'vfork';
}

/** rt_sigprocmask(how, set...): the how word and whether the set is `~[...]`. */
export function maskChange(e: SyscallEvent): { how: string; negated: boolean; items: string[] } | undefined {
  if (e.name !== 'rt_sigprocmask') return undefined;
  const set = arg(e, 1);
  const s = set?.t === 'changed' ? set.before : set;
  if (!s || s.t === 'null') return undefined;
  const how = argText(e, 0);
  if (s.t === 'set') return { how, negated: s.negated, items: s.items };
  if (s.t === 'array') return { how, negated: false, items: s.items.map(valueText) };
  return { how, negated: false, items: [] };
}
