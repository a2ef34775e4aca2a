/**
 * Start-up right after a successful execve. Dynamically linked programs: the loader probes
 * /etc/ld.so.preload, opens the library cache, reads each library's ELF header, maps its segments,
 * sets up TLS and the thread's registrations, seals RELRO with mprotect and unmaps the cache.
 * Static programs do only the runtime part (brk for TLS, ARCH_SET_FS, set_tid_address,
 * set_robust_list, rseq, prlimit64). Also: the TLS/thread-pointer set-up on its own.
 */
import { baseName } from '../format.js';
import type { ExplainContext } from '../context.js';
import type { ExplainedEvent } from '../types.js';
import { PerThreadRecognizer, type Candidate, type PatternApi } from './engine.js';
import { argText, ok, syscallOf, tidOf } from './util.js';

const LOADER_CALLS = new Set(['brk', 'mmap', 'mprotect', 'munmap', 'access', 'faccessat', 'faccessat2', 'openat', 'open', 'newfstatat', 'fstat', 'read', 'pread64', 'close', 'arch_prctl', 'set_tid_address', 'set_robust_list', 'rseq', 'prlimit64', 'statfs',
  // The same steps under their i386 names (32-bit x86 logs).
  'mmap2', 'fstat64', 'stat64', 'fstatat64', 'statfs64', 'set_thread_area', 'ugetrlimit']);
const MAX_STEPS = 200;

const ROLE: Record<string, string> = {
  access: 'preload check',
  openat: 'open',
  read: 'ELF header',
  pread64: 'ELF program headers',
  mmap: 'map',
  mprotect: 'protect',
  close: 'close',
  munmap: 'unmap',
  brk: 'heap/TLS',
  arch_prctl: 'thread pointer',
  set_tid_address: 'TID word',
  set_robust_list: 'robust list',
  rseq: 'rseq',
  prlimit64: 'stack limit',
  newfstatat: 'stat',
  fstat: 'stat',
  mmap2: 'map',
  fstat64: 'stat',
  fstatat64: 'stat',
  set_thread_area: 'thread pointer',
  ugetrlimit: 'stack limit',
};

export class StartupRecognizer extends PerThreadRecognizer {
  readonly id = 'loader-startup';
  readonly triggers = new Set(['execve', 'execveat']);

  feed(item: ExplainedEvent, api: PatternApi, ctx: ExplainContext): void {
    const tid = tidOf(item);
    const e = syscallOf(item);
    if (!e) return;
    let cand = this.running.get(tid);
    if ((e.name === 'execve' || e.name === 'execveat') && ok(e)) {
      if (cand) this.finish(cand, api, ctx);
      this.running.set(tid, api.open(this.id, tid, item, 'new program'));
      return;
    }
    if (!cand) return;
    if (!LOADER_CALLS.has(e.name) || cand.steps.length > MAX_STEPS) {
      this.finish(cand, api, ctx);
      return;
    }
    const path = e.name === 'access' ? argText(e, 0) : e.name === 'openat' ? argText(e, 1) : e.name === 'open' ? argText(e, 0) : '';
    if (/ld\.so\.preload/.test(path)) cand.data.preload = true;
    if (/ld\.so\.cache/.test(path)) cand.data.cache = true;
    if (e.name === 'openat' || e.name === 'open') {
      if (e.ret?.errno === 'ENOENT') cand.data.misses = ((cand.data.misses as number | undefined) ?? 0) + 1;
      else if (/\.so/.test(path)) cand.data.dynamic = true;
    }
    if (e.name === 'arch_prctl' && /ARCH_SET_FS|0x1002/.test(argText(e, 0))) cand.data.tls = true;
    if (e.name === 'mprotect' && /^PROT_READ$|^0x1$/.test(argText(e, 2))) cand.data.relro = ((cand.data.relro as number | undefined) ?? 0) + 1;
    api.step(cand, item, ROLE[e.name] ?? e.name);
    if (e.name === 'munmap' && cand.data.cache) this.finish(cand, api, ctx);
  }

  private finish(cand: Candidate, api: PatternApi, ctx: ExplainContext): void {
    this.running.delete(cand.tid ?? 0);
    const d = cand.data;
    if (cand.steps.length < 4 || !(d.tls || d.cache || d.dynamic)) {
      api.close(cand);
      return;
    }
    const proc = ctx.process(cand.tid ?? 0);
    const program = proc.program ? baseName(proc.program) : 'the program';
    if (d.cache || d.dynamic || d.preload) {
      const libs = proc.libraries;
      const parts: string[] = [];
      if (d.preload) parts.push('checks /etc/ld.so.preload (normally absent)');
      if (d.cache) parts.push('looks libraries up in /etc/ld.so.cache');
      if (d.misses) parts.push(`misses ${d.misses} search-path candidate(s) (normal)`);
      parts.push(`maps ${libs.length ? `${libs.length} librar${libs.length === 1 ? 'y' : 'ies'} (${libs.slice(0, 6).join(', ')}${libs.length > 6 ? ', …' : ''})` : 'its libraries'} segment by segment after reading each ELF header`);
      if (d.tls) parts.push('sets the thread pointer (ARCH_SET_FS) and registers the TID word, robust list and rseq');
      if (d.relro) parts.push(`seals ${d.relro} RELRO region(s) read-only`);
      api.confirm(cand, `dynamic loader start-up of ${program}`, `ld.so ${parts.join('; ')}`);
    } else {
      cand.id = 'static-startup';
      api.confirm(cand, `static start-up of ${program} (no dynamic loader)`, 'the C runtime of a statically linked program sets itself up: the heap end (brk, which also holds the TLS block), the thread pointer (ARCH_SET_FS), the clear-TID word, the robust-futex list, rseq, and reads the stack limit');
    }
    api.close(cand);
  }

  end(api: PatternApi, ctx: ExplainContext): void {
    for (const c of [...this.running.values()]) this.finish(c, api, ctx);
  }
}

/** arch_prctl(ARCH_SET_FS) → set_tid_address → set_robust_list → rseq in one thread. */
export class TlsRecognizer extends PerThreadRecognizer {
  readonly id = 'tls-setup';
  readonly triggers = new Set(['arch_prctl']);

  feed(item: ExplainedEvent, api: PatternApi): void {
    const tid = tidOf(item);
    const e = syscallOf(item);
    if (!e) return;
    const cand = this.running.get(tid);
    if (e.name === 'arch_prctl' && /ARCH_SET_FS|0x1002/.test(argText(e, 0))) {
      if (cand) api.close(cand);
      this.running.set(tid, api.open(this.id, tid, item, 'thread pointer (FS base)'));
      return;
    }
    if (!cand) return;
    const role = e.name === 'set_tid_address' ? 'clear-TID word' : e.name === 'set_robust_list' ? 'robust-futex list' : e.name === 'rseq' ? 'rseq area' : undefined;
    if (role) {
      api.step(cand, item, role);
      if (e.name === 'rseq') this.finish(cand, api);
      return;
    }
    this.finish(cand, api);
  }

  private finish(cand: Candidate, api: PatternApi): void {
    this.running.delete(cand.tid ?? 0);
    if (cand.steps.length >= 3) {
      api.confirm(cand, 'TLS and thread-pointer set-up', `the thread points %fs at its thread control block (ARCH_SET_FS), then registers ${cand.steps.slice(1).map((s) => s.role).join(', ')}: what glibc does once for the main thread (new threads get their TLS from clone's CLONE_SETTLS)`);
    }
    api.close(cand);
  }

  end(api: PatternApi): void {
    for (const c of this.running.values()) this.finish(c, api);
  }
}
