"""The Python module under mpiexec (2 ranks and more): the state is split across the ranks,
every call returns the same value on every rank, and the values equal those of a full copy of
the state on each rank (distribute=False). Skipped on one rank."""

import math

import numpy as np
import pytest

import qstate

MPI = pytest.importorskip("mpi4py.MPI")
COMM = MPI.COMM_WORLD
pytestmark = pytest.mark.skipif(COMM.Get_size() < 2, reason="needs mpiexec -np 2 or more")


def same_on_all_ranks(value):
    values = COMM.allgather(value)
    for v in values[1:]:
        if isinstance(value, np.ndarray):
            assert np.array_equal(v, values[0])
        else:
            assert v == values[0]
    return values[0]


def layered(n):
    c = qstate.Circuit(n)
    for q in range(n):
        c.ry(qstate.Param(f"t{q}"), q)
    for q in range(n - 1):
        c.cx(q, q + 1)
    for q in range(n):
        c.rx(qstate.Param(f"t{q}") * 0.5 + 0.1, q)
    c.cz(0, n - 1).h(n - 1).swap(0, n - 1)
    return c


def values(n, shift=0.0):
    return {f"t{q}": 0.3 * q + 0.1 + shift for q in range(n)}


def test_distributed_equals_replicated():
    n = 6
    sim = qstate.Simulator()
    assert sim.ranks == COMM.Get_size() and sim.rank == COMM.Get_rank()
    local = qstate.Simulator(distribute=False)
    prog = sim.compile(layered(n))
    ref = local.compile(layered(n))
    h = qstate.PauliSum([("ZZIIII", 0.5), ("XXXXXX", -1.0), ("IYIYII", 0.25), ("ZIIIIZ", 2.0)])
    for shift in (0.0, 0.5, 1.0):
        s = prog.run(values(n, shift))
        r = ref.run(values(n, shift))
        assert s.distributed and not r.distributed
        e = same_on_all_ranks(s.expectation(h))
        assert e == pytest.approx(r.expectation(h), abs=1e-12)
        ev = same_on_all_ranks(s.expectations([h, "ZIIIII", "IIIIXI"]))
        np.testing.assert_allclose(ev, r.expectations([h, "ZIIIII", "IIIIXI"]), atol=1e-12)
        p = same_on_all_ranks(s.probabilities())
        np.testing.assert_allclose(p, r.probabilities(), atol=1e-14)
        m = same_on_all_ranks(s.probabilities([5, 0, 3]))
        np.testing.assert_allclose(m, r.probabilities([5, 0, 3]), atol=1e-14)
        sv = same_on_all_ranks(s.statevector())
        np.testing.assert_allclose(sv, r.statevector(), atol=1e-12)
        for i in (0, 1, 37, 63):
            assert same_on_all_ranks(s.amplitude(i)) == pytest.approx(sv[i], abs=1e-12)
        smp = same_on_all_ranks(s.sample(500, 9))
        assert np.array_equal(smp, r.sample(500, 9))
        assert same_on_all_ranks(s.counts(200, 4, [0, 1])) == r.counts(200, 4, [0, 1])
    assert qstate.counters()["plans"] >= 2
    assert s.memory_bytes > 0


def test_execute_under_mpi_and_qiskit_metadata():
    c = qstate.Circuit(4, 4)
    c.h(0).cx(0, 1).cx(1, 2).cx(2, 3)
    for q in range(4):
        c.measure(q, q)
    sim = qstate.Simulator()
    r = sim.execute(c, shots=300, seed=3, memory=True)
    one = qstate.Simulator(distribute=False).execute(c, shots=300, seed=3, memory=True)
    assert same_on_all_ranks(r.counts) == one.counts
    assert r.memory == one.memory
    d = r.to_qiskit()
    assert d["results"][0]["metadata"]["mpi_ranks"] == COMM.Get_size()
    # Without a seed, rank 0's is shared.
    r2 = sim.execute(c, shots=50)
    same_on_all_ranks(r2.seed)
    same_on_all_ranks(r2.counts)


def test_mpi4py_communicator():
    sim = qstate.Simulator(comm=COMM)
    assert sim.ranks == COMM.Get_size()
    prog = sim.compile(layered(5))
    s = prog.run(values(5))
    assert s.distributed
    same_on_all_ranks(s.expectation("ZZZZZ"))
    # A sub-communicator of one rank: each rank simulates alone.
    solo = COMM.Split(COMM.Get_rank(), 0)
    alone = qstate.Simulator(comm=solo)
    assert alone.ranks == 1
    assert not alone.compile(layered(5)).run(values(5)).distributed
    solo.Free()


def test_errors_on_every_rank():
    sim = qstate.Simulator()
    prog = sim.compile(layered(4))
    with pytest.raises(qstate.Error, match="bind values"):
        prog.run()
    s = prog.run(values(4))
    with pytest.raises(qstate.Error, match="declares 4 qubits"):
        s.expectation("ZZ")
    # still in step afterwards
    same_on_all_ranks(s.expectation("ZZZZ"))


def test_small_circuit_is_replicated():
    # One qubit cannot be split over 2 ranks: every rank holds the whole state.
    c = qstate.Circuit(1)
    c.ry(0.5, 0)
    s = qstate.Simulator().compile(c).run()
    assert not s.distributed
    assert same_on_all_ranks(s.expectation("Z")) == pytest.approx(math.cos(0.5))
