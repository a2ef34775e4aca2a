/* exit_group while worker threads are blocked in read(): the readers die inside their syscalls
 * ("<... read resumed> <unfinished ...>) = ?"). */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

enum { READERS = 3 };
static int never[2];

static void *reader(void *arg) {
  (void)arg;
  char byte;
  return (void *)(long)read(never[0], &byte, 1);
}

int main(void) {
  pthread_t threads[READERS];
  if (pipe(never) != 0) return 1;
  for (int i = 0; i < READERS; i++) pthread_create(&threads[i], NULL, reader, NULL);
  usleep(20000);
  exit(0);
}
