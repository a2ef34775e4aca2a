/* Sockets for -y/-yy decorations: an IPv6 loopback listen/connect/accept and a UNIX socketpair
 * passing a file descriptor with SCM_RIGHTS. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int pass_fd(int sock, int fd) {
  char data = 'F';
  struct iovec iov = { &data, 1 };
  union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

int main(void) {
  int listener = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
  socklen_t len = sizeof addr;
  if (listener < 0 || bind(listener, (struct sockaddr *)&addr, len) != 0 || listen(listener, 1) != 0) return 1;
  getsockname(listener, (struct sockaddr *)&addr, &len);
  int client = socket(AF_INET6, SOCK_STREAM, 0);
  if (connect(client, (struct sockaddr *)&addr, len) != 0) return 1;
  int server = accept(listener, NULL, NULL);
  if (write(client, "ping", 4) != 4) return 1;
  char buf[8];
  if (read(server, buf, sizeof buf) < 0) return 1;

  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) return 1;
  int passed = open("/dev/null", O_RDONLY);
  if (pass_fd(pair[0], passed) != 0) return 1;
  char data;
  union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
  struct iovec iov = { &data, 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
  if (recvmsg(pair[1], &msg, 0) != 1) return 1;
  return 0;
}
