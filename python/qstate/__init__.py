"""qstate: a state-vector simulator for research scripts, on one process or under mpirun.

    import qstate
    c = qstate.Circuit(2)
    c.ry("theta", 0).cx(0, 1)
    sim = qstate.Simulator()
    prog = sim.compile(c)                      # parse and plan once
    state = prog.run({"theta": 0.3})           # bind and run: no re-planning
    state.expectation("ZZ - 0.5*XX")           # one pass per Pauli term
    state.probabilities([0])                   # numpy array, marginal of qubit 0

Under ``mpirun -np 4 python3 script.py`` the state is split across the ranks and every call
returns the same value on every rank (print on ``sim.is_root`` only). Mistakes raise
``qstate.Error`` (a ``ValueError``). ``qstate.qiskit`` converts results for Qiskit.
"""

from ._qstate import (  # noqa: F401
    Circuit,
    CompiledCircuit,
    Error,
    Param,
    PauliSum,
    Register,
    Result,
    Simulator,
    State,
    counters,
    counts_key_to_hex,
    reset_counters,
    __version__,
)
from . import qiskit  # noqa: F401

__all__ = [
    "Circuit",
    "CompiledCircuit",
    "Error",
    "Param",
    "PauliSum",
    "Register",
    "Result",
    "Simulator",
    "State",
    "counters",
    "counts_key_to_hex",
    "reset_counters",
    "qiskit",
]
