/*
 * orphan-burst N: forks N children, then exits at once. Each child blocks reading a pipe whose
 * write end only the parent held, so when the parent exits every child (now an orphan re-parented
 * to the nearest subreaper) wakes at the same moment and exits with status i % 200: a burst of N
 * orphan exits whose statuses can be checked one by one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  int fds[2];
  if (pipe(fds) != 0) { perror("pipe"); return 1; }
  for (int i = 0; i < n; i++) {
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
      char c;
      close(fds[1]);
      while (read(fds[0], &c, 1) > 0) {}
      _exit(i % 200);
    }
  }
  return 0;
}
