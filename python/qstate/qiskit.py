"""Moving circuits and results between qstate and Qiskit, without requiring Qiskit.

- Circuits in: ``qstate.Circuit.from_qasm(qiskit.qasm2.dumps(qc))`` (or ``qasm3.dumps``).
- Results out: ``to_result_dict(result)`` is the dict ``qiskit.result.Result.from_dict`` reads,
  so ``Result.from_dict(to_result_dict(r)).get_counts()`` gives qstate's counts.
- Observables: ``pauli_sum_from_list(op.to_list())`` for a ``SparsePauliOp`` with real
  coefficients.
"""

from ._qstate import PauliSum


def to_result_dict(result, name="", job_id=""):
    """The dict Qiskit's ``Result.from_dict`` reads, for a ``qstate.Result``."""
    return result.to_qiskit(name=name, job_id=job_id)


def to_qiskit_result(result, name="", job_id=""):
    """A ``qiskit.result.Result`` (needs Qiskit installed)."""
    from qiskit.result import Result as QiskitResult  # pylint: disable=import-outside-toplevel

    return QiskitResult.from_dict(to_result_dict(result, name=name, job_id=job_id))


def pauli_sum_from_list(terms):
    """A PauliSum from ``SparsePauliOp.to_list()``-style ``[(label, coefficient), ...]``;
    coefficients must be real (an imaginary part above 1e-12 is an error)."""
    out = []
    for label, coefficient in terms:
        c = complex(coefficient)
        if abs(c.imag) > 1e-12:
            raise ValueError(f"coefficient of {label} is not real: {coefficient}")
        out.append((str(label), c.real))
    return PauliSum(out)
