/* fork-in-threaded-process: bug: fork while a second thread lives, then malloc and printf in the
 * child before exec; ok: posix_spawn from the same threaded process. */
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
extern char **environ;
static void *idle(void *arg) { (void)arg; for (;;) pause(); return NULL; }
int main(int argc, char **argv) {
  pthread_t t;
  pthread_create(&t, NULL, idle, NULL);
  pid_t child;
  char *args[] = { "true", NULL };
  if (bug_mode(argc, argv)) {
    child = fork();
    if (child == 0) {
      char *p = malloc(1 << 20);
      printf("child %p\n", (void *)p);
      fflush(stdout);
      execv("/bin/true", args);
      _exit(127);
    }
  } else if (posix_spawn(&child, "/bin/true", NULL, NULL, args, environ) != 0) return 1;
  waitpid(child, NULL, 0);
  exit(0);
}
