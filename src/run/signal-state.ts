/**
 * The signal state a process inherited: ignored dispositions (SigIgn) and the blocked mask (SigBlk).
 * Both survive fork and exec, so a launcher passes on what it was started with unless it resets it.
 *
 * Node resets every disposition to default and unblocks every signal in PlatformInit, before any
 * JavaScript runs (and libuv resets them again in each spawned child). So tasklens can only know what
 * it inherited if something read it before Node started: the `bin/tasklens` launcher reads its own
 * /proc/self/status and passes SigIgn/SigBlk in the environment variable below.
 */
import { hexMask } from '../procfs/status.js';

/** Set by bin/tasklens: `ign=HEX blk=HEX`, the launcher's own SigIgn and SigBlk. */
export const INHERITED_SIGNALS_ENV = 'TASKLENS_INHERITED_SIGNALS';

export interface SignalState {
  /** Bit N-1 set: signal N is ignored (SIG_IGN). */
  ignored: bigint;
  /** Bit N-1 set: signal N is blocked. */
  blocked: bigint;
}

/** Signals no process can ignore or block, and glibc's internal ones (32, 33) that sigaction refuses. */
const UNSETTABLE = new Set([9, 19, 32, 33]);

/** Parses the launcher's `ign=HEX blk=HEX`; undefined when absent or unreadable. */
export function parseInheritedSignals(text: string | undefined): SignalState | undefined {
  // Values may keep the tab /proc puts after the colon.
  const ign = /(?:^|\s)ign=\s*([0-9a-fA-F]{1,16})(?:\s|$)/.exec(text ?? '')?.[1];
  const blk = /(?:^|\s)blk=\s*([0-9a-fA-F]{1,16})(?:\s|$)/.exec(text ?? '')?.[1];
  if (!ign || !blk) return undefined;
  return { ignored: hexMask(ign), blocked: hexMask(blk) };
}

/**
 * Reads the inherited signal state left by the launcher and removes the variable from `env`, so the
 * programs tasklens starts do not see it.
 */
export function takeInheritedSignals(env: NodeJS.ProcessEnv = process.env): SignalState | undefined {
  const state = parseInheritedSignals(env[INHERITED_SIGNALS_ENV]);
  delete env[INHERITED_SIGNALS_ENV];
  return state;
}

/** Signal numbers (1..64) whose bit is set in a SigIgn/SigBlk-style mask. */
export function signalsOfMask(mask: bigint): number[] {
  const out: number[] = [];
  for (let n = 1; n <= 64; n++) if (mask & (1n << BigInt(n - 1))) out.push(n);
  return out;
}

/** True when the state has nothing ignored or blocked that a child could be given. */
export function isDefaultSignalState(state: SignalState): boolean {
  return !signalsOfMask(state.ignored).some((n) => !UNSETTABLE.has(n)) && !signalsOfMask(state.blocked).some((n) => !UNSETTABLE.has(n));
}

/** coreutils env(1) options that recreate the state in the program it execs (numbers, comma-separated). */
export function envSignalOptions(state: SignalState): string[] {
  const ignored = signalsOfMask(state.ignored).filter((n) => !UNSETTABLE.has(n));
  const blocked = signalsOfMask(state.blocked).filter((n) => !UNSETTABLE.has(n));
  return [...(ignored.length ? [`--ignore-signal=${ignored.join(',')}`] : []), ...(blocked.length ? [`--block-signal=${blocked.join(',')}`] : [])];
}
