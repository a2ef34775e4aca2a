/**
 * `tasklens snapshot` end to end: the text report, --json, and the errors a user meets (no such
 * process, another user's process without CAP_SYS_PTRACE, a process another tracer holds), each with
 * its exit code and a hint.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { compileWorkload, runCli, sleep, Workload, type Announced } from './support.js';

describe('tasklens snapshot PID', { timeout: 60_000 }, () => {
  let workload: Workload;
  let announced: Announced[];
  before(async () => {
    workload = new Workload(compileWorkload('O2-no-frame-pointer'));
    announced = await workload.ready();
  });
  after(() => workload.stop());

  test('prints a pstack-like report with pthread_t, states, frames and the pause', async () => {
    const { code, stdout, stderr } = await runCli(['snapshot', String(workload.pid)]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^process ${workload.pid} \\(threads-O2-no-f\\): 6 threads`));
    for (const a of announced) {
      assert.match(stdout, new RegExp(`^Thread ${a.tid}  "[^"]+"  pthread_t 0x${a.pthread.toString(16)}  state `, 'm'));
    }
    assert.match(stdout, /^ {2}#\d+ +0x[0-9a-f]{16} {2}sleep_long\+0x[0-9a-f]+ \(threads-O2-no-frame-pointer\)$/m);
    // libc's source line follows when its debug file (libc6-dbg) is installed.
    assert.match(stdout, /^ {2}#0 +0x[0-9a-f]{16} {2}clock_nanosleep\+0x[0-9a-f]+ \(libc\.so\.6\)( at \S+:\d+)?$/m);
    assert.match(stdout, /^Thread \d+  "sleeper"  .*  blocked in clock_nanosleep\(\)$/m);
    assert.match(stdout, /^Thread \d+  "condwait"  .*  blocked in futex\(\)$/m);
    assert.match(stdout, /guard 0x[0-9a-f]+-0x[0-9a-f]+ \(4 KiB\)/);
    assert.match(stdout, /^6 threads seen, 6 stopped; paused \d+\.\d+ ms/m);
    assert.match(stdout, /^appeared during the snapshot: none; vanished: none$/m);
  });

  test('--registers adds every general register', async () => {
    const { code, stdout } = await runCli(['snapshot', '--registers', String(workload.pid)]);
    assert.equal(code, 0);
    assert.match(stdout, /^ +orig_rax 0x[0-9a-f]{16} +rip 0x[0-9a-f]{16} +cs 0x[0-9a-f]{16}$/m);
    assert.match(stdout, /fs_base 0x[0-9a-f]{16}/);
  });

  test('--json gives one object with hex addresses', async () => {
    const { code, stdout } = await runCli(['snapshot', '--json', String(workload.pid)]);
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const data = JSON.parse(lines[0]) as { pid: number; threads: Array<{ tid: number; pthread: string; frames: Array<{ symbol?: string; pc: string }> }> };
    assert.equal(data.pid, workload.pid);
    for (const a of announced) {
      const thread = data.threads.find((t) => t.tid === a.tid);
      assert.equal(thread?.pthread, `0x${a.pthread.toString(16)}`);
      assert.match(thread!.frames[0].pc, /^0x[0-9a-f]+$/);
    }
  });
});

describe('snapshot errors', { timeout: 60_000 }, () => {
  test('a PID that does not exist: exit code 3', async () => {
    const maxPid = Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1'));
    const { code, stderr, stdout } = await runCli(['snapshot', String(maxPid + 1)]);
    assert.equal(code, ExitCode.noSuchProcess);
    assert.equal(stdout, '');
    assert.match(stderr, new RegExp(`^tasklens: no such process: ${maxPid + 1}\nhint: `));
  });

  test('not a PID: usage error', async () => {
    const { code, stderr } = await runCli(['snapshot', 'twelve']);
    assert.notEqual(code, 0);
    assert.equal(code, 2);
    assert.match(stderr, /'twelve' is invalid.*Expected a process ID: use decimal digits only/);
  });

  describe("another user's process, without CAP_SYS_PTRACE", () => {
    let dir: string;
    let workload: Workload;
    before(async () => {
      // The workload runs as nobody from a directory nobody can read, wherever the checkout lives.
      dir = mkdtempSync(join(tmpdir(), 'tasklens-snapshot-'));
      chmodSync(dir, 0o755);
      const binary = join(dir, 'threads');
      copyFileSync(compileWorkload('O2-no-frame-pointer'), binary);
      chmodSync(binary, 0o755);
      workload = new Workload(binary, [], { uid: 65534, gid: 65534 });
      await workload.ready();
    });
    after(async () => {
      await workload.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('is refused with exit code 77 and a fix', async () => {
      const dropPtrace = ['setpriv', '--bounding-set=-sys_ptrace', '--inh-caps=-sys_ptrace', '--'];
      const { code, stderr } = await runCli(['snapshot', String(workload.pid)], dropPtrace);
      assert.equal(code, ExitCode.permission, stderr);
      assert.match(stderr, /ptrace not permitted \(it belongs to uid 65534 and tasklens runs as uid \d+\)/);
      assert.match(stderr, /^hint: .*sudo/m);
    });
  });

  describe('a process another tracer holds', () => {
    let workload: Workload;
    let strace: ChildProcess;
    before(async () => {
      workload = new Workload(compileWorkload('O2-no-frame-pointer'));
      await workload.ready();
      strace = spawn('strace', ['-f', '-qq', '-o', '/dev/null', '-p', String(workload.pid)], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      while (!/TracerPid:\s*[1-9]/.test(readFileSync(`/proc/${workload.pid}/status`, 'latin1'))) {
        if (Date.now() > deadline) throw new Error('strace did not attach');
        await sleep(20);
      }
    });
    after(async () => {
      const gone = new Promise((resolve) => strace.once('exit', resolve));
      strace.kill('SIGTERM');
      await gone;
      await workload.stop();
    });

    test('is refused with exit code 77, naming the tracer', async () => {
      const { code, stderr } = await runCli(['snapshot', String(workload.pid)]);
      assert.equal(code, ExitCode.permission, stderr);
      assert.match(stderr, new RegExp(`already traced by process ${strace.pid} \\(strace\\)`));
    });
  });
});
