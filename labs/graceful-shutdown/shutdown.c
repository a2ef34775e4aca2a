/*
 * graceful-shutdown lab: a parent with three workers runs under `tasklens run --stop-timeout`. The
 * lab sends SIGTERM to tasklens, as a service manager would; tasklens forwards it to the parent.
 * Workers 0 and 1 finish and exit 0 on SIGTERM; worker 2 ignores SIGTERM (SIG_IGN), the classic
 * process that will not stop.
 *
 *   ./shutdown forward     the parent passes SIGTERM on to each worker with kill(), then waits for
 *                          all of them (it waits for worker 2 until tasklens's timeout kills it)
 *   ./shutdown noforward   the parent exits 0 at once: its workers are orphaned, re-parented to
 *                          tasklens (a subreaper), and never hear of the SIGTERM
 *
 * The ready line names the parent's parent (tasklens), which the lab signals.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { WORKERS = 3, STUBBORN = 2 };

static volatile sig_atomic_t stop_requested;

static void on_sigterm(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void wait_for_sigterm(const sigset_t *unblocked)
{
    while (!stop_requested)
        sigsuspend(unblocked);
}

int main(int argc, char **argv)
{
    int forward = argc > 1 && strcmp(argv[1], "forward") == 0;
    /* Safety net: if nobody stops us, SIGALRM ends us within 30 s. */
    alarm(30);
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, &old);
    struct sigaction sa = { 0 };
    sa.sa_handler = on_sigterm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);

    int ready[2];
    if (pipe(ready) != 0) {
        perror("pipe");
        return 1;
    }
    pid_t workers[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            alarm(30);
            close(ready[0]);
            if (i == STUBBORN) {
                signal(SIGTERM, SIG_IGN);
                sigprocmask(SIG_SETMASK, &old, NULL);
                if (write(ready[1], "r", 1) != 1)
                    _exit(2);
                close(ready[1]);
                for (;;)
                    pause();
            }
            if (write(ready[1], "r", 1) != 1)
                _exit(2);
            close(ready[1]);
            wait_for_sigterm(&old);
            _exit(0);
        }
        workers[i] = pid;
    }
    close(ready[1]);
    char byte;
    for (int i = 0; i < WORKERS; i++) {
        if (read(ready[0], &byte, 1) != 1) {
            perror("read");
            return 1;
        }
    }
    close(ready[0]);
    printf("ready launcher=%d parent=%d\n", (int)getppid(), (int)getpid());
    fflush(stdout);
    wait_for_sigterm(&old);
    if (!forward)
        return 0; /* the mistake: leave without a word to the workers */
    for (int i = 0; i < WORKERS; i++)
        kill(workers[i], SIGTERM);
    for (int i = 0; i < WORKERS; i++)
        waitpid(workers[i], NULL, 0);
    return 0;
}
