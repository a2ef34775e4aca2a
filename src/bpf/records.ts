/**
 * The lines the generated bpftrace program prints (script.ts), parsed into typed records. A line is
 * `TAG ns tid tgid fields... [string]`, tab-separated, the one string always last (it may contain tabs;
 * a string with a newline continues on the next physical line, which the reader joins back).
 */

/** Fields of a record by tag, after `ns tid tgid`; `s` marks the trailing string. */
const SHAPES: Record<string, { names: readonly string[]; string?: string; machine?: readonly string[]; machineString?: string }> = {
  B: { names: [] },
  F: { names: ['child', 'creator', 'flags', 'exitSignal', 'size'], machine: ['uid', 'cgroup', 'ppid'], machineString: 'comm' },
  E: { names: ['envp'], machine: ['uid', 'cgroup', 'ppid'], string: 'path' },
  a: { names: ['index'], string: 'arg' },
  m: { names: [] },
  V: { names: ['length'], string: 'args' },
  e: { names: ['ret'] },
  x: { names: ['oldTid'] },
  G: { names: ['nr', 'code'] },
  X: { names: ['status', 'groupDead'], machine: ['uid', 'cgroup', 'ppid'], machineString: 'comm' },
  K: { names: ['nr', 'a0', 'a1', 'a2'] },
  k: { names: ['ret'] },
  W: { names: ['upid', 'options', 'hasStatus'] },
  w: { names: ['ret', 'status'] },
  I: { names: ['which', 'upid', 'options', 'hasInfo'] },
  i: { names: ['ret', 'signo', 'code', 'pid', 'uid', 'status'] },
  S: { names: ['target', 'sig', 'code', 'group', 'result', 'uid'], machine: ['cgroup', 'ppid'], machineString: 'comm' },
  D: { names: ['sig', 'code'], machine: ['uid', 'cgroup', 'ppid'], machineString: 'comm' },
};

/** One event the kernel reported. Numbers stay JS numbers only where they are pids, codes or flags below 2^53. */
export interface BpfRecord {
  tag: string;
  /** CLOCK_MONOTONIC nanoseconds (bpf_ktime_get_ns), as bigint. */
  ns: bigint;
  tid: number;
  tgid: number;
  /** Numeric fields by name, as text (flags and addresses can exceed 2^53: read them with BigInt). */
  fields: Record<string, string>;
  /** The trailing string (path, argv entry, comm), as latin1 bytes. */
  text?: string;
  /** Arrival order, to keep records with equal timestamps in order. */
  seq: number;
}

export type BpfLine =
  | { kind: 'record'; record: BpfRecord }
  | { kind: 'ready'; ns: bigint }
  | { kind: 'lost'; count: number }
  | { kind: 'other'; text: string };

const TAG_LINE = /^([A-Za-z])\t(\d+)\t/;

/** Parses bpftrace's stdout line by line; `machine` when the script was generated for the machine scope. */
export class RecordReader {
  private seq = 0;
  private last: BpfRecord | undefined;
  constructor(private readonly machine: boolean) {}

  /** One physical line; a line that continues the previous record's string is folded into it (returns undefined). */
  push(line: string): BpfLine | undefined {
    if (line.startsWith('R\t')) return { kind: 'ready', ns: BigInt(line.slice(2).trim() || '0') };
    const lost = /^Lost (\d+) events$/.exec(line.trim());
    if (lost) return { kind: 'lost', count: Number(lost[1]) };
    const m = TAG_LINE.exec(line);
    const shape = m ? SHAPES[m[1]] : undefined;
    if (!m || !shape) {
      // A newline inside the previous record's string.
      if (this.last && this.last.text !== undefined && line !== '') {
        this.last.text += `\n${line}`;
        return undefined;
      }
      return line.trim() === '' ? undefined : { kind: 'other', text: line };
    }
    const names = [...shape.names, ...(this.machine && shape.machine ? shape.machine : [])];
    const hasString = shape.string !== undefined || (this.machine && shape.machineString !== undefined);
    const parts = line.split('\t');
    const fixed = 4 + names.length;
    if (parts.length < fixed + (hasString ? 1 : 0)) return { kind: 'other', text: line };
    const fields: Record<string, string> = {};
    names.forEach((name, i) => { fields[name] = parts[4 + i]; });
    const record: BpfRecord = { tag: m[1], ns: BigInt(parts[1]), tid: Number(parts[2]), tgid: Number(parts[3]), fields, seq: this.seq++ };
    if (hasString) record.text = parts.slice(fixed).join('\t');
    this.last = record;
    return { kind: 'record', record };
  }
}

/** Orders records by kernel time; per-CPU buffers reach bpftrace out of order. Stable for equal times. */
export function byTime(a: BpfRecord, b: BpfRecord): number {
  return a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.seq - b.seq;
}

/** bpftrace's own noise on stderr that is never a problem (it runs without raising RLIMIT_MEMLOCK). */
export function isHarmlessStderr(line: string): boolean {
  return /couldn't set RLIMIT_MEMLOCK/.test(line) || /^Attaching \d+ probes?\.\.\.$/.test(line.trim());
}
