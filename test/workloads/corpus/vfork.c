/* vfork + execve: the parent is suspended until the child execs (CLONE_VM|CLONE_VFORK). */
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  int status;
  pid_t pid = vfork();
  if (pid == 0) {
    execl("./child", "child", "exit", "0", (char *)NULL);
    _exit(127);
  }
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
