#!/usr/bin/env python3
"""The gradient of an expectation value by the parameter-shift rule, checked against central
finite differences. For a gate exp(-i t P / 2) (RX, RY, RZ, RZZ, ...) whose parameter appears
once, dE/dt = (E(t + pi/2) - E(t - pi/2)) / 2 exactly; finite differences agree to O(h^2).

    python3 examples/python/param_shift.py [--check]
"""

import argparse
import math
import sys

import numpy as np

import qstate


def circuit(n):
    c = qstate.Circuit(n)
    k = 0
    for layer in range(2):
        for q in range(n):
            c.ry(f"t{k}", q)
            k += 1
            c.rz(f"t{k}", q)
            k += 1
        for q in range(n - 1):
            c.cx(q, q + 1)
        c.rzz(f"t{k}", 0, n - 1)
        k += 1
    return c


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qubits", type=int, default=4)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    n = args.qubits

    sim = qstate.Simulator()
    program = sim.compile(circuit(n))
    observable = qstate.PauliSum(
        [("Z" * n, 1.0), ("X" + "I" * (n - 2) + "X", 0.5), ("I" * (n - 1) + "Y", -0.3)])
    rng = np.random.default_rng(7)
    theta = rng.uniform(-math.pi, math.pi, len(program.parameters))

    def energy(t):
        return program.run(list(t)).expectation(observable)

    shift_grad = np.zeros(len(theta))
    fd_grad = np.zeros(len(theta))
    h = 1e-5
    for k in range(len(theta)):
        e = np.zeros(len(theta))
        e[k] = 1.0
        shift_grad[k] = 0.5 * (energy(theta + e * math.pi / 2) - energy(theta - e * math.pi / 2))
        fd_grad[k] = (energy(theta + e * h) - energy(theta - e * h)) / (2 * h)
    err = float(np.max(np.abs(shift_grad - fd_grad)))
    if sim.is_root:
        print(f"{len(theta)} parameters; E = {energy(theta):.8f}")
        print(f"|parameter shift - finite differences|_max = {err:.2e}")
        print(f"plans: {qstate.counters()['plans']}, runs: {qstate.counters()['runs']}")
    if args.check and err > 1e-6:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
