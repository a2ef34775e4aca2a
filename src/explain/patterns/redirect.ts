/**
 * Redirection: a pipe whose ends become stdin/stdout of two processes (pipe + fork + dup2 + exec, what a
 * shell does for `a | b`), and a file opened and dup2'ed onto stdin/stdout/stderr (`> file`).
 */
import type { ExplainContext } from '../context.js';
import type { ExplainedEvent } from '../types.js';
import type { Candidate, PatternApi, Recognizer } from './engine.js';
import { argInt, ok, syscallOf, tidOf } from './util.js';

const STD = ['stdin', 'stdout', 'stderr'];
const MAX_PIPES = 1024;

export class RedirectRecognizer implements Recognizer {
  readonly id = 'pipe-redirect';
  /** dup2/dup3 start one; a close and the exec that follows are its only other steps. */
  readonly triggers = new Set(['dup2', 'dup3', 'close', 'execve', 'execveat']);
  private readonly pipes = new Map<number, Candidate>();
  /** Per process, the pipes it took as stdin or stdout and has not exec'd with yet (oldest first). */
  private readonly byProcess = new Map<number, Candidate[]>();
  private made = 0;
  private readonly files = new Map<number, Candidate>();

  feed(item: ExplainedEvent, api: PatternApi, ctx: ExplainContext): void {
    const tid = tidOf(item);
    const e = syscallOf(item);
    if (!e || !ok(e)) return;
    const tgid = item.tgid ?? tid;
    if (e.name === 'dup2' || e.name === 'dup3') {
      const oldFd = argInt(e, 0);
      const newFd = argInt(e, 1);
      if (oldFd === undefined || newFd === undefined || newFd > 2n || oldFd === newFd) return;
      const info = ctx.process(tid).fds.get(Number(oldFd));
      const std = STD[Number(newFd)];
      if (info?.pipeLine !== undefined) {
        let cand = this.pipes.get(info.pipeLine);
        const role = `${std} of ${tgid} ${newFd === 0n ? 'reads from' : 'writes into'} the pipe`;
        if (!cand) {
          cand = api.open(this.id, tid, item, role);
          Object.assign(cand.data, { pipeLine: info.pipeLine, writers: [] as number[], readers: [] as number[], order: this.made++ });
          this.pipes.set(info.pipeLine, cand);
          if (this.pipes.size > MAX_PIPES) this.drop(this.pipes.keys().next().value as number, api);
        } else api.step(cand, item, role);
        (cand.data[newFd === 0n ? 'readers' : 'writers'] as number[]).push(tgid);
        this.joined(tgid, cand);
        if ((cand.data.readers as number[]).length > 0 && (cand.data.writers as number[]).length > 0) this.confirmPipe(cand, api, true);
        return;
      }
      if (info && (info.kind === 'file' || info.kind === 'library')) {
        const cand = api.open('file-redirect', tid, item, `${std} → ${info.what}`);
        api.confirm(cand, `redirection: ${std} → ${info.what}`, `${tgid === 0 ? 'the traced process' : `process ${tgid}`} opens ${info.what} (line ${info.line}) and makes it its ${std} with ${e.name}, the way a shell does \`${newFd === 0n ? '<' : newFd === 2n ? '2>' : '>'} ${info.what}\` before exec`, [info.line]);
        Object.assign(cand.data, { oldFd: Number(oldFd) });
        const prev = this.files.get(tid);
        if (prev) api.close(prev);
        this.files.set(tid, cand);
      }
      return;
    }
    const file = this.files.get(tid);
    if (file && e.name === 'close' && argInt(e, 0) === BigInt(file.data.oldFd as number)) api.step(file, item, 'spare descriptor closed');
    if (e.name === 'execve' || e.name === 'execveat') {
      if (file) {
        api.step(file, item, 'exec: the new program inherits the redirection');
        api.close(file);
        this.files.delete(tid);
      }
      const mine = this.byProcess.get(tgid) ?? [];
      this.byProcess.delete(tgid); // each pipe notes a process's first exec only
      for (const cand of mine) {
        const d = cand.data;
        if (this.pipes.get(d.pipeLine as number) !== cand) continue; // dropped meanwhile
        if (!(d.execed as Set<number> | undefined)?.has(tgid)) {
          ((d.execed ??= new Set<number>()) as Set<number>).add(tgid);
          api.step(cand, item, `${tgid} execs with the pipe as its ${(d.readers as number[]).includes(tgid) ? 'stdin' : 'stdout'}`);
          if (!cand.match) this.confirmPipe(cand, api, false);
        }
      }
    }
  }

  private confirmPipe(cand: Candidate, api: PatternApi, both: boolean): void {
    const d = cand.data;
    const w = (d.writers as number[]).join(', ');
    const r = (d.readers as number[]).join(', ');
    const summary = both
      ? `the pipe made on line ${d.pipeLine} connects the output of ${w} to the input of ${r}: each child dup2's its end onto stdout or stdin, then closes the pipe's original descriptors so end-of-file works`
      : `the pipe made on line ${d.pipeLine} becomes ${w ? `the stdout of ${w}` : `the stdin of ${r}`} through dup2`;
    api.confirm(cand, both ? `pipe + dup2: ${w} | ${r}` : 'pipe + dup2 redirection', summary, [d.pipeLine as number]);
    if (both) {
      // Keep it open to name the execs that follow; they only add lines.
    }
  }

  private joined(tgid: number, cand: Candidate): void {
    const list = this.byProcess.get(tgid);
    if (!list) this.byProcess.set(tgid, [cand]);
    else if (!list.includes(cand)) {
      list.push(cand);
      // Oldest pipe first, as they were made (the order their exec steps are named in).
      list.sort((a, b) => (a.data.order as number) - (b.data.order as number));
    }
    if (this.byProcess.size > 2 * MAX_PIPES) this.byProcess.delete(this.byProcess.keys().next().value as number);
  }

  private drop(key: number, api: PatternApi): void {
    const c = this.pipes.get(key);
    if (c) api.close(c);
    this.pipes.delete(key);
  }

  end(api: PatternApi): void {
    for (const c of this.pipes.values()) {
      if (!c.match) this.confirmPipe(c, api, false);
      api.close(c);
    }
    for (const c of this.files.values()) api.close(c);
    this.pipes.clear();
    this.files.clear();
    this.byProcess.clear();
  }
}
