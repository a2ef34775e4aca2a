/* Signals: a SIGCHLD handler in the parent; a child stopped with SIGSTOP, resumed with SIGCONT, then
 * terminated with SIGTERM; a child killed with SIGKILL while blocked; a child that abort()s with
 * RLIMIT_CORE raised so it dumps core. The core file (core_pattern may be a file in the cwd) is
 * written in a private temp directory that the parent removes. */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t sigchld_count;
static void on_sigchld(int sig) { (void)sig; sigchld_count++; }

/* Returns once the child is blocked in pause(): a fixed sleep races on a loaded machine, and the
 * signals below must find it there. */
static void wait_until_paused(pid_t pid) {
  char path[64], buf[64];
  snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
  for (int i = 0; i < 5000; i++) {
    FILE *f = fopen(path, "r");
    if (f) {
      size_t n = fread(buf, 1, sizeof buf - 1, f);
      fclose(f);
      buf[n] = 0;
      if (atoi(buf) == SYS_pause) return;
    }
    usleep(1000);
  }
}

/* /proc/PID/status field NAME (e.g. "State:", "ShdPnd:") into buf; 0 when unreadable. */
static int status_field(pid_t pid, const char *name, char *buf, size_t size) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  int found = 0;
  while (!found && fgets(line, sizeof line, f)) {
    if (strncmp(line, name, strlen(name)) != 0) continue;
    snprintf(buf, size, "%s", line + strlen(name));
    found = 1;
  }
  fclose(f);
  return found;
}

/* Returns once the parent has had the SIGCHLD that reports the child's stop or continue (the kernel
 * sends CLD_STOPPED when the group stop completes, CLD_CONTINUED when the child runs again). */
static void wait_for_sigchld(int count) {
  for (int i = 0; i < 5000 && sigchld_count < count; i++) usleep(1000);
}

/* Returns once the child has taken SIGCONT off its pending sets and sleeps in pause() again. Under a
 * ptracer SIGCONT is queued (strace shows it arriving); a SIGTERM sent before the child dequeued it
 * would come out first (lower number) and SIGCONT would never be seen: a fixed sleep raced here. */
static void wait_until_continued(pid_t pid) {
  const unsigned long long sigcont = 1ULL << (SIGCONT - 1);
  char buf[128];
  for (int i = 0; i < 5000; i++) {
    unsigned long long shared = 0, own = 0;
    int ok = status_field(pid, "ShdPnd:", buf, sizeof buf) && sscanf(buf, "%llx", &shared) == 1;
    ok = ok && status_field(pid, "SigPnd:", buf, sizeof buf) && sscanf(buf, "%llx", &own) == 1;
    ok = ok && status_field(pid, "State:", buf, sizeof buf);
    if (ok && !((shared | own) & sigcont) && strchr(buf, 'S')) return;
    usleep(1000);
  }
}

static pid_t child_pausing(void) {
  pid_t pid = fork();
  if (pid == 0) { for (;;) pause(); }
  wait_until_paused(pid);
  return pid;
}

static void reap(pid_t pid, const char *what) {
  int status;
  while (waitpid(pid, &status, 0) < 0) {} /* EINTR from SIGCHLD is expected: retry */
  if (WIFSIGNALED(status))
    printf("%s: killed by %s%s\n", what, strsignal(WTERMSIG(status)), WCOREDUMP(status) ? " (core dumped)" : "");
  else
    printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  for (struct dirent *e; (e = readdir(d));) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  closedir(d);
  rmdir(dir);
}

int main(void) {
  struct sigaction sa = { .sa_handler = on_sigchld };
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, NULL);

  pid_t stopped = child_pausing();
  kill(stopped, SIGSTOP);
  wait_for_sigchld(1);
  kill(stopped, SIGCONT);
  wait_for_sigchld(2);
  wait_until_continued(stopped);
  kill(stopped, SIGTERM);
  reap(stopped, "stopped child");

  pid_t killed = child_pausing();
  usleep(10000);
  kill(killed, SIGKILL);
  reap(killed, "killed child");

  char dir[] = "/tmp/tasklens-core-XXXXXX";
  if (!mkdtemp(dir)) return 1;
  pid_t aborter = fork();
  if (aborter == 0) {
    struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
    setrlimit(RLIMIT_CORE, &unlimited);
    if (chdir(dir) != 0) _exit(1);
    abort();
  }
  reap(aborter, "aborting child");
  remove_tree(dir);
  printf("SIGCHLD handled %d times\n", (int)sigchld_count);
  return 0;
}
