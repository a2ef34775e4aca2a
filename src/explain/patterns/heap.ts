/** Heap growth by brk: brk(NULL) to learn the break, then one or more brk calls moving it up. */
import { humanSize, hex } from '../format.js';
import type { ExplainedEvent } from '../types.js';
import { PerThreadRecognizer, type Candidate, type PatternApi } from './engine.js';
import { argInt, argText, retInt, syscallOf, tidOf } from './util.js';

export class HeapRecognizer extends PerThreadRecognizer {
  readonly id = 'heap-growth';
  readonly triggers = new Set(['brk']);

  feed(item: ExplainedEvent, api: PatternApi): void {
    const tid = tidOf(item);
    const e = syscallOf(item);
    if (!e) return;
    const cand = this.running.get(tid);
    if (e.name === 'brk') {
      const want = argInt(e, 0) ?? 0n;
      const got = retInt(e);
      if (want === 0n) {
        if (cand) this.finish(cand, api, undefined);
        const c = api.open(this.id, tid, item, 'asks for the break');
        c.data.from = got;
        this.running.set(tid, c);
        return;
      }
      if (cand) {
        api.step(cand, item, 'moves the break');
        if (got !== undefined) cand.data.to = got;
      }
      return;
    }
    if (cand) this.finish(cand, api, e.name === 'arch_prctl' && /ARCH_SET_FS|0x1002/.test(argText(e, 0)) ? argInt(e, 1) : undefined);
  }

  private finish(cand: Candidate, api: PatternApi, threadPointer: bigint | undefined): void {
    this.running.delete(cand.tid ?? 0);
    const from = cand.data.from as bigint | undefined;
    const to = cand.data.to as bigint | undefined;
    if (cand.steps.length >= 2 && from !== undefined && to !== undefined && to > from) {
      const tls = threadPointer !== undefined && threadPointer >= from && threadPointer < to;
      api.confirm(cand, `heap growth by brk (+${humanSize(to - from)})`, `the program break moves from ${hex(from)} to ${hex(to)} in ${cand.steps.length - 1} step(s)${tls ? ': a static binary placing its TLS block there (the thread pointer set next points into it)' : ': malloc extends its main arena'}`);
    }
    api.close(cand);
  }

  end(api: PatternApi): void {
    for (const c of this.running.values()) this.finish(c, api, undefined);
  }
}
