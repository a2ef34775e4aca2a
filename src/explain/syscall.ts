/**
 * One syscall event -> its Explanation: the family describer (or the knowledge base's description),
 * then the outcome: success, a failure explained by its errno, a failure that is normal here
 * (benign), an interrupted call the kernel restarts, a call that never returned.
 */
import type { SyscallEvent } from '../parse/types.js';
import type { SyscallInfo } from '../kb/syscalls.js';
import { describedLike, syscallOnAbi, type Abi } from '../kb/abi/index.js';
import { Call } from './call.js';
import type { ExplainContext } from './context.js';
import { describerOf, type Describe, type Said, type Scope } from './families/index.js';
import type { Explanation } from './types.js';
import { benignFailure } from './benign.js';
import { NO_RETURN } from '../facts/index.js';

const DATA_CALLS = new Set(['read', 'write', 'pread64', 'pwrite64', 'readv', 'writev', 'preadv', 'pwritev', 'preadv2', 'pwritev2', 'sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'sendmmsg', 'recvmmsg', 'send', 'recv']);

export const CUT_STRING = 'strace cut a string of this call at its -s limit (… marks where): run strace with a larger -s (e.g. -s 4096) to see it whole';


interface Known {
  info: SyscallInfo | undefined;
  describe: Describe | undefined;
  /** The x86-64 name whose describer reads this call (i386 equivalents), if not its own. */
  as: string | undefined;
}

const MAX_KNOWN = 4096;
/** Name as printed -> knowledge-base entry and describer (one look-up per call instead of several). */
const known = new Map<string, Known>();

function lookUp(name: string, abi: Abi): Known {
  // Names mean the same call on every ABI; only strace's numbered names depend on the ABI's table.
  const key = abi !== 'x86_64' && name.startsWith('syscall_') ? `${abi}:${name}` : name;
  let hit = known.get(key);
  if (!hit) {
    const info = syscallOnAbi(name, abi);
    const real = info?.name ?? name;
    const like = describedLike(real);
    hit = { info, describe: describerOf(like ?? real), as: like ?? (real !== name ? real : undefined) };
    if (known.size >= MAX_KNOWN) known.clear(); // hostile logs can invent names without end
    known.set(key, hit);
  }
  return hit;
}

/** The knowledge-base entry of a call as this log's ABI names it. */
export function syscallInfoOf(name: string, abi: Abi): SyscallInfo | undefined {
  return lookUp(name, abi).info;
}

/** The thread's scope object is kept on its state and reused while its process stays the same. */
function scopeOf(ctx: ExplainContext, tid: number): Scope {
  const proc = ctx.process(tid);
  const thread = ctx.thread(tid);
  const kept = thread.scope;
  if (kept !== undefined && kept.proc === proc) return kept;
  return (thread.scope = { ctx, proc, thread });
}

export function explainSyscall(event: SyscallEvent, ctx: ExplainContext): Explanation {
  const { info, describe, as } = lookUp(event.name, ctx.abi);
  const c = new Call(event, as);
  const tid = c.tid;
  const scope = scopeOf(ctx, tid);
  let said: Said;
  let generic = false;
  if (describe) {
    const out = describe(c, scope);
    said = typeof out === 'string' ? { text: out } : out;
    // A describer fed arguments it cannot read (raw mode, filtered, resumed) may say almost nothing:
    // lead with the knowledge base's description then.
    if (info && said.text.length < 24 && said.text.replace(/[?\s(),:]/g, '').length < 6) said = { ...said, text: `${info.description}${said.text.trim() ? ` (${said.text.trim()})` : ''}` };
  } else if (info) {
    generic = true;
    said = { text: info.description };
  } else {
    generic = true;
    said = { text: `a system call our tables do not know (${event.name}); strace prints numbers it cannot name as syscall_0xNNN` };
  }
  scope.thread.calls = Math.min(scope.thread.calls + 1, 1 << 20);
  scope.thread.lastCall = event;

  const explanation: Explanation = { text: said.text, category: info?.category ?? 'unknown' };
  outcome(c, said, explanation);
  // A string strace cut at its -s limit (`"..."...`) anywhere in the arguments: say so once.
  // Data buffers (read, write...) are cut at -s all the time and marked … in the text; the hint is
  // for paths, names and arguments.
  if (!DATA_CALLS.has(c.name) && event.argsText.includes('"...') && !c.detail?.some((d) => d.startsWith('strace cut'))) c.addDetail(CUT_STRING);
  if (c.detail) explanation.detail = c.detail;
  if (c.decoded) explanation.decoded = c.decoded;
  if (generic) explanation.generic = true;
  return explanation;
}

/** Adds how the call ended to the text, and detail lines through c.addDetail. */
function outcome(c: Call, said: Said, out: Explanation): void {
  const ret = c.event.ret;
  if (!ret) {
    if (c.event.state === 'unfinished') {
      const why = c.event.interruption?.text;
      out.text += ` (never returned in the log${why ? `: ${why}` : ''})`;
    }
    return;
  }
  const errno = ret.errno;
  if (errno === undefined) {
    if (ret.unavailable) c.addDetail('the result was not available to strace');
    else if (ret.value === '?' && !NO_RETURN.has(c.name)) out.text += ' (it never returned: the thread ended during the call)';
    return;
  }
  const info = c.errnoInfo;
  if (errno.startsWith('ERESTART') || info?.kernelInternal) {
    out.text += `; interrupted by a signal (${errno})`;
    c.addDetail(`${errno}: ${info?.tracerNote ?? info?.meaning ?? 'interrupted by a signal'}`);
    return;
  }
  c.addDetail(`${errno}: ${info?.meaning ?? ret.errnoText ?? 'error'}`);
  if (ret.injected) c.addDetail('this error was injected by strace (-e inject), not produced by the kernel');
  const benign = said.benign ?? benignFailure(c);
  if (!said.coversResult || benign) out.text += ` → fails with ${errno}`;
  if (benign) out.benign = benign;
  else out.failure = errno;
}
