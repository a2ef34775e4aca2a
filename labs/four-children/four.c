/*
 * four-children lab: fork four children that sleep for different times (the first one forked sleeps
 * longest), then reap them with wait() in whatever order they end. Each child exits with its own
 * code (11, 12, 13, 14) so every wait status says which child it was.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { CHILDREN = 4, STEP_MS = 40 };

static void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0) {
    }
}

int main(void)
{
    printf("parent: pid=%d forks %d children\n", (int)getpid(), CHILDREN);
    fflush(stdout);
    for (int i = 0; i < CHILDREN; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            /* Child i sleeps (CHILDREN - i) steps: they end in the reverse order of their birth. */
            sleep_ms((long)(CHILDREN - i) * STEP_MS);
            printf("child %d: pid=%d exits with %d\n", i, (int)getpid(), 11 + i);
            fflush(stdout);
            _exit(11 + i);
        }
        printf("parent: forked child %d as pid %d\n", i, (int)pid);
        fflush(stdout);
    }
    for (int reaped = 0; reaped < CHILDREN; reaped++) {
        int status;
        pid_t pid = wait(&status);
        if (pid < 0) {
            perror("wait");
            return 1;
        }
        printf("parent: reaped pid %d, exit code %d\n", (int)pid, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        fflush(stdout);
    }
    return 0;
}
