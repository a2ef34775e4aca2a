/* exec-failed: bug: the child execs a program that does not exist and exits 127; ok: execvp finds
 * `true` on PATH (misses in earlier PATH directories are part of the search). */
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
int main(int argc, char **argv) {
  pid_t child = fork();
  if (child == 0) {
    char *args[] = { "true", NULL };
    if (bug_mode(argc, argv)) execv("/nonexistent/doctor-workload", args);
    else execvp("true", args);
    _exit(127);
  }
  int status;
  waitpid(child, &status, 0);
  return 0;
}
