/* A child that exits and is never reaped: it is a zombie until the parent itself exits. */
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t child = fork();
  if (child == 0) _exit(7);
  /* Wait for the child's exit but leave it waitable (WNOWAIT): from here on it is a zombie while we
     live, however slow the machine (a sleep alone let the parent exit first under load). */
  siginfo_t info;
  waitid(P_PID, child, &info, WEXITED | WNOWAIT);
  usleep(30000); /* the child stays a zombie; we exit without reaping it */
  return 0;
}
