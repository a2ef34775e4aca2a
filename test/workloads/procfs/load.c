/* Benchmark load: THREADS threads that sleep, on small stacks, so /proc has thousands of tasks.
 * Prints "ready" once all exist; exits on SIGTERM or when its parent dies. Usage: load THREADS */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

static void *sleeper(void *arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 500;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  for (int i = 0; i < n; i++) {
    pthread_t t;
    if (pthread_create(&t, &attr, sleeper, NULL)) {
      perror("pthread_create");
      return 1;
    }
  }
  printf("ready\n");
  fflush(stdout);
  for (;;) pause();
}
