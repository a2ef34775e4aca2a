/* sigchld-ignored-wait: bug: SIGCHLD set to SIG_IGN, so wait() finds no child (ECHILD); ok: default. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
int main(int argc, char **argv) {
  if (bug_mode(argc, argv)) signal(SIGCHLD, SIG_IGN);
  if (fork() == 0) _exit(3);
  int status;
  return wait(&status) < 0 ? 1 : 0;
}
