/* posix_spawn: glibc uses clone(CLONE_VM|CLONE_VFORK) with a separate stack, then execve. */
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

int main(void) {
  pid_t pid;
  int status;
  char *argv[] = { "child", "echo", "spawned", (char *)0 };
  if (posix_spawn(&pid, "./child", NULL, NULL, argv, environ) != 0) return 1;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
