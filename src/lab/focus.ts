/**
 * What a lab shows of a trace: the interesting part. The dynamic loader's start-up (preload probe,
 * ld.so.cache, each library's ELF read and segment maps, TLS set-up, RELRO) is the same in every
 * program and comes before main(), so it is folded into one line; `all` keeps every event.
 *
 * The fold follows the explain layer's loader pattern when it names one. Otherwise the start-up is
 * taken as the first task's calls after execve up to the unmapping of /etc/ld.so.cache, which is the
 * loader's last act before it jumps to the program (glibc's ld.so; our lab programs are all
 * dynamically linked against it).
 */
import type { ExplainedEvent } from '../explain/index.js';
import type { SyscallEvent } from '../parse/types.js';
import { argInt, returned } from './evidence.js';

export interface FoldedSpan {
  kind: 'fold';
  title: string;
  summary: string;
  firstLine: number;
  lastLine: number;
  count: number;
  /** The pattern key when the explain layer named the span. */
  pattern?: string;
}

export type TraceSegment = { kind: 'event'; item: ExplainedEvent } | FoldedSpan;

const LOADER_PATTERN = /loader|startup|start-up/;

/** Keys of loader patterns the explain layer found, with their headers. */
function loaderPatterns(items: ExplainedEvent[]): Map<string, { title: string; summary: string }> {
  const found = new Map<string, { title: string; summary: string }>();
  for (const item of items) for (const p of item.patternsStarting) if (LOADER_PATTERN.test(p.id)) found.set(p.key, { title: p.title, summary: p.summary });
  return found;
}

/** Lines of the start-up when no pattern names it: after execve, through the munmap of ld.so.cache. */
function startupLines(items: ExplainedEvent[]): Set<number> {
  const calls = items.map((i) => i.event).filter((e): e is SyscallEvent => e.kind === 'syscall');
  const exec = calls.find((e) => e.name === 'execve' && !e.ret?.errno);
  if (!exec) return new Set();
  const root = exec.prefix.pid;
  const own = calls.filter((e) => e.prefix.pid === root && e.line > exec.line);
  const cacheOpen = own.find((e) => e.name === 'openat' && e.argsText.includes('"/etc/ld.so.cache"'));
  const fd = returned(cacheOpen);
  const cacheMap = own.find((e) => e.name === 'mmap' && fd !== undefined && argInt(e, 4) === fd);
  const address = returned(cacheMap);
  const unmap = own.find((e) => e.name === 'munmap' && address !== undefined && argInt(e, 0) === address);
  if (!unmap) return new Set();
  return new Set(own.filter((e) => e.line <= unmap.line).map((e) => e.line));
}

function describeStartup(items: ExplainedEvent[]): string {
  const calls = items.map((i) => i.event).filter((e): e is SyscallEvent => e.kind === 'syscall');
  const libraries = calls
    .filter((e) => e.name === 'openat' && !e.ret?.errno)
    .map((e) => /"([^"]+)"/.exec(e.argsText)?.[1])
    .filter((p): p is string => p !== undefined && /\.so(\.|$)/.test(p))
    .map((p) => p.slice(p.lastIndexOf('/') + 1));
  const count = (name: string): number => calls.filter((e) => e.name === name).length;
  const parts = [
    libraries.length ? `loads ${libraries.join(', ')}` : undefined,
    `${count('mmap')} mmap`,
    `${count('mprotect')} mprotect (RELRO)`,
    calls.some((e) => e.name === 'arch_prctl') ? 'TLS and thread-pointer set-up (arch_prctl, set_tid_address, set_robust_list, rseq)' : undefined,
  ];
  return parts.filter(Boolean).join('; ');
}

/** The trace as a lab shows it: events, with the loader start-up folded unless `all`. */
export function focusTrace(items: ExplainedEvent[], options: { all?: boolean } = {}): TraceSegment[] {
  if (options.all) return items.map((item) => ({ kind: 'event', item }));
  const patterns = loaderPatterns(items);
  const fallback = patterns.size === 0 ? startupLines(items) : new Set<number>();
  const folded = (item: ExplainedEvent): string | undefined => {
    const role = item.partOf.find((r) => patterns.has(r.key));
    if (role) return role.key;
    return fallback.has(item.event.line) ? 'startup' : undefined;
  };
  const out: TraceSegment[] = [];
  const spans = new Map<string, { span: FoldedSpan; items: ExplainedEvent[] }>();
  for (const item of items) {
    const key = folded(item);
    if (key === undefined) {
      out.push({ kind: 'event', item });
      continue;
    }
    let entry = spans.get(key);
    if (!entry) {
      const named = patterns.get(key);
      const span: FoldedSpan = {
        kind: 'fold',
        title: named?.title ?? 'dynamic-loader start-up',
        summary: named?.summary ?? '',
        firstLine: item.event.line,
        lastLine: item.event.line,
        count: 0,
        ...(named ? { pattern: key } : {}),
      };
      entry = { span, items: [] };
      spans.set(key, entry);
      out.push(span);
    }
    entry.items.push(item);
    entry.span.count++;
    entry.span.lastLine = Math.max(entry.span.lastLine, item.event.endLine ?? item.event.line);
  }
  for (const { span, items: members } of spans.values()) if (!span.pattern) span.summary = describeStartup(members.map((m) => m));
  return out;
}
