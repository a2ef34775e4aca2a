/** Signals: deliveries (`--- SIG... {...} ---` lines) and the calls that send them. */
import type { SignalEvent, SyscallEvent, Value } from '../parse/types.js';
import { toBigInt, valueText } from '../parse/values.js';
import { signalByName } from '../kb/signals.js';
import type { SignalDeliveryFact, SignalSentFact } from './types.js';
import { argOf, asPid, detached, outcome } from './event.js';
import { childStatusOf, siginfoFields } from './siginfo.js';

/** The delivery fact of a signal line, from the parser's typed siginfo. */
export function deliveryFact(event: SignalEvent): SignalDeliveryFact {
  const signo = signalByName(event.signal)?.number;
  if (event.stopped) return { fact: 'signal', signal: event.signal, ...(signo !== undefined ? { signo } : {}), stopped: true };
  const f = siginfoFields(event.siginfo);
  const status = event.signal === 'SIGCHLD' || signo === 17 ? childStatusOf(f.code, f.status) : undefined;
  return {
    fact: 'signal',
    signal: event.signal,
    ...(signo !== undefined ? { signo } : {}),
    stopped: false,
    ...(f.code !== undefined ? { code: f.code } : {}),
    ...(f.pid !== undefined ? { sender: f.pid } : {}),
    ...(f.uid !== undefined ? { senderUid: f.uid } : {}),
    ...(f.addr !== undefined ? { addr: f.addr } : {}),
    ...(f.addrText !== undefined ? { addrText: f.addrText } : {}),
    ...(f.status !== undefined ? { statusText: f.status } : {}),
    ...(status !== undefined ? { status } : {}),
  };
}

/**
 * Where the signal-sending calls keep their target and signal. `thread`: the argument naming one
 * thread; `group`: the thread group named beside it (tgkill, rt_tgsigqueueinfo).
 */
const SENDERS: Readonly<Record<SignalSentFact['syscall'], { target: number; thread?: number; group?: number; signal: number }>> = {
  kill: { target: 0, signal: 1 },
  tkill: { target: 0, thread: 0, signal: 1 },
  tgkill: { target: 0, group: 0, thread: 1, signal: 2 },
  rt_sigqueueinfo: { target: 0, signal: 1 },
  rt_tgsigqueueinfo: { target: 0, group: 0, thread: 1, signal: 2 },
  pidfd_send_signal: { target: 0, signal: 1 },
};

/** The syscalls that send a signal. */
export const SIGNAL_SENDING_SYSCALLS: ReadonlySet<string> = new Set(Object.keys(SENDERS));

const intOf = (v: Value | undefined): number | undefined => asPid(toBigInt(v));

/** A pidfd's pid from its `-yy` decoration (`3<pid:1234>`). */
function pidfdPid(v: Value | undefined): number | undefined {
  if (v?.t !== 'fd' || !v.decoration.startsWith('pid:')) return undefined;
  return asPid(toBigInt(v.decoration.slice(4)));
}

export function sentFact(event: SyscallEvent): SignalSentFact {
  const syscall = event.name as SignalSentFact['syscall'];
  const shape = SENDERS[syscall];
  const targetArg = argOf(event, shape.target);
  const signalArg = argOf(event, shape.signal);
  const signal = signalArg === undefined ? '?' : detached(valueText(signalArg));
  const signo = signal === '0' || signal === 'SIG_0' ? 0 : signalByName(signal)?.number;
  const tid = shape.thread === undefined ? undefined : intOf(argOf(event, shape.thread));
  const tgid = shape.group === undefined ? undefined : intOf(targetArg);
  const targetPid = syscall === 'pidfd_send_signal' ? pidfdPid(targetArg) : shape.thread !== undefined ? tid : intOf(targetArg);
  const { ok, errno } = outcome(event);
  return {
    fact: 'send',
    syscall,
    signal,
    ...(signo !== undefined ? { signo } : {}),
    target: targetArg === undefined ? '?' : detached(valueText(targetArg)),
    ...(targetPid !== undefined ? { targetPid } : {}),
    ...(tid !== undefined ? { tid } : {}),
    ...(tgid !== undefined ? { tgid } : {}),
    probe: signo === 0,
    ok,
    ...(errno !== undefined ? { errno } : {}),
  };
}
