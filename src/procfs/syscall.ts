/**
 * /proc/PID/task/TID/syscall: what a blocked thread is doing (needs ptrace-attach access).
 *   `61 0x3b61 0x7ffc... ... SP PC`  blocked in syscall 61 (wait4) with its six argument registers
 *   `-1 SP PC`                       blocked outside a syscall (a fault, a ptrace stop)
 *   `running`                        on a CPU right now
 */
import { syscallByNumber } from '../kb/syscalls.js';

export type SyscallState =
  | { state: 'running' }
  | { state: 'not-in-syscall'; sp: bigint; pc: bigint }
  | {
      state: 'in-syscall';
      nr: number;
      /** Name from the knowledge base, or undefined for a number it does not know. */
      name?: string;
      /** Argument values in register order; only the first `argNames.length` mean something when the name is known. */
      args: bigint[];
      argNames?: string[];
      sp: bigint;
      pc: bigint;
    };

export function parseSyscall(text: string): SyscallState | undefined {
  const parts = text.trim().split(/\s+/);
  if (parts[0] === 'running') return { state: 'running' };
  const hex = (s: string | undefined): bigint | undefined => (s !== undefined && /^0x[0-9a-f]+$/i.test(s) ? BigInt(s) : undefined);
  if (parts[0] === '-1' && parts.length === 3) {
    const sp = hex(parts[1]);
    const pc = hex(parts[2]);
    return sp === undefined || pc === undefined ? undefined : { state: 'not-in-syscall', sp, pc };
  }
  if (parts.length !== 9 || !/^\d+$/.test(parts[0])) return undefined;
  const values = parts.slice(1).map(hex);
  if (values.some((v) => v === undefined)) return undefined;
  const nr = Number(parts[0]);
  const known = syscallByNumber(nr);
  const call: SyscallState = { state: 'in-syscall', nr, args: values.slice(0, 6) as bigint[], sp: values[6] as bigint, pc: values[7] as bigint };
  if (known) {
    call.name = known.name;
    call.argNames = [...known.args];
  }
  return call;
}

/** The stack pointer a syscall file reveals, if any. */
export function stackPointer(call: SyscallState | undefined): bigint | undefined {
  return call && call.state !== 'running' ? call.sp : undefined;
}
