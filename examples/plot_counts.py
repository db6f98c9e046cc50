#!/usr/bin/env python3
"""Draws a histogram of counts to a PNG with matplotlib (Agg backend: no display needed).

    python3 examples/plot_counts.py                       # a 3-qubit GHZ circuit, counts.png
    python3 examples/plot_counts.py examples/bell.qasm --shots 2000 --output bell.png

Under mpirun every rank simulates its part; only rank 0 draws.
"""

import argparse
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import qstate  # noqa: E402


def ghz(n=3):
    c = qstate.Circuit(n, n)
    c.h(0)
    for q in range(n - 1):
        c.cx(q, q + 1)
    for q in range(n):
        c.measure(q, q)
    return c


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qasm", nargs="?", help="OpenQASM file (default: a GHZ circuit)")
    parser.add_argument("--shots", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", default="counts.png")
    args = parser.parse_args()

    circuit = qstate.Circuit.from_file(args.qasm) if args.qasm else ghz()
    sim = qstate.Simulator()
    result = sim.execute(circuit, shots=args.shots, seed=args.seed)
    if not sim.is_root:
        return 0
    keys = sorted(result.counts)
    fig, ax = plt.subplots(figsize=(max(4, 0.6 * len(keys) + 2), 3.5))
    bars = ax.bar(keys, [result.counts[k] for k in keys], color="#4C72B0")
    ax.bar_label(bars)
    ax.set_xlabel("outcome (Qiskit's key order)")
    ax.set_ylabel("counts")
    ax.set_title(f"{args.qasm or 'GHZ(3)'}: {args.shots} shots, seed {args.seed}")
    plt.setp(ax.get_xticklabels(), rotation=45 if len(keys) > 8 else 0)
    fig.tight_layout()
    fig.savefig(args.output, dpi=100)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
