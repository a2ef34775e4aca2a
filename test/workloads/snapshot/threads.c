/*
 * Snapshot workload: threads blocked in nanosleep, pthread_cond_wait and read() on a pipe, a busy
 * thread, a ticker, and optionally N extra threads blocked for good. Each thread prints its TID and
 * pthread_self() so a test can compare them with what a snapshot reports. Commands on stdin:
 *   wake   signal the condition variable and write to the pipe (the blocked threads answer)
 *   count  print the busy loop's and the ticker's counters
 *   gap    print the busy thread's largest gap between two clock readings (how long it was stopped), then reset it
 *   churn  start a thread that keeps creating and joining short-lived threads
 *   quit   exit (so does end of input)
 * Usage: threads [EXTRA_BLOCKED_THREADS [EXTRA_SPINNING_THREADS]]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int pipefd[2];
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int cond_flag;
static pthread_mutex_t never_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never_cond = PTHREAD_COND_INITIALIZER;
static atomic_ulong busy_count, tick_count, max_gap_ns, announced;
static pthread_mutex_t out_mutex = PTHREAD_MUTEX_INITIALIZER;

static void say(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  pthread_mutex_lock(&out_mutex);
  vprintf(fmt, args);
  fflush(stdout);
  pthread_mutex_unlock(&out_mutex);
  va_end(args);
}

static void announce(const char *role) {
  pthread_setname_np(pthread_self(), role);
  say("thread %ld pthread_self=0x%lx role=%s\n", (long)gettid(), (unsigned long)pthread_self(), role);
  atomic_fetch_add(&announced, 1);
}

static unsigned long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long)ts.tv_sec * 1000000000UL + (unsigned long)ts.tv_nsec;
}

__attribute__((noinline)) static void sleep_long(void) {
  struct timespec ts = {3600, 0};
  nanosleep(&ts, NULL);
  atomic_fetch_add(&tick_count, 0);
}

static void *sleeper_main(void *arg) {
  (void)arg;
  announce("sleeper");
  for (;;) sleep_long();
  return NULL;
}

__attribute__((noinline)) static void wait_for_signal(void) {
  pthread_mutex_lock(&mutex);
  while (!cond_flag) pthread_cond_wait(&cond, &mutex);
  cond_flag = 0;
  pthread_mutex_unlock(&mutex);
}

static void *condwait_main(void *arg) {
  (void)arg;
  announce("condwait");
  for (;;) {
    wait_for_signal();
    say("condwait woke\n");
  }
  return NULL;
}

__attribute__((noinline)) static long read_pipe(char *buf, size_t size) {
  long n = read(pipefd[0], buf, size);
  atomic_fetch_add(&tick_count, 0);
  return n;
}

static void *piperead_main(void *arg) {
  (void)arg;
  char buf[64];
  announce("piperead");
  for (;;) {
    long n = read_pipe(buf, sizeof buf - 1);
    if (n <= 0) return NULL;
    buf[n] = 0;
    say("piperead got %s\n", buf);
  }
  return NULL;
}

__attribute__((noinline)) static void spin(void) {
  unsigned long last = now_ns();
  for (;;) {
    unsigned long t = now_ns();
    unsigned long gap = t - last;
    if (gap > atomic_load(&max_gap_ns)) atomic_store(&max_gap_ns, gap);
    last = t;
    atomic_fetch_add(&busy_count, 1);
  }
}

static void *busy_main(void *arg) {
  (void)arg;
  announce("busy");
  spin();
  return NULL;
}

static void *ticker_main(void *arg) {
  (void)arg;
  announce("ticker");
  struct timespec ts = {0, 2000000};
  for (;;) {
    nanosleep(&ts, NULL);
    atomic_fetch_add(&tick_count, 1);
  }
  return NULL;
}

__attribute__((noinline)) static void block_forever(void) {
  pthread_mutex_lock(&never_mutex);
  for (;;) pthread_cond_wait(&never_cond, &never_mutex);
}

static void *blocked_main(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "blocked");
  block_forever();
  return NULL;
}

/* Extra busy threads (the benchmark's many-busy-threads case): they only burn CPU. */
static void *spinner_main(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "spinner");
  for (;;) atomic_fetch_add_explicit(&busy_count, 0, memory_order_relaxed);
  return NULL;
}

static void *short_lived_main(void *arg) {
  (void)arg;
  atomic_fetch_add(&tick_count, 0);
  return NULL;
}

static void *churn_main(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "churn");
  for (;;) {
    pthread_t t;
    if (pthread_create(&t, NULL, short_lived_main, NULL) == 0) pthread_join(t, NULL);
  }
  return NULL;
}

static void start(void *(*fn)(void *), size_t stack) {
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  if (stack) pthread_attr_setstacksize(&attr, stack);
  if (pthread_create(&t, &attr, fn, NULL) != 0) {
    perror("pthread_create");
    exit(1);
  }
  pthread_attr_destroy(&attr);
}

int main(int argc, char **argv) {
  long extra = argc > 1 ? atol(argv[1]) : 0;
  long spinners = argc > 2 ? atol(argv[2]) : 0;
  if (pipe(pipefd) != 0) return 1;
  say("thread %ld pthread_self=0x%lx role=%s\n", (long)gettid(), (unsigned long)pthread_self(), "main");
  start(sleeper_main, 0);
  start(condwait_main, 0);
  start(piperead_main, 0);
  start(busy_main, 0);
  start(ticker_main, 0);
  for (long i = 0; i < extra; i++) start(blocked_main, 64 * 1024);
  for (long i = 0; i < spinners; i++) start(spinner_main, 64 * 1024);
  while (atomic_load(&announced) < 5) usleep(1000);
  say("ready threads=%ld\n", 6 + extra + spinners);
  char line[64];
  while (fgets(line, sizeof line, stdin)) {
    if (!strncmp(line, "wake", 4)) {
      pthread_mutex_lock(&mutex);
      cond_flag = 1;
      pthread_cond_signal(&cond);
      pthread_mutex_unlock(&mutex);
      if (write(pipefd[1], "ping", 4) != 4) return 1;
    } else if (!strncmp(line, "count", 5)) {
      say("count busy=%lu ticks=%lu\n", atomic_load(&busy_count), atomic_load(&tick_count));
    } else if (!strncmp(line, "gap", 3)) {
      say("gap max_us=%lu\n", atomic_exchange(&max_gap_ns, 0) / 1000);
    } else if (!strncmp(line, "churn", 5)) {
      start(churn_main, 0);
      say("churning\n");
    } else if (!strncmp(line, "quit", 4)) {
      break;
    }
  }
  return 0;
}
