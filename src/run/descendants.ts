/**
 * The live descendants of a process, found through /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN):
 * each thread lists the children it forked, and orphans re-parented to a subreaper appear under it.
 * This is cheap for the trees a launcher owns and needs no scan of all of /proc.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseStat } from '../procfs/stat.js';
import { hexMask, statusFields } from '../procfs/status.js';

export interface Descendant {
  pid: number;
  ppid: number;
  comm: string;
  state: string;
  pgrp: number;
}

/** Direct children of `pid` (every thread's list), ascending; [] when the process is gone. */
export function childrenOf(pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out = new Set<number>();
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
    } catch {
      continue;
    }
    for (const word of text.split(' ')) if (word) out.add(Number(word));
  }
  return [...out].sort((a, b) => a - b);
}

/** One process's stat summary, or undefined when it is gone. */
export function describe(pid: number): Descendant | undefined {
  try {
    const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return { pid, ppid: stat.ppid, comm: stat.comm, state: stat.state, pgrp: stat.pgrp };
  } catch {
    return undefined;
  }
}

/** Every descendant of `root` (not root itself), parents before children. */
export function descendantsOf(root: number): Descendant[] {
  const out: Descendant[] = [];
  const seen = new Set<number>([root]);
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const child of childrenOf(parent)) {
      if (seen.has(child)) continue;
      seen.add(child);
      const info = describe(child);
      if (!info) continue;
      out.push(info);
      queue.push(child);
    }
  }
  return out;
}

/** How a process treats one signal, from SigIgn/SigCgt/SigBlk of its status file. */
export type Disposition = 'default' | 'ignored' | 'caught' | 'unknown';

export function dispositionOf(pid: number, signal: number): { disposition: Disposition; blocked: boolean } {
  try {
    const fields = statusFields(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const bit = 1n << BigInt(signal - 1);
    if (!fields.has('SigIgn')) return { disposition: 'unknown', blocked: false };
    const blocked = (hexMask(fields.get('SigBlk')) & bit) !== 0n;
    if (hexMask(fields.get('SigIgn')) & bit) return { disposition: 'ignored', blocked };
    if (hexMask(fields.get('SigCgt')) & bit) return { disposition: 'caught', blocked };
    return { disposition: 'default', blocked };
  } catch {
    return { disposition: 'unknown', blocked: false };
  }
}
