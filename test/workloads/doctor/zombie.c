/* never-reaped: bug: the child exits and the parent never waits (it watches it with WNOWAIT, which
 * leaves it a zombie, then works on); ok: the parent reaps it. "live": stays up with the zombie. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
int main(int argc, char **argv) {
  pid_t child = fork();
  if (child == 0) _exit(3);
  siginfo_t info;
  if (bug_mode(argc, argv) || mode_is(argc, argv, "live")) waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT);
  else waitpid(child, NULL, 0);
  sleep_ms(mode_is(argc, argv, "live") ? 60000 : 400);
  return 0;
}
