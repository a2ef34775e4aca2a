/**
 * Thread creation as glibc's pthread_create does it: reserve a stack with no access (mmap MAP_STACK),
 * open all of it but the guard page (mprotect), block every signal, clone3 with CLONE_THREAD, restore
 * the mask; then the new thread's first calls (rseq, set_robust_list, rt_sigprocmask). A cached stack
 * skips the first two steps. glibc 2.41+ maps the stack read-write and installs the guard page with
 * madvise(MADV_GUARD_INSTALL) (falling back to mprotect(PROT_NONE) of the guard when the kernel
 * lacks it, before 6.13). Confirmed once the new thread has done its set-up (or done something else).
 */
import type { ExplainContext } from '../context.js';
import type { ExplainedEvent } from '../types.js';
import type { Candidate, PatternApi, Recognizer } from './engine.js';
import { ok } from './util.js';
import { argInt, creationOf, isCreation, isGuardInstall, isProtNone, isStackMapping, isStackReservation, maskChange, retInt, syscallOf, tidOf } from './util.js';
import { humanSize } from '../format.js';

const CHILD_SETUP = new Set(['rseq', 'set_robust_list', 'rt_sigprocmask']);
const MAX_GAP = 4;

interface Pending {
  cand: Candidate;
  gap: number;
}

/** Tids whose first calls are kept in case a clone claims them. */
const MAX_EARLY = 64;

export class ThreadCreateRecognizer implements Recognizer {
  readonly id = 'thread-create';
  /** Creator tid -> candidate being assembled (before the clone). */
  private readonly building = new Map<number, Pending>();
  /** New thread tid -> the candidate waiting for its set-up calls. */
  private readonly awaiting = new Map<number, Candidate>();
  /** First calls of tids nobody has claimed yet (a child's lines can precede its clone's return). */
  private readonly early = new Map<number, ExplainedEvent[]>();

  feed(item: ExplainedEvent, api: PatternApi, ctx: ExplainContext): void {
    const tid = tidOf(item);
    const child = this.awaiting.get(tid);
    if (child) return this.childStep(child, item, api, tid);
    const e = syscallOf(item);
    if (e && ctx.threadCalls(tid) <= 3) this.remember(tid, item);
    if (!e) return;
    const pending = this.building.get(tid);
    if (isStackReservation(e)) {
      if (pending && !pending.cand.match) api.close(pending.cand);
      this.building.set(tid, { cand: api.open(this.id, tid, item, 'stack reserved (no access)'), gap: 0 });
      return;
    }
    if (isStackMapping(e)) {
      if (pending && !pending.cand.match) api.close(pending.cand);
      this.building.set(tid, { cand: api.open(this.id, tid, item, 'stack mapped read-write'), gap: 0 });
      return;
    }
    if (pending && pending.cand.steps.length === 1) {
      const first = pending.cand.steps[0].role;
      if (first === 'stack reserved (no access)' && e.name === 'mprotect') {
        api.step(pending.cand, item, 'stack opened, guard page kept');
        return;
      }
      if (first === 'stack mapped read-write' && isGuardInstall(e)) {
        api.step(pending.cand, item, ok(e) ? 'guard page installed (MADV_GUARD_INSTALL)' : 'guard install refused (old kernel)');
        return;
      }
    }
    if (pending && pending.cand.steps.length === 2 && pending.cand.steps[1].role === 'guard install refused (old kernel)' && isProtNone(e)) {
      api.step(pending.cand, item, 'guard page made inaccessible (mprotect)');
      return;
    }
    const mask = maskChange(e);
    if (mask && mask.how === 'SIG_BLOCK' && mask.negated && mask.items.length === 0) {
      if (pending) api.step(pending.cand, item, 'all signals blocked');
      else this.building.set(tid, { cand: api.open(this.id, tid, item, 'all signals blocked'), gap: 0 });
      return;
    }
    if (isCreation(e) && creationOf(e)?.kind === 'thread') {
      const cand = pending?.cand ?? api.open(this.id, tid, item, 'clone');
      if (pending) api.step(cand, item, 'clone with CLONE_THREAD');
      this.building.delete(tid);
      const newTid = retInt(e);
      if (newTid === undefined) {
        api.close(cand);
        return;
      }
      cand.data.creator = tid;
      cand.data.child = Number(newTid);
      cand.data.childSteps = 0;
      this.awaiting.set(Number(newTid), cand);
      for (const early of this.early.get(Number(newTid)) ?? []) this.childStep(cand, early, api, Number(newTid));
      this.early.delete(Number(newTid));
      return;
    }
    if (mask && mask.how === 'SIG_SETMASK') {
      const after = [...this.awaiting.values()].find((c) => c.data.creator === tid && !c.data.restored);
      if (after) {
        after.data.restored = true;
        api.step(after, item, 'creator restores its mask');
        return;
      }
    }
    if (pending && ++pending.gap > MAX_GAP) {
      api.close(pending.cand);
      this.building.delete(tid);
    }
  }

  private remember(tid: number, item: ExplainedEvent): void {
    const list = this.early.get(tid) ?? [];
    if (list.length >= 3) return;
    list.push(item);
    this.early.set(tid, list);
    // A new thread's lines come at most a few lines before its clone returns: keep few, briefly.
    if (this.early.size > MAX_EARLY) this.early.delete(this.early.keys().next().value as number);
  }

  private childStep(cand: Candidate, item: ExplainedEvent, api: PatternApi, tid: number): void {
    const e = syscallOf(item);
    if (e && CHILD_SETUP.has(e.name) && (cand.data.childSteps as number) < 3) {
      api.step(cand, item, `new thread: ${e.name}`);
      cand.data.childSteps = (cand.data.childSteps as number) + 1;
      if ((cand.data.childSteps as number) < 3) return;
    }
    this.finish(cand, api);
    this.awaiting.delete(tid);
  }

  private finish(cand: Candidate, api: PatternApi): void {
    if (cand.match) return;
    const roles = new Set(cand.steps.map((s) => s.role));
    const stack = cand.steps.find((s) => s.role.startsWith('stack reserved') || s.role === 'stack mapped read-write');
    const stackEvent = stack?.item ? syscallOf(stack.item) : undefined;
    const len = stackEvent ? argInt(stackEvent, 1) : undefined;
    const of = len !== undefined ? ` of ${humanSize(len)}` : '';
    const parts: string[] = [];
    if (stack?.role === 'stack mapped read-write') parts.push(`a read-write stack${of} is mapped`);
    else if (stack) parts.push(`a stack${of} is reserved with no access`);
    else parts.push('a cached stack is reused (no new mapping)');
    if (roles.has('stack opened, guard page kept')) parts.push('all of it but the lowest page is made read-write (that page stays as the guard page)');
    const guard = cand.steps.find((s) => s.role === 'guard page installed (MADV_GUARD_INSTALL)' || s.role === 'guard page made inaccessible (mprotect)');
    const guardEvent = guard?.item ? syscallOf(guard.item) : undefined;
    const guardLen = guardEvent ? argInt(guardEvent, 1) : undefined;
    const guardSize = guardLen !== undefined ? `${humanSize(guardLen)} ` : '';
    if (guard?.role === 'guard page installed (MADV_GUARD_INSTALL)') parts.push(`its lowest ${guardSize}becomes the guard page through madvise(MADV_GUARD_INSTALL) (glibc 2.41+ on Linux 6.13+): touching it raises SIGSEGV, so an overflow faults there`);
    else if (guard) parts.push(`the kernel refused MADV_GUARD_INSTALL (older than 6.13), so glibc makes the lowest ${guardSize}PROT_NONE as the guard page`);
    if (roles.has('all signals blocked')) parts.push('every signal is blocked so the new thread starts without handlers running');
    parts.push(`clone creates thread ${cand.data.child} in the same process (CLONE_VM|CLONE_THREAD...)`);
    if (cand.data.restored) parts.push('the creator restores its mask');
    const childCalls = cand.steps.filter((s) => s.role.startsWith('new thread')).map((s) => s.role.slice(12));
    if (childCalls.length) parts.push(`the new thread starts with ${childCalls.join(', ')}`);
    api.confirm(cand, `thread creation (pthread_create): thread ${cand.data.child}`, parts.join('; '));
    api.close(cand);
  }

  end(api: PatternApi): void {
    for (const cand of this.awaiting.values()) this.finish(cand, api);
    this.awaiting.clear();
  }
}
