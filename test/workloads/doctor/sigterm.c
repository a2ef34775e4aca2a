/* sigterm-ignored: bug: the child ignores SIGTERM, so the parent's SIGTERM does nothing and SIGKILL
 * follows; ok: SIGTERM ends the child. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
int main(int argc, char **argv) {
  int ready[2];
  if (pipe(ready) != 0) return 1;
  pid_t child = fork();
  if (child == 0) {
    if (bug_mode(argc, argv)) signal(SIGTERM, SIG_IGN);
    (void)!write(ready[1], "r", 1);
    for (;;) pause();
  }
  char byte;
  (void)!read(ready[0], &byte, 1);
  kill(child, SIGTERM);
  if (bug_mode(argc, argv)) {
    sleep_ms(200);
    kill(child, SIGKILL);
  }
  waitpid(child, NULL, 0);
  return 0;
}
