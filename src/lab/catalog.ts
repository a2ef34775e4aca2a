/**
 * The labs, as data: what each one teaches, its C programs (under labs/<id>/), how they run, and the
 * analysis that computes what to notice from their traces. Only fully built labs are listed here.
 */
import { analyseThreadVsProcess } from './analyses/thread-vs-process.js';
import { analyseFourChildren } from './analyses/four-children.js';
import { analyseZombies } from './analyses/zombies.js';
import { analyseSigtermFanout } from './analyses/sigterm-fanout.js';
import { analyseSignalfdEpoll } from './analyses/signalfd-epoll.js';
import { analyseRlimits } from './analyses/rlimits.js';
import { analyseEchoServer } from './analyses/echo-server.js';
import { analyseGracefulShutdown } from './analyses/graceful-shutdown.js';
import type { LabDefinition } from './types.js';

/** A perf lab has no strace runs to analyse: its points come from runSchedLatencyLab. */
const noStraceAnalysis = (): [] => [];

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
  {
    id: 'four-children',
    title: 'Four children: fork four, reap them in the order they end',
    teaches:
      'A parent forks four children that end in the reverse order of their birth and collects them with wait(), which returns whichever child ' +
      'ended first. Exit codes tell the children apart; SIGCHLD is only a doorbell.',
    programs: [{ name: 'four', source: 'four.c', does: 'forks four children (exit codes 11-14) and reaps them with wait()' }],
    notice: [
      'four clone calls, four new thread groups',
      'birth order vs exit order',
      'wait4(-1) returns the children in exit order, each with its exit code in the status',
      'how many SIGCHLD arrived for four children',
    ],
    tree: true,
    analyse: analyseFourChildren,
  },
  {
    id: 'zombies',
    title: 'Zombies: children that ended while their parent slept',
    teaches:
      'Two children exit at once; the parent sleeps without waiting. The lab looks at them in /proc during the sleep (state Z). The parent ' +
      'reaps one late and never reaps the other, which stays a zombie until the parent exits and init adopts it.',
    programs: [
      {
        name: 'zombies',
        source: 'zombies.c',
        does: 'forks two children that exit at once, sleeps 300 ms, reaps only the first',
        interact: { pattern: /^zombie window pid=(\d+)/, action: 'observe-state', delayMs: 200 },
      },
    ],
    notice: [
      "the zombie window of each child, from its exit to its reaping (or to the parent's exit)",
      'the state letter Z read from /proc during the window',
      'two exits, one SIGCHLD: standard signals do not queue',
      'the sleep interrupted and restarted under strace',
    ],
    tree: true,
    analyse: analyseZombies,
  },
  {
    id: 'sigterm-fanout',
    title: 'SIGTERM fan-out: graceful shutdown of a process family',
    teaches:
      'A parent with three workers gets SIGTERM from the lab. Its handler only sets a flag; the main loop forwards SIGTERM to each worker with ' +
      'kill() and waits for all of them before exiting 0.',
    programs: [
      {
        name: 'fanout',
        source: 'fanout.c',
        does: 'starts three workers, waits for SIGTERM in sigsuspend, forwards it, reaps every worker',
        interact: { pattern: /^ready pid=(\d+)/, action: 'sigterm', delayMs: 50 },
      },
    ],
    notice: [
      'SIGTERM blocked and awaited with sigsuspend: no lost-wakeup race',
      'who sent SIGTERM (si_pid) and which call it interrupted',
      'kill() to each worker, each delivery with the parent as sender',
      'every worker exits 0 and is reaped before the parent exits',
    ],
    tree: true,
    analyse: analyseSigtermFanout,
  },
  {
    id: 'signalfd-epoll',
    title: 'signalfd + epoll: signals as events in a server loop',
    teaches:
      'A single-threaded server blocks SIGTERM and SIGINT and reads them from a signalfd inside its epoll loop, next to a timerfd. ' +
      'The lab sends SIGTERM; the server reads it as data and shuts down cleanly.',
    programs: [
      {
        name: 'server',
        source: 'server.c',
        does: 'epoll loop over a signalfd and a 50 ms timerfd; exits 0 on SIGTERM',
        interact: { pattern: /^ready pid=(\d+)/, action: 'sigterm', delayMs: 180 },
      },
    ],
    notice: [
      'rt_sigprocmask(SIG_BLOCK) then signalfd4 on the same set',
      'epoll_wait wake-ups: timer ticks and one signal',
      'the siginfo read from the signalfd (sender pid included), and no asynchronous delivery at all',
      'closing every descriptor and exiting 0',
    ],
    analyse: analyseSignalfdEpoll,
  },
  {
    id: 'rlimits',
    title: 'Resource limits: RLIMIT_STACK sizes thread stacks, RLIMIT_NPROC stops fork',
    teaches:
      'A program lowers its soft RLIMIT_STACK to 1 MiB and re-execs itself; its new thread gets a 1 MiB stack plus a guard page, and a thread ' +
      'that recurses without end dies on that guard page. A child sets RLIMIT_NPROC to 4, drops root, and forks until the kernel refuses.',
    programs: [{ name: 'rlimits', source: 'rlimits.c', does: 'sets RLIMIT_STACK=1M and re-execs; a thread; a recursing thread in a child; a child forking under RLIMIT_NPROC=4 as UID 65534' }],
    notice: [
      'prlimit64(RLIMIT_STACK) then execve: the limit acts at start-up',
      "the thread stack mapping: 1 MiB + 4 KiB guard, and clone3's stack_size",
      'SIGSEGV with si_addr inside the guard page, the whole child killed',
      'fork returning EAGAIN once the UID has RLIMIT_NPROC tasks',
    ],
    tree: true,
    analyse: analyseRlimits,
  },
  {
    id: 'graceful-shutdown',
    title: 'Graceful shutdown under tasklens run: forwarding SIGTERM, a worker that ignores it, escalation',
    teaches:
      'A parent with three workers runs under `tasklens run --stop-timeout 400ms`, and one worker ignores SIGTERM. The lab sends SIGTERM to ' +
      'tasklens, which forwards it. Once the parent passes it on to its workers, once it exits without a word; the trace shows who stopped, ' +
      'who had to be SIGKILLed after the timeout, and who reaped whom.',
    programs: [
      {
        name: 'forward',
        source: 'shutdown.c',
        args: ['forward'],
        does: 'forwards SIGTERM to its three workers with kill() and waits for them',
        expectExit: 137,
        underRun: ['--stop-timeout', '400ms'],
        traceFilter: 'trace=%process,%signal,prctl',
        interact: { pattern: /^ready launcher=(\d+)/, action: 'sigterm', delayMs: 50 },
      },
      {
        name: 'no-forward',
        source: 'shutdown.c',
        args: ['noforward'],
        does: 'exits 0 on SIGTERM without telling its workers',
        underRun: ['--stop-timeout', '400ms'],
        traceFilter: 'trace=%process,%signal,prctl',
        interact: { pattern: /^ready launcher=(\d+)/, action: 'sigterm', delayMs: 50 },
      },
    ],
    notice: [
      'prctl(PR_SET_CHILD_SUBREAPER) in tasklens, then its forwarding kill(parent, SIGTERM)',
      'the parent\'s kill() to each worker, or none at all',
      'a SIGTERM delivered to a worker that set it to SIG_IGN, and nothing changes',
      'kill(pid, SIGKILL) from tasklens after the stop timeout, for each process left',
      'wait4 of orphans by tasklens, and its exit status: 137 vs 0',
    ],
    tree: true,
    analyse: analyseGracefulShutdown,
  },
  {
    id: 'echo-server',
    title: 'Echo server: signalfd + epoll over TCP on loopback, graceful shutdown on SIGTERM',
    teaches:
      'A TCP echo server on 127.0.0.1 keeps its listening socket, its clients and a signalfd in one epoll set. Three clients stream data; ' +
      'the lab sends SIGTERM mid-stream. The server stops accepting, echoes every remaining byte, closes each client on EOF and exits 0.',
    programs: [
      {
        name: 'echo',
        source: 'echo.c',
        does: 'forks three loopback clients (8 x 1000 bytes each, the second half only once the server has taken SIGTERM), serves them with epoll',
        interact: { pattern: /^ready pid=(\d+)/, action: 'sigterm', delayMs: 30 },
      },
    ],
    notice: [
      'the listening socket, the signalfd and each client in one epoll set',
      'SIGTERM read from the signalfd, then the listening socket closed',
      'bytes read vs written back per client, also after the signal',
      'the order the descriptors close, and exit 0',
    ],
    tree: true,
    analyse: analyseEchoServer,
  },
  {
    id: 'sched-latency',
    title: 'Scheduling latency: more runnable threads than CPUs, and a thread that wakes every millisecond',
    teaches:
      'Twice as many spinning threads as CPUs keep every run queue full; a waker thread sleeps 1 ms at a time. The lab records the scheduler ' +
      'tracepoints with perf while it runs and measures, per thread, how long each wait for a CPU lasted (wakeup or preemption to switch-in), ' +
      'the longest ones, and who held the CPU meanwhile. Needs perf and root (or CAP_PERFMON).',
    programs: [{ name: 'latency', source: 'latency.c', does: 'spin-N threads compute 1 ms and sleep 200 µs; "waker" sleeps 1 ms and wakes, for 1.5 s', args: ['1500'] }],
    notice: [
      "the waker's wakeup latency: waits, average and longest, with the perf script lines that begin and end it",
      'who ran on the CPU during its longest wait',
      'the spinners: waits after preemption (prev_state R) vs after sleeping',
      'per-CPU busy time over the recording',
    ],
    engine: 'perf',
    analyse: noStraceAnalysis,
  },
];

export function findLab(id: string): LabDefinition | undefined {
  return LABS.find((lab) => lab.id === id);
}
