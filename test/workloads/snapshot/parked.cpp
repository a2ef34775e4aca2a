// C++ threads parked in pause() under a namespaced template, a free function and std::thread's
// own frames: demangled names, source lines (built with -g) and identical stacks to group.
// Usage: parked [THREADS]; it prints nothing: tests poll /proc until every worker is in pause().
#include <unistd.h>

#include <cstdlib>
#include <thread>
#include <vector>

namespace tasklens_test {

template <typename T>
struct Parker {
  __attribute__((noinline)) void park(T id) {
    for (;;) pause();  // PARK_LINE
    (void)id;
  }
};

__attribute__((noinline)) void worker(int id) {
  Parker<int> parker;
  parker.park(id);  // WORKER_LINE
}

}  // namespace tasklens_test

int main(int argc, char **argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 4;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; i++) threads.emplace_back(tasklens_test::worker, i);
  for (;;) pause();
}
