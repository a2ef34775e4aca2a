/* execve from a non-leader thread: the kernel kills the other threads, the exec'ing thread takes over
 * the leader's TID, and strace prints "+++ superseded by execve in pid N +++". */
#include <pthread.h>
#include <unistd.h>

static void *exec_from_thread(void *arg) {
  (void)arg;
  usleep(20000);
  execl("./child", "child", "exit", "0", (char *)NULL);
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, exec_from_thread, NULL);
  pause(); /* the leader is blocked here when the thread execs */
  return 1;
}
