/**
 * Task state letters as /proc shows them (stat field 3, status `State:`), with a short word for
 * tables and one line of meaning (proc(5), fs/proc/array.c task_state_array).
 */
export interface TaskStateInfo {
  readonly letter: string;
  /** Short word for aligned tables. */
  readonly word: string;
  readonly meaning: string;
}

const ROWS: ReadonlyArray<[string, string, string]> = [
  ['R', 'running', 'on a CPU or waiting in a run queue for one'],
  ['S', 'sleeping', 'interruptible sleep: waiting for an event (I/O, a lock, a timer, a signal)'],
  ['D', 'disk', 'uninterruptible sleep, usually inside I/O; signals wait until it returns'],
  ['T', 'stopped', 'stopped by a job-control signal (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU)'],
  ['t', 'traced', 'stopped by a tracer (ptrace stop)'],
  ['Z', 'zombie', 'exited, waiting for its parent to collect the exit status with wait()'],
  ['X', 'dead', 'being removed; should never be seen'],
  ['x', 'dead', 'being removed (old kernels)'],
  ['K', 'wakekill', 'woken to be killed (old kernels)'],
  ['W', 'waking', 'waking up (old kernels) or paging'],
  ['P', 'parked', 'a parked kernel thread (CPU hotplug)'],
  ['I', 'idle', 'an idle kernel thread'],
];

export const TASK_STATES: ReadonlyMap<string, TaskStateInfo> = new Map(
  ROWS.map(([letter, word, meaning]) => [letter, { letter, word, meaning }]),
);

export function taskStateInfo(letter: string): TaskStateInfo {
  return TASK_STATES.get(letter) ?? { letter, word: letter, meaning: 'state letter unknown to tasklens' };
}
