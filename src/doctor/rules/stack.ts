/**
 * stack-overflow: a task killed by SIGSEGV whose fault address lies in a thread stack's guard page
 * (glibc maps a thread stack PROT_NONE with MAP_STACK and opens all but the lowest page with
 * mprotect), or whose handler could not even run (a second SIGSEGV from the kernel: no stack left to
 * build the signal frame on). A lone `--- SIGSEGV` line is not enough: the JVM takes thousands.
 *
 * thread-never-joined: glibc reuses the stacks of joined or detached threads; the stack of a joinable
 * thread that exited and was never joined stays mapped. So new stack mappings that keep appearing
 * while earlier threads have already exited is the visible trace of threads never joined.
 */
import type { Citation, Finding } from '../types.js';
import { siginfoOf } from '../decode.js';
import { toBigInt } from '../../parse/values.js';
import { finding, type RuleDefinition } from '../rule.js';

interface Stack {
  start: bigint;
  end: bigint;
  /** End of the PROT_NONE guard (the whole mapping until an mprotect opens the rest). */
  guardEnd: bigint;
  map: Citation;
  protect?: Citation;
}

const MAX_STACKS = 4096;
/** How far below a stack mapping a fault still counts as the stack's (one large frame's worth). */
const BELOW_GUARD = 0x10000n;
const hex = (n: bigint): string => `0x${n.toString(16)}`;

export const stackOverflow: RuleDefinition = {
  id: 'stack-overflow',
  title: "SIGSEGV in a thread stack's guard page (or a handler that could not run for lack of stack)",
  severity: 'error',
  needs: ['all-syscalls'],
  fix: 'remove the unbounded recursion or the large stack arrays, or raise the stack size (ulimit -s, pthread_attr_setstacksize); install the SIGSEGV handler on a per-thread sigaltstack',
  start(ctx) {
    const stacks = new Map<string, Stack[]>();
    const faults = new Map<string, { cite: Citation; addr?: bigint; code?: string; kernelRetry?: Citation }>();
    const out: Finding[] = [];
    return {
      syscall(event, task, fact) {
        if (!fact) return;
        const key = ctx.graph.processOf(task).key;
        if (fact.kind === 'stack-map' && fact.guardOnly) {
          let list = stacks.get(key);
          if (!list) stacks.set(key, (list = []));
          if (list.length >= MAX_STACKS) list.shift();
          list.push({ start: fact.start, end: fact.start + fact.length, guardEnd: fact.start + fact.length, map: ctx.cite(event, 'thread stack mapped PROT_NONE') });
        } else if (fact.kind === 'protect' && !fact.none) {
          const s = stacks.get(key)?.find((st) => fact.start > st.start && fact.start < st.end);
          if (s) {
            s.guardEnd = fact.start;
            s.protect = ctx.cite(event, `stack opened above a ${s.guardEnd - s.start}-byte guard`);
          }
        }
      },
      signal(event, task) {
        if (event.signal !== 'SIGSEGV' || event.stopped) return;
        const info = siginfoOf(event);
        const prior = faults.get(task.key);
        if (prior && info.code === 'SI_KERNEL') {
          prior.kernelRetry = ctx.cite(event, 'second SIGSEGV: no stack left for the handler');
          return;
        }
        faults.set(task.key, { cite: ctx.cite(event, 'SIGSEGV'), ...(info.addr !== undefined ? { addr: info.addr } : {}), ...(info.code ? { code: info.code } : {}) });
      },
      ended(event, task) {
        if (event.kind !== 'killed' || event.signal !== 'SIGSEGV') return;
        const fault = faults.get(task.key);
        if (!fault) return;
        const process = ctx.graph.processOf(task);
        const addr = fault.addr;
        // A frame larger than the guard can step over it: a fault just below the mapping counts too.
        const guard = addr === undefined || addr < 0x10000n ? undefined : stacks.get(process.key)?.find((s) => addr >= s.start - BELOW_GUARD && addr < s.guardEnd);
        if (!guard && !fault.kernelRetry) return;
        const program = ctx.program(process);
        const where = guard
          ? `at ${hex(addr!)}, ${addr! >= guard.start ? 'inside' : 'just below'} the ${guard.guardEnd - guard.start}-byte guard page at the bottom of the thread stack mapped at ${hex(guard.start)}`
          : 'and its SIGSEGV handler could not run (the kernel sent a second SIGSEGV: there was no stack left to build the signal frame on)';
        out.push(finding(stackOverflow, 'error', [ctx.taskRef(task)], [guard?.map, guard?.protect, fault.cite, fault.kernelRetry, ctx.cite(event, 'killed')],
          `thread ${task.tid} of process ${process.tgid}${program ? ` (${program})` : ''} overflowed its stack: it faulted ${where}`,
          { ...(addr !== undefined ? { address: hex(addr) } : {}), ...(guard ? { stackBase: hex(guard.start), guardBytes: Number(guard.guardEnd - guard.start) } : {}) }));
      },
      finish: () => out,
    };
  },
};

export const threadNeverJoined: RuleDefinition = {
  id: 'thread-never-joined',
  title: 'joinable threads that exited and were never joined: their stacks stay mapped and new ones keep being made',
  severity: 'warning',
  needs: ['all-syscalls', 'follow'],
  fix: 'join every joinable thread (pthread_join) or create it detached (pthread_detach, PTHREAD_CREATE_DETACHED)',
  start(ctx) {
    const perProcess = new Map<string, { maps: number; firstMaps: Citation[]; live: number; maxLive: number; exited: number; joined: number; unmapped: number; starts: Set<bigint> }>();
    const get = (key: string) => {
      let p = perProcess.get(key);
      if (!p) perProcess.set(key, (p = { maps: 0, firstMaps: [], live: 0, maxLive: 0, exited: 0, joined: 0, unmapped: 0, starts: new Set() }));
      return p;
    };
    return {
      created(creator, child) {
        if (child.birth.kind !== 'thread') return;
        const p = get(ctx.graph.processOf(creator).key);
        p.live++;
        p.maxLive = Math.max(p.maxLive, p.live);
      },
      syscall(event, task, fact) {
        if (fact?.kind === 'stack-map' && fact.guardOnly) {
          const p = get(ctx.graph.processOf(task).key);
          p.maps++;
          if (p.starts.size < MAX_STACKS) p.starts.add(fact.start);
          if (p.firstMaps.length < 4) p.firstMaps.push(ctx.cite(event, `thread stack #${p.maps} mapped`));
        } else if (event.name === 'munmap' && event.ret?.errno === undefined) {
          const p = perProcess.get(ctx.graph.processOf(task).key);
          const start = event.argAt ? event.argAt(0) : event.args[0];
          const at = toBigInt(start);
          if (p && at !== undefined && p.starts.has(at)) p.unmapped++;
        }
      },
      ended(_event, task) {
        if (task.birth.kind !== 'thread') return;
        const p = perProcess.get(ctx.graph.processOf(task).key);
        if (!p) return;
        p.live = Math.max(0, p.live - 1);
        p.exited++;
      },
      finish() {
        const out: Finding[] = [];
        for (const [key, p] of perProcess) {
          const process = ctx.graph.process(key);
          if (!process) continue;
          const joined = ctx.graph.tasksOf(process).filter((t) => t.joined).length;
          const churn = p.maps - p.unmapped - p.maxLive;
          if (p.maps < 3 || churn < 2 || p.exited < 2 || joined >= p.exited) continue;
          const program = ctx.program(process);
          out.push(finding(threadNeverJoined, 'warning', [ctx.processRef(process)], p.firstMaps,
            `process ${process.tgid}${program ? ` (${program})` : ''} mapped ${p.maps} thread stacks for at most ${p.maxLive} threads alive at once while ${p.exited} threads had exited: the stacks of exited threads were not reused, so they were never joined (or detached) and still hold their memory`,
            { stacks: p.maps, maxLiveThreads: p.maxLive, exitedThreads: p.exited }));
        }
        return out;
      },
    };
  },
};
