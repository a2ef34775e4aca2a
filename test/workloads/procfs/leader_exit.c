/* The main thread calls pthread_exit() while a worker thread lives on. The kernel then shows the
 * process as Z ("<defunct>" in ps, a zombie for top and psutil), but it is alive: not a zombie.
 * Prints "ready PID WORKER_TID" before the main thread exits. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

static pthread_barrier_t ready;
static pid_t worker_tid;

static void *survivor(void *arg) {
  (void)arg;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  pthread_setname_np(pthread_self(), "survivor");
  worker_tid = gettid();
  pthread_barrier_wait(&ready);
  for (;;) pause();
  return NULL;
}

int main(void) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  pthread_barrier_init(&ready, NULL, 2);
  pthread_t t;
  if (pthread_create(&t, NULL, survivor, NULL)) return 1;
  pthread_barrier_wait(&ready);
  printf("ready %d %d\n", getpid(), worker_tid);
  fflush(stdout);
  pthread_exit(NULL);
}
