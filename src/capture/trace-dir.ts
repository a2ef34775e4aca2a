/**
 * The private temp directory that holds a trace's log FIFO: `$TMPDIR/tasklens-trace-XXXXXX/`, with an
 * `owner` file naming the tasklens process that made it (pid and start time, so a reused pid is not
 * mistaken for the owner). A tasklens killed with SIGKILL cannot remove its directory; the next trace
 * removes directories whose owner is dead, and only directories that are provably ours: a real
 * directory (not a symlink) owned by our uid, whose owner file is a regular file we own.
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TRACE_DIR_PREFIX = 'tasklens-trace-';
const OWNER_FILE = 'owner';

/** Creates the directory (mode 0700, by mkdtemp) and records this process as its owner. */
export function makeTraceDir(parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, TRACE_DIR_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), `${process.pid} ${startTimeOf(process.pid) ?? ''}\n`, { mode: 0o600, flag: 'wx' });
  return dir;
}

/**
 * Removes the trace directories of dead tasklens processes in `parent`. Best effort and quiet: a
 * directory it cannot judge (no owner file yet, another user's, unreadable) is left alone.
 * Returns the directories removed.
 */
export function sweepStaleTraceDirs(parent = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    if (!name.startsWith(TRACE_DIR_PREFIX)) continue;
    const dir = join(parent, name);
    try {
      const st = lstatSync(dir);
      if (!st.isDirectory() || st.uid !== uid) continue;
      const ownerPath = join(dir, OWNER_FILE);
      const ost = lstatSync(ownerPath);
      if (!ost.isFile() || ost.uid !== uid) continue;
      const owner = parseOwner(readFileSync(ownerPath, 'latin1'));
      if (!owner || isAlive(owner)) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Gone meanwhile, or not ours to judge.
    }
  }
  return removed;
}

interface Owner {
  pid: number;
  /** Start time in clock ticks since boot (/proc/PID/stat field 22), when known. */
  startTime?: string;
}

function parseOwner(text: string): Owner | undefined {
  const m = /^(\d{1,10}) ?(\d*)\n?$/.exec(text);
  if (!m) return undefined;
  const pid = Number(m[1]);
  if (pid <= 0) return undefined;
  return m[2] ? { pid, startTime: m[2] } : { pid };
}

function isAlive(owner: Owner): boolean {
  const start = startTimeOf(owner.pid);
  if (start === undefined) return false;
  return owner.startTime === undefined || owner.startTime === start;
}

/** Field 22 of /proc/PID/stat (after the parenthesised command name, which may hold spaces). */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie owner is dead for our purpose: it can no longer remove anything.
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}
