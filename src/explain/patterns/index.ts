/** Every recognizer, in the order they see each event. */
import type { Recognizer } from './engine.js';
import { StartupRecognizer, TlsRecognizer } from './startup.js';
import { HeapRecognizer } from './heap.js';
import { ThreadCreateRecognizer } from './thread-create.js';
import { ThreadExitRecognizer } from './thread-exit.js';
import { ForkExecRecognizer, ExecSearchRecognizer, DaemonRecognizer } from './process.js';
import { SignalHandlerRecognizer } from './signals.js';
import { RedirectRecognizer } from './redirect.js';

/** A fresh set of recognizers (they keep per-log state). */
export function recognizers(): Recognizer[] {
  return [
    new StartupRecognizer(),
    new TlsRecognizer(),
    new HeapRecognizer(),
    new ThreadCreateRecognizer(),
    new ThreadExitRecognizer(),
    new ExecSearchRecognizer(),
    new ForkExecRecognizer(),
    new DaemonRecognizer(),
    new SignalHandlerRecognizer(),
    new RedirectRecognizer(),
  ];
}

/** A generic title per pattern id (match titles name the actual tasks and programs). */
export const PATTERN_TITLES: Readonly<Record<string, string>> = {
  'loader-startup': 'dynamic loader start-up',
  'static-startup': 'static start-up (no dynamic loader)',
  'tls-setup': 'TLS and thread-pointer set-up',
  'heap-growth': 'heap growth by brk',
  'thread-create': 'thread creation',
  'thread-exit': 'thread exit (and join)',
  'exec-search': 'PATH search (execvp)',
  'fork-exec': 'fork (+ exec, + wait, SIGCHLD)',
  spawn: 'vfork / posix_spawn',
  daemonize: 'daemonisation',
  'signal-delivery': 'signal handled by a handler',
  'pipe-redirect': 'pipe + dup2 redirection',
  'file-redirect': 'redirection to or from a file',
};

/** Ids of every pattern a recognizer can name (for --only and help texts). */
export const PATTERN_IDS: readonly string[] = [
  'loader-startup', 'static-startup', 'tls-setup', 'heap-growth', 'thread-create', 'thread-exit',
  'exec-search', 'fork-exec', 'spawn', 'daemonize', 'signal-delivery', 'pipe-redirect', 'file-redirect',
];

export { PatternEngine, MAX_HOLD, type Recognizer, type PatternApi, type Candidate } from './engine.js';
