/**
 * Memory: mmap, mprotect, munmap, brk, madvise and friends. Mappings are remembered per process so a
 * later call can be related to the one that made its range: the guard page of a thread stack, the
 * segments of a library, the heap, the stack a finished thread gives back.
 */
import { MADVISE_ADVICE, MAP_FLAGS, MLOCK2_FLAGS, MLOCKALL_FLAGS, MREMAP_FLAGS, MSYNC_FLAGS, PROT } from '../../kb/flags/index.js';
import type { Call } from '../call.js';
import type { Mapping, ProcessState } from '../context.js';
import { baseName, dec, hex, humanSize } from '../format.js';
import type { FamilyTable, Said, Scope } from './types.js';

const PAGE = 4096n;

/** PROT names -> words: `no access`, `read-only`, `read-write`, `read+execute`. */
export function accessWords(prot: string[]): string {
  const r = prot.includes('PROT_READ');
  const w = prot.includes('PROT_WRITE');
  const x = prot.includes('PROT_EXEC');
  if (!r && !w && !x) return 'no access';
  if (w && x) return 'read-write-execute';
  if (w) return 'read-write';
  if (x) return r ? 'read+execute' : 'execute-only';
  return 'read-only';
}

function mappingLabel(m: Mapping): string {
  if (m.kind === 'stack') return `the ${humanSize(m.length)} stack mapping from line ${m.line}`;
  if (m.path) return `the ${humanSize(m.length)} mapping of ${baseName(m.path)} from line ${m.line}`;
  return `the ${humanSize(m.length)} mapping from line ${m.line}`;
}

function mmap(c: Call, s: Scope): Said {
  const len = c.int(1);
  const size = c.size('length', len);
  const prot = c.flags(2, PROT, 'prot');
  const flags = c.flags(3, MAP_FLAGS, 'flags');
  const { fd, decoration } = c.fd(4);
  const offset = c.int(5) ?? 0n;
  const access = accessWords(prot);
  const fixed = flags.includes('MAP_FIXED') || flags.includes('MAP_FIXED_NOREPLACE');
  const anon = flags.includes('MAP_ANONYMOUS') || fd === undefined || fd < 0;
  const at = c.ret;
  const where = at === undefined ? '' : ` at ${hex(at)}`;
  const file = fd !== undefined && fd >= 0 ? s.proc.fds.get(fd) : undefined;
  const path = decoration ?? file?.what;
  const name = path ? baseName(path) : `fd ${fd}`;
  const record = (kind: Mapping['kind']): void => {
    if (at === undefined || len === undefined) return;
    s.proc.addMapping({ start: at, length: len, prot: access, kind, ...(path ? { path } : {}), line: c.line, tid: c.tid });
  };

  if (anon) {
    if (flags.includes('MAP_STACK') || (access === 'no access' && len !== undefined && len >= 1n << 20n && !fixed)) {
      record('stack');
      if (access === 'no access') {
        return { text: `reserves ${size} of address space with no access for a thread stack${where}; the next mprotect normally opens all but the lowest page, which stays a guard page` };
      }
      return { text: `maps ${size} of zero-filled ${access} memory for a stack${where}` };
    }
    if (access === 'no access') {
      record('anon');
      return { text: `reserves ${size} of address space with no access${where}: nothing can touch it until mprotect or a MAP_FIXED mapping opens parts of it` };
    }
    if (fixed) {
      const lib = at === undefined ? undefined : s.proc.mappingContaining(at, len ?? 1n);
      record('anon');
      if (lib?.kind === 'library') return { text: `maps ${size} of zero-filled ${access} memory at a fixed address inside ${lib.path ? baseName(lib.path) : 'a library'}: the rest of its .bss (uninitialised globals)` };
      return { text: `maps ${size} of zero-filled ${access} memory at the fixed address${where}, replacing whatever was there` };
    }
    record('anon');
    const shared = flags.includes('MAP_SHARED') ? ' shared (children forked later see the same pages)' : '';
    const big = len !== undefined && len >= 128n * 1024n ? '; blocks of 128 KiB and more come from mmap rather than the heap in glibc malloc' : '';
    return { text: `allocates ${size} of zero-filled ${access} memory${shared}${where}${big}` };
  }

  const isLibrary = file?.kind === 'library' || /\.so(\.[0-9.]+)?$/.test(path ?? '') || file?.elfRead === true;
  if (path && /ld\.so\.cache$/.test(path)) {
    record('cache');
    return { text: `maps the loader's library cache ${path} (${size}, ${access})${where} to look library names up without searching directories` };
  }
  if (isLibrary) {
    record('library');
    if (at !== undefined && !s.proc.libraries.includes(name) && !fixed) s.proc.libraries.push(name);
    if (!fixed) return { text: `maps ${name} (${size}, ${access})${where}: this reserves room for the whole library; its segments are mapped over it next` };
    const segment = prot.includes('PROT_EXEC') ? 'the code segment (.text)' : prot.includes('PROT_WRITE') ? 'the writable data segment (.data, GOT; private copy-on-write)' : 'a read-only data segment (constants, .rodata)';
    return { text: `maps ${segment} of ${name}: ${size} from file offset ${hex(offset)}, ${access}, at a fixed address inside the library's reservation` };
  }
  record('file');
  const how = flags.includes('MAP_SHARED') ? 'shared: writes go to the file and are seen by other processes mapping it' : 'private: writes stay in this process (copy-on-write)';
  return { text: `maps ${size} of ${name} from offset ${hex(offset)}, ${access}, ${how}${where}` };
}

/** A thread stack reserved just before by this thread: the mprotect that opens it. */
function stackBeingOpened(c: Call, s: Scope, addr: bigint, len: bigint): Mapping | undefined {
  const containing = s.proc.mappingContaining(addr, len);
  if (containing) return containing.kind === 'stack' ? containing : undefined;
  // Addresses of normalised logs cannot be compared by arithmetic: fall back to the shape glibc
  // always makes, a PROT_NONE stack reservation by the same thread whose size exceeds this length
  // by a small guard.
  const last = s.proc.recent[s.proc.recent.length - 1];
  if (last && last.kind === 'stack' && last.tid === c.tid && last.prot === 'no access' && last.guard === undefined) {
    const guard = last.length - len;
    if (guard > 0n && guard <= 1n << 20n && guard % PAGE === 0n) return last;
  }
  return undefined;
}

function mprotect(c: Call, s: Scope): Said {
  const addr = c.int(0);
  const len = c.int(1);
  const size = c.size('length', len);
  const prot = c.flags(2, PROT, 'prot');
  const access = accessWords(prot);
  const at = addr === undefined ? '' : ` at ${hex(addr)}`;
  if (addr !== undefined && len !== undefined) {
    const stack = stackBeingOpened(c, s, addr, len);
    if (stack && access !== 'no access') {
      const guard = stack.length - len;
      stack.guard = guard;
      c.decode('guard', { bytes: guard.toString(), text: humanSize(guard) });
      return { text: `makes the upper ${size} of ${mappingLabel(stack)} ${access}; the lowest ${humanSize(guard)} stays PROT_NONE as the guard page, so a stack overflow faults there instead of overwriting other memory` };
    }
    const m = s.proc.mappingContaining(addr, len);
    if (access === 'no access' && m?.kind === 'stack' && m.start === addr && m.prot !== 'no access' && len < m.length) {
      if (c.ok) m.guard = len;
      return { text: `makes the lowest ${size} of ${mappingLabel(m)} PROT_NONE as its guard page (glibc's fallback when the kernel has no MADV_GUARD_INSTALL): a stack overflow faults there instead of overwriting other memory` };
    }
    if (access === 'read-only' && (m?.kind === 'library' || m === undefined)) {
      const what = m?.path ? ` of ${baseName(m.path)}` : '';
      return { text: `makes ${size}${what}${at} read-only: once relocations are applied the loader seals this part (RELRO: GOT and other relocated data) so a memory bug cannot overwrite it` };
    }
    if (m) return { text: `changes ${size}${at} inside ${mappingLabel(m)} to ${access}` };
  }
  if (access === 'no access') return { text: `removes all access to ${size}${at}: any touch now faults (a guard region, or memory being retired)` };
  if (prot.includes('PROT_EXEC')) return { text: `makes ${size}${at} ${access}: code generated at run time (a JIT) or a loader's code pages` };
  return { text: `changes the protection of ${size}${at} to ${access}` };
}

function munmap(c: Call, s: Scope): Said {
  const addr = c.int(0);
  const len = c.int(1);
  const size = c.size('length', len);
  const at = addr === undefined ? '' : ` at ${hex(addr)}`;
  if (addr === undefined || len === undefined) return { text: `unmaps ${size}${at}` };
  const exact = s.proc.mappingAt(addr);
  s.proc.removeMappings(addr, len);
  if (exact && exact.length === len) {
    if (exact.kind === 'cache') return { text: `unmaps the library cache mapped on line ${exact.line}: start-up no longer needs it` };
    if (exact.kind === 'stack') return { text: `unmaps ${mappingLabel(exact)}: a thread stack is given back to the system` };
    return { text: `unmaps ${mappingLabel(exact)}` };
  }
  return { text: `unmaps ${size}${at}; touching it afterwards faults` };
}

function brk(c: Call, s: Scope): Said {
  const wanted = c.int(0) ?? 0n;
  const got = c.ret;
  const proc: ProcessState = s.proc;
  if (wanted === 0n) {
    if (got !== undefined) {
      proc.heapStart ??= got;
      proc.heapEnd = got;
    }
    return { text: `asks where the heap ends (the program break)${got === undefined ? '' : ` → ${hex(got)}`}; malloc does this before growing it`, coversResult: true };
  }
  const before = proc.heapEnd;
  if (got !== undefined && got !== wanted) {
    return { text: `asks to move the program break to ${hex(wanted)} but it stays at ${hex(got)}: the heap cannot grow (out of memory or RLIMIT_DATA)`, coversResult: true };
  }
  proc.heapEnd = wanted;
  if (before === undefined) return { text: `moves the program break to ${hex(wanted)}: sets the end of the heap`, coversResult: true };
  const delta = wanted - before;
  c.decode('change', { bytes: delta.toString(), text: humanSize(delta < 0n ? -delta : delta) });
  if (delta > 0n) return { text: `grows the heap by ${humanSize(delta)} (program break ${hex(before)} → ${hex(wanted)}): malloc needs more room`, coversResult: true };
  if (delta < 0n) return { text: `shrinks the heap by ${humanSize(-delta)}: free memory at its top goes back to the system`, coversResult: true };
  return { text: `sets the program break to where it already is (${hex(wanted)})`, coversResult: true };
}

function madvise(c: Call, s: Scope): Said {
  const addr = c.int(0);
  const len = c.int(1);
  const size = c.size('length', len);
  const advice = c.flags(2, MADVISE_ADVICE, 'advice', false);
  const at = addr === undefined ? '' : ` at ${hex(addr)}`;
  const meaning = c.decoded?.advice as Array<{ name: string; meaning: string }> | undefined;
  const stack = addr === undefined ? undefined : s.proc.mappingAt(addr) ?? s.thread.stack;
  if (advice.includes('MADV_DONTNEED') && stack?.kind === 'stack' && (s.thread.stack === stack || stack.start === addr)) {
    return { text: `the exiting thread drops the contents of ${size} of its own stack (${mappingLabel(stack)}): the memory goes back to the system but the mapping stays, so glibc can reuse it for the next thread` };
  }
  if (advice.includes('MADV_GUARD_INSTALL') && stack?.kind === 'stack' && addr !== undefined && stack.start === addr) {
    if (c.ok && len !== undefined) stack.guard = len;
    if (c.errno === 'EINVAL') return { text: `tries to install a ${size} guard region at the bottom of ${mappingLabel(stack)} (MADV_GUARD_INSTALL, glibc 2.41+): this kernel has none (before 6.13)`, benign: 'glibc falls back to mprotect(PROT_NONE) of the guard page' };
    return { text: `installs a ${size} guard region at the bottom of ${mappingLabel(stack)} (glibc 2.41+ thread stacks): touching it raises SIGSEGV, so a stack overflow faults there instead of overwriting other memory; unlike a PROT_NONE mapping it needs no separate mapping` };
  }
  const what = meaning?.[0] ? `: ${meaning[0].meaning}` : '';
  return { text: `advises the kernel about ${size}${at} with ${advice.join('|') || c.text(2)}${what}` };
}

function mremap(c: Call): Said {
  const oldSize = c.size('old_length', c.int(1));
  const newSize = c.size('new_length', c.int(2));
  const flags = c.flags(3, MREMAP_FLAGS, 'flags');
  const moved = flags.includes('MREMAP_MAYMOVE') ? ', moving it if it cannot grow in place' : '';
  return { text: `resizes a mapping from ${oldSize} to ${newSize}${moved}${c.ret === undefined ? '' : ` → now at ${hex(c.ret)}`}` };
}

function msync(c: Call): Said {
  const size = c.size('length', c.int(1));
  const flags = c.flags(2, MSYNC_FLAGS, 'flags');
  return { text: `writes ${size} of a shared file mapping back to the file (${flags.join('|')})` };
}

function lockRange(verb: string) {
  return (c: Call): Said => ({ text: `${verb} ${c.size('length', c.int(1))} at ${c.text(0) ?? '?'}${c.name === 'mlock2' ? ` (${c.flags(2, MLOCK2_FLAGS, 'flags').join('|') || 'no flags'})` : ''}` });
}

export const MEMORY: FamilyTable = {
  mmap,
  mprotect,
  pkey_mprotect: (c, s) => {
    const said = mprotect(c, s);
    return { ...said, text: `${said.text}, tagged with protection key ${c.text(3) ?? '?'}` };
  },
  pkey_alloc: (c) => ({ text: `allocates a memory protection key (access rights ${c.text(1) === '0' ? 'unrestricted' : c.text(1) ?? '?'} to start with)${c.ret !== undefined ? ` → key ${dec(c.ret)}` : ''}: pages tagged with it can be locked or unlocked per thread without a syscall (Intel PKU); V8 probes for them`, coversResult: c.ok }),
  pkey_free: (c) => ({ text: `frees memory protection key ${c.text(0) ?? '?'}` }),
  munmap,
  brk,
  madvise,
  process_madvise: (c) => ({ text: `gives memory advice for another process through its pidfd ${c.text(0) ?? '?'} (${c.text(3) ?? '?'})` }),
  mremap,
  msync,
  mlock: lockRange('locks in RAM (no swapping)'),
  mlock2: lockRange('locks in RAM (no swapping)'),
  munlock: lockRange('unlocks from RAM'),
  mlockall: (c) => ({ text: `locks every page of the address space in RAM: ${c.flags(0, MLOCKALL_FLAGS, 'flags').join('|')}` }),
  munlockall: () => ({ text: 'unlocks all locked pages of the process' }),
  mincore: (c) => ({ text: `asks which pages of ${c.size('length', c.int(1))} at ${c.text(0) ?? '?'} are in RAM` }),
  remap_file_pages: (c) => ({ text: `rearranges pages of a shared file mapping (${c.size('length', c.int(1))}); deprecated and emulated by the kernel` }),
  mseal: (c) => ({ text: `seals ${c.size('length', c.int(1))} at ${c.text(0) ?? '?'}: its mapping and protection can never change again` }),
  map_shadow_stack: (c) => ({ text: `maps a ${c.size('length', c.int(1))} CET shadow stack (return addresses only, checked by the CPU)` }),
};
