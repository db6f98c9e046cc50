#!/usr/bin/env bash
# Communication benchmark: runs the shared benchmark circuits under mpirun at 2, 4 and 8 ranks
# (with measurements appended, so sampling's final remap is included) and prints one markdown
# table of what the run's own counters report (metadata.communication: remaps, and the most
# bytes any rank sent), beside the plan (qstate info --ranks) and the per-gate baseline
# (QuEST's way: a slice per non-diagonal gate on a global qubit, half a slice per SWAP).
# Usage: bench/comm.sh [build-dir] [circuits...]   (default: build/release, the 24-qubit set)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build/release}"
shift || true
shared="${QSTATE_SHARED_DIR:-$here/../shared}"
[ -d "$shared/bench" ] || shared=/work/shared
circuits=("$@")
[ ${#circuits[@]} -gt 0 ] || circuits=(qft_24 rand_24 ghz_28)
qstate="$build/apps/qstate"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "| circuit | ranks | remaps | sent per rank (measured) | slices | planned | per-gate baseline | baseline / qstate |"
echo "|---|---|---|---|---|---|---|---|"
for c in "${circuits[@]}"; do
  src="$shared/bench/$c.qasm"
  n=$(sed -n 's/^qreg q\[\([0-9]*\)\];/\1/p' "$src")
  file="$tmp/$c.qasm"
  { cat "$src"; echo "creg c[$n];"; echo "measure q -> c;"; } > "$file"
  for p in 2 4 8; do
    mpirun --oversubscribe -np "$p" "$qstate" run "$file" --shots 1000 --seed 1 \
      --precision single --output "$tmp/out.json" 2>/dev/null
    "$qstate" info "$file" --ranks "$p" --precision single --format json > "$tmp/info.json"
    python3 - "$c" "$p" "$tmp/out.json" "$tmp/info.json" <<'PY'
import json, sys
name, ranks, out, info = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
comm = json.load(open(out))["metadata"]["communication"]
d = json.load(open(info))["distribution"]
mib = lambda b: f"{b / 2**20:.1f} MiB"
slices = comm["bytes_sent"] / d["slice_bytes"]
base = d["per_gate_bytes_per_rank"]
ratio = base / comm["bytes_sent"] if comm["bytes_sent"] else float("inf")
print(f"| {name} | {ranks} | {comm['remaps']} | {mib(comm['bytes_sent'])} | {slices:.3f} | "
      f"{mib(d['bytes_sent_per_rank'])} | {mib(base)} ({d['per_gate_slices']:g} slices) | {ratio:.1f}x |")
PY
  done
done
