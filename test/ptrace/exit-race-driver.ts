/**
 * Run by exit-race.test in a process of its own (a snapshot that blocks forever inside a system call
 * cannot be timed out from the same process): snapshots, over and over, a program that exits at a
 * random moment, and checks each round: every snapshot ends with data or "the process exited"
 * (exit code 3), no thread of the target is left traced by us, and the target's own parent can reap it.
 * Prints one JSON summary line. Usage: exit-race-driver BINARY ROUNDS THREADS
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { TasklensError } from '../../src/errors.js';
import { takeSnapshot } from '../../src/ptrace/snapshot.js';

const [binary, roundsText, threadsText] = process.argv.slice(2);
const rounds = Number(roundsText);
const threads = Number(threadsText);
const ROUND_DEADLINE_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** TIDs of the target that name us as their tracer. */
function tracedByUs(pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tids
    .filter((tid) => {
      try {
        return new RegExp(`^TracerPid:\\s*${process.pid}$`, 'm').test(readFileSync(`/proc/${pid}/task/${tid}/status`, 'latin1'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

function taskCount(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return undefined;
  }
}

interface Summary {
  rounds: number;
  snapshots: number;
  exited: number;
  longestSnapshotMs: number;
  failures: string[];
}

async function round(i: number, summary: Summary): Promise<void> {
  const mode = i % 2 ? 'worker' : 'main';
  const delayUs = Math.floor(Math.random() * 40_000);
  const parent = spawn(binary, [String(threads), String(delayUs), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const parentExit = new Promise<number | null>((resolve) => parent.once('exit', (code) => resolve(code)));
  let text = '';
  const child = await new Promise<number>((resolve, reject) => {
    parent.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /^child (\d+)$/m.exec(text);
      if (m) resolve(Number(m[1]));
    });
    parent.once('close', () => reject(new Error(`round ${i}: exiter ended before naming its child`)));
  });
  const started = Date.now();
  const fail = (what: string) => summary.failures.push(`round ${i} (${mode}, ${delayUs} us): ${what}`);
  // Snapshot only once every thread exists, so the exit is what races with the snapshot.
  const expected = threads + (mode === 'worker' ? 2 : 1);
  for (let count = taskCount(child); count !== undefined && count < expected; count = taskCount(child)) {
    if (Date.now() - started > ROUND_DEADLINE_MS) return void fail(`only ${count} of ${expected} threads appeared`);
    await sleep(1);
  }
  for (;;) {
    const before = Date.now();
    try {
      takeSnapshot(child);
      summary.snapshots++;
    } catch (error) {
      if (error instanceof TasklensError && error.exitCode === 3) summary.exited++;
      else fail(`snapshot failed: ${error instanceof TasklensError ? `exit ${error.exitCode}: ${error.message}` : String(error)}`);
      break;
    } finally {
      summary.longestSnapshotMs = Math.max(summary.longestSnapshotMs, Date.now() - before);
    }
    const traced = tracedByUs(child);
    if (traced.length) return void fail(`threads ${traced.join(' ')} still traced by us after the snapshot`);
    if (Date.now() - started > ROUND_DEADLINE_MS) return void fail('the target never exited');
  }
  const traced = tracedByUs(child);
  if (traced.length) fail(`threads ${traced.join(' ')} still traced by us after the target exited`);
  const code = await Promise.race([parentExit, sleep(ROUND_DEADLINE_MS).then(() => 'timeout' as const)]);
  if (code === 'timeout') {
    fail(`the target's parent could not reap it within ${ROUND_DEADLINE_MS} ms`);
    parent.kill('SIGKILL');
  } else if (code !== 7) fail(`the target's parent reports exit code ${code}, not 7`);
}

const summary: Summary = { rounds: 0, snapshots: 0, exited: 0, longestSnapshotMs: 0, failures: [] };
for (let i = 0; i < rounds; i++) {
  const began = Date.now();
  await round(i, summary);
  summary.rounds++;
  if (process.env.EXIT_RACE_VERBOSE) process.stderr.write(`round ${i}: ${Date.now() - began} ms, ${JSON.stringify(summary)}\n`);
}
process.stdout.write(`${JSON.stringify(summary)}\n`);
