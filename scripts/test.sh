#!/usr/bin/env bash
# One command for the whole test suite: installs what is missing, builds and runs every test
# (unit, cross-check against the reference simulator and the shared corpus, CLI, MPI), again on
# the engine's other paths (each SIMD path, cache blocking off and with tiny blocks, fusion off),
# then builds the unit tests with address + undefined-behaviour sanitizers and runs them.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
qstate_install_packages

cd "$QSTATE_ROOT"
shared_args=()
if shared="$(qstate_shared_dir)"; then
  shared_args=(-DQSTATE_SHARED_DIR="$shared")
else
  echo "qstate: the shared corpus folder was not found (set QSTATE_SHARED_DIR)" >&2
  exit 1
fi
jobs="$(qstate_jobs)"

echo "== release build and tests"
cmake --preset release "${shared_args[@]}" >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"

echo "== the same checks on the engine's other paths (every one must give the same results)"
variants=("QSTATE_SIMD=scalar" "QSTATE_BLOCKING=0" "QSTATE_BLOCK_QUBITS=3" "QSTATE_FUSION=0")
grep -qw avx2 /proc/cpuinfo && variants+=("QSTATE_SIMD=avx2")
for v in "${variants[@]}"; do
  echo "-- $v"
  env "$v" ctest --preset release -j "$jobs" -L 'unit|crosscheck' --output-on-failure | tail -n 3
done
echo "-- QSTATE_BLOCK_QUBITS=3, MPI"
# (Not the CLI goldens: they hold the default engine's exact bytes, pass counts included, and
# other block sizes stage and block differently; their results are checked above.)
env QSTATE_BLOCK_QUBITS=3 ctest --preset release -j "$jobs" -L mpi -E 'cli golden' \
  --output-on-failure | tail -n 3

echo "== sanitizer build (address + undefined) of the unit tests"
cmake --preset asan "${shared_args[@]}" >/dev/null
cmake --build --preset asan -j "$jobs" --target unit_tests
ctest --preset asan -j "$jobs" -L unit
echo "== all tests passed"
