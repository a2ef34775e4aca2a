/**
 * One entry point: the fact an event states, decoded with the one decoder of its kind and remembered
 * for the last few events, so the model and the explainer reading the same event share one decoding.
 */
import type { SignalEvent, SyscallEvent, TraceEvent } from '../parse/types.js';
import type { Fact } from './types.js';
import { CREATING_SYSCALLS, creationFact } from './clone.js';
import { execFact } from './exec.js';
import { waitFact } from './wait.js';
import { SIGNAL_SENDING_SYSCALLS, deliveryFact, sentFact } from './signal.js';
import { endFact, exitCallFact } from './exit.js';
import { limitFact } from './limit.js';
import { FD_SYSCALLS, fdFact } from './fd.js';

type Decoder = (event: SyscallEvent) => Fact | undefined;

/** Syscall name -> decoder. A Map: names come from the log (and must not reach Object.prototype). */
const DECODERS: ReadonlyMap<string, Decoder> = new Map<string, Decoder>([
  ...[...CREATING_SYSCALLS].map((name): [string, Decoder] => [name, creationFact]),
  ['execve', execFact],
  ['execveat', execFact],
  ['wait4', waitFact],
  ['waitpid', waitFact],
  ['waitid', waitFact],
  ...[...SIGNAL_SENDING_SYSCALLS].map((name): [string, Decoder] => [name, sentFact]),
  ['exit', exitCallFact],
  ['exit_group', exitCallFact],
  ['prlimit64', limitFact],
  ['setrlimit', limitFact],
  ['getrlimit', limitFact],
  ['ugetrlimit', limitFact],
  ...[...FD_SYSCALLS].map((name): [string, Decoder] => [name, fdFact]),
]);

/** The syscall names that state a fact. */
export const FACT_SYSCALLS: ReadonlySet<string> = new Set(DECODERS.keys());

/**
 * The facts of the last events asked about: the model and then the explainer (or doctor) read the
 * same event one after the other. A small ring, not a WeakMap: a WeakMap entry per event made the
 * garbage collector's work grow with the log (explain on a process-heavy log was 5-8% slower).
 */
const RING = 16;
const ringEvents: Array<object | undefined> = new Array(RING);
const ringFacts: Array<Fact | undefined> = new Array(RING);
let ringNext = 0;

/**
 * The fact an event states: a task creation, an exec, a wait, a signal delivered or sent, an exit, a
 * limit, a descriptor change; undefined for every other event. Records are shared: do not modify them.
 *
 * ```ts
 * for (const event of parseText(log)) {
 *   const fact = factOf(event);
 *   if (fact?.fact === 'create' && fact.kind === 'namespaces') console.log(fact.namespaces);
 * }
 * ```
 */
export function factOf(event: TraceEvent): Fact | undefined {
  let decode: ((e: never) => Fact | undefined) | undefined;
  switch (event.kind) {
    case 'syscall':
      decode = DECODERS.get(event.name);
      if (decode === undefined) return undefined;
      break;
    case 'signal':
      decode = deliveryFact as (e: SignalEvent) => Fact;
      break;
    case 'exit':
    case 'killed':
      decode = endFact;
      break;
    default:
      return undefined;
  }
  for (let i = 0; i < RING; i++) if (ringEvents[i] === event) return ringFacts[i];
  const fact = (decode as (e: TraceEvent) => Fact | undefined)(event);
  ringEvents[ringNext] = event;
  ringFacts[ringNext] = fact;
  ringNext = (ringNext + 1) % RING;
  return fact;
}

/** Each event with the fact it states (events stating none are skipped). */
export function* factsOf(events: Iterable<TraceEvent>): Generator<{ event: TraceEvent; fact: Fact }> {
  for (const event of events) {
    const fact = factOf(event);
    if (fact !== undefined) yield { event, fact };
  }
}
