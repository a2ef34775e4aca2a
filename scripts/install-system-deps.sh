#!/usr/bin/env bash
# Installs the system tools tasklens needs (strace, gcc, libc headers, elfutils for the snapshot
# benchmark, gdb as a comparison baseline) on Debian/Ubuntu. Safe to re-run; does nothing when all are present.
set -euo pipefail
need=()
command -v strace >/dev/null 2>&1 || need+=(strace)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
[ -e /usr/include/pthread.h ] || need+=(libc6-dev)
[ -e /usr/include/x86_64-linux-gnu/asm/unistd_64.h ] || need+=(linux-libc-dev)
command -v eu-stack >/dev/null 2>&1 || need+=(elfutils)
command -v gdb >/dev/null 2>&1 || need+=(gdb)
command -v ps >/dev/null 2>&1 || need+=(procps)
[ -e /usr/share/man/man2/read.2.gz ] || need+=(manpages-dev)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "tasklens needs: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "installing system packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
