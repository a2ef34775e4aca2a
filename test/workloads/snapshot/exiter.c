/*
 * A process that exits while it may be being snapshotted. The program forks: the child starts THREADS
 * threads blocked in pause() plus one that spins, then after DELAY_US microseconds calls exit(7) from
 * the thread MODE names (main: the thread-group leader, spinning; worker: the spinning thread while the
 * leader sleeps in pause()). The parent prints "child PID", reaps the child and exits with its exit
 * code, so a test sees whether the child could be reaped: a tracer that keeps the child's zombie
 * attached leaves the parent waiting forever.
 * Usage: exiter THREADS DELAY_US main|worker
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long delay_us;
static atomic_int spinning;

static unsigned long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long)ts.tv_sec * 1000000UL + (unsigned long)ts.tv_nsec / 1000;
}

/* Spins (state R) for delay_us, then ends the whole process. */
static void spin_then_exit(void) {
  unsigned long until = now_us() + (unsigned long)delay_us;
  while (now_us() < until) atomic_fetch_add(&spinning, 1);
  exit(7);
}

static void *blocked_main(void *arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

static void *worker_main(void *arg) {
  (void)arg;
  spin_then_exit();
  return NULL;
}

static void run_child(long threads, int from_worker) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  for (long i = 0; i < threads; i++) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    if (pthread_create(&t, &attr, blocked_main, NULL) != 0) _exit(2);
    pthread_attr_destroy(&attr);
  }
  if (from_worker) {
    pthread_t t;
    if (pthread_create(&t, NULL, worker_main, NULL) != 0) _exit(2);
    for (;;) pause();
  }
  spin_then_exit();
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: exiter THREADS DELAY_US main|worker\n");
    return 2;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  long threads = atol(argv[1]);
  delay_us = atol(argv[2]);
  int from_worker = strcmp(argv[3], "worker") == 0;
  pid_t child = fork();
  if (child < 0) return 2;
  if (child == 0) run_child(threads, from_worker);
  printf("child %d\n", (int)child);
  fflush(stdout);
  int status;
  if (waitpid(child, &status, 0) != child) return 2;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
