/* EINTR: a timer signal whose handler has no SA_RESTART interrupts a blocking read() (= ? ERESTARTSYS,
 * the signal, rt_sigreturn, then -1 EINTR); a second read is interrupted with SA_RESTART and restarts. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <unistd.h>

static void on_alarm(int sig) { (void)sig; }

static void arm(int flags) {
  struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = flags };
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval once = { .it_value = { .tv_usec = 20000 } };
  setitimer(ITIMER_REAL, &once, NULL);
}

int main(void) {
  int fds[2];
  char byte;
  if (pipe(fds) != 0) return 1;
  arm(0);
  ssize_t n = read(fds[0], &byte, 1);
  printf("read returned %zd (%s)\n", n, n < 0 && errno == EINTR ? "EINTR" : "?");

  /* With SA_RESTART the read is restarted; a child writes a byte after the signal so it completes. */
  arm(SA_RESTART);
  if (fork() == 0) { usleep(60000); _exit(write(fds[1], "x", 1) == 1 ? 0 : 1); }
  n = read(fds[0], &byte, 1);
  printf("restarted read returned %zd\n", n);
  return 0;
}
