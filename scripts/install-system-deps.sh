#!/usr/bin/env bash
# The system packages tasklens needs on Debian/Ubuntu, checked and (as root) installed.
#   install-system-deps.sh            install what is missing for running and testing
#   install-system-deps.sh --runtime  only what the tool itself runs (strace, perf, gcc and libc headers)
#   install-system-deps.sh --check    print the missing packages, install nothing (exit 1 if any)
# Safe to re-run; does nothing when everything is present.
set -euo pipefail
check=0
runtime=0
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    --runtime) runtime=1 ;;
    *) echo "usage: $0 [--check] [--runtime]" >&2; exit 2 ;;
  esac
done

need=()
# Running: strace is the capture engine; gcc and libc headers build the labs and test workloads.
command -v strace >/dev/null 2>&1 || need+=(strace)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
[ -e /usr/include/pthread.h ] || need+=(libc6-dev)
# perf records and reads the scheduler tracepoints of `tasklens sched` (and its correctness test).
command -v perf >/dev/null 2>&1 || need+=(linux-perf)
if [ "$runtime" -eq 0 ]; then
  # Testing and benchmarks: kernel headers check the knowledge base; man pages check that our text is
  # our own; eu-stack and gdb are the snapshot baselines; ps is the baseline of `tasklens ps`.
  [ -e /usr/include/x86_64-linux-gnu/asm/unistd_64.h ] || need+=(linux-libc-dev)
  command -v eu-stack >/dev/null 2>&1 || need+=(elfutils)
  # g++ builds the C++ workload whose snapshot is checked for demangled names and source lines.
  command -v g++ >/dev/null 2>&1 || need+=(g++)
  command -v gdb >/dev/null 2>&1 || need+=(gdb)
  command -v ps >/dev/null 2>&1 || need+=(procps)
  # python3's pty module plays the job-control shell in the run tests; wild logs trace python3 too.
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  # bpftrace is the kernel-tracepoint engine (trace --engine bpf, watch) and its tests.
  command -v bpftrace >/dev/null 2>&1 || need+=(bpftrace)
  [ -e /usr/share/man/man2/read.2.gz ] || need+=(manpages-dev)
  # The report tests open the HTML report in Debian's headless Chromium (driven by playwright-core,
  # which downloads no browser of its own).
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$check" -eq 1 ]; then
  echo "${need[*]}"
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "tasklens needs: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "installing system packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
