/*
 * thread-vs-process lab, the thread side: one pthread_create and one pthread_join.
 * Both tasks print their process id (TGID), their kernel thread id (TID) and pthread_self(), so the
 * trace can be read next to what the program itself saw.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg)
{
    (void)arg;
    printf("thread: pid=%d tid=%d pthread_self=0x%lx\n", (int)getpid(), (int)gettid(), (unsigned long)pthread_self());
    fflush(stdout);
    return NULL;
}

int main(void)
{
    printf("main:   pid=%d tid=%d pthread_self=0x%lx\n", (int)getpid(), (int)gettid(), (unsigned long)pthread_self());
    fflush(stdout);
    pthread_t thread;
    int err = pthread_create(&thread, NULL, worker, NULL);
    if (err != 0) {
        fprintf(stderr, "pthread_create failed: error %d\n", err);
        return 1;
    }
    err = pthread_join(thread, NULL);
    if (err != 0) {
        fprintf(stderr, "pthread_join failed: error %d\n", err);
        return 1;
    }
    printf("main:   joined thread 0x%lx\n", (unsigned long)thread);
    return 0;
}
