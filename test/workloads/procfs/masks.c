/* Threads with chosen signal masks, for the per-thread truth tests.
 *   main      : blocks nothing; process ignores SIGPIPE and SIGHUP, catches SIGTERM
 *   "blocker" : blocks SIGUSR1; main then sends it SIGUSR1 with pthread_kill, so it stays pending
 *               in this thread only (its SigPnd), while /proc/PID/status (main thread) shows nothing
 *   "rtworker": blocks SIGUSR2 and SIGRTMIN+3 (glibc numbering), runs on a 256 KiB stack
 * Prints "ready BLOCKER_TID RTWORKER_TID" and sleeps until killed (or until its parent dies). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

static pthread_barrier_t ready;
static pid_t tids[2];

static void on_term(int sig) { (void)sig; _exit(0); }

static void *blocker(void *arg) {
  (void)arg;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  pthread_setname_np(pthread_self(), "blocker");
  tids[0] = gettid();
  pthread_barrier_wait(&ready);
  for (;;) pause();
  return NULL;
}

static void *rtworker(void *arg) {
  (void)arg;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigaddset(&set, SIGRTMIN + 3);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  pthread_setname_np(pthread_self(), "rtworker");
  tids[1] = gettid();
  pthread_barrier_wait(&ready);
  for (;;) pause();
  return NULL;
}

int main(void) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  struct sigaction sa = {0};
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);

  pthread_barrier_init(&ready, NULL, 3);
  pthread_t a, b;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  if (pthread_create(&a, NULL, blocker, NULL) || pthread_create(&b, &attr, rtworker, NULL)) {
    perror("pthread_create");
    return 1;
  }
  pthread_barrier_wait(&ready);
  pthread_kill(a, SIGUSR1);
  printf("ready %d %d\n", tids[0], tids[1]);
  fflush(stdout);
  for (;;) pause();
}
