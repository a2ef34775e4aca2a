/* A long-running multithreaded target for attach (-p) captures: the main thread sleeps, one thread
 * blocks in read(), one in nanosleep; it exits on SIGTERM or after 10 seconds. */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static int never[2];

static void *reader(void *arg) {
  (void)arg;
  char byte;
  return (void *)(long)read(never[0], &byte, 1);
}

static void *napper(void *arg) {
  (void)arg;
  for (;;) usleep(100000);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  if (pipe(never) != 0) return 1;
  pthread_create(&a, NULL, reader, NULL);
  pthread_create(&b, NULL, napper, NULL);
  for (int i = 0; i < 100; i++) usleep(100000);
  return 0;
}
