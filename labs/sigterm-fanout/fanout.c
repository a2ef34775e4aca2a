/*
 * sigterm-fanout lab: graceful shutdown of a process family. The parent starts three workers, each
 * with its own SIGTERM handler. When the parent gets SIGTERM (sent by the lab), its handler only sets
 * a flag; the main loop then forwards SIGTERM to every worker with kill() and waits for them all.
 * Each worker finishes its "work" and exits with code 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum { WORKERS = 3 };

static volatile sig_atomic_t stop_requested;

static void on_sigterm(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void install(void)
{
    struct sigaction sa = { 0 };
    sa.sa_handler = on_sigterm;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) != 0) {
        perror("sigaction");
        exit(1);
    }
}

/* Waits for SIGTERM without a race: SIGTERM stays blocked except inside sigsuspend. */
static void wait_for_sigterm(const sigset_t *unblocked)
{
    while (!stop_requested)
        sigsuspend(unblocked);
}

int main(void)
{
    /* Safety net: if the lab that should send SIGTERM dies, SIGALRM ends us within 30 s. */
    alarm(30);
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, &old);
    install();

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
            alarm(30); /* alarms are not inherited across fork */
            close(ready[0]);
            /* The handler and the blocked mask are inherited; tell the parent we are set up. */
            if (write(ready[1], "r", 1) != 1)
                _exit(2);
            close(ready[1]);
            wait_for_sigterm(&old);
            printf("worker %d: pid=%d got SIGTERM, finishing and exiting\n", i, (int)getpid());
            fflush(stdout);
            _exit(0);
        }
        workers[i] = pid;
    }
    close(ready[1]);
    char byte;
    for (int i = 0; i < WORKERS; i++) {
        if (read(ready[0], &byte, 1) != 1) {
            fprintf(stderr, "a worker failed to start\n");
            return 1;
        }
    }
    close(ready[0]);
    printf("ready pid=%d workers=%d,%d,%d\n", (int)getpid(), (int)workers[0], (int)workers[1], (int)workers[2]);
    fflush(stdout);

    wait_for_sigterm(&old);
    printf("parent: got SIGTERM, forwarding it to %d workers\n", WORKERS);
    fflush(stdout);
    for (int i = 0; i < WORKERS; i++)
        kill(workers[i], SIGTERM);
    int failed = 0;
    for (int i = 0; i < WORKERS; i++) {
        int status;
        pid_t pid = waitpid(workers[i], &status, 0);
        if (pid != workers[i] || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed = 1;
    }
    printf("parent: all workers exited; exiting %s\n", failed ? "with errors" : "cleanly");
    return failed;
}
