/**
 * A signal caught by a handler: the delivery line, the handler's own calls, rt_sigreturn. The install
 * (rt_sigaction), the sender (kill/tgkill, or raise() on itself) and the call it interrupted are
 * named too when the log shows them.
 */
import type { ExplainContext } from '../context.js';
import type { ExplainedEvent } from '../types.js';
import type { Candidate, PatternApi, Recognizer } from './engine.js';
import { argText, tidOf } from './util.js';
import { signalByName } from '../../kb/signals.js';

const MAX_HANDLER_STEPS = 64;
const SENDERS = new Set(['kill', 'tgkill', 'tkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'pidfd_send_signal']);

export class SignalHandlerRecognizer implements Recognizer {
  readonly id = 'signal-delivery';
  readonly triggers = new Set(['signal']);
  /** Per thread: handlers running, innermost last. */
  private readonly running = new Map<number, Candidate[]>();

  busy(): boolean {
    return this.running.size > 0;
  }

  feed(item: ExplainedEvent, api: PatternApi, ctx: ExplainContext): void {
    const tid = tidOf(item);
    const e = item.event;
    const stack = this.running.get(tid);
    const top = stack?.[stack.length - 1];
    if (e.kind === 'signal' && !e.stopped) {
      const name = signalByName(e.signal)?.name ?? e.signal;
      const handler = ctx.process(tid).handlers.get(name);
      if (!handler || handler.handler === 'SIG_DFL' || handler.handler === 'SIG_IGN') return;
      const cand = api.open(this.id, tid, item, `${name} delivered`);
      const lines = [handler.line];
      const b = ctx.lastCallOf(tid); // the sender, or the call the signal interrupted
      if (b && SENDERS.has(b.name) && new RegExp(`\\b${name.replace(/^SIG/, '')}\\b`).test(b.argsText)) {
        cand.data.sender = `${b.name} on line ${b.line}`;
        lines.push(b.line);
      } else if (b?.ret?.errno?.startsWith('ERESTART')) {
        cand.data.interrupted = `${b.name} (line ${b.line})`;
        lines.push(b.line);
      }
      Object.assign(cand.data, { signal: name, installLine: handler.line, restart: handler.flags.includes('SA_RESTART'), calls: 0, extra: lines });
      this.running.set(tid, [...(stack ?? []), cand]);
      return;
    }
    if (e.kind === 'syscall') {
      if (!top) return;
      if (e.name === 'rt_sigreturn') {
        api.step(top, item, 'handler returns (rt_sigreturn)');
        stack!.pop();
        this.finish(top, api, 'returned');
        return;
      }
      if ((top.data.calls as number) < MAX_HANDLER_STEPS) {
        top.data.calls = (top.data.calls as number) + 1;
        api.step(top, item, 'inside the handler');
      }
      if (e.name === 'exit_group' || e.name === 'exit') top.data.ends = `the handler ends the ${e.name === 'exit' ? 'thread' : 'process'} (${argText(e, 0)})`;
      return;
    }
    if ((e.kind === 'exit' || e.kind === 'killed') && stack) {
      for (const c of stack.reverse()) this.finish(c, api, 'ended');
      this.running.delete(tid);
    }
  }

  private finish(cand: Candidate, api: PatternApi, how: 'returned' | 'ended' | 'log-end'): void {
    const d = cand.data;
    const parts = [`${d.signal} arrives${d.sender ? ` (sent by ${d.sender})` : ''}${d.interrupted ? ` while the thread was blocked in ${d.interrupted}` : ''}`];
    parts.push(`the handler installed on line ${d.installLine} runs${(d.calls as number) > 0 ? ` and makes ${d.calls} call(s)` : ''}`);
    if (how === 'returned') {
      parts.push('rt_sigreturn restores the saved registers and signal mask');
      if (d.interrupted) parts.push(d.restart ? 'SA_RESTART: the interrupted call is restarted' : 'no SA_RESTART: the interrupted call fails with EINTR');
    } else if (d.ends) parts.push(d.ends as string);
    else if (how === 'ended') parts.push('the handler never returned: the task ended first');
    else parts.push('the log ends before the handler returns');
    api.confirm(cand, `signal handled: ${d.signal}`, parts.join('; '), d.extra as number[]);
    api.close(cand);
  }

  end(api: PatternApi): void {
    for (const stack of this.running.values()) for (const c of stack) this.finish(c, api, 'log-end');
    this.running.clear();
  }
}
