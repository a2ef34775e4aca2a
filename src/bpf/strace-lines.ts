/**
 * Kernel records (records.ts) written as strace log lines (`-f -ttt` grammar), so the parser, the
 * model, `tree`, `explain` and `doctor` read a bpf capture exactly like a strace one, and the raw log
 * (`trace -o`) stays a log every verb accepts. Only the lifecycle facts the tracepoints carry are
 * written; what strace would print that the kernel did not report (child_tidptr, env counts, rusage)
 * is left out rather than invented.
 *
 * Two places where the output follows strace rather than the kernel's internals, because strace's view
 * is what the rest of tasklens (and its users) read:
 * - A signal the kernel discards at once (default action ignore, or SIG_IGN) is still shown as arriving,
 *   as strace shows it: a ptraced task receives it. Signals that are queued are shown at delivery.
 * - An execve from a non-leader thread ends in `+++ superseded by execve in pid N +++` on the leader.
 */
import { CLONE_FLAGS, CLONE3_FLAGS, decodeFlags, SI_CODE, SI_CODE_CHLD, WAIT_OPTIONS, WAITID_IDTYPE, decodeWaitStatus, type FlagTable } from '../kb/flags/index.js';
import { SI_CODE_SEGV, SI_CODE_BUS, SI_CODE_ILL, SI_CODE_FPE, SI_CODE_TRAP } from '../kb/flags/signal.js';
import { signalName } from '../kb/signals.js';
import { errnoName } from '../kb/errno.js';
import type { BpfRecord } from './records.js';
import { CREATORS, SYSCALL_NUMBERS } from './script.js';

const CLONE_THREAD = 0x10000n;
const SIGCHLD = 17;
const SIGKILL = 9;
/**
 * A signal the kernel discards at generation (default action ignore, as SIGCHLD, SIGCONT, SIGURG,
 * SIGWINCH; or SIG_IGN) is still queued to a ptraced task, which then receives it: strace shows every
 * one arriving (`kill -CONT $$` under strace prints `--- SIGCONT`), so this writer does too. SIGCONT
 * once was left out here, and the same workload gave strace a SIGCONT the bpf log lacked.
 */
/** signal_generate's `result`: 0 delivered (queued), 1 ignored (discarded at once). */
const GENERATE_DELIVERED = 0;
const GENERATE_IGNORED = 1;

/** si_code tables by signal, for the kernel's fault codes (positive values). */
const FAULT_CODES: Record<number, FlagTable> = { 4: SI_CODE_ILL, 5: SI_CODE_TRAP, 7: SI_CODE_BUS, 8: SI_CODE_FPE, 11: SI_CODE_SEGV };

interface PendingExec { ns: bigint; path: string; argv: string[]; more: boolean; envp: string }
/** A call seen entering: its line is written when it returns (or `= ?` when the task ends inside it). */
interface PendingCall {
  ns: bigint;
  name: string;
  /** The call up to its output arguments, e.g. `wait4(-1, `. */
  opener: string;
  /** The rest from the output arguments on, e.g. `[{WIFEXITED(s) ...}], 0, NULL)`. */
  rest: (exit?: Record<string, string>) => string;
  /** Its `<unfinished ...>` line was written: another line came while it was open. */
  opened?: boolean;
}
interface Origin { senderTgid: number; uid: string; code: number }

/** A C string as strace quotes it: escapes for quotes, backslashes and control bytes, octal for the rest. */
export function quoteString(bytes: string, truncated = false): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0b) out += '\\v';
    else if (c < 0x20 || c >= 0x7f) out += `\\${c.toString(8).padStart(3, '0')}`;
    else out += bytes[i];
  }
  return `${out}"${truncated ? '...' : ''}`;
}

/** Flags as strace prints them: names joined with `|`, unknown bits in hex, `0` for none. */
export function flagsText(table: FlagTable, value: bigint): string {
  const decoded = decodeFlags(table, value);
  const parts = decoded.known.map((v) => v.name);
  if (decoded.unknownBits !== 0n) parts.push(`0x${decoded.unknownBits.toString(16)}`);
  return parts.length > 0 ? parts.join('|') : '0';
}

/** A return value: the number, or `-1 ENAME` for a negative errno (the kernel's restart codes as `?`). */
function retText(ret: number): string {
  if (ret >= 0 || ret < -4095) return String(ret);
  const name = errnoName(-ret);
  return -ret >= 512 ? `? ${name}` : `-1 ${name}`;
}

function waitStatusText(status: number): string {
  const s = decodeWaitStatus(status);
  switch (s.kind) {
    case 'exited': return `[{WIFEXITED(s) && WEXITSTATUS(s) == ${s.code}}]`;
    case 'signaled': return `[{WIFSIGNALED(s) && WTERMSIG(s) == ${s.signalName}${s.coreDumped ? ' && WCOREDUMP(s)' : ''}}]`;
    case 'stopped': return `[{WIFSTOPPED(s) && WSTOPSIG(s) == ${s.signalName}}]`;
    case 'continued': return '[{WIFCONTINUED(s)}]';
    default: return `[${status}]`;
  }
}

/** bpftrace's `%r`: bytes outside printable ASCII as `\\xNN` (a literal backslash is printed as is). */
function unescapeBuffer(text: string): string {
  return text.replace(/\\x([0-9a-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function addressText(addr: bigint): string {
  return addr === 0n ? 'NULL' : `0x${addr.toString(16)}`;
}

function signalText(sig: number): string {
  return sig === 0 ? '0' : signalName(sig);
}

function siCodeName(sig: number, code: number): string {
  const table = sig === SIGCHLD && code > 0 ? SI_CODE_CHLD : code > 0 && code < 0x80 ? FAULT_CODES[sig] : SI_CODE;
  const hit = table?.values.find((v) => v.value === BigInt(code));
  return hit ? hit.name : String(code);
}

/**
 * Writes records as strace lines. Feed records in kernel-time order (byTime); `epochOffsetNs` turns
 * CLOCK_MONOTONIC times into epoch times for the `-ttt` column.
 */
export class StraceLineWriter {
  private readonly tgidOf = new Map<number, number>();
  private readonly live = new Set<number>();
  private readonly execs = new Map<number, PendingExec>();
  private readonly calls = new Map<number, PendingCall>();
  private readonly origins = new Map<string, Origin[]>();
  /** Wait status of each thread group that ended (for SIGCHLD's si_status). */
  private readonly groupStatus = new Map<number, number>();
  private root: number | undefined;
  /** Records seen by tag, for the caller's loss checks. */
  readonly counts: Record<string, number> = {};

  constructor(private readonly epochOffsetNs: bigint) {}

  /** Tasks born in the trace and not yet ended. */
  get liveTasks(): ReadonlySet<number> {
    return this.live;
  }

  get rootTid(): number | undefined {
    return this.root;
  }

  /** Writes `<unfinished ...>` for open calls that began before a line at `ns` (other tasks, or a signal to the caller), as strace splits them. */
  private openCalls(tid: number, ns: bigint, out: string[]): void {
    for (const [owner, call] of this.calls) {
      if (call.opened || call.ns > ns) continue;
      call.opened = true;
      out.push(this.line(owner, call.ns, `${call.opener} <unfinished ...>`));
    }
  }

  private emit(out: string[], tid: number, ns: bigint, body: string): void {
    this.openCalls(tid, ns, out);
    out.push(this.line(tid, ns, body));
  }

  private finishCall(out: string[], tid: number, ns: bigint, call: PendingCall, ret: string, exit?: Record<string, string>): void {
    if (call.opened) this.emit(out, tid, ns, `<... ${call.name} resumed>${call.rest(exit)} = ${ret}`);
    else this.emit(out, tid, call.ns, `${call.opener}${call.rest(exit)} = ${ret}`);
  }

  private line(tid: number, ns: bigint, body: string): string {
    const t = ns + this.epochOffsetNs;
    const sec = t / 1_000_000_000n;
    const usec = (t % 1_000_000_000n) / 1000n;
    return `${tid} ${sec}.${usec.toString().padStart(6, '0')} ${body}`;
  }

  /** The strace lines one record makes (often none: parts of a call wait for its end). */
  push(r: BpfRecord): string[] {
    this.counts[r.tag] = (this.counts[r.tag] ?? 0) + 1;
    const out: string[] = [];
    const f = r.fields;
    switch (r.tag) {
      case 'B':
        this.root = r.tid;
        this.live.add(r.tid);
        this.tgidOf.set(r.tid, r.tid);
        break;
      case 'F': {
        const child = Number(f.child);
        const flags = BigInt(f.flags);
        const creator = CREATORS[Number(f.creator)] ?? 'unknown';
        this.live.add(child);
        this.tgidOf.set(child, (flags & CLONE_THREAD) !== 0n ? r.tgid : child);
        this.emit(out, r.tid, r.ns, `${this.creationCall(creator, flags, BigInt(f.exitSignal), f.size)} = ${child}`);
        break;
      }
      case 'E':
        this.execs.set(r.tid, { ns: r.ns, path: r.text ?? '', argv: [], more: false, envp: BigInt(f.envp).toString(16) });
        break;
      case 'a':
        this.execs.get(r.tid)?.argv.push(r.text ?? '');
        break;
      case 'V': {
        // The new image's argument area: NUL-separated, `%r`-escaped, cut at the string size.
        const exec = this.execs.get(r.tid);
        if (!exec) break;
        const area = unescapeBuffer(r.text ?? '');
        const parts = area.split('\u0000');
        const cut = Number(f.length) > area.length;
        if (!cut && parts[parts.length - 1] === '') parts.pop();
        exec.argv = parts;
        exec.more = cut;
        break;
      }
      case 'm': {
        const exec = this.execs.get(r.tid);
        if (exec) exec.more = true;
        break;
      }
      case 'x': {
        const old = Number(f.oldTid);
        if (old !== r.tid) {
          // A non-leader thread's execve: it takes the leader's TID (strace's `superseded` line).
          const exec = this.execs.get(old);
          this.execs.delete(old);
          if (exec) this.execs.set(r.tid, exec);
          this.live.delete(old);
          this.emit(out, r.tid, r.ns, `+++ superseded by execve in pid ${old} +++`);
        }
        break;
      }
      case 'e': {
        const exec = this.execs.get(r.tid);
        if (!exec) break;
        this.execs.delete(r.tid);
        this.emit(out, r.tid, exec.ns, `${this.execCall(exec)} = ${retText(Number(f.ret))}`);
        break;
      }
      case 'G': {
        const name = Number(f.nr) === SYSCALL_NUMBERS.exit ? 'exit' : 'exit_group';
        this.emit(out, r.tid, r.ns, `${name}(${Number(f.code)}) = ?`);
        break;
      }
      case 'X': {
        const status = Number(f.status);
        if (f.groupDead === '1' || r.tid === r.tgid) this.groupStatus.set(r.tgid, status);
        this.flushUnfinished(r, out);
        this.live.delete(r.tid);
        // The leader that a sibling's execve replaces ends in the `superseded` line instead.
        if (r.tid === r.tgid && [...this.execs.keys()].some((tid) => tid !== r.tid && this.tgidOf.get(tid) === r.tgid)) break;
        const low = status & 0x7f;
        // A fatal signal with the default action kills without passing signal_deliver: strace shows it arriving.
        const fatal = low === 0 ? undefined : this.origins.get(`${r.tgid}:${low}`)?.shift();
        if (fatal && low !== SIGKILL) this.emit(out, r.tid, r.ns, `--- ${signalName(low)} ${this.siginfo(low, fatal)} ---`);
        this.emit(out, r.tid, r.ns, low === 0 ? `+++ exited with ${(status >> 8) & 0xff} +++` : `+++ killed by ${signalName(low)}${status & 0x80 ? ' (core dumped)' : ''} +++`);
        break;
      }
      case 'K': {
        const nr = Number(f.nr);
        const name = nr === SYSCALL_NUMBERS.tgkill ? 'tgkill' : nr === SYSCALL_NUMBERS.kill ? 'kill' : 'tkill';
        const opener = nr === SYSCALL_NUMBERS.tgkill ? `tgkill(${f.a0}, ${f.a1}, ${signalText(Number(f.a2))}` : `${name}(${f.a0}, ${signalText(Number(f.a1))}`;
        this.calls.set(r.tid, { ns: r.ns, name, opener, rest: () => ')' });
        break;
      }
      case 'W': {
        const addr = BigInt(f.hasStatus);
        const options = flagsText(WAIT_OPTIONS, BigInt(f.options));
        this.calls.set(r.tid, {
          ns: r.ns,
          name: 'wait4',
          opener: `wait4(${f.upid}, `,
          rest: (exit) => `${exit !== undefined && Number(exit.ret) > 0 && addr !== 0n ? waitStatusText(Number(exit.status)) : addressText(addr)}, ${options}, NULL)`,
        });
        break;
      }
      case 'I': {
        const addr = BigInt(f.hasInfo);
        const head = `waitid(${flagsText(WAITID_IDTYPE, BigInt(f.which))}, ${f.upid}`;
        const options = flagsText(WAIT_OPTIONS, BigInt(f.options));
        this.calls.set(r.tid, {
          ns: r.ns,
          name: 'waitid',
          opener: `${head}, `,
          rest: (exit) => `${exit !== undefined && Number(exit.ret) === 0 && addr !== 0n ? this.waitidInfo(exit) : addressText(addr)}, ${options}, NULL)`,
        });
        break;
      }
      case 'k':
      case 'w':
      case 'i': {
        const call = this.calls.get(r.tid);
        if (!call) break;
        this.calls.delete(r.tid);
        this.finishCall(out, r.tid, r.ns, call, retText(Number(f.ret)), f);
        break;
      }
      case 'S': {
        const target = Number(f.target);
        const sig = Number(f.sig);
        const result = Number(f.result);
        const origin: Origin = { senderTgid: r.tgid, uid: f.uid, code: Number(f.code) };
        if (result === GENERATE_IGNORED && this.live.has(target)) this.emit(out, target, r.ns, `--- ${signalName(sig)} ${this.siginfo(sig, origin)} ---`);
        else if (result === GENERATE_DELIVERED && this.live.has(target)) {
          // A queued signal interrupts a call the target is blocked in (it returns ERESTART*, then
          // the signal is delivered): split the call here, so it is shown at its return, as strace does.
          const open = this.calls.get(target);
          if (open && !open.opened && open.ns <= r.ns) {
            open.opened = true;
            out.push(this.line(target, open.ns, `${open.opener} <unfinished ...>`));
          }
          const key = `${this.tgidOf.get(target) ?? target}:${sig}`;
          const queue = this.origins.get(key) ?? [];
          queue.push(origin);
          this.origins.set(key, queue);
        }
        break;
      }
      case 'D': {
        const sig = Number(f.sig);
        // SIGKILL ends a task without a delivery strace could show; `+++ killed by SIGKILL +++` says it.
        if (sig === SIGKILL) break;
        const key = `${r.tgid}:${sig}`;
        const origin = this.origins.get(key)?.shift();
        this.emit(out, r.tid, r.ns, `--- ${signalName(sig)} ${this.siginfo(sig, origin ?? { senderTgid: 0, uid: '', code: Number(f.code) }, origin === undefined)} ---`);
        break;
      }
      default:
        break;
    }
    return out;
  }

  /** Calls still open when a task ends never returned (`= ?`), as strace prints them. */
  private flushUnfinished(r: BpfRecord, out: string[]): void {
    const call = this.calls.get(r.tid);
    if (call) {
      this.calls.delete(r.tid);
      this.finishCall(out, r.tid, r.ns, call, '?');
    }
  }

  private creationCall(creator: string, flags: bigint, exitSignal: bigint, size: string): string {
    switch (creator) {
      case 'fork': return 'fork()';
      case 'vfork': return 'vfork()';
      case 'clone3': return `clone3({flags=${flagsText(CLONE3_FLAGS, flags)}, exit_signal=${exitSignal === 0n ? '0' : signalText(Number(exitSignal))}}, ${size})`;
      default: return `clone(child_stack=NULL, flags=${flagsText(CLONE_FLAGS, flags)})`;
    }
  }

  private execCall(exec: PendingExec): string {
    const argv = exec.argv.map((a) => quoteString(a)).join(', ');
    return `execve(${quoteString(exec.path)}, [${argv}${exec.more ? ', ...' : ''}], 0x${exec.envp})`;
  }

  private siginfo(sig: number, origin: Origin, unknownSender = false): string {
    const parts = [`si_signo=${signalName(sig)}`, `si_code=${siCodeName(sig, origin.code)}`];
    if (!unknownSender && (origin.code <= 0 || (sig === SIGCHLD && origin.code > 0 && origin.code < 0x80))) {
      parts.push(`si_pid=${origin.senderTgid}`, `si_uid=${origin.uid}`);
      if (sig === SIGCHLD && origin.code > 0) {
        const status = this.groupStatus.get(origin.senderTgid);
        if (status !== undefined) parts.push(`si_status=${origin.code === 1 ? (status >> 8) & 0xff : signalName(status & 0x7f)}`);
      }
    }
    return `{${parts.join(', ')}}`;
  }

  private waitidInfo(f: Record<string, string>): string {
    const signo = Number(f.signo);
    if (signo === 0) return '{}';
    const code = Number(f.code);
    const status = Number(f.status);
    return `{si_signo=${signalName(signo)}, si_code=${siCodeName(signo, code)}, si_pid=${f.pid}, si_uid=${f.uid}, si_status=${code === 1 ? status : signalText(status)}}`;
  }
}
