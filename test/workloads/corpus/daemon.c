/* Classic daemonising double fork: the middle child calls setsid and forks the daemon, then exits; the
 * original parent reaps the middle child; the daemon (re-parented to init or a subreaper) runs a while. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t middle = fork();
  if (middle == 0) {
    setsid();
    if (fork() != 0) _exit(0);
    if (chdir("/") != 0) _exit(1);
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, STDIN_FILENO);
    dup2(devnull, STDOUT_FILENO);
    usleep(50000);
    _exit(0);
  }
  int status;
  waitpid(middle, &status, 0);
  return 0;
}
