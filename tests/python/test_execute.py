"""CompiledCircuit.execute / Simulator.execute with every output (the path `qstate run` takes),
on one process and, under mpiexec, on every rank: counts, memory, probabilities and statevector
(numpy), expectation values, seeds, metadata (fusion, timings), check_memory, the
statevector file, errors. On one process also against the qstate CLI's own JSON."""

import json
import os
import subprocess

import numpy as np
import pytest

import qstate

UNDER_MPI = "OMPI_COMM_WORLD_SIZE" in os.environ or "PMI_RANK" in os.environ


@pytest.fixture(scope="module")
def sim():
    return qstate.Simulator()


def ghz_theta(n=4):
    c = qstate.Circuit(n, n)
    c.ry("theta", 0)
    for q in range(n - 1):
        c.cx(q, q + 1)
    c.rz(0.3, n - 1).h(1)
    for q in range(n):
        c.measure(q, q)
    return c


def test_execute_outputs_match_the_state(sim):
    prog = sim.compile(ghz_theta())
    prog.bind({"theta": 0.7})
    r = prog.execute(shots=500, seed=21, memory=True, probabilities=True, statevector=True,
                     observables=["ZZII", qstate.PauliSum("0.5*XXXX - IIZZ")])
    assert r.shots == 500 and r.seed == 21 and r.seed_given
    assert sum(r.counts.values()) == 500 and len(r.memory) == 500
    assert list(r.expectation_values) == ["ZZII", str(qstate.PauliSum("0.5*XXXX - IIZZ"))]
    state = prog.run()
    want_e = [state.expectation(qstate.PauliSum("ZZII")),
              state.expectation(qstate.PauliSum("0.5*XXXX - IIZZ"))]
    assert list(r.expectation_values.values()) == pytest.approx(want_e, abs=1e-12)
    want_p = state.probabilities()  # collective: every rank reads
    want_sv = state.statevector()
    if sim.rank == 0:
        assert isinstance(r.probabilities, np.ndarray) and r.probabilities.shape == (16,)
        np.testing.assert_allclose(r.probabilities, want_p, atol=1e-12)
        np.testing.assert_allclose(r.statevector, want_sv, atol=1e-12)
    else:
        assert r.probabilities is None and r.statevector is None
    # The counts follow the probabilities (500 shots: within a generous bound).
    p = want_p
    for key, n in r.counts.items():
        assert p[int(key, 2)] > 0
    meta = r.metadata
    assert meta["fusion"]["enabled"] is True
    assert "simulate" in meta["time_taken"] and "sample" in meta["time_taken"]


def test_execute_is_repeatable_and_seeded(sim):
    prog = sim.compile(ghz_theta())
    a = prog.bind([0.4]).execute(shots=300, seed=5, memory=True)
    b = prog.execute(shots=300, seed=5, memory=True)
    assert a.counts == b.counts and a.memory == b.memory
    c = prog.execute(shots=300)
    assert not c.seed_given and c.seed < 2**53
    one = qstate.Simulator(distribute=False).execute(ghz_theta(), shots=300, seed=5,
                                                     values={"theta": 0.4}, memory=True)
    assert one.counts == a.counts and one.memory == a.memory
    nofuse = qstate.Simulator(fusion=False).execute(ghz_theta(), shots=300, seed=5,
                                                    values=[0.4])
    assert nofuse.metadata["fusion"]["enabled"] is False
    assert nofuse.counts == a.counts


def test_execute_errors(sim):
    dyn = qstate.Circuit.from_qasm(
        'OPENQASM 2.0; include "qelib1.inc"; qreg q[2]; creg c[2]; h q[0];'
        " measure q[0] -> c[0]; if (c == 1) x q[1]; measure q[1] -> c[1];", "dyn")
    prog = sim.compile(dyn)
    r = prog.execute(shots=200, seed=2)
    assert set(r.counts) <= {"00", "11"}
    with pytest.raises(qstate.Error, match="no single final state"):
        prog.execute(shots=10, probabilities=True)
    with pytest.raises(qstate.Error, match="no single final state"):
        prog.check_memory(statevector=True)
    bell = sim.compile(ghz_theta(2)).bind([0.1])
    with pytest.raises(qstate.Error):
        bell.execute(shots=0, observables=["ZZZ"])
    with pytest.raises(qstate.Error, match="list of Pauli sums"):
        bell.execute(shots=0, observables="ZZ")
    with pytest.raises(qstate.Error, match="bind values"):
        sim.compile(ghz_theta(2)).execute(shots=1)
    with pytest.raises(qstate.Error, match="has no value"):
        sim.execute(ghz_theta(2), shots=1)


def test_check_memory(sim):
    big = qstate.Circuit(34)
    for q in range(34):
        big.h(q)
    prog = sim.compile(big)  # compiling checks nothing and allocates nothing
    before = os.environ.get("QSTATE_MEMORY_LIMIT")
    os.environ["QSTATE_MEMORY_LIMIT"] = "1G"
    try:
        with pytest.raises(qstate.Error, match="not enough memory"):
            prog.check_memory(shots=10)
        with pytest.raises(qstate.Error, match="not enough memory"):
            prog.execute(shots=10, seed=1)
    finally:
        if before is None:
            del os.environ["QSTATE_MEMORY_LIMIT"]
        else:
            os.environ["QSTATE_MEMORY_LIMIT"] = before
    sim.compile(ghz_theta(2)).check_memory(shots=100, probabilities=True)


def test_statevector_file(sim, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("sv") / "state.bin")
    if sim.ranks > 1:
        # Every rank writes its block of one file: the same path on every rank.
        from mpi4py import MPI  # noqa: F401  (only to share the path)
        path = MPI.COMM_WORLD.bcast(path, root=0)
    c = qstate.Circuit(3)
    c.h(0).cx(0, 1).cx(1, 2)
    sim.execute(c, shots=0, seed=1, statevector_file=path)
    if sim.rank == 0:
        header = json.load(open(path + ".json"))
        assert header["count"] == 8 and header["dtype"] == "complex128"
        amps = np.fromfile(path, dtype=np.complex128)
        np.testing.assert_allclose(np.abs(amps) ** 2, [0.5, 0, 0, 0, 0, 0, 0, 0.5], atol=1e-12)


@pytest.mark.skipif(UNDER_MPI or not os.environ.get("QSTATE_CLI"),
                    reason="the CLI comparison runs on one process, with QSTATE_CLI set")
def test_execute_agrees_with_the_cli(tmp_path):
    qasm = tmp_path / "c.qasm"
    qasm.write_text('OPENQASM 2.0; include "qelib1.inc"; qreg q[3]; creg c[3]; h q[0];'
                    " cx q[0],q[1]; ry(0.4) q[2]; cx q[2],q[0]; measure q -> c;\n")
    out = subprocess.run([os.environ["QSTATE_CLI"], "run", str(qasm), "--shots", "400",
                          "--seed", "13", "--memory", "--probabilities", "--observable",
                          "ZZI", "--observable", "0.5*XIX - IZZ"],
                         check=True, capture_output=True, text=True).stdout
    cli = json.loads(out)
    r = qstate.Simulator().execute(qstate.Circuit.from_file(str(qasm)), shots=400, seed=13,
                                   memory=True, probabilities=True,
                                   observables=["ZZI", "0.5*XIX - IZZ"])
    assert r.counts == cli["counts"] and r.memory == cli["memory"]
    assert list(r.probabilities) == cli["probabilities"]
    assert r.expectation_values == cli["expectation_values"]
