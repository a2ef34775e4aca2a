/* fork + execve + waitpid: one child execs ./child, one exits with code 3, one execvp()s through
 * PATH (several failed execve probes before the real one), one execs a missing program. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t spawn(void (*body)(void)) {
  pid_t pid = fork();
  if (pid == 0) { body(); _exit(127); }
  return pid;
}

static void exec_child(void) { execl("./child", "child", "exit", "0", (char *)NULL); }
static void exit_three(void) { _exit(3); }
static void exec_via_path(void) {
  setenv("PATH", "/nonexistent/bin:/usr/local/nothing:.", 1);
  execlp("child", "child", "echo", "from execvp", (char *)NULL);
}
static void exec_missing(void) { execl("/nonexistent/program", "program", (char *)NULL); }

int main(void) {
  void (*bodies[])(void) = { exec_child, exit_three, exec_via_path, exec_missing };
  for (unsigned i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
    int status;
    pid_t pid = spawn(bodies[i]);
    waitpid(pid, &status, 0);
    printf("child %u exit %d\n", i, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  return 0;
}
