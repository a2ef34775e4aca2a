/* A shell pipeline set up by hand: `child echo ... | child upper` with pipe, two forks, dup2 and execs. */
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  int p[2];
  if (pipe(p) != 0) return 1;
  pid_t left = fork();
  if (left == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execl("./child", "child", "echo", "through a pipe", (char *)NULL);
    _exit(127);
  }
  pid_t right = fork();
  if (right == 0) {
    dup2(p[0], STDIN_FILENO);
    close(p[0]);
    close(p[1]);
    execl("./child", "child", "upper", (char *)NULL);
    _exit(127);
  }
  close(p[0]);
  close(p[1]);
  int status;
  waitpid(left, &status, 0);
  waitpid(right, &status, 0);
  return 0;
}
