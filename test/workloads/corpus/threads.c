/* Several threads created and joined; one worker blocks in read() until main writes to its pipe.
 * Produces clone3 with CLONE_THREAD, futex waits and crossed unfinished/resumed pairs. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { WORKERS = 3 };
static int gate[2];

static void *busy_worker(void *arg) {
  char name[32];
  snprintf(name, sizeof name, "worker %ld\n", (long)arg);
  if (write(STDOUT_FILENO, name, strlen(name)) < 0) return NULL;
  usleep(1000);
  return NULL;
}

static void *blocked_reader(void *arg) {
  (void)arg;
  char byte;
  ssize_t n = read(gate[0], &byte, 1); /* blocks until main writes */
  return (void *)(long)n;
}

int main(void) {
  pthread_t workers[WORKERS], reader;
  if (pipe(gate) != 0) return 1;
  pthread_create(&reader, NULL, blocked_reader, NULL);
  for (long i = 0; i < WORKERS; i++) pthread_create(&workers[i], NULL, busy_worker, (void *)i);
  for (int i = 0; i < WORKERS; i++) pthread_join(workers[i], NULL);
  usleep(5000);
  if (write(gate[1], "x", 1) != 1) return 1;
  pthread_join(reader, NULL);
  puts("threads done");
  return 0;
}
