// Small helpers shared by the tests: loading a reference state into an engine StateVector and
// reading it back, and applying one GateOp to a copy of a state.
#pragma once

#include <complex>
#include <vector>

#include "simulator/state_vector.hpp"
#include "tests/support/reference.hpp"

namespace qstate::test {

template <class Real>
void load_state(StateVector<Real>& sv, const CVector& psi) {
  for (Eigen::Index i = 0; i < psi.size(); ++i)
    sv.data()[i] =
        std::complex<Real>(static_cast<Real>(psi(i).real()), static_cast<Real>(psi(i).imag()));
}

// The engine's result of applying `op` to psi on n qubits, in precision Real.
template <class Real>
std::vector<Cplx> engine_apply(const CVector& psi, unsigned n, const GateOp& op) {
  StateVector<Real> sv(n);
  load_state(sv, psi);
  sv.apply(op);
  return sv.amplitudes();
}

inline std::vector<Cplx> to_vector(const CVector& v) {
  return std::vector<Cplx>(v.data(), v.data() + v.size());
}

}  // namespace qstate::test
