#!/usr/bin/env bash
# System packages of the multi-node tests (tests/experiments/test_cluster.py), from Debian/Ubuntu:
# redis-server (pyabc's Redis sampler) and SLURM with accounting (slurm-wlm, munge, slurmdbd on
# mariadb-server: submitit asks sacct for a job's state). Installs what is missing; nothing is
# started here (the tests start their own daemons, on their own ports, and stop them).
# Idempotent: does nothing when all are installed. Needs root (or sudo) and apt-get.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
have redis-server || need+=(redis-server)
{ have slurmctld && have slurmd && have sacct; } || need+=(slurm-wlm)
have slurmdbd || need+=(slurmdbd)
{ have munged && have mungekey; } || need+=(munge)
{ have mariadbd && have mariadb-install-db; } || need+=(mariadb-server)
[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: the multi-node tests need ${need[*]} (Debian/Ubuntu package names); install them with" \
       "your system's package manager" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: installing ${need[*]} needs root (or sudo)" >&2; exit 1; }
  sudo=(sudo)
fi
echo "Installing ${need[*]} for the multi-node tests (apt-get)"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
