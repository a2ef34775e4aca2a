/**
 * Facts: each lifecycle event decoded once, with the kb tables, into a typed record (task creation,
 * exec, wait, signal delivered or sent, exit, limit, descriptor). Everything above the parser reads
 * these records instead of strace's text.
 */
export type * from './types.js';
export { factOf, factsOf, FACT_SYSCALLS } from './decode.js';
export { classifyClone, decodeCloneFlags, creationFact, CREATING_SYSCALLS } from './clone.js';
export { execFact } from './exec.js';
export { waitFact, waitStatusOf } from './wait.js';
export { deliveryFact, sentFact, SIGNAL_SENDING_SYSCALLS } from './signal.js';
export { exitCallFact, endFact, NO_RETURN } from './exit.js';
export { limitFact, limitValue } from './limit.js';
export { fdFact, FD_SYSCALLS } from './fd.js';
export { siginfoFields, childStatusOf, isFinal, type SiginfoFields } from './siginfo.js';
export { MAX_PID, detached, bytesToText, argOf, returnedInt } from './event.js';
