/**
 * Machine-wide facts the per-task readers need: uptime (to turn start ticks into an age), boot time
 * (to turn them into a wall-clock time), and user names for UIDs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { USER_HZ } from './stat.js';
import { readProcText } from './files.js';

/** Seconds since boot, from /proc/uptime. */
export function uptimeSeconds(root = '/proc'): number {
  return Number.parseFloat(readProcText(join(root, 'uptime')));
}

/** Boot time in seconds since the epoch (`btime` in /proc/stat). */
export function bootTimeSeconds(root = '/proc'): number {
  const match = /^btime (\d+)$/m.exec(readProcText(join(root, 'stat')));
  return match ? Number(match[1]) : Date.now() / 1000 - uptimeSeconds(root);
}

/** Seconds a task has existed, from its stat start time (field 22). */
export function ageSeconds(startTicks: number, uptime: number): number {
  return Math.max(0, uptime - startTicks / USER_HZ);
}

/** UID -> user name from /etc/passwd (read once per call); unknown UIDs are absent. */
export function userNames(passwd = '/etc/passwd'): Map<number, string> {
  return idNames(passwd);
}

/** GID -> group name from /etc/group. */
export function groupNames(group = '/etc/group'): Map<number, string> {
  return idNames(group);
}

/** Both files have `name:password:id:...` lines. */
function idNames(path: string): Map<number, string> {
  const names = new Map<number, string>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && /^\d+$/.test(uid) && !names.has(Number(uid))) names.set(Number(uid), name);
  }
  return names;
}

/** Resolves a user given as a name or a numeric UID; undefined when the name is unknown. */
export function uidOf(user: string, names: Map<number, string>): number | undefined {
  if (/^\d+$/.test(user)) return Number(user);
  for (const [uid, name] of names) if (name === user) return uid;
  return undefined;
}
