/**
 * Memory-mapping constants: mmap/mprotect protections, mmap flags, madvise advice, msync, mlock,
 * mremap (<asm-generic/mman-common.h>, <asm-generic/mman.h>, <asm/mman.h>, <linux/mman.h>).
 */
import { defineTable, type FlagValue } from './table.js';

export const PROT = defineTable({
  id: 'prot',
  title: 'page protection (mmap, mprotect, pkey_mprotect)',
  kind: 'bits',
  zeroName: 'PROT_NONE',
  values: [
    { name: 'PROT_NONE', value: 0n, meaning: 'no access at all: any touch faults (guard pages, reserved address space)', nameOnly: true },
    { name: 'PROT_READ', value: 0x1n, meaning: 'pages can be read (on x86-64 this also allows execution unless NX applies)' },
    { name: 'PROT_WRITE', value: 0x2n, meaning: 'pages can be written (x86-64 implies read)' },
    { name: 'PROT_EXEC', value: 0x4n, meaning: 'pages can be executed as code' },
    { name: 'PROT_SEM', value: 0x8n, meaning: 'pages may be used for atomic operations (no effect on x86-64)' },
    { name: 'PROT_GROWSDOWN', value: 0x01000000n, meaning: 'mprotect only: extend the change down to the start of a grows-down stack mapping' },
    { name: 'PROT_GROWSUP', value: 0x02000000n, meaning: 'mprotect only: extend the change up to the end of a grows-up mapping' },
  ],
});

const HUGE_SHIFT = 26;
const huge = (name: string, log2: number, size: string): FlagValue => ({
  name, value: BigInt(log2) << BigInt(HUGE_SHIFT), field: 'huge_size', meaning: `use ${size} huge pages for this MAP_HUGETLB mapping`,
});

export const MAP_FLAGS = defineTable({
  id: 'mmap',
  title: 'mmap flags',
  kind: 'bits',
  shifts: { MAP_HUGE_SHIFT: HUGE_SHIFT },
  fields: {
    type: { mask: 0x0fn },
    // The huge-page size bits are only meaningful with MAP_HUGETLB; bit 26 alone is MAP_UNINITIALIZED.
    huge_size: { mask: 0x3fn << BigInt(HUGE_SHIFT), when: 0x40000n },
  },
  values: [
    { name: 'MAP_SHARED', value: 0x1n, field: 'type', meaning: 'shared mapping: writes reach the file and other processes mapping it (and survive fork as shared)' },
    { name: 'MAP_PRIVATE', value: 0x2n, field: 'type', meaning: 'private copy-on-write mapping: writes stay in this process' },
    { name: 'MAP_SHARED_VALIDATE', value: 0x3n, field: 'type', meaning: 'shared mapping that fails on unknown flags instead of ignoring them' },
    { name: 'MAP_DROPPABLE', value: 0x8n, field: 'type', since: '6.11', meaning: 'private mapping the kernel may empty (zero) under memory pressure instead of swapping it; glibc 2.41+ keeps its vDSO getrandom state in one' },
    { name: 'MAP_FIXED', value: 0x10n, meaning: 'place the mapping exactly at addr, replacing whatever was mapped there' },
    { name: 'MAP_ANONYMOUS', value: 0x20n, meaning: 'not backed by a file: zero-filled memory (heap arenas, stacks, TLS blocks)' },
    { name: 'MAP_ANON', value: 0x20n, nameOnly: true, meaning: 'old name of MAP_ANONYMOUS' },
    { name: 'MAP_FILE', value: 0n, nameOnly: true, meaning: 'ignored; historic marker for a file mapping' },
    { name: 'MAP_32BIT', value: 0x40n, meaning: 'place the mapping in the low 2 GiB (x86-64 only)' },
    { name: 'MAP_GROWSDOWN', value: 0x100n, meaning: 'mapping grows downwards like a stack when touched below its start' },
    { name: 'MAP_DENYWRITE', value: 0x800n, meaning: 'ignored today; the loader still passes it for library segments' },
    { name: 'MAP_EXECUTABLE', value: 0x1000n, meaning: 'ignored today; historic marker for executable mappings' },
    { name: 'MAP_LOCKED', value: 0x2000n, meaning: 'lock the pages in RAM like mlock' },
    { name: 'MAP_NORESERVE', value: 0x4000n, meaning: 'do not reserve swap space for this mapping' },
    { name: 'MAP_POPULATE', value: 0x8000n, meaning: 'pre-fault the pages now instead of on first touch' },
    { name: 'MAP_NONBLOCK', value: 0x10000n, meaning: 'with MAP_POPULATE: do not block on reading the file' },
    { name: 'MAP_STACK', value: 0x20000n, meaning: 'the mapping is a thread stack (glibc passes it for pthread stacks; keeps huge pages away)' },
    { name: 'MAP_HUGETLB', value: 0x40000n, meaning: 'back the mapping with huge pages from the hugetlb pool' },
    { name: 'MAP_SYNC', value: 0x80000n, meaning: 'synchronous page faults for persistent memory (needs MAP_SHARED_VALIDATE)' },
    { name: 'MAP_FIXED_NOREPLACE', value: 0x100000n, meaning: 'place exactly at addr but fail with EEXIST instead of replacing an existing mapping' },
    { name: 'MAP_UNINITIALIZED', value: 0x4000000n, meaning: 'do not clear anonymous pages (only on kernels built for tiny embedded systems)' },
    huge('MAP_HUGE_16KB', 14, '16 KiB'),
    huge('MAP_HUGE_64KB', 16, '64 KiB'),
    huge('MAP_HUGE_512KB', 19, '512 KiB'),
    huge('MAP_HUGE_1MB', 20, '1 MiB'),
    huge('MAP_HUGE_2MB', 21, '2 MiB'),
    huge('MAP_HUGE_8MB', 23, '8 MiB'),
    huge('MAP_HUGE_16MB', 24, '16 MiB'),
    huge('MAP_HUGE_32MB', 25, '32 MiB'),
    huge('MAP_HUGE_256MB', 28, '256 MiB'),
    huge('MAP_HUGE_512MB', 29, '512 MiB'),
    huge('MAP_HUGE_1GB', 30, '1 GiB'),
    huge('MAP_HUGE_2GB', 31, '2 GiB'),
    huge('MAP_HUGE_16GB', 34, '16 GiB'),
  ],
});

type Advice = [string, number, string, string?];
const ADVICE: readonly Advice[] = [
  ['MADV_NORMAL', 0, 'no special treatment; default read-ahead'],
  ['MADV_RANDOM', 1, 'expect random access: turn read-ahead off'],
  ['MADV_SEQUENTIAL', 2, 'expect sequential access: read ahead aggressively, drop pages soon after use'],
  ['MADV_WILLNEED', 3, 'will need these pages soon: start reading them in'],
  ['MADV_DONTNEED', 4, 'drop the contents now: private anonymous pages read back as zeros (glibc does this to a finished thread\'s stack)'],
  ['MADV_FREE', 8, 'contents may be discarded lazily under memory pressure (allocators returning memory)'],
  ['MADV_REMOVE', 9, 'free the range and the backing store (punch a hole in shared memory or tmpfs)'],
  ['MADV_DONTFORK', 10, 'do not map this range into children created by fork'],
  ['MADV_DOFORK', 11, 'undo MADV_DONTFORK: children get this range again'],
  ['MADV_MERGEABLE', 12, 'let KSM merge identical pages in this range'],
  ['MADV_UNMERGEABLE', 13, 'undo MADV_MERGEABLE and unmerge any shared pages'],
  ['MADV_HUGEPAGE', 14, 'prefer transparent huge pages here'],
  ['MADV_NOHUGEPAGE', 15, 'avoid transparent huge pages here'],
  ['MADV_DONTDUMP', 16, 'leave this range out of core dumps'],
  ['MADV_DODUMP', 17, 'undo MADV_DONTDUMP: include the range in core dumps again'],
  ['MADV_WIPEONFORK', 18, 'a child created by fork sees this range zeroed'],
  ['MADV_KEEPONFORK', 19, 'undo MADV_WIPEONFORK: children see the contents again'],
  ['MADV_COLD', 20, 'pages are cold: make them the first to be reclaimed'],
  ['MADV_PAGEOUT', 21, 'reclaim these pages now (write them to swap or drop them)'],
  ['MADV_POPULATE_READ', 22, 'pre-fault the page tables for reading'],
  ['MADV_POPULATE_WRITE', 23, 'pre-fault the page tables for writing'],
  ['MADV_DONTNEED_LOCKED', 24, 'like MADV_DONTNEED but also drops locked pages'],
  ['MADV_COLLAPSE', 25, 'collapse the range into transparent huge pages right now'],
  ['MADV_HWPOISON', 100, 'testing: mark the pages as having a hardware memory error'],
  ['MADV_SOFT_OFFLINE', 101, 'testing: migrate the data away and take the pages offline'],
  ['MADV_GUARD_INSTALL', 102, 'install lightweight guard regions: touching the range raises SIGSEGV', '6.13'],
  ['MADV_GUARD_REMOVE', 103, 'remove guard regions installed with MADV_GUARD_INSTALL', '6.13'],
];

export const MADVISE_ADVICE = defineTable({
  id: 'madvise',
  title: 'madvise advice',
  kind: 'enum',
  values: ADVICE.map(([name, value, meaning, since]) => ({ name, value: BigInt(value), meaning, ...(since ? { since } : {}) })),
});

export const MSYNC_FLAGS = defineTable({
  id: 'msync',
  title: 'msync flags',
  kind: 'bits',
  values: [
    { name: 'MS_ASYNC', value: 1n, meaning: 'schedule the write-back and return at once' },
    { name: 'MS_INVALIDATE', value: 2n, meaning: 'invalidate other mappings of the file so they see the new data' },
    { name: 'MS_SYNC', value: 4n, meaning: 'write back and wait until it is done' },
  ],
});

export const MLOCKALL_FLAGS = defineTable({
  id: 'mlockall',
  title: 'mlockall flags',
  kind: 'bits',
  values: [
    { name: 'MCL_CURRENT', value: 1n, meaning: 'lock every page mapped now' },
    { name: 'MCL_FUTURE', value: 2n, meaning: 'lock every page mapped from now on' },
    { name: 'MCL_ONFAULT', value: 4n, meaning: 'lock pages only once they are touched' },
  ],
});

export const MLOCK2_FLAGS = defineTable({
  id: 'mlock2',
  title: 'mlock2 flags',
  kind: 'bits',
  values: [{ name: 'MLOCK_ONFAULT', value: 1n, meaning: 'lock pages only once they are touched instead of faulting them all in' }],
});

export const MREMAP_FLAGS = defineTable({
  id: 'mremap',
  title: 'mremap flags',
  kind: 'bits',
  values: [
    { name: 'MREMAP_MAYMOVE', value: 1n, meaning: 'the kernel may move the mapping to a new address to make it fit' },
    { name: 'MREMAP_FIXED', value: 2n, meaning: 'move the mapping to exactly new_addr' },
    { name: 'MREMAP_DONTUNMAP', value: 4n, meaning: 'move the pages but leave the old range mapped and empty' },
  ],
});
