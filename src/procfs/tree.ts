/**
 * The parent/child forest of a process listing. A process whose parent is not in the listing (PID 1,
 * kthreadd, or a match whose ancestors were filtered out) becomes a root.
 */
import type { ProcessEntry } from './listing.js';

export interface ProcessNode {
  process: ProcessEntry;
  children: ProcessNode[];
}

export function buildProcessTree(processes: readonly ProcessEntry[]): ProcessNode[] {
  const nodes = new Map<number, ProcessNode>();
  for (const process of processes) nodes.set(process.pid, { process, children: [] });
  const roots: ProcessNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.process.ppid === node.process.pid ? undefined : nodes.get(node.process.ppid);
    (parent ? parent.children : roots).push(node);
  }
  const byPid = (a: ProcessNode, b: ProcessNode) => a.process.pid - b.process.pid;
  for (const node of nodes.values()) node.children.sort(byPid);
  return roots.sort(byPid);
}

/** PIDs of the given processes and all their descendants in the listing. */
export function subtreePids(processes: readonly ProcessEntry[], tops: Iterable<number>): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of processes) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const out = new Set<number>();
  const stack = [...tops];
  while (stack.length) {
    const pid = stack.pop() as number;
    if (out.has(pid)) continue;
    out.add(pid);
    for (const child of children.get(pid) ?? []) stack.push(child);
  }
  return out;
}

/** Depth-first walk in display order, with the tree-drawing context of each node. */
export function* walkTree(roots: readonly ProcessNode[]): Generator<{ node: ProcessNode; depth: number; lastAtLevel: boolean[] }> {
  function* visit(node: ProcessNode, lastAtLevel: boolean[]): Generator<{ node: ProcessNode; depth: number; lastAtLevel: boolean[] }> {
    yield { node, depth: lastAtLevel.length, lastAtLevel };
    for (let i = 0; i < node.children.length; i++) yield* visit(node.children[i], [...lastAtLevel, i === node.children.length - 1]);
  }
  for (const root of roots) yield* visit(root, []);
}
