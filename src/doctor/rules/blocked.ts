/**
 * signal-lost-blocked: a signal sent to a process that blocks it in every thread (or to a thread that
 * blocks it), never unblocked, waited for or read from a signalfd, before the process ended: it stayed
 * pending and was never acted on. Blocking and then consuming with signalfd or sigwaitinfo is the
 * correct pattern and clears it, as does any delivery line for it.
 */
import type { Process } from '../../model/types.js';
import type { Citation, Finding } from '../types.js';
import { signalName } from '../../kb/signals.js';
import { finding, type RuleDefinition } from '../rule.js';
import { blockedEverywhere, targetProcess } from './termination.js';

interface Pending {
  process: Process;
  signal: number;
  block: Citation;
  sends: Citation[];
  count: number;
}

export const signalLostBlocked: RuleDefinition = {
  id: 'signal-lost-blocked',
  title: 'a signal that stays pending until the process ends because every thread blocks it',
  severity: 'warning',
  needs: ['all-syscalls', 'successful-calls'],
  fix: 'unblock the signal in one thread that handles it, or consume it with signalfd or sigwaitinfo; never leave it blocked everywhere',
  start(ctx) {
    const pending = new Map<string, Pending>();
    const keyOf = (p: Process, signal: number): string => `${p.key}\0${signal}`;
    const resolve = (p: Process, mask: bigint): void => {
      for (const [key, x] of pending) if (x.process.key === p.key && (mask & (1n << BigInt(x.signal - 1))) !== 0n) pending.delete(key);
    };
    return {
      syscall(event, task, fact) {
        if (!fact) return;
        if (pending.size > 0) {
          const p = ctx.graph.processOf(task);
          if (fact.kind === 'sigwait' || fact.kind === 'signalfd') resolve(p, fact.mask);
          else if (fact.kind === 'sigmask' && fact.how === 'unblock') resolve(p, fact.mask);
          else if (fact.kind === 'sigmask' && fact.how === 'set') resolve(p, ~fact.mask);
        }
        if (fact.kind !== 'send' || !fact.ok || fact.signal === 9 || fact.signal === 19) return;
        const target = targetProcess(ctx, fact.target);
        if (!target) return;
        let blocked: Citation | false;
        if (fact.target.kind === 'thread') {
          const t = ctx.graph.taskByTid(fact.target.tid);
          const m = t ? ctx.signals.mask(t.key) : undefined;
          blocked = m && (m.mask & (1n << BigInt(fact.signal - 1))) !== 0n && m.cite ? m.cite : false;
        } else blocked = blockedEverywhere(ctx, target, fact.signal);
        if (!blocked) return;
        const key = keyOf(target, fact.signal);
        let x = pending.get(key);
        if (!x) pending.set(key, (x = { process: target, signal: fact.signal, block: { ...blocked, role: `${signalName(fact.signal)} blocked` }, sends: [], count: 0 }));
        x.count++;
        if (x.sends.length < 3) x.sends.push(ctx.cite(event, `${signalName(fact.signal)} sent`));
      },
      signal(event, task) {
        if (pending.size === 0 || event.stopped) return;
        const p = ctx.graph.processOf(task);
        for (const [key, x] of pending) if (x.process.key === p.key && signalName(x.signal) === event.signal) pending.delete(key);
      },
      finish() {
        const out: Finding[] = [];
        for (const x of pending.values()) {
          const end = ctx.graph.processEnd(x.process);
          if (!end || (end.kind !== 'exited' && end.kind !== 'killed' && end.kind !== 'ended')) continue;
          const program = ctx.program(x.process);
          const name = signalName(x.signal);
          const leader = ctx.graph.tasksOf(x.process)[0];
          out.push(finding(signalLostBlocked, 'warning', [ctx.taskRef(leader)], [x.block, ...x.sends, leader ? ctx.lastLine(leader, 'process ends') : undefined],
            `${name} was sent to process ${x.process.tgid}${program ? ` (${program})` : ''}${x.count > 1 ? ` ${x.count} times` : ''} while every thread blocked it; it was never unblocked, waited for or read from a signalfd before the process ended, so it was never acted on${x.count > 1 ? ' (standard signals do not queue: several sends count once)' : ''}`,
            { signal: name, sends: x.count }));
        }
        return out;
      },
    };
  },
};
