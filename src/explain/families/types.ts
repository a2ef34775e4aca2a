/** The shape of a family table: syscall name -> a function that words one call from its values. */
import type { Call } from '../call.js';
import type { ExplainContext, ProcessState, ThreadState } from '../context.js';

/** What a family says about one call. */
export interface Said {
  text: string;
  /** The failure is normal here: why. */
  benign?: string;
  /** The text already says how the call ended (so no generic "fails with" suffix is added). */
  coversResult?: boolean;
}

/** Where the call happens: the caller's process and thread state, and the shared context. */
export interface Scope {
  ctx: ExplainContext;
  proc: ProcessState;
  thread: ThreadState;
}

export type Describe = (c: Call, s: Scope) => Said | string;

export type FamilyTable = Readonly<Record<string, Describe>>;
