/** The rule table: every doctor rule, in the order the findings of equal severity are listed. */
import type { RuleDefinition } from '../rule.js';
import type { RuleId } from '../types.js';
import { neverReaped, orphanedChildren } from './reaping.js';
import { forkInThreadedProcess } from './fork.js';
import { fdLeakedAcrossExec } from './fd-leak.js';
import { killedBySigpipe } from './sigpipe.js';
import { rlimitNprocHit } from './nproc.js';
import { stackOverflow, threadNeverJoined } from './stack.js';
import { sigkillNoSender, sigtermIgnored } from './termination.js';
import { eintrNotRetried } from './eintr.js';
import { signalLostBlocked } from './blocked.js';
import { sigchldIgnoredWait } from './sigchld.js';
import { execFailed } from './exec.js';
import { slowCall } from './slow.js';

export const RULES: readonly RuleDefinition[] = [
  neverReaped,
  orphanedChildren,
  forkInThreadedProcess,
  fdLeakedAcrossExec,
  killedBySigpipe,
  rlimitNprocHit,
  stackOverflow,
  sigtermIgnored,
  eintrNotRetried,
  signalLostBlocked,
  sigchldIgnoredWait,
  execFailed,
  slowCall,
  sigkillNoSender,
  threadNeverJoined,
];

/** Every rule id, in table order. */
export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

export function ruleById(id: string): RuleDefinition | undefined {
  return RULES.find((r) => r.id === id);
}
