/*
 * zombies lab: two children that exit at once while the parent sleeps without waiting.
 * - child A becomes a zombie until the parent finally calls waitpid for it;
 * - child B is never waited for: it stays a zombie until the parent exits, then init (or a
 *   subreaper) inherits and reaps it.
 * The parent prints "zombie window pid=N" for each child while it sleeps, so the lab can look at
 * /proc/N/stat and see the state letter Z.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0) {
    }
}

static pid_t child_that_exits(int code)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0)
        _exit(code);
    return pid;
}

int main(void)
{
    printf("parent: pid=%d\n", (int)getpid());
    fflush(stdout);
    pid_t a = child_that_exits(7);
    pid_t b = child_that_exits(8);
    printf("parent: child A is pid %d, child B is pid %d; sleeping without waiting\n", (int)a, (int)b);
    printf("zombie window pid=%d\n", (int)a);
    printf("zombie window pid=%d\n", (int)b);
    fflush(stdout);
    sleep_ms(300);
    int status;
    if (waitpid(a, &status, 0) != a) {
        perror("waitpid");
        return 1;
    }
    printf("parent: reaped A (pid %d), exit code %d; B (pid %d) is left for init\n", (int)a, WEXITSTATUS(status), (int)b);
    return 0;
}
