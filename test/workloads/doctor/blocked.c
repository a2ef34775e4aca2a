/* signal-lost-blocked: SIGUSR1 blocked, then sent. bug: never unblocked or waited for before exit;
 * ok: taken with sigwaitinfo. "live": stays up with it pending. */
#include <signal.h>
#include <unistd.h>
#include "common.h"
int main(int argc, char **argv) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  kill(getpid(), SIGUSR1);
  if (mode_is(argc, argv, "live")) sleep_ms(60000);
  else if (!bug_mode(argc, argv)) {
    siginfo_t info;
    sigwaitinfo(&set, &info);
  }
  return 0;
}
