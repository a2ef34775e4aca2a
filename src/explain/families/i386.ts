/**
 * Calls only the i386 (32-bit x86) ABI has whose arguments are laid out differently from their
 * x86-64 counterpart. The rest (mmap2, fstat64, getuid32, the *_time64 calls...) take their
 * counterpart's describer through the knowledge base's I386_EQUIVALENTS.
 */
import { IPC_CALLS, SEEK_WHENCE, SOCKETCALL_CALLS, SUBCALL_OF } from '../../kb/flags/index.js';
import { valueText } from '../../parse/values.js';
import type { Call } from '../call.js';
import { dec, hex } from '../format.js';
import { seekWords } from './fd.js';
import type { FamilyTable, Said, Scope } from './types.js';
import { fdWords, signalWords } from './words.js';

/** _llseek(fd, offset, [result], whence): strace joins the two offset halves into one number. */
function llseek(c: Call, s: Scope): Said {
  const whence = c.flags(3, SEEK_WHENCE, 'whence', false)[0] ?? c.text(3) ?? '?';
  const { fd, decoration } = c.fd(0);
  const where = fdWords(fd, s.proc, decoration);
  const result = c.arg(2);
  const now = c.ok && result?.t === 'array' && result.items.length === 1 ? ` → now ${valueText(result.items[0])}` : '';
  const off = c.int(1);
  const text = whence === 'SEEK_CUR' && off === 0n ? `asks the current position of ${where}${now.replace(' now', '')}` : `${seekWords(whence, off, c.text(1) ?? '?')} ${where}${now}`;
  return { text, coversResult: c.ok };
}

/** set_thread_area({entry_number=-1 -> 12, base_addr=0xf7d6e900, ...}): the i386 thread pointer. */
function setThreadArea(c: Call): Said {
  const base = c.fieldInt(0, 'base_addr');
  const entry = c.field(0, 'entry_number');
  const slot = entry?.t === 'changed' ? valueText(entry.after) : entry ? valueText(entry) : undefined;
  return { text: `sets this thread's TLS segment${base !== undefined ? ` to base ${hex(base)}` : ''}${slot && slot !== '-1' ? ` (GDT entry ${slot}, loaded into %gs)` : ''}: the i386 thread pointer, through which thread-local variables (errno, the thread's own descriptor) are reached; x86-64 uses arch_prctl(ARCH_SET_FS) instead` };
}

/** socketcall(call, args) and ipc(call, ...): name the sub-call. */
function multiplexed(kind: 'socketcall' | 'ipc') {
  const table = kind === 'socketcall' ? SOCKETCALL_CALLS : IPC_CALLS;
  return (c: Call): Said => {
    const sub = c.flags(0, table, 'call', false)[0];
    const call = sub === undefined ? undefined : SUBCALL_OF.get(sub);
    const what = kind === 'socketcall' ? 'socket' : 'System V IPC';
    const result = c.ret !== undefined && c.ret !== 0n ? ` → ${dec(c.ret)}` : '';
    if (!call) return { text: `makes ${what} call number ${c.text(0) ?? '?'} through the i386 ${kind}() multiplexer${result}` };
    return { text: `makes the ${call} call (${sub}) through the i386 ${kind}() multiplexer, the way 32-bit x86 programs reached ${what} calls before Linux 4.3 gave them their own numbers${result}`, coversResult: c.ok };
  };
}

export const I386: FamilyTable = {
  _llseek: llseek,
  set_thread_area: setThreadArea,
  get_thread_area: () => ({ text: "reads one of this thread's TLS segment descriptors (i386)" }),
  socketcall: multiplexed('socketcall'),
  ipc: multiplexed('ipc'),
  signal: (c) => ({ text: `sets the action for ${signalWords(c.text(0))} with the old signal() call: ${c.text(1) === 'SIG_IGN' ? 'ignore it' : c.text(1) === 'SIG_DFL' ? 'the default action' : `a handler at ${c.text(1) ?? '?'}, reset to the default after one delivery`}` }),
  nice: (c) => ({ text: `changes this process's nice value by ${c.text(0) ?? '?'} (${(c.int(0) ?? 0n) > 0n ? 'lower' : 'higher'} scheduling priority)` }),
};
