/* A child that exits and is never reaped: it is a zombie until the parent itself exits. */
#include <unistd.h>

int main(void) {
  if (fork() == 0) _exit(7);
  usleep(30000); /* the child is a zombie now; we exit without wait() */
  return 0;
}
