/*
 * rlimits lab: what RLIMIT_STACK and RLIMIT_NPROC do.
 *  1. Set RLIMIT_STACK to 1 MiB and re-exec itself: glibc reads the limit at start-up, so from now on
 *     every pthread gets a 1 MiB stack (plus a guard page) instead of the usual 8 MiB.
 *  2. Create one thread and join it: its stack mapping shows the size.
 *  3. Fork a child whose thread recurses without end: it runs into the guard page below its 1 MiB
 *     stack and the child dies of SIGSEGV.
 *  4. Fork a child that sets RLIMIT_NPROC to 4, drops to an unprivileged UID (root is exempt from the
 *     limit) and forks until fork fails with EAGAIN; its children wait on a pipe and all are reaped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_LIMIT (1024 * 1024)
#define NPROC_LIMIT 4
#define UNPRIVILEGED_UID 65534

static void *idle(void *arg) { return arg; }

static int depth(int n) {
  volatile char frame[512];
  frame[0] = (char)n;
  return depth(n + 1) + frame[0];
}

static void *recurse(void *arg) {
  (void)arg;
  depth(0);
  return NULL;
}

static void thread_stack(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, idle, NULL) != 0) { perror("pthread_create"); exit(1); }
  pthread_join(t, NULL);
}

static void overflow(void) {
  pid_t pid = fork();
  if (pid == 0) {
    pthread_t t;
    if (pthread_create(&t, NULL, recurse, NULL) != 0) _exit(1);
    pthread_join(t, NULL);
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) printf("overflow child %d killed by signal %d\n", pid, WTERMSIG(status));
  else printf("overflow child %d exited %d\n", pid, WEXITSTATUS(status));
}

static void nproc(void) {
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit lim = { NPROC_LIMIT, NPROC_LIMIT };
    if (setrlimit(RLIMIT_NPROC, &lim) != 0) { perror("setrlimit"); _exit(1); }
    if (getuid() == 0 && setuid(UNPRIVILEGED_UID) != 0) { perror("setuid"); _exit(1); }
    int fds[2];
    if (pipe(fds) != 0) _exit(1);
    int made = 0;
    for (int i = 0; i < 2 * NPROC_LIMIT; i++) {
      pid_t c = fork();
      if (c < 0) { printf("fork %d failed: %s\n", i + 1, strerror(errno)); break; }
      if (c == 0) { char b; close(fds[1]); while (read(fds[0], &b, 1) > 0) {} _exit(0); }
      made++;
    }
    close(fds[1]);
    while (wait(NULL) > 0) {}
    printf("made %d children under RLIMIT_NPROC=%d\n", made, NPROC_LIMIT);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0); /* children end with _exit: nothing may wait in a buffer */
  if (argc < 2 || strcmp(argv[1], "limited") != 0) {
    struct rlimit lim;
    getrlimit(RLIMIT_STACK, &lim);
    lim.rlim_cur = STACK_LIMIT;
    if (setrlimit(RLIMIT_STACK, &lim) != 0) { perror("setrlimit"); return 1; }
    execl("/proc/self/exe", argv[0], "limited", (char *)NULL);
    perror("execl");
    return 1;
  }
  thread_stack();
  overflow();
  nproc();
  return 0;
}
