/**
 * Processes: creating (clone, clone3, fork, vfork), replacing (execve), ending (exit, exit_group),
 * waiting (wait4, waitid), signalling (kill, tgkill...), ids, sessions and process groups.
 * The task graph says what a TID is (thread or process), so the words can say it too.
 */
import { CLONE3_FLAGS, CLONE_FLAGS, WAITID_IDTYPE, WAIT_OPTIONS, PRCTL_OPTIONS } from '../../kb/flags/index.js';
import { valueText } from '../../parse/values.js';
import { classifyClone, factOf, type TaskCreationFact, type WaitFact } from '../../facts/index.js';
import type { Value } from '../../parse/types.js';
import { argAt, type Call } from '../call.js';
import { baseName, commandLine, dec, hex, humanSize, list, plural, type ArgWord } from '../format.js';

const CUT_HINT = 'strace cut the arguments (… marks where): run strace with a larger -s (e.g. -s 4096) to see them whole';

/** Words of an exec's argv shown in its explanation; the rest are counted. */
const ARGV_WORDS = 6;
import type { FamilyTable, Said, Scope } from './types.js';
import { killTarget, processWords, signalWords, waitStatusWords } from './words.js';

const SHARED: ReadonlyArray<[string, string]> = [
  ['CLONE_VM', 'memory'],
  ['CLONE_FILES', 'descriptors'],
  ['CLONE_FS', 'filesystem context (cwd, umask)'],
  ['CLONE_SIGHAND', 'signal handlers'],
];

/**
 * The creation fact of the call (kind, flags, stack, TLS, TID word, exit signal: the one decoding).
 * The flags are also decoded through the Call so that their rows and meanings join the explanation.
 */
function creationOf(c: Call): TaskCreationFact {
  if (c.name === 'clone3') {
    const flags = c.field(0, 'flags');
    c.flags(flags ? valueText(flags) : '0', CLONE3_FLAGS, 'flags');
  } else {
    const named = argAt(c.event, 0)?.t === 'named';
    const flagsValue: Value | undefined = named ? c.named('flags', 1) : c.arg(0);
    if (flagsValue) c.flags(valueText(flagsValue), CLONE_FLAGS, 'flags');
  }
  return factOf(c.event) as TaskCreationFact;
}

/** `in a new PID namespace (the child is PID 1 there)`, `in new mount and user namespaces`. */
function namespaceWords(namespaces: readonly string[]): string {
  const ns = namespaces.map((f) => (f === 'CLONE_NEWNS' ? 'mount' : f.slice(9).toLowerCase()));
  if (ns.length === 1 && ns[0] === 'pid') return 'in a new PID namespace (the child is PID 1 there)';
  return `in new ${list(ns)} namespace${ns.length > 1 ? 's' : ''}`;
}

function clone(c: Call, s: Scope): Said {
  const a = creationOf(c);
  // A namespace birth is described by what it shares, then by its new namespaces.
  const kind = a.kind === 'namespaces' ? classifyClone(a.syscall, a.flags.filter((f) => !f.startsWith('CLONE_NEW'))).kind : a.kind;
  const inNamespaces = a.kind === 'namespaces' && kind !== 'fork' ? `; it starts ${namespaceWords(a.namespaces)}` : '';
  const child = c.ret;
  const childText = child === undefined ? '' : ` ${child}`;
  const parts: string[] = [];
  if (kind === 'thread') {
    const stack = a.stack === undefined ? undefined : s.proc.mappingAt(a.stack) ?? (a.stackSize !== undefined ? undefined : s.proc.mappingContaining(a.stack - 1n));
    parts.push(`creates thread${childText} in ${processWords(s.proc.tgid)}: it shares ${list(SHARED.filter(([f]) => a.flags.includes(f)).map(([, w]) => w))} and gets its own TID`);
    if (stack) {
      parts.push(`it runs on the ${humanSize(stack.length)} stack mapped on line ${stack.line}${stack.guard !== undefined ? ` (guard page ${humanSize(stack.guard)})` : ''}`);
      stack.usedBy = { ...(child === undefined ? {} : { tid: Number(child) }), line: c.line };
    } else if (a.stack !== undefined && a.stack !== 0n) parts.push(`its stack is at ${hex(a.stack)}${a.stackSize ? ` (${humanSize(a.stackSize)})` : ''}`);
    if (a.flags.includes('CLONE_SETTLS') && a.tls !== undefined) parts.push(`its thread pointer (TLS) is ${hex(a.tls)}`);
    if (a.flags.includes('CLONE_CHILD_CLEARTID') && a.childTid !== undefined) {
      parts.push(`when it exits the kernel will zero the TID word at ${hex(a.childTid)} and wake any futex waiter there (that is how pthread_join waits)`);
      s.proc.setClearTid(a.childTid, { ...(child === undefined ? {} : { tid: Number(child) }), line: c.line });
    }
    if (child !== undefined) {
      const t = s.ctx.thread(Number(child));
      t.bornAt = c.line;
      if (stack) t.stack = stack;
      if (a.childTid !== undefined) t.clearTid = a.childTid;
    }
  } else if (kind === 'spawn') {
    parts.push(`creates process${childText} that borrows this process's memory until it calls execve (CLONE_VM|CLONE_VFORK, the posix_spawn way); the caller is suspended until then${inNamespaces}`);
  } else if (kind === 'vfork') {
    parts.push(`creates process${childText} vfork-style: the caller sleeps until the child calls execve or exits${inNamespaces}`);
  } else if (kind === 'shared-vm') {
    parts.push(`creates process${childText} that shares this process's memory without being a thread (its own PID)${inNamespaces}`);
  } else if (kind === 'invalid') {
    parts.push(`asks for a combination the kernel refuses with EINVAL: ${a.invalid}`);
  } else {
    parts.push(`creates child process${childText} (a fork): a copy-on-write copy of the memory and a copy of the descriptor table${a.namespaces.length ? `, ${namespaceWords(a.namespaces)}` : ''}`);
    if (a.flags.includes('CLONE_CHILD_SETTID')) parts.push("the child's TID is stored at child_tidptr in the child (glibc's fork)");
  }
  if (kind !== 'thread' && kind !== 'invalid' && child !== undefined) {
    // The child starts with a copy of the parent's descriptors and memory as they are now; take the
    // copy before the parent's next calls change them.
    s.ctx.process(Number(child));
  }
  if (kind !== 'thread' && kind !== 'invalid') {
    const sig = a.exitSignal && a.exitSignal !== '0' ? a.exitSignal : undefined;
    parts.push(sig ? `${sig} will tell the parent when it ends` : 'no signal will tell the parent when it ends');
  }
  if (c.errno === 'EAGAIN') parts.push('it failed: too many tasks for this user (RLIMIT_NPROC) or the system');
  return { text: parts.join('; ') };
}

function fork(c: Call): Said {
  const child = c.ret === undefined ? '' : ` ${dec(c.ret)}`;
  if (c.name === 'vfork') return { text: `creates process${child} with vfork: the child borrows the parent's memory and the parent sleeps until the child calls execve or exits` };
  return { text: `creates child process${child} with the fork syscall: a copy-on-write copy of the caller; SIGCHLD will tell the parent when it ends` };
}

/** An argv array's words, each with strace's truncation mark; whether the list itself was cut. */
function argvOf(v: Value | undefined): { words: ArgWord[]; truncated: boolean } | undefined {
  if (v?.t !== 'array') return undefined;
  return { words: v.items.map((i) => (i.t === 'str' ? { bytes: i.bytes, truncated: i.truncated } : { bytes: valueText(i) })), truncated: v.truncated };
}

function execve(c: Call, s: Scope): Said {
  const at = c.name === 'execveat' ? 1 : 0;
  const str = c.str(at);
  const path = str !== undefined ? `${str}${c.strCut(at) ? '…' : ''}` : c.text(at) ?? 'a program the log does not show (its arguments were not printed)';
  const argv = argvOf(c.arg(at + 1));
  const args = argv && argv.words.length > 0 ? commandLine(argv.words, { max: ARGV_WORDS, listTruncated: argv.truncated }) : '';
  const parts: string[] = [];
  const tgid = s.proc.tgid;
  parts.push(`${c.ok || c.pending ? 'replaces' : 'tries to replace'} the program of ${processWords(tgid)} with ${path}${args ? ` (argv: ${args})` : ''}`);
  if (argv && (argv.truncated || argv.words.some((w) => w.truncated))) c.addDetail(CUT_HINT);
  if (c.tid !== tgid && c.tid !== 0) parts.push(`called from thread ${c.tid}, not the leader: on success every other thread ends and this thread takes over TID ${tgid}`);
  if (c.ok) {
    const kept = [...s.proc.fds.entries()].filter(([, f]) => !f.cloexec).map(([fd]) => fd);
    parts.push(`it succeeded: the old memory, other threads and caught signal handlers are gone${kept.length ? `; descriptors without close-on-exec stay open (of those opened in this log: ${kept.slice(0, 8).join(', ')}${kept.length > 8 ? ', …' : ''})` : ''}`);
    s.proc.exec(str ?? path);
  } else if (c.errno === 'ENOENT') parts.push('no such file: nothing changes and the caller goes on');
  else if (c.errno) parts.push(`it failed (${c.errno}): the caller keeps running its old program`);
  return { text: parts.join('; '), coversResult: true };
}

function exit(c: Call, s: Scope): Said {
  const code = c.text(0) ?? '?';
  const threads = s.ctx.liveThreads(c.tid);
  if (threads > 1) {
    const clear = s.thread.clearTid;
    return { text: `ends this thread only (status ${code}); the other ${plural(threads - 1, 'thread')} of ${processWords(s.proc.tgid)} ${threads - 1 === 1 ? 'keeps' : 'keep'} running${clear !== undefined ? `; the kernel now zeroes ${hex(clear)} and wakes a thread joining it` : ''}`, coversResult: true };
  }
  return { text: `ends the calling thread with status ${code}; it is the last thread, so ${processWords(s.proc.tgid)} ends too`, coversResult: true };
}

function exitGroup(c: Call, s: Scope): Said {
  const code = c.text(0) ?? '?';
  const threads = s.ctx.liveThreads(c.tid);
  const others = threads > 1 ? ` and its ${plural(threads - 1, 'other thread')}` : '';
  const parent = s.ctx.parentPid(c.tid);
  return { text: `ends ${processWords(s.proc.tgid)}${others} with status ${code}${parent !== undefined ? `; its parent ${parent} gets SIGCHLD and can collect the status with wait` : ''}`, coversResult: true };
}

function waitTarget(pid: bigint | undefined): string {
  if (pid === undefined) return 'a child';
  if (pid === -1n) return 'any child';
  if (pid === 0n) return "any child in the caller's process group";
  if (pid < 0n) return `any child in process group ${-pid}`;
  return `child ${pid}`;
}

function wait4(c: Call): Said {
  const target = waitTarget(c.int(0));
  const options = c.flags(2, WAIT_OPTIONS, 'options');
  const nohang = options.includes('WNOHANG');
  const status = waitStatusWords((factOf(c.event) as WaitFact).status);
  if (c.pending) return { text: `waits for ${target} to change state${nohang ? ' (without blocking)' : ''}` };
  if (c.errno === 'ECHILD') return { text: `waits for ${target}, but there is none left to wait for`, coversResult: true };
  if (c.ret === 0n) return { text: `checks ${target} without blocking (WNOHANG): none has changed state yet`, coversResult: true };
  if (c.ret !== undefined) return { text: `waits for ${target}${nohang ? ' (WNOHANG)' : ''} → collects ${dec(c.ret)}, which ${status ?? 'changed state'}; it is reaped: no longer a zombie`, coversResult: true };
  return { text: `waits for ${target}${nohang ? ' without blocking' : ''}` };
}

function waitid(c: Call): Said {
  const idtype = c.flags(0, WAITID_IDTYPE, 'idtype', false)[0];
  const id = c.text(1) ?? '?';
  const target = idtype === 'P_ALL' ? 'any child' : idtype === 'P_PGID' ? `any child in group ${id}` : idtype === 'P_PIDFD' ? `the child behind pidfd ${id}` : `child ${id}`;
  const options = c.flags(3, WAIT_OPTIONS, 'options');
  const pid = (factOf(c.event) as WaitFact).child;
  const keep = options.includes('WNOWAIT') ? ' (WNOWAIT: it stays waitable)' : '';
  if (c.errno === 'ECHILD') return { text: `waits for ${target}, but there is none left to wait for`, coversResult: true };
  if (pid !== undefined) return { text: `waits for ${target} → child ${pid} changed state${keep}`, coversResult: true };
  return { text: `waits for ${target} (${options.join('|') || 'no options'})${keep}` };
}

function kill(c: Call, s: Scope): Said {
  const pid = c.int(0);
  const sig = c.text(1);
  // strace before 4.13 printed signal 0 as SIG_0.
  if (sig === '0' || sig === 'SIG_0') return { text: `checks whether ${killTarget(pid)} exists and may be signalled (signal 0 sends nothing)`, ...(c.errno === 'ESRCH' ? { benign: 'a probe: ESRCH just means the process is gone' } : {}) };
  const self = pid !== undefined && Number(pid) === s.proc.tgid ? ' (itself)' : '';
  return { text: `sends ${signalWords(sig)} to ${killTarget(pid)}${self}` };
}

function tgkill(c: Call, _s: Scope): Said {
  const tgid = c.int(0);
  const tid = c.int(1);
  const sig = c.text(2);
  if (sig === '0' || sig === 'SIG_0') return { text: `checks whether thread ${tid ?? '?'} of process ${tgid ?? '?'} exists (signal 0 sends nothing)`, ...(c.errno === 'ESRCH' ? { benign: 'a probe: ESRCH just means the thread is gone' } : {}) };
  const self = tid !== undefined && Number(tid) === c.tid;
  return { text: `sends ${signalWords(sig)} to thread ${tid ?? '?'} of process ${tgid ?? '?'}${self ? ' (itself: this is how raise() and abort() signal the calling thread)' : ''}` };
}

function tkill(c: Call): Said {
  return { text: `sends ${signalWords(c.text(1))} to thread ${c.text(0) ?? '?'} (old form of tgkill, without the process check)` };
}

function ids(what: string) {
  return (c: Call, s: Scope): Said => ({ text: `returns its ${what}${c.ret === undefined ? '' : `: ${dec(c.ret)}`}${what === 'thread id (TID)' && c.ret !== undefined && Number(c.ret) !== s.proc.tgid && s.proc.tgid !== 0 ? ` (a thread of process ${s.proc.tgid})` : ''}`, coversResult: true });
}

function prctl(c: Call): Said {
  const option = c.flags(0, PRCTL_OPTIONS, 'option', false)[0] ?? c.text(0) ?? '?';
  const meaning = (c.decoded?.option as Array<{ meaning: string }> | undefined)?.[0]?.meaning;
  if (option === 'PR_SET_NAME') return { text: `names the calling thread ${c.text(1) ?? '?'} (the comm shown by ps, top and /proc/PID/task/TID/comm)` };
  if (option === 'PR_SET_PDEATHSIG') return { text: `asks for ${signalWords(c.text(1))} when the parent thread exits` };
  if (option === 'PR_SET_CHILD_SUBREAPER') return { text: `${c.text(1) === '0' ? 'stops being' : 'becomes'} a subreaper: orphaned descendants are reparented to this process instead of init` };
  if (option === 'PR_SET_NO_NEW_PRIVS') return { text: 'sets no_new_privs: execve can never grant more privileges (setuid bits and file capabilities are ignored); required for unprivileged seccomp' };
  return { text: `process control ${option}${meaning ? `: ${meaning}` : ''}` };
}

export const PROCESS: FamilyTable = {
  clone,
  clone3: clone,
  fork,
  vfork: fork,
  execve,
  execveat: execve,
  exit,
  exit_group: exitGroup,
  wait4,
  waitid,
  kill,
  tgkill,
  tkill,
  getpid: ids('process id (TGID)'),
  gettid: ids('thread id (TID)'),
  getppid: ids("parent's process id"),
  getpgrp: ids('process group id'),
  getpgid: (c) => ({ text: `returns the process group of ${c.text(0) === '0' ? 'itself' : `process ${c.text(0)}`}${c.ret === undefined ? '' : `: ${dec(c.ret)}`}`, coversResult: true }),
  getsid: (c) => ({ text: `returns the session of ${c.text(0) === '0' ? 'itself' : `process ${c.text(0)}`}${c.ret === undefined ? '' : `: ${dec(c.ret)}`}`, coversResult: true }),
  setsid: (c, s) => ({ text: `starts a new session and process group led by itself${c.ret !== undefined ? ` (${c.ret})` : s.proc.tgid !== 0 ? ` (${s.proc.tgid})` : ''} and drops its controlling terminal: what daemons and terminal programs' children do${c.errno === 'EPERM' ? '; it fails because the caller already leads a process group' : ''}` }),
  setpgid: (c) => ({ text: `moves ${c.text(0) === '0' ? 'itself' : `process ${c.text(0)}`} into process group ${c.text(1) === '0' ? 'of its own (pgid = its pid)' : c.text(1)}: how shells build jobs` }),
  pidfd_open: (c) => ({ text: `gets a pidfd for process ${c.text(0) ?? '?'}${c.ret === undefined ? '' : ` → fd ${dec(c.ret)}`}: a descriptor that always means that process, even if its PID is reused` }),
  pidfd_send_signal: (c) => ({ text: `sends ${signalWords(c.text(1))} through pidfd ${c.text(0) ?? '?'} (race-free: the pidfd cannot name a recycled PID)` }),
  pidfd_getfd: (c) => ({ text: `copies descriptor ${c.text(1) ?? '?'} out of the process behind pidfd ${c.text(0) ?? '?'}${c.ret === undefined ? '' : ` → fd ${dec(c.ret)}`}` }),
  prctl,
  ptrace: (c) => ({ text: `${c.text(0) ?? 'a ptrace request'} on task ${c.text(1) ?? '?'}: debugger-style control of another task` }),
  unshare: (c) => ({ text: `leaves the shared ${list(c.flags(0, CLONE3_FLAGS, 'flags').map((f) => f.replace(/^CLONE_(NEW)?/, '').toLowerCase())) || 'nothing'} and gets private copies (new namespaces for CLONE_NEW* flags)` }),
  setns: (c) => ({ text: `joins the namespace behind fd ${c.text(0) ?? '?'}` }),
  personality: (c) => ({ text: `sets or reads the execution domain (${c.text(0) ?? '?'}); 0xffffffff only reads it` }),
  umask: (c) => ({ text: `sets the file-creation mask to ${c.text(0) ?? '?'}${c.ret === undefined ? '' : ` (was 0${c.ret.toString(8)})`}: those permission bits are removed from new files`, coversResult: true }),
  chdir: (c) => ({ text: `changes the working directory to ${c.str(0) ?? c.text(0) ?? '?'}${c.str(0) === '/' ? ' (daemons do this so they do not keep a file system busy)' : ''}` }),
  fchdir: (c, s) => ({ text: `changes the working directory to the directory open as fd ${c.fd(0).fd ?? '?'}${s.proc.fds.get(c.fd(0).fd ?? -1)?.what ? ` (${s.proc.fds.get(c.fd(0).fd ?? -1)!.what})` : ''}` }),
  chroot: (c) => ({ text: `makes ${c.str(0) ?? c.text(0) ?? '?'} the root directory of this process` }),
  getcwd: (c) => ({ text: `reads the working directory${c.str(0) ? `: ${c.str(0)}` : ''}`, coversResult: true }),
};

export { baseName };
