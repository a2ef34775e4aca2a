/**
 * Threads that stand at the very same place: same frames (by pc), same state, same blocked syscall,
 * same way of stopping and the same end of backtrace. A pool of idle workers is one group; the
 * renderer prints its stack once. Groups keep the order in which their first thread appears.
 */
import type { ThreadSnapshot } from '../../ptrace/snapshot.js';

export interface ThreadGroup {
  threads: ThreadSnapshot[];
  /** Thread names with how many threads of the group carry each, in first-seen order. */
  names: Map<string, number>;
}

function stackKey(t: ThreadSnapshot): string {
  const pcs = t.frames.map((f) => `${f.pc.toString(16)}${f.signalFrame ? 's' : ''}`).join(',');
  const syscall = t.syscall?.blocked ? String(t.syscall.nr) : '';
  return `${t.state}|${t.stop ?? ''}|${syscall}|${t.unwindEnd ?? ''}|${pcs}`;
}

export function groupThreads(threads: readonly ThreadSnapshot[]): ThreadGroup[] {
  const byKey = new Map<string, ThreadGroup>();
  for (const thread of threads) {
    const key = stackKey(thread);
    let group = byKey.get(key);
    if (!group) {
      group = { threads: [], names: new Map() };
      byKey.set(key, group);
    }
    group.threads.push(thread);
    group.names.set(thread.name, (group.names.get(thread.name) ?? 0) + 1);
  }
  return [...byKey.values()];
}

/** `101-150, 152, 160-161`: sorted TIDs with runs of consecutive ones folded. */
export function tidRanges(tids: readonly number[]): string {
  const sorted = [...tids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(', ');
}
