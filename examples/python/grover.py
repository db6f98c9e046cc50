#!/usr/bin/env python3
"""Grover search over 2^n items for one marked item: the oracle flips the sign of |marked>
(X gates around a multi-controlled Z), the diffuser reflects about the uniform state;
floor(pi/4 sqrt(2^n)) rounds make the marked item the most likely outcome.

    python3 examples/python/grover.py [--qubits 4] [--marked 11] [--check]
"""

import argparse
import math
import sys

import numpy as np

import qstate

MCX = {2: "cx", 3: "ccx", 4: "c3x", 5: "c4x"}  # multi-controlled X by qubit count


def mcz(c, n):
    """Z on |1...1> of n qubits: H on the last qubit around a multi-controlled X."""
    c.h(n - 1)
    c.gate(MCX[n], list(range(n)))
    c.h(n - 1)


def grover(n, marked, rounds):
    c = qstate.Circuit(n, n)
    for q in range(n):
        c.h(q)
    for _ in range(rounds):
        zeros = [q for q in range(n) if not (marked >> q) & 1]
        for q in zeros:
            c.x(q)
        mcz(c, n)
        for q in zeros:
            c.x(q)
        for q in range(n):
            c.h(q).x(q)
        mcz(c, n)
        for q in range(n):
            c.x(q).h(q)
    for q in range(n):
        c.measure(q, q)
    return c


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qubits", type=int, default=4, choices=sorted(MCX))
    parser.add_argument("--marked", type=int, default=11)
    parser.add_argument("--shots", type=int, default=1000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    n, marked = args.qubits, args.marked % (2**args.qubits)
    rounds = math.floor(math.pi / 4 * math.sqrt(2**n))

    sim = qstate.Simulator()
    program = sim.compile(grover(n, marked, rounds))
    p = program.run().probabilities()
    result = program.execute(args.shots, seed=1)
    top = max(result.counts, key=result.counts.get)
    if sim.is_root:
        print(f"{n} qubits, marked {marked:0{n}b}, {rounds} rounds")
        print(f"P(marked) = {p[marked]:.4f}; most frequent of {args.shots} shots: {top} "
              f"({result.counts[top]} times)")
    if args.check and (int(np.argmax(p)) != marked or int(top, 2) != marked):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
