/**
 * /proc/PID/maps (needs ptrace-read access), and the thread-stack view built on it.
 *
 * Since Linux 4.5 only the main stack is labelled `[stack]`; a pthread stack is an anonymous `rw-p`
 * mapping with a PROT_NONE (`---p`) guard mapping right below it (glibc allocates both in one mmap and
 * mprotects the low end). The only reliable way to tell which mapping is which thread's stack is the
 * thread's stack pointer, read from task/TID/syscall when the thread is blocked.
 */

export interface Mapping {
  start: bigint;
  end: bigint;
  /** `r-xp`, `rw-p`, `---p` ... */
  perms: string;
  offset: bigint;
  /** major:minor of the backing device. */
  dev: string;
  inode: number;
  /** File path, `[heap]`, `[stack]`, `[vdso]`, `[anon:NAME]`, or '' for anonymous memory. */
  path: string;
  /** The file was deleted while mapped (the kernel appends ` (deleted)` to the path, which we strip). */
  deleted: boolean;
}

const DELETED = ' (deleted)';

/** Parses maps text. Paths may contain spaces, so the path is everything after the inode column. */
export function parseMaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    // Five fixed columns separated by single spaces (range perms offset dev inode), then padding,
    // then the optional path.
    const fields: string[] = [];
    let pos = 0;
    for (let i = 0; i < 4; i++) {
      const space = line.indexOf(' ', pos);
      if (space < 0) break;
      fields.push(line.slice(pos, space));
      pos = space + 1;
    }
    if (fields.length < 4) continue;
    const inodeEnd = line.indexOf(' ', pos);
    const inode = inodeEnd < 0 ? line.slice(pos) : line.slice(pos, inodeEnd);
    let path = inodeEnd < 0 ? '' : line.slice(inodeEnd).trimStart();
    const [range, perms, offset, dev] = fields;
    const dash = range.indexOf('-');
    if (dash < 0 || !/^[0-9a-f]+$/.test(offset) || !/^\d+$/.test(inode)) continue;
    const deleted = path.endsWith(DELETED);
    if (deleted) path = path.slice(0, -DELETED.length);
    out.push({
      start: BigInt(`0x${range.slice(0, dash)}`),
      end: BigInt(`0x${range.slice(dash + 1)}`),
      perms,
      offset: BigInt(`0x${offset}`),
      dev,
      inode: Number(inode),
      path,
      deleted,
    });
  }
  return out;
}

/** The mapping holding an address (maps are sorted by address, so a binary search does it). */
export function mappingAt(maps: readonly Mapping[], address: bigint): Mapping | undefined {
  let lo = 0;
  let hi = maps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = maps[mid];
    if (address < m.start) hi = mid - 1;
    else if (address >= m.end) lo = mid + 1;
    else return m;
  }
  return undefined;
}

export interface ThreadStack {
  /** The mapping the stack pointer is in. */
  start: bigint;
  end: bigint;
  sizeBytes: bigint;
  /** Bytes between the stack pointer and the low end of the mapping: what is left before the guard. */
  headroomBytes: bigint;
  /** Bytes in use above the stack pointer. */
  usedBytes: bigint;
  /** `[stack]` for the main thread's stack, '' for an anonymous pthread stack. */
  label: string;
  /** The PROT_NONE mapping directly below, if there is one: the guard page(s) that turn overflow into SIGSEGV. */
  guard?: { start: bigint; end: bigint; sizeBytes: bigint };
}

/**
 * Locates a thread's stack from its stack pointer. The main stack grows on demand under RLIMIT_STACK
 * and has no guard mapping (the kernel keeps a stack_guard_gap instead, invisible in maps).
 */
export function stackOf(maps: readonly Mapping[], sp: bigint): ThreadStack | undefined {
  const mapping = mappingAt(maps, sp);
  if (!mapping) return undefined;
  const stack: ThreadStack = {
    start: mapping.start,
    end: mapping.end,
    sizeBytes: mapping.end - mapping.start,
    headroomBytes: sp - mapping.start,
    usedBytes: mapping.end - sp,
    label: mapping.path,
  };
  const index = maps.indexOf(mapping);
  const below = index > 0 ? maps[index - 1] : undefined;
  if (below && below.end === mapping.start && below.perms.startsWith('---')) {
    stack.guard = { start: below.start, end: below.end, sizeBytes: below.end - below.start };
  }
  return stack;
}

/** Anonymous PROT_NONE mappings directly below an anonymous rw mapping: the likely pthread stacks. */
export function guardedAnonymousRegions(maps: readonly Mapping[]): Array<{ stack: Mapping; guard: Mapping }> {
  const out: Array<{ stack: Mapping; guard: Mapping }> = [];
  for (let i = 1; i < maps.length; i++) {
    const guard = maps[i - 1];
    const stack = maps[i];
    if (guard.end === stack.start && guard.perms.startsWith('---') && guard.path === '' && stack.path === '' && stack.perms.startsWith('rw')) {
      out.push({ stack, guard });
    }
  }
  return out;
}
