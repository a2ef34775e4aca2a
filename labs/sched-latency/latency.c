/*
 * sched-latency lab workload: more runnable threads than CPUs, plus a periodic waker.
 *   latency [DURATION_MS [SPINNERS]]   (defaults: 2000 ms, 2 x the online CPUs)
 * Each "spin-N" thread computes for 1 ms, then sleeps 200 us, over and over: together they keep
 * every CPU's run queue busy. The "waker" thread sleeps 1 ms at a time and does almost nothing when
 * it wakes: its wakeup latency is the time it waits behind the spinners. Threads are named so the
 * scheduler tracepoints show who is who. Prints one line at the end, with the spinners' work done
 * (iterations of 1 ms of computing) so a run under a tracer can be compared with one without.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long duration_ns;
static struct timespec start;
static atomic_long iterations;

static long long since_start(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start.tv_sec) * 1000000000LL + (now.tv_nsec - start.tv_nsec);
}

static void spin_for(long long ns) {
  long long until = since_start() + ns;
  while (since_start() < until) {
  }
}

static void *spinner(void *arg) {
  char name[16];
  snprintf(name, sizeof name, "spin-%ld", (long)arg);
  pthread_setname_np(pthread_self(), name);
  struct timespec pause = {0, 200 * 1000};
  long done = 0;
  while (since_start() < duration_ns) {
    spin_for(1000 * 1000);
    done++;
    nanosleep(&pause, NULL);
  }
  atomic_fetch_add(&iterations, done);
  return NULL;
}

static void *waker(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "waker");
  long wakeups = 0;
  struct timespec period = {0, 1000 * 1000};
  while (since_start() < duration_ns) {
    nanosleep(&period, NULL);
    wakeups++;
  }
  return (void *)wakeups;
}

int main(int argc, char **argv) {
  long duration_ms = argc > 1 ? atol(argv[1]) : 2000;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  long spinners = argc > 2 ? atol(argv[2]) : 2 * (cpus > 0 ? cpus : 1);
  if (duration_ms <= 0 || spinners <= 0 || spinners > 256) {
    fprintf(stderr, "usage: latency [DURATION_MS [SPINNERS (1-256)]]\n");
    return 2;
  }
  duration_ns = duration_ms * 1000000LL;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pthread_t threads[257];
  for (long i = 0; i < spinners; i++) pthread_create(&threads[i], NULL, spinner, (void *)i);
  pthread_create(&threads[spinners], NULL, waker, NULL);
  void *wakeups = NULL;
  for (long i = 0; i < spinners; i++) pthread_join(threads[i], NULL);
  pthread_join(threads[spinners], &wakeups);
  printf("latency: %ld spinners on %ld cpus, waker woke %ld times in %ld ms, %ld spinner iterations\n", spinners, cpus, (long)wakeups, duration_ms,
         atomic_load(&iterations));
  return 0;
}
