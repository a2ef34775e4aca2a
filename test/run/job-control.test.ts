/**
 * TTY job control through a pseudo-terminal (dumb-init's and tini's job-control cases): Ctrl-Z stops
 * tasklens and the program, continuing tasklens continues the program, Ctrl-C ends it with 130. With
 * --group the program leads its own session (an orphaned process group, where the kernel discards
 * SIGTSTP), so tasklens stops it with SIGSTOP. Every step waits on /proc states, never on output.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cliArgv } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';
import { descendantsByScan, exited, killLeftovers, stat, track, waitFor } from './live-helpers.js';

afterEach(killLeftovers);

// pty.fork gives a session leader on the pty; it plays the job-control shell: it starts tasklens
// in a process group of its own and makes that the terminal's foreground group (a group whose
// parent is in the same session, so not orphaned: the kernel delivers Ctrl-Z's SIGTSTP to it).
// The driver types what its stdin asks for (z = Ctrl-Z, c = Ctrl-C) and exits with the job's status.
const DRIVER = `
import os, pty, sys, select
pid, fd = pty.fork()
if pid == 0:
    job = os.fork()
    if job == 0:
        os.setpgid(0, 0)
        os.execv(sys.argv[1], sys.argv[1:])
    os.setpgid(job, job)
    os.tcsetpgrp(0, job)
    while True:
        _, st = os.waitpid(job, 0)
        if os.WIFEXITED(st):
            os._exit(os.WEXITSTATUS(st))
        if os.WIFSIGNALED(st):
            os._exit(128 + os.WTERMSIG(st))
keys = {'z': b'\\x1a', 'c': b'\\x03'}
while True:
    r, _, _ = select.select([fd, 0], [], [], 0.05)
    if fd in r:
        try:
            os.read(fd, 4096)
        except OSError:
            pass
    if 0 in r:
        for ch in os.read(0, 16).decode():
            if ch in keys:
                os.write(fd, keys[ch])
    done, status = os.waitpid(pid, os.WNOHANG | os.WUNTRACED)
    if done and os.WIFEXITED(status):
        sys.exit(os.WEXITSTATUS(status))
    if done and os.WIFSIGNALED(status):
        sys.exit(128 + os.WTERMSIG(status))
`;

async function jobControl(group: boolean) {
  const driver = track(
    spawn('python3', ['-c', DRIVER, process.execPath, ...cliArgv(), 'run', ...(group ? ['--group'] : []), '--', 'sleep', '60'], { cwd: repoRoot, stdio: ['pipe', 'ignore', 'inherit'] }),
  );
  // The sleep in the driver's tree; tasklens is its parent (whatever else python may start).
  const sleep = await waitFor('sleep under tasklens under the pty', () => descendantsByScan(driver.pid!).find((d) => d.comm === 'sleep'));
  const tasklens = { pid: sleep.ppid };
  assert.equal(stat(sleep.pid)?.pgrp === stat(tasklens.pid)?.pgrp, !group, group ? 'its own group' : 'the job\'s group');

  driver.stdin!.write('z');
  await waitFor('both stopped by Ctrl-Z', () => stat(tasklens.pid)?.state === 'T' && stat(sleep.pid)?.state === 'T');

  // What a shell's fg does: SIGCONT to the job's process group (tasklens's; with --group only tasklens is in it).
  process.kill(-stat(tasklens.pid)!.pgrp, 'SIGCONT');
  await waitFor('both running again', () => stat(tasklens.pid)?.state !== 'T' && stat(sleep.pid)?.state === 'S');

  driver.stdin!.write('c');
  const end = await exited(driver);
  assert.equal(end.code, 130, 'Ctrl-C: the program died of SIGINT, tasklens says 128+2');
  assert.equal(stat(sleep.pid), undefined, 'the program is gone');
}

test('job control through a pty: Ctrl-Z stops tasklens and the program, SIGCONT resumes both, Ctrl-C exits 130', async () => {
  await jobControl(false);
});

test('job control with --group: the program in its own session is stopped with SIGSTOP on Ctrl-Z and resumed with tasklens', async () => {
  await jobControl(true);
});
