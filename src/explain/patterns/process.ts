/**
 * Process idioms: fork (or vfork/posix_spawn) + exec + wait + SIGCHLD; execvp's PATH search; the
 * daemon(3) dance (fork, setsid, chdir("/"), stdio to /dev/null).
 */
import { baseName } from '../format.js';
import type { ExplainContext } from '../context.js';
import type { ExplainedEvent } from '../types.js';
import { PerThreadRecognizer, type Candidate, type PatternApi, type Recognizer } from './engine.js';
import { argInt, argText, creationOf, isCreation, ok, retInt, syscallOf, tidOf } from './util.js';
import { factOf } from '../../facts/index.js';

const MAX_CHILDREN = 4096;
const NO_EXEC_LIMIT = 32;

/** Parent creates a child process; the child execs (or not); the parent waits and gets SIGCHLD. */
export class ForkExecRecognizer implements Recognizer {
  readonly id = 'fork-exec';
  readonly triggers = new Set(['clone', 'clone3', 'fork', 'vfork', 'wait4', 'waitpid', 'waitid', 'signal']);
  private readonly byChild = new Map<number, Candidate>();

  busy(): boolean {
    return this.byChild.size > 0;
  }

  feed(item: ExplainedEvent, api: PatternApi, ctx: ExplainContext): void {
    const tid = tidOf(item);
    const e = item.event;
    if (e.kind === 'syscall' && isCreation(e)) {
      const creation = creationOf(e);
      const child = retInt(e);
      if (creation === undefined || creation.kind === 'thread' || child === undefined || child <= 0n) return;
      // CLONE_VFORK suspends the parent until the child's execve, whatever else the call does.
      const spawn = creation.flags.includes('CLONE_VFORK');
      const cand = api.open(spawn ? 'spawn' : 'fork-exec', tid, item, spawn ? 'vfork-style creation (parent suspended)' : 'fork');
      Object.assign(cand.data, { child: Number(child), parent: item.tgid ?? tid, calls: 0 });
      this.byChild.set(Number(child), cand);
      if (this.byChild.size > MAX_CHILDREN) {
        const [k, old] = this.byChild.entries().next().value as [number, Candidate];
        this.byChild.delete(k);
        api.close(old);
      }
      // A vfork-style parent resumes only after the child's execve: that exec is already in the graph.
      const exec = ctx.graph.taskByTid(Number(child))?.execs.find((x) => x.result === 'ok');
      if (exec) {
        cand.data.exec = exec.path ?? '?';
        this.update(cand, api);
      }
      return;
    }
    const own = this.byChild.get(item.tgid ?? tid);
    if (own && own.data.child === (item.tgid ?? tid)) this.childEvent(own, item, api);
    if (e.kind === 'syscall' && (e.name === 'wait4' || e.name === 'waitpid' || e.name === 'waitid')) {
      const wait = factOf(e);
      const reaped = wait?.fact === 'wait' ? wait.child : undefined;
      const cand = reaped === undefined ? undefined : this.byChild.get(reaped);
      if (cand) {
        cand.data.waited = true;
        api.step(cand, item, 'parent collects it (wait)');
        this.update(cand, api);
      }
    }
    if (e.kind === 'signal' && e.signal === 'SIGCHLD') {
      const delivery = factOf(e);
      const pid = delivery?.fact === 'signal' ? delivery.sender : undefined;
      const cand = pid === undefined ? undefined : this.byChild.get(pid);
      if (cand && cand.data.parent === (item.tgid ?? tid)) {
        cand.data.sigchld = true;
        api.step(cand, item, 'SIGCHLD to the parent');
        this.update(cand, api);
      }
    }
  }

  private childEvent(cand: Candidate, item: ExplainedEvent, api: PatternApi): void {
    const e = item.event;
    if (e.kind === 'syscall' && (e.name === 'execve' || e.name === 'execveat')) {
      if (ok(e)) {
        cand.data.exec = argText(e, e.name === 'execveat' ? 1 : 0).replace(/^"|"$/g, '');
        api.step(cand, item, 'child execs a new program');
        this.update(cand, api);
      } else {
        cand.data.execFailed = `${e.ret?.errno ?? 'an error'}`;
        api.step(cand, item, 'exec attempt fails');
      }
      return;
    }
    if (e.kind === 'exit' || e.kind === 'killed') {
      cand.data.ended = e.kind === 'exit' ? `exits with status ${e.code}` : `is killed by ${e.signal}`;
      api.step(cand, item, 'child ends');
      this.update(cand, api);
      return;
    }
    if (e.kind === 'syscall' && !cand.match && ++(cand.data.calls as number) > NO_EXEC_LIMIT) this.update(cand, api);
  }

  private update(cand: Candidate, api: PatternApi): void {
    const d = cand.data;
    const prog = d.exec ? baseName(d.exec as string) : undefined;
    const spawn = cand.id === 'spawn';
    const title = spawn ? `vfork/posix_spawn${prog ? ` of ${prog}` : ''}: process ${d.child}` : prog ? `fork + exec${d.waited ? ' + wait' : ''}: ${prog} (process ${d.child})` : `fork${d.execFailed ? ' + failed exec' : ''}${d.waited ? ' + wait' : ''}: process ${d.child}${d.execFailed ? '' : ' (no exec)'}`;
    const parts = [spawn ? `${d.parent} creates ${d.child}, which borrows its memory while the parent is suspended` : `${d.parent} forks ${d.child} (a copy-on-write copy of itself)`];
    if (prog) parts.push(`the child replaces its program with ${d.exec}${spawn ? ', which lets the parent continue' : ''}`);
    else if (d.execFailed) parts.push(`the child's exec fails (${d.execFailed}), so it still runs the parent's program`);
    else parts.push('the child keeps running the same program');
    if (d.ended) parts.push(`the child ${d.ended}`);
    if (d.sigchld) parts.push('the kernel sends SIGCHLD to the parent');
    if (d.waited) parts.push('the parent collects the exit status with wait, so no zombie remains');
    else if (!d.ended) parts.push('the parent learns of its end by SIGCHLD and collects it with wait');
    api.confirm(cand, title, parts.join('; '));
    if (d.waited && d.sigchld) {
      api.close(cand);
      this.byChild.delete(d.child as number);
    }
  }

  end(api: PatternApi): void {
    for (const c of this.byChild.values()) {
      if (!c.match && (c.data.exec || c.data.ended)) this.update(c, api);
      api.close(c);
    }
    this.byChild.clear();
  }
}

/**
 * execvp/execlp try each PATH directory: failed execve calls followed by another execve of the same
 * thread are misses, normal as long as a later attempt succeeds. Marks those misses benign.
 */
export class ExecSearchRecognizer extends PerThreadRecognizer {
  readonly id = 'exec-search';
  readonly triggers = new Set(['execve', 'execveat']);

  feed(item: ExplainedEvent, api: PatternApi): void {
    const tid = tidOf(item);
    const e = syscallOf(item);
    if (!e) return;
    const cand = this.running.get(tid);
    const isExec = e.name === 'execve' || e.name === 'execveat';
    if (isExec && cand) {
      for (const s of cand.steps) {
        const x = s.item?.explanation;
        if (x?.failure) {
          delete x.failure;
          x.benign = 'execvp tries each directory of PATH in turn: a miss is normal because another attempt follows';
        }
      }
      api.step(cand, item, ok(e) ? 'found: exec succeeds' : 'next candidate');
      if (ok(e)) return this.finish(cand, api, true);
      return;
    }
    if (isExec && !ok(e) && (e.ret?.errno === 'ENOENT' || e.ret?.errno === 'EACCES' || e.ret?.errno === 'ENOTDIR')) {
      this.running.set(tid, api.open(this.id, tid, item, 'candidate path'));
      return;
    }
    if (cand) this.finish(cand, api, false);
  }

  private finish(cand: Candidate, api: PatternApi, found: boolean): void {
    this.running.delete(cand.tid ?? 0);
    if (cand.steps.length >= 2) {
      const paths = cand.steps.map((s) => (s.item ? argText(s.item.event as never, 0) : '')).map((p) => p.replace(/^"|"$/g, ''));
      const name = baseName(paths[paths.length - 1]);
      api.confirm(cand, `PATH search for ${name} (execvp)`, `${cand.steps.length} execve attempts along PATH (${paths.map((p) => p.replace(/\/[^/]*$/, '') || '/').join(', ')}); ${found ? 'the last one runs the program; the misses before it are normal' : 'none succeeded: the program was not found'}`);
    }
    api.close(cand);
  }

  end(api: PatternApi): void {
    for (const c of [...this.running.values()]) this.finish(c, api, false);
  }
}

/** Birth kinds that are a fork seen in the log (the child of a fork, vfork, posix_spawn or clone). */
const FORKED: ReadonlySet<string> = new Set(['fork', 'vfork', 'spawn', 'clone', 'namespaces']);

/** daemon(3) and friends: a forked child calls setsid, maybe forks again, chdir("/"), stdio to /dev/null. */
export class DaemonRecognizer implements Recognizer {
  readonly id = 'daemonize';
  readonly triggers = new Set(['setsid']);
  private readonly running: Candidate[] = [];

  busy(): boolean {
    return this.running.length > 0;
  }

  feed(item: ExplainedEvent, api: PatternApi, ctx: ExplainContext): void {
    const tid = tidOf(item);
    const tgid = item.tgid ?? tid;
    const e = item.event;
    if (e.kind === 'syscall' && e.name === 'setsid' && ok(e)) {
      const task = ctx.graph.taskByTid(tid);
      const cand = api.open(this.id, tid, item, 'setsid: new session, no terminal');
      // Only a child forked in this log counts as a fork: a root or attached process calling setsid
      // (started by `setsid`, by a shell, or traced without -f) was forked where the log cannot see.
      const forked = task !== undefined && FORKED.has(task.birth.kind);
      Object.assign(cand.data, { follow: new Set([tgid]), others: 0, dups: 0, forked, forkLine: forked ? task?.birth.at?.line : undefined, leader: tgid });
      this.running.push(cand);
      return;
    }
    for (const cand of [...this.running]) {
      const follow = cand.data.follow as Set<number>;
      if (!follow.has(tgid)) continue;
      if (e.kind !== 'syscall') {
        if ((e.kind === 'exit' || e.kind === 'killed') && tgid === cand.data.leader && cand.data.secondFork) api.step(cand, item, 'session leader exits');
        continue;
      }
      if (isCreation(e) && creationOf(e)?.kind !== 'thread' && retInt(e) !== undefined) {
        follow.add(Number(retInt(e)));
        cand.data.secondFork = true;
        api.step(cand, item, 'second fork: the daemon can never reacquire a terminal');
      } else if (e.name === 'chdir' && argText(e, 0) === '"/"') {
        cand.data.chdir = true;
        api.step(cand, item, 'chdir("/")');
      } else if (e.name === 'umask') {
        api.step(cand, item, 'umask');
      } else if ((e.name === 'openat' || e.name === 'open') && /\/dev\/null/.test(argText(e, e.name === 'openat' ? 1 : 0))) {
        api.step(cand, item, 'open /dev/null');
      } else if ((e.name === 'dup2' || e.name === 'dup3') && (argInt(e, 1) ?? 99n) <= 2n) {
        cand.data.dups = (cand.data.dups as number) + 1;
        api.step(cand, item, `fd ${argInt(e, 1)} → /dev/null`);
      } else if (e.name === 'close' && cand.data.dups) {
        api.step(cand, item, 'close the spare descriptor');
      } else if (e.name === 'exit_group' && tgid === cand.data.leader && cand.data.secondFork) {
        api.step(cand, item, 'session leader exits');
      } else if (++(cand.data.others as number) > 20) {
        this.finish(cand, api);
        continue;
      }
      if ((cand.data.dups as number) >= 3) this.finish(cand, api);
    }
  }

  private finish(cand: Candidate, api: PatternApi): void {
    this.running.splice(this.running.indexOf(cand), 1);
    const d = cand.data;
    // Daemonisation needs a fork we can see: the setsid caller forked in this log, or a second fork.
    if ((d.forked || d.secondFork) && (d.chdir || (d.dups as number) > 0)) {
      const parts = [d.forked ? 'a forked child starts a new session with setsid (it leaves the terminal and its process group)' : 'the process starts a new session with setsid (it leaves the terminal and its process group)'];
      if (d.secondFork) parts.push('forks again so the daemon is not a session leader and can never get a terminal back');
      if (d.chdir) parts.push('moves to / so it keeps no file system busy');
      if (d.dups) parts.push(`points ${d.dups} of stdin/stdout/stderr at /dev/null`);
      api.confirm(cand, 'daemonisation', parts.join('; '), typeof d.forkLine === 'number' ? [d.forkLine] : []);
    }
    api.close(cand);
  }

  end(api: PatternApi): void {
    for (const c of [...this.running]) this.finish(c, api);
  }
}
