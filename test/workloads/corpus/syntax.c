/* Data that looks like strace syntax, so parsers that classify lines by substring break: writes
 * (to stdout, so a mixed capture splices them into trace lines), odd bytes, and a file whose name holds
 * <, >, a newline, quotes, a backslash and UTF-8, opened so -y decorates the fd with it. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say(const char *text, size_t len) {
  if (write(STDOUT_FILENO, text, len) < 0) exit(1);
}

int main(void) {
  static const char *lines[] = {
    ") = 0\n",
    "read(3,  <unfinished ...>\n",
    "<... read resumed>) = 1\n",
    "--- SIGX {si_signo=SIGX} ---\n",
    "+++ exited with 0 +++\n",
    "+++ killed by SIGKILL (core dumped) +++\n",
    "strace: Process 1 attached\n",
    "[pid  1] quote \" and backslash \\ and \\\" done\n",
    "12345 write(1, \"x\", 1) = 1\n",
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) say(lines[i], strlen(lines[i]));
  static const char octalish[] = "ab\0001c\1" "7\377\200 tab\tcr\r";
  say(octalish, sizeof octalish - 1);
  say("caf\303\251 \342\234\223\n", 10);

  /* Relative to the working directory (the corpus binary directory), so logs carry no machine paths;
   * a run whose unlink is refused by fault injection leaves it behind for the generator to remove. */
  char dir[] = "tasklens-syntax-XXXXXX";
  if (!mkdtemp(dir)) return 1;
  char path[256];
  snprintf(path, sizeof path, "%s/we<ird>\nname \"q\" \\ \303\251", dir);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return 1;
  if (write(fd, ") = ? <unfinished ...>", 22) != 22) return 1;
  lseek(fd, 0, SEEK_SET);
  char back[64];
  if (read(fd, back, sizeof back) < 0) return 1;
  close(fd);
  unlink(path);
  rmdir(dir);
  return 0;
}
