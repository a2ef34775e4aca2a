/**
 * The machine-scope records of the bpftrace program (script.ts, scope `machine`) turned into typed
 * lifecycle events for `watch`: births with their kind, execs with path and argv, exits with their
 * status, signals sent and delivered. Pure: no I/O, one record at a time.
 */
import { signalName } from '../kb/signals.js';
import { errnoName } from '../kb/errno.js';
import type { BpfRecord } from './records.js';
import { CREATORS } from './script.js';

const CLONE_VM = 0x100n;
const CLONE_VFORK = 0x4000n;
const CLONE_THREAD = 0x10000n;

/** Who an event is about: the thread (TID), its process (TGID), its parent process, owner and cgroup. */
export interface WatchTask {
  tid: number;
  tgid: number;
  /** Parent process (real_parent's TGID) at the time of the event. */
  ppid: number;
  uid: number;
  /** cgroup v2 id (the cgroup directory's inode number), decimal. */
  cgroup: string;
  /** The task's comm (at most 15 bytes, untrusted). */
  comm: string;
}

/** `thread` (CLONE_THREAD), `vfork` (parent suspended until exec/exit), `process` otherwise. */
export type WatchBirthKind = 'thread' | 'vfork' | 'process';

/** The status a task ended with, from the kernel's exit code. */
export type WatchExitStatus = { kind: 'exited'; code: number } | { kind: 'killed'; signal: string; coreDumped: boolean };

interface Base {
  /** CLOCK_MONOTONIC nanoseconds of the event. */
  ns: bigint;
  task: WatchTask;
}

export type WatchEvent =
  | (Base & { kind: 'birth'; child: number; childTgid: number; birth: WatchBirthKind; call: (typeof CREATORS)[number]; flags: string })
  | (Base & { kind: 'exec'; path: string; argv: string[]; argvCut: boolean; ok: boolean; errno?: string; oldTid?: number })
  | (Base & { kind: 'exit'; status: WatchExitStatus; groupDead: boolean })
  | (Base & { kind: 'signal'; target: number; signal: string; code: number; result: 'queued' | 'ignored' | 'already pending' | 'not sent' })
  | (Base & { kind: 'delivered'; signal: string; code: number });

/** signal_generate's result codes (include/trace/events/signal.h). */
const RESULTS = ['queued', 'ignored', 'already pending', 'not sent', 'not sent'] as const;

function task(r: BpfRecord, comm: string): WatchTask {
  return { tid: r.tid, tgid: r.tgid, ppid: Number(r.fields.ppid), uid: Number(r.fields.uid), cgroup: r.fields.cgroup, comm };
}

/** bpftrace's `%r`: bytes outside printable ASCII as `\xNN`. */
function unescapeBuffer(text: string): string {
  return text.replace(/\\x([0-9a-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function exitStatus(code: number): WatchExitStatus {
  const sig = code & 0x7f;
  return sig === 0 ? { kind: 'exited', code: (code >> 8) & 0xff } : { kind: 'killed', signal: signalName(sig), coreDumped: (code & 0x80) !== 0 };
}

interface PendingExec { ns: bigint; path: string; argv: string[]; cut: boolean; oldTid?: number; who: WatchTask }

/** Assembles machine-scope records into events; an exec's parts (E, V or a..., e) arrive as several records. */
export class WatchDecoder {
  private readonly execs = new Map<number, PendingExec>();
  private readonly oldTids = new Map<number, number>();

  push(r: BpfRecord): WatchEvent | undefined {
    const f = r.fields;
    switch (r.tag) {
      case 'F': {
        const flags = BigInt(f.flags);
        const birth: WatchBirthKind = (flags & CLONE_THREAD) !== 0n ? 'thread' : (flags & CLONE_VFORK) !== 0n && (flags & CLONE_VM) !== 0n ? 'vfork' : 'process';
        const child = Number(f.child);
        return { kind: 'birth', ns: r.ns, task: task(r, r.text ?? ''), child, childTgid: birth === 'thread' ? r.tgid : child, birth, call: CREATORS[Number(f.creator)] ?? 'unknown', flags: `0x${flags.toString(16)}` };
      }
      case 'x':
        if (Number(f.oldTid) !== r.tid) this.oldTids.set(r.tid, Number(f.oldTid));
        return undefined;
      case 'E': {
        const path = r.text ?? '';
        const who = task(r, path.slice(path.lastIndexOf('/') + 1).slice(0, 15));
        const oldTid = this.oldTids.get(r.tid);
        this.oldTids.delete(r.tid);
        this.execs.set(r.tid, { ns: r.ns, path, argv: [], cut: false, who, ...(oldTid !== undefined ? { oldTid } : {}) });
        return undefined;
      }
      case 'V': {
        const exec = this.execs.get(r.tid);
        if (!exec) return undefined;
        const area = unescapeBuffer(r.text ?? '');
        const parts = area.split('\u0000');
        exec.cut = Number(f.length) > area.length;
        if (!exec.cut && parts[parts.length - 1] === '') parts.pop();
        exec.argv = parts;
        return undefined;
      }
      case 'a':
        this.execs.get(r.tid)?.argv.push(r.text ?? '');
        return undefined;
      case 'm': {
        const exec = this.execs.get(r.tid);
        if (exec) exec.cut = true;
        return undefined;
      }
      case 'e': {
        const exec = this.execs.get(r.tid);
        if (!exec) return undefined;
        this.execs.delete(r.tid);
        const ret = Number(f.ret);
        return {
          kind: 'exec', ns: exec.ns, task: exec.who, path: exec.path, argv: exec.argv, argvCut: exec.cut, ok: ret === 0,
          ...(ret < 0 ? { errno: errnoName(-ret) } : {}), ...(exec.oldTid !== undefined ? { oldTid: exec.oldTid } : {}),
        };
      }
      case 'X':
        this.execs.delete(r.tid);
        return { kind: 'exit', ns: r.ns, task: task(r, r.text ?? ''), status: exitStatus(Number(f.status)), groupDead: f.groupDead === '1' };
      case 'S':
        return { kind: 'signal', ns: r.ns, task: task(r, r.text ?? ''), target: Number(f.target), signal: signalName(Number(f.sig)), code: Number(f.code), result: RESULTS[Number(f.result)] ?? 'not sent' };
      case 'D':
        return { kind: 'delivered', ns: r.ns, task: task(r, r.text ?? ''), signal: signalName(Number(f.sig)), code: Number(f.code) };
      default:
        return undefined;
    }
  }
}
