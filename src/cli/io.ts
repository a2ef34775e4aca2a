/**
 * What one run of the CLI reads and writes: its streams, its environment and where signals come
 * from. `main(argv, io)` takes them instead of reaching for `process`, so a test (or a program that
 * embeds tasklens) runs a verb in-process with its own streams; the `tasklens` binary passes the
 * process's own (processIO).
 */
import { colorEnabled, palette, type Palette } from '../render/color.js';
import { terminalWidth } from '../render/text.js';

/** An output stream; a terminal has isTTY and columns, a file or pipe of the process has fd. */
export type CliOutput = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; fd?: number };

/** The input stream (logs on stdin); a terminal has isTTY. */
export type CliInput = NodeJS.ReadableStream & { isTTY?: boolean };

/** Where SIGINT, SIGTERM and SIGHUP reach a verb that must react to them (trace). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface CliIO {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: CliInput;
  env: NodeJS.ProcessEnv;
  /** Default: the process's signals. */
  signals?: SignalSource;
  /**
   * Ends the run at once with this code when a reader goes away (EPIPE) or an output fails. The
   * binary exits the process; default: the same.
   */
  exit?: (code: number) => never;
}

/** The process's own streams, environment and signals: what the `tasklens` binary runs with. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, signals: process, exit: (code) => process.exit(code) };
}

/** One run of the CLI: its io and the exit code its verb sets. */
export class CliRun {
  /** What `main` returns; a verb sets it (undefined: 0). */
  exitCode: number | undefined;

  constructor(readonly io: CliIO) {}

  get stdout(): CliOutput {
    return this.io.stdout;
  }

  get stderr(): CliOutput {
    return this.io.stderr;
  }

  get env(): NodeJS.ProcessEnv {
    return this.io.env;
  }

  get signals(): SignalSource {
    return this.io.signals ?? process;
  }

  /** Colour on `stream` (default stdout): a terminal, and NO_COLOR unset in this run's environment. */
  colorOn(stream: CliOutput = this.io.stdout): boolean {
    return colorEnabled(stream, this.io.env);
  }

  /** The palette for `stream` (default stdout); plain when `enabled` is false. */
  palette(enabled: boolean = this.colorOn()): Palette {
    return palette(enabled);
  }

  /** The width to cut lines to on `stream` (default stdout): its columns on a terminal, else none. */
  width(stream: CliOutput = this.io.stdout): number | undefined {
    return terminalWidth(stream);
  }

  /** Ends the run now with `code` (see CliIO.exit). */
  exit(code: number): never {
    return (this.io.exit ?? ((c: number) => process.exit(c)))(code);
  }
}
