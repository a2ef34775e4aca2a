/* fd-leaked-across-exec: bug: a pipe made with pipe() (no close-on-exec) reaches a forked child's exec;
 * ok: pipe2(O_CLOEXEC). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
int main(int argc, char **argv) {
  int fds[2];
  if ((bug_mode(argc, argv) ? pipe(fds) : pipe2(fds, O_CLOEXEC)) != 0) return 1;
  pid_t child = fork();
  if (child == 0) {
    char *args[] = { "true", NULL };
    execv("/bin/true", args);
    _exit(127);
  }
  waitpid(child, NULL, 0);
  return 0;
}
