/* A parent that leaves (or does not leave) zombies, in one of the setups of the diagnosis matrix:
 *   dfl       SIGCHLD at SIG_DFL, never waits                      -> zombies, SIGCHLD discarded
 *   ignore    signal(SIGCHLD, SIG_IGN) before forking              -> children auto-reaped, no zombies
 *   block     SIGCHLD blocked, never waits                         -> zombies, SIGCHLD stays pending
 *   handler   a SIGCHLD handler that never calls wait              -> zombies
 *   waitother blocked in waitpid() on a child that never exits     -> the other child stays a zombie
 * Children of the first kind _exit(7) at once. Prints "ready CHILD CHILD" (in waitother the second is
 * the child being waited for). SIGTERM makes the parent reap everything and exit, so tests leave no
 * zombies behind; if the parent's own parent dies, the parent gets SIGKILL (PR_SET_PDEATHSIG). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t sleeper = 0;

static void on_term(int sig) {
  (void)sig;
  if (sleeper > 0) kill(sleeper, SIGKILL);
  while (waitpid(-1, NULL, 0) > 0) {}
  _exit(0);
}

static void on_chld(int sig) { (void)sig; /* deliberately never waits */ }

static pid_t spawn_exiting(void) {
  pid_t pid = fork();
  if (pid == 0) _exit(7);
  return pid;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "dfl";
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  struct sigaction term = {0};
  term.sa_handler = on_term;
  sigaction(SIGTERM, &term, NULL);

  if (strcmp(mode, "ignore") == 0) {
    signal(SIGCHLD, SIG_IGN);
  } else if (strcmp(mode, "block") == 0) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
  } else if (strcmp(mode, "handler") == 0) {
    struct sigaction sa = {0};
    sa.sa_handler = on_chld;
    sigaction(SIGCHLD, &sa, NULL);
  } else if (strcmp(mode, "waitother") != 0 && strcmp(mode, "dfl") != 0) {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }

  pid_t first = spawn_exiting();
  pid_t second;
  if (strcmp(mode, "waitother") == 0) {
    second = fork();
    if (second == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      for (;;) pause();
    }
    sleeper = second;
  } else {
    second = spawn_exiting();
  }
  printf("ready %d %d\n", first, second);
  fflush(stdout);
  if (sleeper > 0) waitpid(sleeper, NULL, 0);
  for (;;) pause();
}
