/*
 * A process that attacks the terminal of whoever inspects it: its name, a thread's name and a zombie
 * child's name are escape sequences (retitle the window, clear the screen); its argv is whatever the
 * test passes. It never reaps the child, then sleeps until killed. Tests poll /proc for the names
 * and the zombie; nothing is printed.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

/* 12 bytes: fits in the 15 of a task name. */
static const char HOSTILE[] = "\033]2;PWN\a\033[2J";
static const char HOSTILE_THREAD[] = "\033[31mT\233\a";

static void *idle(void *arg) {
  (void)arg;
  prctl(PR_SET_NAME, HOSTILE_THREAD);
  for (;;) pause();
  return NULL;
}

int main(void) {
  signal(SIGTERM, SIG_DFL);
  pid_t child = fork();
  if (child == 0) {
    prctl(PR_SET_NAME, HOSTILE);
    _exit(7);
  }
  prctl(PR_SET_NAME, HOSTILE);
  pthread_t thread;
  if (pthread_create(&thread, NULL, idle, NULL) != 0) return 1;
  for (;;) pause();
}
