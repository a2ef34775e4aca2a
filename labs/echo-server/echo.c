/*
 * echo-server lab: a TCP echo server on 127.0.0.1 built on signalfd + epoll, with graceful shutdown.
 * The listening socket, every client and the signalfd sit in one epoll set. Three client processes
 * (forked first) each send 4 chunks of 1000 bytes, 20 ms apart, wait until the server has taken
 * SIGTERM (a pipe it closes then), send 4 more, then half-close and read the echo back until EOF.
 * Once all three are connected the server prints "ready pid=N" and the lab sends SIGTERM: the
 * signal always lands mid-stream. The server then stops accepting (closes the listening socket), keeps echoing until each
 * client has finished and closed, closes the signalfd and epoll, reaps the clients and exits 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLIENTS 3
#define CHUNKS 8
#define CHUNK 1000

static int client(int id, unsigned short port, int go) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("connect"); return 1; }
  char buf[CHUNK];
  memset(buf, 'a' + id, sizeof buf);
  long sent = 0, got = 0;
  for (int i = 0; i < CHUNKS; i++) {
    if (i == CHUNKS / 2) { char b; while (read(go, &b, 1) > 0) {} } /* EOF: the server got SIGTERM */
    ssize_t n = write(s, buf, sizeof buf);
    if (n > 0) sent += n;
    usleep(20000);
  }
  shutdown(s, SHUT_WR);
  char in[4096];
  ssize_t n;
  while ((n = read(s, in, sizeof in)) > 0) got += n;
  close(s);
  printf("client %d got %ld of %ld bytes\n", id, got, sent);
  return got == sent ? 0 : 1;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  alarm(30); /* safety net if the lab never sends SIGTERM */
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 16) != 0 ||
      getsockname(lfd, (struct sockaddr *)&addr, &len) != 0) { perror("listen"); return 1; }
  unsigned short port = ntohs(addr.sin_port);
  int go[2];
  if (pipe2(go, O_CLOEXEC) != 0) { perror("pipe2"); return 1; }
  pid_t kids[CLIENTS];
  for (int i = 0; i < CLIENTS; i++) {
    kids[i] = fork();
    if (kids[i] == 0) { close(lfd); close(go[1]); _exit(client(i, port, go[0])); }
  }
  close(go[0]);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = { .events = EPOLLIN };
  ev.data.fd = lfd;
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  ev.data.fd = sfd;
  epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
  int accepted = 0, open_clients = 0, draining = 0;
  while (!draining || open_clients > 0) {
    struct epoll_event events[8];
    int n = epoll_wait(ep, events, 8, -1);
    if (n < 0) { if (errno == EINTR) continue; perror("epoll_wait"); return 1; }
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == lfd) {
        int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0) continue;
        ev.data.fd = c;
        epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
        open_clients++;
        if (++accepted == CLIENTS) printf("ready pid=%d\n", getpid());
      } else if (fd == sfd) {
        struct signalfd_siginfo si;
        if (read(sfd, &si, sizeof si) == sizeof si && !draining) {
          draining = 1;
          close(lfd); /* stop accepting; connected clients are served to the end */
          close(go[1]); /* lets the clients send their second half */
        }
      } else {
        char buf[4096];
        ssize_t r = read(fd, buf, sizeof buf);
        if (r > 0) {
          for (ssize_t off = 0; off < r;) {
            ssize_t w = write(fd, buf + off, r - off);
            if (w <= 0) break;
            off += w;
          }
        } else {
          close(fd); /* also leaves the epoll set */
          open_clients--;
        }
      }
    }
  }
  close(sfd);
  close(ep);
  int all_ok = 1;
  for (int i = 0; i < CLIENTS; i++) {
    int status;
    waitpid(kids[i], &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) all_ok = 0;
  }
  return all_ok ? 0 : 1;
}
