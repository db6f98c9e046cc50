#!/usr/bin/env bash
# One command for a new user: installs what is missing, builds qstate (Release) and runs two
# examples, printing their JSON: a Bell pair with shots, and a file as Qiskit exports it.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
qstate_install_packages

cd "$QSTATE_ROOT"
cmake --preset release -DQSTATE_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release -j "$(qstate_jobs)" --target qstate >/dev/null
QSTATE="$QSTATE_ROOT/build/release/apps/qstate"

echo "== qstate run examples/bell.qasm --shots 1024 --seed 7"
"$QSTATE" run examples/bell.qasm --shots 1024 --seed 7
echo
echo "== qstate run examples/qiskit_export.qasm --shots 2048 --seed 7 --observable ZZZZ"
"$QSTATE" run examples/qiskit_export.qasm --shots 2048 --seed 7 --observable ZZZZ
