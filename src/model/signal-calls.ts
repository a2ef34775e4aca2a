/**
 * Syscalls that send a signal, and where their target and signal arguments are.
 * `thread`: the argument naming one thread (tkill/tgkill/rt_tgsigqueueinfo); otherwise `target` is a
 * pid, a process group (`0`, `-PGID`), everyone (`-1`) or a pidfd.
 */
export interface SignalCallShape {
  target: number;
  thread?: number;
  signal: number;
}

export const SIGNAL_SENDING_SYSCALLS: Record<string, SignalCallShape> = {
  kill: { target: 0, signal: 1 },
  tkill: { target: 0, thread: 0, signal: 1 },
  tgkill: { target: 0, thread: 1, signal: 2 },
  rt_sigqueueinfo: { target: 0, signal: 1 },
  rt_tgsigqueueinfo: { target: 0, thread: 1, signal: 2 },
  pidfd_send_signal: { target: 0, signal: 1 },
};
