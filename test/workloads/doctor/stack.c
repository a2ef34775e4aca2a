/* stack-overflow: a thread with a 64 KiB stack recurses. bug: without end (SIGSEGV in the guard page);
 * ok: 8 levels deep. */
#include <pthread.h>
#include "common.h"
static int depth_limit;
static int recurse(int n) {
  volatile char frame[256];
  frame[0] = (char)n;
  if (depth_limit > 0 && n >= depth_limit) return frame[0];
  return recurse(n + 1) + frame[0];
}
static void *run(void *arg) { (void)arg; return (void *)(long)recurse(0); }
int main(int argc, char **argv) {
  depth_limit = bug_mode(argc, argv) ? 0 : 8;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 65536);
  pthread_t t;
  pthread_create(&t, &attr, run, NULL);
  pthread_join(t, NULL);
  return 0;
}
