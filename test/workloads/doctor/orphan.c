/* orphaned-children: bug: the parent fails (exit 1) while its child still runs; ok: it waits first. */
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
int main(int argc, char **argv) {
  pid_t parent = getpid();
  pid_t child = fork();
  if (child == 0) {
    if (bug_mode(argc, argv)) while (getppid() == parent) sleep_ms(5);
    _exit(0);
  }
  if (!bug_mode(argc, argv)) waitpid(child, NULL, 0);
  return bug_mode(argc, argv) ? 1 : 0;
}
