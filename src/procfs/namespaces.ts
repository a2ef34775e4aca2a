/**
 * /proc/PID/ns/*: each link reads `net:[4026531833]`; two processes share a namespace exactly when
 * the inode numbers match. Comparing with PID 1 tells whether a process lives in its own (container)
 * namespace. Reading the links needs ptrace-read access.
 */
import { isUnavailable, tryListDir, tryReadLink, type Maybe } from './files.js';

export interface NamespaceLink {
  /** cgroup, ipc, mnt, net, pid, pid_for_children, time, time_for_children, user, uts */
  type: string;
  inode: number;
  /** Same namespace as PID 1's (the host's, unless tasklens itself runs in a container); undefined when PID 1's is unreadable. */
  sameAsInit?: boolean;
}

const LINK = /^[a-z_]+:\[(\d+)\]$/;

function readLinks(dir: string): Maybe<Map<string, number>> {
  const names = tryListDir(dir);
  if (isUnavailable(names)) return names;
  const out = new Map<string, number>();
  for (const name of names.sort()) {
    const target = tryReadLink(`${dir}/${name}`);
    if (isUnavailable(target)) {
      if (target.unavailable === 'gone' && out.size === 0) return target;
      if (target.unavailable === 'not-permitted') return target;
      continue;
    }
    const m = LINK.exec(target);
    if (m) out.set(name, Number(m[1]));
  }
  return out;
}

export function readNamespaces(pid: number, root = '/proc', procDir = `${root}/${pid}`): Maybe<NamespaceLink[]> {
  const own = readLinks(`${procDir}/ns`);
  if (isUnavailable(own)) return own;
  const init = pid === 1 ? own : readLinks(`${root}/1/ns`);
  const out: NamespaceLink[] = [];
  for (const [type, inode] of own) {
    const link: NamespaceLink = { type, inode };
    if (!isUnavailable(init) && init.has(type)) link.sameAsInit = init.get(type) === inode;
    out.push(link);
  }
  return out;
}
