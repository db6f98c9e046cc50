#!/bin/sh
# The parameter-sweep benchmark (bench/RESULTS.md, "Parameter sweep"): B bindings of an N-qubit
# OpenQASM 3 ansatz with inputs, run as one sweep (`qstate run --params list.json`: parsed and
# planned once, one result per binding) and as B separate `qstate run --param ...` processes.
# Prints the wall and CPU time of each, REPEAT times, alternating.
#
#   bench/sweep.sh [QSTATE] [N=20] [LAYERS=2] [BINDINGS=100] [SHOTS=1000] [REPEAT=2]
#
# The ansatz: LAYERS x (ry(theta_l + c_i) on every qubit, a cx chain, rz(phi * d_i) on every
# qubit), then `c = measure q;` (LAYERS * (3N - 1) gates).
set -eu
QSTATE=${1:-build/release/apps/qstate}
N=${2:-20}
LAYERS=${3:-2}
BINDINGS=${4:-100}
SHOTS=${5:-1000}
REPEAT=${6:-2}
QSTATE=$(realpath "$QSTATE")
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

python3 - "$DIR" "$N" "$LAYERS" "$BINDINGS" <<'EOF'
import json, sys
d, n, layers, bindings = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
lines = ["OPENQASM 3.0;", 'include "stdgates.inc";']
lines += [f"input float[64] theta_{l};" for l in range(layers)] + ["input float[64] phi;"]
lines += [f"bit[{n}] c;", f"qubit[{n}] q;"]
for l in range(layers):
    lines += [f"ry(theta_{l} + {0.01 * i:.2f}) q[{i}];" for i in range(n)]
    lines += [f"cx q[{i}], q[{i + 1}];" for i in range(n - 1)]
    lines += [f"rz(phi * {1 + 0.1 * i:.1f}) q[{i}];" for i in range(n)]
lines.append("c = measure q;")
open(f"{d}/ansatz.qasm", "w").write("\n".join(lines) + "\n")
values = [{**{f"theta_{l}": 0.01 * j + 0.1 * l for l in range(layers)}, "phi": 0.02 * j}
          for j in range(bindings)]
json.dump(values, open(f"{d}/bindings.json", "w"))
with open(f"{d}/args.txt", "w") as f:
    for v in values:
        f.write(" ".join(f"--param {k}={x!r}" for k, x in v.items()) + "\n")
EOF

export QSTATE DIR SHOTS
echo "qubits=$N layers=$LAYERS gates=$((LAYERS * (3 * N - 1))) bindings=$BINDINGS shots=$SHOTS"
echo "(wall and CPU seconds: user + system of qstate and its children)"
r=1
while [ "$r" -le "$REPEAT" ]; do
  /usr/bin/time -f "repeat $r sweep:         wall %e s, cpu %U + %S s" \
    "$QSTATE" run "$DIR/ansatz.qasm" --params "$DIR/bindings.json" --shots "$SHOTS" --seed 1 \
    --output "$DIR/sweep.json"
  /usr/bin/time -f "repeat $r separate runs: wall %e s, cpu %U + %S s" sh -c '
    while read -r args; do
      $QSTATE run "$DIR/ansatz.qasm" $args --shots "$SHOTS" --seed 1 --output "$DIR/one.json" ||
        exit 1
    done <"$DIR/args.txt"'
  r=$((r + 1))
done
