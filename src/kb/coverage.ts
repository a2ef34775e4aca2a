/**
 * Which versions of the kernel, glibc and strace the knowledge base and the explanations cover, and
 * how each claim was checked. Measured on the development machine (Debian 12: `uname -r`,
 * `ldd --version`, `strace -V`, `dpkg -l linux-libc-dev`); later forms come from hand-written logs
 * in the shape of real ones (test/fixtures/strace/*.hand.strace, marked as such).
 */
export interface Coverage {
  readonly component: 'kernel' | 'kernel headers' | 'glibc' | 'strace';
  /** The version on the machine the tables were checked against (live traces, headers). */
  readonly measured: string;
  /** Newest version whose forms the tables and explanations handle. */
  readonly newest: string;
  /** Forms handled from hand-written logs only (not producible on the measuring machine). */
  readonly handWritten: string;
  /** How the claim was checked. */
  readonly checked: string;
}

export const KB_COVERAGE: readonly Coverage[] = [
  { component: 'kernel', measured: '6.18', newest: '7.0', handWritten: 'syscalls 470 (listns, 6.19) and 471 (rseq_slice_yield, 7.0)', checked: 'syscall numbers up to 469 answer on a 6.18 kernel; 470 and 471 are from the upstream release history, not verified on a machine' },
  { component: 'kernel headers', measured: '6.1', newest: '6.18', handWritten: 'names newer than 6.1 carry the kernel version that added them (`since`)', checked: "every table value is compared with the machine's linux-libc-dev 6.1 headers (and the compiler's view of _IOR/_IOW ioctl numbers) by the kb tests" },
  { component: 'glibc', measured: '2.36', newest: '2.42', handWritten: '2.41+ thread stacks (read-write mmap + madvise MADV_GUARD_INSTALL, with the mprotect fallback), 2.42 termios2 ioctls (TCGETS2)', checked: 'start-up, thread creation and exit idioms traced live with glibc 2.36' },
  { component: 'strace', measured: '6.1', newest: '6.18', handWritten: 'before 4.13 (positional structs, SIG_0, `A or B` ioctl names), 6.13+ (decoded rseq area), i386 and aarch64 logs', checked: 'output of strace 6.1 traced live by the e2e tests' },
];
