/**
 * The labs, as data: what each one teaches, its C programs (under labs/<id>/), how they run, and the
 * analysis that computes what to notice from their traces. Only fully built labs are listed here.
 */
import { analyseThreadVsProcess } from './analyses/thread-vs-process.js';
import type { LabDefinition } from './types.js';

export const LABS: readonly LabDefinition[] = [
  {
    id: 'thread-vs-process',
    title: 'Thread vs process: pthread_create + join vs fork + waitpid',
    teaches:
      'A thread and a process are both made by clone; the flags decide what is shared. The lab traces one program that creates and joins a thread ' +
      'and one that forks and waits for a child, then compares what the kernel was asked to do.',
    programs: [
      { name: 'thread', source: 'thread.c', does: 'creates one thread with pthread_create and joins it' },
      { name: 'fork', source: 'fork.c', does: 'forks one child and waits for it with waitpid' },
    ],
    notice: [
      'clone3 with CLONE_VM|CLONE_THREAD|... vs clone with SIGCHLD, flags decoded',
      'TGID vs TID: the thread keeps its creator\'s TGID, the child gets its own',
      'the thread stack: 8 MiB + 4 KiB PROT_NONE, opened by mprotect above a guard page',
      'every signal blocked around clone3, none around fork',
      'exit + futex wake (pthread_join) vs exit_group + SIGCHLD + wait4',
    ],
    analyse: analyseThreadVsProcess,
  },
];

export function findLab(id: string): LabDefinition | undefined {
  return LABS.find((lab) => lab.id === id);
}
