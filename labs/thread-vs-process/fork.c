/*
 * thread-vs-process lab, the process side: one fork() and one waitpid().
 * Parent and child print their pid, tid and parent pid, so the trace can be read next to what the
 * program itself saw.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    printf("parent: pid=%d tid=%d ppid=%d\n", (int)getpid(), (int)gettid(), (int)getppid());
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return 1;
    }
    if (child == 0) {
        printf("child:  pid=%d tid=%d ppid=%d\n", (int)getpid(), (int)gettid(), (int)getppid());
        fflush(stdout);
        exit(0);
    }
    int status;
    if (waitpid(child, &status, 0) != child) {
        perror("waitpid");
        return 1;
    }
    printf("parent: child %d exited with status %d\n", (int)child, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
