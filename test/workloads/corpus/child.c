/* The program the other workloads exec (statically linked, so its trace is short):
 *   child exit N      exit with status N
 *   child echo WORDS  print WORDS
 *   child upper       copy stdin to stdout in upper case */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "exit") == 0) return atoi(argv[2]);
  if (argc >= 2 && strcmp(argv[1], "echo") == 0) {
    for (int i = 2; i < argc; i++) {
      if (write(STDOUT_FILENO, argv[i], strlen(argv[i])) < 0) return 1;
      if (write(STDOUT_FILENO, i + 1 < argc ? " " : "\n", 1) < 0) return 1;
    }
    return 0;
  }
  if (argc >= 2 && strcmp(argv[1], "upper") == 0) {
    char buf[256];
    ssize_t n;
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) {
      for (ssize_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
      if (write(STDOUT_FILENO, buf, (size_t)n) != n) return 1;
    }
    return n < 0;
  }
  return 2;
}
