#!/usr/bin/env python3
"""QAOA for MaxCut on a small graph: the cost layer exp(-i gamma C) is one RZZ per edge, the
mixer one RX per qubit. The p = 1 landscape is scanned on a grid (one compiled circuit, one
state, re-bound for every point), refined by gradient descent, and the best angles are sampled;
the most frequent bit string is checked against the brute-force maximum cut.

    python3 examples/python/qaoa_maxcut.py [--check]
"""

import argparse
import itertools
import math
import sys

import numpy as np

import qstate

# A 5-node graph: a ring 0-1-2-3-4-0 plus the chord 0-2.
EDGES = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (0, 2)]
N = 5


def cut_value(bits):
    return sum(1 for i, j in EDGES if ((bits >> i) & 1) != ((bits >> j) & 1))


def qaoa_circuit(p):
    c = qstate.Circuit(N)
    for q in range(N):
        c.h(q)
    for layer in range(p):
        gamma, beta = qstate.Param(f"g{layer}"), qstate.Param(f"b{layer}")
        for i, j in EDGES:
            c.rzz(2 * gamma, i, j)  # exp(-i gamma Z_i Z_j)
        for q in range(N):
            c.rx(2 * beta, q)
    return c


def cost_operator():
    """C = sum over edges of (1 - Z_i Z_j) / 2: the cut size, to be maximised."""
    terms = [("I" * N, 0.5 * len(EDGES))]
    for i, j in EDGES:
        label = ["I"] * N
        label[N - 1 - i] = label[N - 1 - j] = "Z"
        terms.append(("".join(label), -0.5))
    return qstate.PauliSum(terms)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", type=int, default=24)
    parser.add_argument("--shots", type=int, default=2000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    sim = qstate.Simulator()
    cost = cost_operator()
    program = sim.compile(qaoa_circuit(1))

    def expected_cut(g, b):
        return program.run({"g0": g, "b0": b}).expectation(cost)

    grid = np.linspace(0, math.pi, args.grid, endpoint=False)
    best = max(((expected_cut(g, b), g, b) for g in grid for b in grid / 2))
    value, g, b = best
    step = 1e-4
    for _ in range(100):  # gradient ascent by central differences
        dg = (expected_cut(g + step, b) - expected_cut(g - step, b)) / (2 * step)
        db = (expected_cut(g, b + step) - expected_cut(g, b - step)) / (2 * step)
        g, b = g + 0.05 * dg, b + 0.05 * db
    value = expected_cut(g, b)

    state = program.run({"g0": g, "b0": b})
    counts = state.counts(args.shots, seed=2024)
    top = max(counts, key=counts.get)
    max_cut = max(cut_value(x) for x in range(2**N))
    winners = [format(x, f"0{N}b") for x in range(2**N) if cut_value(x) == max_cut]
    if sim.is_root:
        print(f"grid {args.grid}x{args.grid}: {args.grid**2} evaluations on one compiled circuit")
        print(f"gamma {g:.4f}, beta {b:.4f}: expected cut {value:.4f} (maximum {max_cut}, "
              f"ratio {value / max_cut:.3f})")
        print(f"most frequent of {args.shots} shots: {top} (cut {cut_value(int(top, 2))}); "
              f"maximum cuts: {', '.join(winners)}")
    if args.check and (cut_value(int(top, 2)) != max_cut or value / max_cut < 0.7):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
