/**
 * A thread's end and its join: the thread blocks signals, drops its stack's memory (madvise
 * MADV_DONTNEED), calls exit; the kernel zeroes its clear-TID word and wakes the joiner, whose futex
 * wait on that word returns. Confirmed at the thread's `+++ exited` line (or its death).
 */
import type { ExplainContext } from '../context.js';
import type { ExplainedEvent } from '../types.js';
import type { Candidate, PatternApi, Recognizer } from './engine.js';
import { argInt, argText, maskChange, tidOf } from './util.js';
import { hex } from '../format.js';

const MAX_WORDS = 4096;

export class ThreadExitRecognizer implements Recognizer {
  readonly id = 'thread-exit';
  readonly triggers = new Set(['futex', 'futex_time64', 'rt_sigprocmask', 'madvise', 'exit']);
  private readonly exiting = new Map<number, Candidate>();
  /** Clear-TID word (hex) -> candidate of the thread that will clear it. */
  private readonly byWord = new Map<string, Candidate>();

  busy(): boolean {
    return this.exiting.size > 0;
  }

  feed(item: ExplainedEvent, api: PatternApi, ctx: ExplainContext): void {
    const tid = tidOf(item);
    const e = item.event;
    let cand = this.exiting.get(tid);
    if (e.kind === 'syscall') {
      if ((e.name === 'futex' || e.name === 'futex_time64') && /FUTEX_WAIT/.test(argText(e, 1))) {
        const addr = argInt(e, 0);
        const target = addr === undefined ? undefined : this.byWord.get(addr.toString(16));
        if (target && target.tid !== tid && e.ret !== undefined) {
          target.data.joiner = tid;
          api.step(target, item, `thread ${tid} joins it (futex wait returns)`);
          if (target.match) this.finish(target, api);
        }
        return;
      }
      // Only these calls can start or grow an exit; any other call ends an unconfirmed candidate.
      const exitStep = e.name === 'rt_sigprocmask' || e.name === 'madvise' || e.name === 'exit';
      if (!exitStep && (!cand || cand.match)) return;
      if (!ctx.isThreadOfOther(tid) && ctx.liveThreads(tid) <= 1) return;
      const mask = maskChange(e);
      if (mask && mask.how === 'SIG_BLOCK' && mask.negated) {
        if (cand && !cand.match) api.close(cand);
        this.exiting.set(tid, api.open(this.id, tid, item, 'signals blocked before exit'));
        return;
      }
      if (e.name === 'madvise' && /MADV_DONTNEED/.test(argText(e, 2))) {
        if (!cand) {
          cand = api.open(this.id, tid, item, 'stack memory dropped');
          this.exiting.set(tid, cand);
        } else api.step(cand, item, 'stack memory dropped');
        return;
      }
      if (e.name === 'exit') {
        if (!cand) {
          cand = api.open(this.id, tid, item, 'exit (this thread only)');
          this.exiting.set(tid, cand);
        } else api.step(cand, item, 'exit (this thread only)');
        const word = ctx.thread(tid).clearTid;
        if (word !== undefined) {
          cand.data.word = word;
          this.byWord.set(word.toString(16), cand);
          if (this.byWord.size > MAX_WORDS) {
            const [key, old] = this.byWord.entries().next().value as [string, Candidate];
            this.byWord.delete(key);
            api.close(old);
          }
        }
        return;
      }
      if (cand && !cand.match) {
        api.close(cand);
        this.exiting.delete(tid);
      }
      return;
    }
    if ((e.kind === 'exit' || e.kind === 'killed') && cand) {
      api.step(cand, item, 'thread gone');
      this.finish(cand, api);
      this.exiting.delete(tid);
    }
  }

  private finish(cand: Candidate, api: PatternApi): void {
    const roles = cand.steps.map((s) => s.role);
    const parts: string[] = [];
    if (roles.includes('signals blocked before exit')) parts.push('the thread blocks signals');
    if (roles.includes('stack memory dropped')) parts.push('gives its stack memory back (the mapping stays for reuse)');
    parts.push('and calls exit, which ends only this thread');
    const word = cand.data.word as bigint | undefined;
    if (word !== undefined) parts.push(`the kernel zeroes its TID word at ${hex(word)} (CLONE_CHILD_CLEARTID) and wakes the futex waiter there`);
    if (cand.data.joiner !== undefined) parts.push(`thread ${cand.data.joiner} was waiting on it: that is pthread_join returning`);
    api.confirm(cand, `thread exit${cand.data.joiner !== undefined ? ' and join' : ''}: thread ${cand.tid}`, parts.join('; ').replace('; and calls', ' and calls'));
    // The joiner's wait can finish after the exit line: keep accepting it for a while.
    if (word !== undefined && cand.data.joiner === undefined) return;
    this.close(cand, api);
  }

  private close(cand: Candidate, api: PatternApi): void {
    api.close(cand);
    if (cand.data.word !== undefined) this.byWord.delete((cand.data.word as bigint).toString(16));
  }

  end(api: PatternApi): void {
    for (const c of this.exiting.values()) if (!c.match) api.close(c);
    for (const c of this.byWord.values()) api.close(c);
    this.byWord.clear();
  }
}
