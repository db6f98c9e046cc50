"""The Python module on one process (and, run under mpiexec, on every rank: the values must be
the same as on one process): every public class and method, numpy results, errors."""

import cmath
import json
import math

import numpy as np
import pytest

import qstate


@pytest.fixture(scope="module")
def sim():
    return qstate.Simulator()


def bell_theta():
    c = qstate.Circuit(2)
    c.ry("theta", 0).cx(0, 1)
    return c


def test_module_surface():
    assert qstate.__version__
    assert issubclass(qstate.Error, ValueError)
    assert "Circuit" in qstate.__doc__
    assert qstate.Simulator.mpi_enabled() in (True, False)
    for name in ("Circuit", "Simulator", "CompiledCircuit", "State", "PauliSum", "Param", "Result"):
        assert getattr(qstate, name).__doc__


def test_param_expressions():
    p = 2 * qstate.Param("a") - qstate.Param("b") / 2 + 0.5
    assert p.evaluate({"a": 1.0, "b": 4.0}) == pytest.approx(0.5)
    assert not p.is_constant
    assert qstate.Param(3.0).is_constant and qstate.Param(3.0).constant == 3.0
    assert dict(p.terms) == {"a": 2.0, "b": -0.5}
    assert str(p) == "2*a - 0.5*b + 0.5"
    assert repr(-qstate.Param("x")) == "Param(-x)"
    assert (1.0 - qstate.Param("x")).evaluate({"x": 3}) == pytest.approx(-2)
    assert (1.0 + qstate.Param("x")).evaluate({"x": 3}) == pytest.approx(4)
    with pytest.raises(qstate.Error, match="'b' has no value"):
        p.evaluate({"a": 1.0})


def test_circuit_building(sim):
    c = qstate.Circuit(3, 2)
    assert (c.num_qubits, c.num_clbits, len(c)) == (3, 2, 0)
    c.h(0).x(1).y(2).z(0).s(1).sdg(2).t(0).tdg(1).sx(2).sxdg(0).id(1)
    c.rx(0.1, 0).ry("a", 1).rz(qstate.Param("a") * 2, 2).p(0.3, 0).u(0.1, 0.2, 0.3, 1)
    c.cx(0, 1).cy(1, 2).cz(2, 0).ch(0, 2).swap(1, 2)
    c.crx(0.1, 0, 1).cry(0.2, 1, 2).crz(0.3, 2, 0).cp(0.4, 0, 2).rxx(0.5, 1, 2).rzz("b", 0, 1)
    c.ccx(0, 1, 2).cswap(2, 0, 1).gate("cu", [0, 1], [0.1, 0.2, 0.3, 0.4])
    c.unitary(np.array([[0, 1], [1, 0]], dtype=complex).ravel().tolist(), [0])
    c.barrier().measure(0, 0).reset(2).measure(1, 1)
    assert c.parameters == ["a", "b"]
    assert len(c) > 30
    c.name = "test"
    assert c.name == "test"
    c.global_phase = 0.25
    assert c.global_phase == 0.25
    assert [r.name for r in c.qregs] == ["q"] and [r.size for r in c.cregs] == [2]
    assert "cu" in qstate.Circuit.gate_names()
    assert "qstate.Circuit" in repr(c)
    prog = sim.compile(c)
    assert prog.is_dynamic  # reset after gates
    r = prog.execute(shots=20, seed=1) if not prog.parameters else None
    assert r is None
    prog.bind({"a": 0.1, "b": 0.2})
    r = prog.execute(shots=20, seed=1)
    assert sum(r.counts.values()) == 20


def test_compile_bind_run_counts_no_replanning(sim):
    c = bell_theta()
    qstate.reset_counters()
    prog = sim.compile(c)
    assert prog.parameters == ["theta"]
    assert prog.num_qubits == 2 and prog.simulated_qubits == 2 and not prog.is_dynamic
    for i in range(100):
        theta = 0.03 * i
        state = prog.run({"theta": theta})
        assert state.expectation("IZ") == pytest.approx(math.cos(theta))
    prog.bind([0.4]).run()
    assert prog.state.expectation("XX") == pytest.approx(math.sin(0.4))
    n = qstate.counters()
    assert n["plans"] == 1 and n["parses"] == 0 and n["allocations"] == 1
    assert n["binds"] == 101 and n["runs"] == 101


def test_state_readers(sim):
    prog = sim.compile(bell_theta())
    theta = 0.7
    s = prog.run({"theta": theta})
    assert s.num_qubits == 2 and s.precision == "double" and s.memory_bytes > 0
    assert s.distributed in (True, False)
    assert s.expectation("ZZ") == pytest.approx(1.0)
    assert s.expectation([("XX", 2.0), ("II", 1.0)]) == pytest.approx(2 * math.sin(theta) + 1)
    assert s.expectation(qstate.PauliSum("0.5*YY")) == pytest.approx(-0.5 * math.sin(theta))
    ev = s.expectations(["ZI", "IZ", "XX - YY"])
    assert isinstance(ev, np.ndarray) and ev.shape == (3,)
    np.testing.assert_allclose(ev, [math.cos(theta), math.cos(theta), 2 * math.sin(theta)])
    p = s.probabilities()
    assert isinstance(p, np.ndarray) and p.dtype == np.float64
    np.testing.assert_allclose(p, [math.cos(theta / 2) ** 2, 0, 0, math.sin(theta / 2) ** 2],
                               atol=1e-15)
    np.testing.assert_allclose(s.probabilities([1]), [math.cos(theta / 2) ** 2,
                                                      math.sin(theta / 2) ** 2])
    assert p.flags["OWNDATA"] is False  # the engine's vector, not a copy
    sv = s.statevector()
    assert sv.dtype == np.complex128 and sv.shape == (4,)
    assert sv[3] == pytest.approx(math.sin(theta / 2))
    assert s.amplitude(0) == pytest.approx(math.cos(theta / 2))
    samples = s.sample(1000, 5)
    assert samples.dtype == np.uint64 and len(samples) == 1000
    assert set(samples.tolist()) <= {0, 3}
    assert np.array_equal(samples, s.sample(1000, 5))
    counts = s.counts(1000, 5)
    assert set(counts) <= {"00", "11"} and sum(counts.values()) == 1000
    assert s.counts(10, 5, [0]).keys() <= {"0", "1"}


def test_pauli_sum():
    h = qstate.PauliSum([("ZZ", 0.5), ("XX", -1.0)])
    assert len(h) == 2 and h.num_qubits == 2
    assert h.terms == [(0.5, "ZZ"), (-1.0, "XX")]
    h.add("yy", 2.0)
    assert h.terms[2] == (2.0, "YY")
    assert "ZZ" in str(h) and "PauliSum(" in repr(h)
    assert len(qstate.PauliSum("ZZ - 2*XI")) == 2
    assert len(qstate.PauliSum()) == 0
    with pytest.raises(qstate.Error):
        qstate.PauliSum("ZQ")
    with pytest.raises(qstate.Error, match="letters"):
        qstate.PauliSum([("ZZ", 1.0), ("Z", 1.0)])


def test_qasm_loading_and_errors(sim, tmp_path):
    text = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n'
    path = tmp_path / "bell.qasm"
    path.write_text(text)
    qstate.reset_counters()
    c = qstate.Circuit.from_file(str(path))
    d = qstate.Circuit.from_qasm(text, "bell")
    assert qstate.counters()["parses"] == 2
    assert c.num_qubits == d.num_qubits == 2
    with pytest.raises(qstate.Error, match="bad:3:"):
        qstate.Circuit.from_qasm("OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n", "bad")
    with pytest.raises(qstate.Error):
        qstate.Circuit.from_file(str(tmp_path / "missing.qasm"))
    e = qstate.Circuit(2)
    with pytest.raises(qstate.Error, match="unknown gate"):
        e.gate("nope", [0])
    with pytest.raises(ValueError, match="out of range"):
        e.h(5)
    with pytest.raises(qstate.Error, match="twice"):
        e.cx(1, 1)
    with pytest.raises(qstate.Error, match="not unitary"):
        e.unitary([1, 0, 0, 2], [0])
    with pytest.raises(qstate.Error, match="precision"):
        qstate.Simulator(precision="half")
    e.rx("a", 0)
    prog = sim.compile(e)
    with pytest.raises(qstate.Error, match="bind values"):
        prog.run()
    with pytest.raises(qstate.Error, match="has not run"):
        prog.state
    with pytest.raises(qstate.Error, match="no parameter 'b'"):
        prog.bind({"a": 1.0, "b": 2.0})
    with pytest.raises(qstate.Error, match="1 parameter"):
        prog.bind([1.0, 2.0])
    s = prog.run({"a": 0.0})
    with pytest.raises(qstate.Error, match="declares 2 qubits"):
        s.expectation("ZZZ")
    with pytest.raises(qstate.Error, match="out of range"):
        s.amplitude(4)
    with pytest.raises(qstate.Error, match="out of range"):
        s.probabilities([2])
    with pytest.raises(TypeError):
        s.expectation(3)


def test_execute_and_qiskit_dict(sim):
    c = qstate.Circuit(2, 2)
    c.h(0).cx(0, 1).measure(0, 0).measure(1, 1)
    r = sim.execute(c, shots=1000, seed=7, memory=True)
    assert r.shots == 1000 and r.seed == 7
    assert set(r.counts) == {"00", "11"} and sum(r.counts.values()) == 1000
    assert len(r.memory) == 1000
    assert r.metadata["num_qubits"] == 2 and r.metadata["mpi_ranks"] >= 1
    assert "qstate.Result" in repr(r)
    d = r.to_qiskit(name="bell")
    json.dumps(d)
    assert d["success"] and d["backend_name"] and d["job_id"] and d["qobj_id"]
    assert d["backend_version"] == qstate.__version__
    e = d["results"][0]
    assert e["shots"] == 1000 and e["success"] and e["seed_simulator"] == 7
    assert e["data"]["counts"] == {"0x0": r.counts["00"], "0x3": r.counts["11"]}
    assert len(e["data"]["memory"]) == 1000
    assert e["header"]["creg_sizes"] == [["c", 2]] and e["header"]["memory_slots"] == 2
    assert e["header"]["qreg_sizes"] == [["q", 2]] and e["header"]["n_qubits"] == 2
    assert e["header"]["name"] == "bell"
    assert e["metadata"]["mpi_ranks"] == r.metadata["mpi_ranks"]
    assert json.loads(r.to_qiskit_json()) == r.to_qiskit()
    assert qstate.qiskit.to_result_dict(r) == r.to_qiskit()
    assert qstate.counts_key_to_hex("10 011") == "0x13"
    h = qstate.qiskit.pauli_sum_from_list([("ZZ", 1 + 0j), ("XI", -0.5)])
    assert h.terms == [(1.0, "ZZ"), (-0.5, "XI")]
    with pytest.raises(ValueError):
        qstate.qiskit.pauli_sum_from_list([("ZZ", 1j)])
    # a circuit with parameters: values at execute
    p = qstate.Circuit(1, 1)
    p.rx("t", 0).measure(0, 0)
    assert sim.execute(p, shots=10, seed=1, values={"t": math.pi}).counts == {"1": 10}
    prog = sim.compile(p)
    prog.bind({"t": 0.0})
    assert prog.execute(10, 1).counts == {"0": 10}


def test_single_precision_and_options():
    s = qstate.Simulator(precision="single", threads=1, fusion=False, exchange_buffer=0,
                         distribute=True)
    assert s.precision == "single" and s.threads == 1
    assert s.ranks >= 1 and 0 <= s.rank < s.ranks and s.is_root == (s.rank == 0)
    c = qstate.Circuit(1)
    c.h(0)
    st = s.compile(c).run()
    assert st.precision == "single"
    assert st.probabilities()[1] == pytest.approx(0.5, rel=1e-6)


def test_global_phase(sim):
    c = qstate.Circuit(1)
    c.h(0)
    c.global_phase = math.pi / 2
    s = sim.compile(c).run()
    assert s.amplitude(0) == pytest.approx(1j * math.sqrt(0.5))
    assert s.statevector()[1] == pytest.approx(cmath.exp(1j * math.pi / 2) * math.sqrt(0.5))


def test_help_texts():
    for obj in (qstate.State.expectation, qstate.State.probabilities,
                qstate.CompiledCircuit.run, qstate.Simulator.compile, qstate.Circuit.ry):
        assert obj.__doc__ and len(obj.__doc__) > 20


def qiskit_counts(experiment):
    """What Qiskit's Result.get_counts() does with an experiment dict (hex value -> binary of
    memory_slots bits -> split by creg_sizes, the last register first), written out here so the
    test runs without Qiskit."""
    header = experiment["header"]
    out = {}
    for hexkey, n in experiment["data"]["counts"].items():
        bits = bin(int(hexkey, 16))[2:].zfill(header["memory_slots"])
        parts, i = [], 0
        for _, size in reversed(header["creg_sizes"]):
            parts.append(bits[i:i + size])
            i += size
        out[" ".join(parts)] = n
    return out


def test_qiskit_dict_round_trips_register_keys(sim):
    text = ('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[4];\ncreg a[1];\ncreg b[3];\n'
            "h q[0];\ncx q[0],q[3];\nx q[2];\nmeasure q[0] -> a[0];\nmeasure q[1] -> b[0];\n"
            "measure q[2] -> b[1];\nmeasure q[3] -> b[2];\n")
    r = sim.execute(qstate.Circuit.from_qasm(text, "regs"), shots=400, seed=11, memory=True)
    assert set(r.counts) == {"010 0", "110 1"}
    d = r.to_qiskit()
    assert qiskit_counts(d["results"][0]) == r.counts
    assert d["results"][0]["header"]["creg_sizes"] == [["a", 1], ["b", 3]]
