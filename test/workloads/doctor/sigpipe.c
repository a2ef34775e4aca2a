/* killed-by-sigpipe: bug: a write to a socket whose peer closed kills the process; ok: SIGPIPE ignored,
 * EPIPE handled. */
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include "common.h"
int main(int argc, char **argv) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 1;
  if (!bug_mode(argc, argv)) signal(SIGPIPE, SIG_IGN);
  close(sv[1]);
  if (write(sv[0], "x", 1) < 0) return 0;
  return 1;
}
