#!/usr/bin/env bash
# Shared set-up for demo.sh and test.sh: installs the Debian packages qstate builds with (when
# run as root; otherwise prints the command to run), and finds the shared corpus folder.
# Source it: `. scripts/setup.sh`; then call `qstate_install_packages` and use QSTATE_ROOT.
set -euo pipefail

QSTATE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export QSTATE_ROOT

# Everything the build, the tests and the examples need, from Debian.
QSTATE_PACKAGES=(
  g++ cmake make pkg-config
  libeigen3-dev libcli11-dev catch2 nlohmann-json3-dev
  libopenmpi-dev openmpi-bin libhwy-dev
  python3 python3-dev pybind11-dev python3-numpy python3-pytest python3-matplotlib python3-mpi4py
)

qstate_missing_packages() {
  local missing=()
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  echo "${missing[@]:-}"
}

qstate_install_packages() {
  local missing
  missing="$(qstate_missing_packages "${QSTATE_PACKAGES[@]}" "$@")"
  [ -z "$missing" ] && return 0
  echo "qstate: installing Debian packages: $missing" >&2
  local apt=(apt-get)
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      apt=(sudo apt-get)
    else
      echo "qstate: missing packages; run as root:  apt-get install -y $missing" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${apt[@]}" update -q >/dev/null
  # shellcheck disable=SC2086
  "${apt[@]}" install -y -q --no-install-recommends $missing >/dev/null
}

# The shared folder with corpus/ and bench/: $QSTATE_SHARED_DIR, ../shared, or /work/shared.
qstate_shared_dir() {
  for d in "${QSTATE_SHARED_DIR:-}" "$QSTATE_ROOT/../shared" /work/shared; do
    if [ -n "$d" ] && [ -f "$d/corpus/manifest.tsv" ]; then
      (cd "$d" && pwd)
      return 0
    fi
  done
  return 1
}

qstate_jobs() { nproc 2>/dev/null || echo 2; }
