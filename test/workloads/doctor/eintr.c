/* eintr-not-retried: a SIGALRM handler without SA_RESTART interrupts a blocking read. bug: the program
 * reports the error and exits 1; ok: it retries the read (the handler wrote a byte, so it completes). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include "common.h"
static int fds[2];
static void on_alarm(int sig) { (void)sig; (void)!write(fds[1], "x", 1); }
int main(int argc, char **argv) {
  if (pipe(fds) != 0) return 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval once = { .it_value = { .tv_usec = 50000 } };
  setitimer(ITIMER_REAL, &once, NULL);
  char byte;
  ssize_t n;
  while ((n = read(fds[0], &byte, 1)) < 0 && errno == EINTR && !bug_mode(argc, argv)) {}
  if (n < 0) {
    perror("read");
    return 1;
  }
  return 0;
}
