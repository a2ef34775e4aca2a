/**
 * Which system call ABI a log was recorded on, from what the log itself shows, strongest first:
 * the dynamic loader or multiarch library directory a program opens (`/lib/ld-linux-aarch64.so.1`,
 * `/lib/i386-linux-gnu/`), strace's personality message (`[ Process PID=N runs in 32 bit mode. ]`),
 * and syscall names only i386 has (mmap2, _llseek, set_thread_area, socketcall...). Without any of
 * these the log is taken as x86-64, and the summary says it was assumed.
 */
import type { TraceEvent } from '../parse/types.js';
import { ABI_LABELS, I386_EQUIVALENTS, type Abi } from '../kb/abi/index.js';
import { rawArgs } from './call.js';

export interface AbiVerdict {
  abi: Abi;
  label: string;
  /** What decided it, with the line; absent when nothing did (x86-64 assumed). */
  evidence?: { line: number; why: string };
  /** Calls strace printed by number (`syscall_0x1b3`): the ABI decides what they are. */
  numbered: number;
  /** A second ABI seen in the same log (a 64-bit strace tracing 32-bit programs too). */
  also?: { abi: Abi; label: string; line: number; why: string };
}

/** Path fragments that only one ABI's programs open, in the order they are tested. */
const PATH_HINTS: ReadonlyArray<[string, Abi, string]> = [
  ['ld-linux-aarch64.so', 'aarch64', 'the aarch64 dynamic loader'],
  ['aarch64-linux-gnu', 'aarch64', 'the aarch64 multiarch library directory'],
  ['ld-linux.so.2', 'i386', 'the i386 dynamic loader'],
  ['i386-linux-gnu', 'i386', 'the i386 multiarch library directory'],
  ['ld-linux-x86-64.so', 'x86_64', 'the x86-64 dynamic loader'],
  ['x86_64-linux-gnu', 'x86_64', 'the x86-64 multiarch library directory'],
];

/** The verdict in words for the summary, or undefined when there is nothing worth saying (x86-64, shown or irrelevant). */
export function abiWords(v: AbiVerdict): string | undefined {
  const also = v.also ? `; the log also has ${v.also.label} programs (line ${v.also.line}: ${v.also.why})` : '';
  if (v.evidence && (v.abi !== 'x86_64' || v.also)) return `${v.label}, from line ${v.evidence.line}: ${v.evidence.why}${also}`;
  if (!v.evidence && v.numbered > 0) return `${v.label} assumed (nothing in the log names the architecture); ${v.numbered} call${v.numbered === 1 ? '' : 's'} printed by number are read in its table`;
  return undefined;
}

/** Calls whose first (or second, for *at) argument is a path the loader or exec names. */
const PATH_CALLS: ReadonlyMap<string, number> = new Map([['execve', 0], ['open', 0], ['openat', 1], ['access', 0], ['faccessat', 1], ['faccessat2', 1], ['stat64', 0], ['newfstatat', 1], ['fstatat64', 1]]);

const STRENGTH = { path: 3, personality: 2, name: 1 } as const;

export class AbiDetector {
  private abi: Abi | undefined;
  private strength = 0;
  private evidence: { line: number; why: string } | undefined;
  private also: AbiVerdict['also'];
  private numbered = 0;

  feed(event: TraceEvent): void {
    if (event.kind === 'syscall' && event.name.startsWith('syscall_')) this.numbered++;
    if (this.also !== undefined || (this.strength >= STRENGTH.path && event.kind === 'syscall' && !PATH_CALLS.has(event.name) && !Object.hasOwn(I386_EQUIVALENTS, event.name))) return;
    if (event.kind === 'personality') {
      // On an x86-64 host, 32 bit mode is i386; a log that named aarch64 paths keeps aarch64.
      const abi: Abi = /32/.test(event.mode) ? 'i386' : /64/.test(event.mode) ? 'x86_64' : 'x86_64';
      this.decide(abi, STRENGTH.personality, event.line, `strace reports process ${event.pid} runs in ${event.mode} mode`);
      return;
    }
    // strace 4.11-5.5 printed the personality switch as a diagnostic: `strace: [ Process PID=N runs in 32 bit mode. ]`.
    if (event.kind === 'message' && event.text.startsWith('[ Process PID=') && event.text.includes(' runs in 32 bit mode')) {
      this.decide('i386', STRENGTH.personality, event.line, `strace reports a process runs in 32 bit mode`);
      return;
    }
    if (event.kind !== 'syscall') return;
    const name = event.name;
    if (this.strength < STRENGTH.name && Object.hasOwn(I386_EQUIVALENTS, name)) this.decide('i386', STRENGTH.name, event.line, `${name} exists only on 32-bit x86`);
    const at = PATH_CALLS.get(name);
    if (at !== undefined) {
      const arg = rawArgs(event)[at];
      if (arg === undefined) return;
      for (const [fragment, abi, what] of PATH_HINTS) {
        if (arg.includes(fragment)) {
          this.decide(abi, STRENGTH.path, event.line, `${name} of ${what}`);
          return;
        }
      }
    }
  }

  private decide(abi: Abi, strength: number, line: number, why: string): void {
    if (this.abi !== undefined && abi !== this.abi) {
      // Evidence of another ABI after a decision: both kinds of program are in the log (a 64-bit
      // program running a 32-bit one). The first decision stays the log's ABI; the other is named.
      this.also = { abi, label: ABI_LABELS[abi], line, why };
      return;
    }
    if (strength <= this.strength) return;
    this.abi = abi;
    this.strength = strength;
    this.evidence = { line, why };
  }

  /** The ABI as known so far (x86-64 until something says otherwise). */
  get current(): Abi {
    return this.abi ?? 'x86_64';
  }

  verdict(): AbiVerdict {
    const abi = this.current;
    return { abi, label: ABI_LABELS[abi], numbered: this.numbered, ...(this.evidence ? { evidence: this.evidence } : {}), ...(this.also ? { also: this.also } : {}) };
  }
}
