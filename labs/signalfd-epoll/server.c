/*
 * signalfd-epoll lab: a single-threaded event loop that receives signals as data. SIGTERM and SIGINT
 * are blocked, so they are never delivered asynchronously; a signalfd makes them readable, and epoll
 * waits on it together with a timerfd that stands for the server's periodic work. On SIGTERM (sent
 * by the lab) the loop ends, the descriptors are closed and the server exits 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

static int fail(const char *what)
{
    perror(what);
    return 1;
}

int main(void)
{
    /* Safety net: if the lab that should send SIGTERM dies, SIGALRM ends us within 30 s. */
    alarm(30);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0)
        return fail("sigprocmask");
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
    if (sfd < 0)
        return fail("signalfd");
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (tfd < 0)
        return fail("timerfd_create");
    struct itimerspec every = { { 0, 50 * 1000000L }, { 0, 50 * 1000000L } };
    if (timerfd_settime(tfd, 0, &every, NULL) != 0)
        return fail("timerfd_settime");
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        return fail("epoll_create1");
    struct epoll_event ev = { .events = EPOLLIN };
    ev.data.fd = sfd;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) != 0)
        return fail("epoll_ctl signalfd");
    ev.data.fd = tfd;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev) != 0)
        return fail("epoll_ctl timerfd");

    printf("ready pid=%d signalfd=%d timerfd=%d epoll=%d\n", (int)getpid(), sfd, tfd, ep);
    fflush(stdout);
    int ticks = 0;
    for (;;) {
        struct epoll_event ready[4];
        int n = epoll_wait(ep, ready, 4, -1);
        if (n < 0)
            return fail("epoll_wait");
        for (int i = 0; i < n; i++) {
            if (ready[i].data.fd == tfd) {
                uint64_t expirations;
                if (read(tfd, &expirations, sizeof expirations) == sizeof expirations)
                    ticks += (int)expirations;
                continue;
            }
            struct signalfd_siginfo info;
            if (read(sfd, &info, sizeof info) != sizeof info)
                return fail("read signalfd");
            printf("server: %s from pid %u after %d ticks; shutting down\n", info.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT", info.ssi_pid, ticks);
            fflush(stdout);
            close(ep);
            close(tfd);
            close(sfd);
            return 0;
        }
    }
}
