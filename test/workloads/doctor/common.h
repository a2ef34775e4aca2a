/* Shared by the doctor workloads: argv[1] is "bug" (the program commits the rule's bug) or "ok" (its
 * healthy twin, which must produce no warning or error). */
#include <string.h>
#include <time.h>
static inline int bug_mode(int argc, char **argv) { return argc > 1 && strcmp(argv[1], "bug") == 0; }
static inline int mode_is(int argc, char **argv, const char *m) { return argc > 1 && strcmp(argv[1], m) == 0; }
static inline void sleep_ms(long ms) { struct timespec t = { ms / 1000, (ms % 1000) * 1000000L }; while (nanosleep(&t, &t) != 0) {} }
