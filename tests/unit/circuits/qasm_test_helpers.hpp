// Helpers shared by the OpenQASM 2 front-end tests: parse a string, catch the error message, and
// multiply lowered GateOps into a dense matrix over chosen qubits (a tiny reference that does not
// depend on the simulator library).
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/error.hpp"
#include "circuits/qasm/qasm.hpp"

namespace qasm_test {

using qstate::Complex;
using Matrix = std::vector<Complex>;  // row-major, dim x dim

inline qstate::Circuit parse(std::string_view text, const std::string& name = "t.qasm") {
  return qstate::qasm::parse_string(text, name);
}

// The message of the qstate::Error that parsing `text` throws ("" and a failed check if none).
inline std::string error_of(std::string_view text, const std::string& name = "t.qasm") {
  try {
    qstate::qasm::parse_string(text, name);
  } catch (const qstate::Error& e) {
    return e.what();
  }
  FAIL_CHECK("expected an error for:\n" << text);
  return "";
}

inline std::string file_error_of(const std::string& path) {
  try {
    qstate::qasm::parse_file(path);
  } catch (const qstate::Error& e) {
    return e.what();
  }
  FAIL_CHECK("expected an error for " << path);
  return "";
}

inline const qstate::GateOp& gate_at(const qstate::Circuit& c, std::size_t i) {
  REQUIRE(i < c.ops.size());
  REQUIRE(std::holds_alternative<qstate::GateOp>(c.ops[i]));
  return std::get<qstate::GateOp>(c.ops[i]);
}

inline Matrix identity(std::size_t dim) {
  Matrix m(dim * dim, 0.0);
  for (std::size_t i = 0; i < dim; ++i) m[i * dim + i] = 1.0;
  return m;
}

// Applies `op` to every column of `u`, a matrix over `qubits` (bit j of an index is qubits[j]).
inline void apply_gate(const qstate::GateOp& op, const std::vector<qstate::Qubit>& qubits,
                       Matrix& u) {
  const std::size_t n = qubits.size();
  const std::size_t dim = std::size_t{1} << n;
  auto local = [&](qstate::Qubit q) {
    const auto it = std::find(qubits.begin(), qubits.end(), q);
    REQUIRE(it != qubits.end());
    return static_cast<unsigned>(it - qubits.begin());
  };
  std::vector<unsigned> ctl, tgt;
  for (const auto q : op.controls) ctl.push_back(local(q));
  for (const auto q : op.targets) tgt.push_back(local(q));
  const std::size_t k = tgt.size();
  REQUIRE(op.matrix.num_targets == k);
  Matrix out(dim * dim, 0.0);
  for (std::size_t col = 0; col < dim; ++col) {
    for (std::size_t b = 0; b < dim; ++b) {
      const Complex amp = u[b * dim + col];
      if (amp == Complex(0.0, 0.0)) continue;
      bool on = true;
      for (std::size_t j = 0; j < ctl.size(); ++j)
        if (((b >> ctl[j]) & 1U) != (op.control_value(j) ? 1U : 0U)) on = false;
      if (!on) {
        out[b * dim + col] += amp;
        continue;
      }
      std::size_t s = 0;
      std::size_t cleared = b;
      for (std::size_t j = 0; j < k; ++j) {
        s |= ((b >> tgt[j]) & 1U) << j;
        cleared &= ~(std::size_t{1} << tgt[j]);
      }
      for (std::size_t r = 0; r < (std::size_t{1} << k); ++r) {
        const Complex m = op.matrix.at(r, s);
        if (m == Complex(0.0, 0.0)) continue;
        std::size_t row = cleared;
        for (std::size_t j = 0; j < k; ++j) row |= ((r >> j) & 1U) << tgt[j];
        out[row * dim + col] += m * amp;
      }
    }
  }
  u = std::move(out);
}

// The product of `ops` (GateOps; barriers are skipped) as a matrix over `qubits`.
inline Matrix unitary_of(const std::vector<qstate::Op>& ops, std::size_t begin, std::size_t end,
                         const std::vector<qstate::Qubit>& qubits) {
  Matrix u = identity(std::size_t{1} << qubits.size());
  for (std::size_t i = begin; i < end; ++i) {
    if (std::holds_alternative<qstate::BarrierOp>(ops[i])) continue;
    REQUIRE(std::holds_alternative<qstate::GateOp>(ops[i]));
    apply_gate(std::get<qstate::GateOp>(ops[i]), qubits, u);
  }
  return u;
}

inline double max_diff(const Matrix& a, const Matrix& b) {
  REQUIRE(a.size() == b.size());
  double d = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

// max |a - e^{i phi} b| with the phase taken from the largest entry of b.
inline double max_diff_up_to_phase(const Matrix& a, const Matrix& b) {
  REQUIRE(a.size() == b.size());
  std::size_t big = 0;
  for (std::size_t i = 0; i < b.size(); ++i)
    if (std::abs(b[i]) > std::abs(b[big])) big = i;
  if (std::abs(a[big]) < 1e-12) return 1.0;
  const Complex phase = (a[big] / b[big]) / std::abs(a[big] / b[big]);
  double d = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - phase * b[i]));
  return d;
}

// The dense matrix of a single-qubit-per-factor Pauli string: paulis[j] acts on qubit j.
inline Matrix pauli(const std::string& paulis) {
  const std::size_t n = paulis.size();
  const std::size_t dim = std::size_t{1} << n;
  const Complex i1(0.0, 1.0);
  Matrix m(dim * dim, 0.0);
  for (std::size_t r = 0; r < dim; ++r)
    for (std::size_t c = 0; c < dim; ++c) {
      Complex v = 1.0;
      for (std::size_t j = 0; j < n && v != Complex(0.0, 0.0); ++j) {
        const unsigned rb = (r >> j) & 1U, cb = (c >> j) & 1U;
        switch (paulis[j]) {
          case 'I':
            v *= (rb == cb) ? 1.0 : 0.0;
            break;
          case 'X':
            v *= (rb != cb) ? 1.0 : 0.0;
            break;
          case 'Y':
            v *= (rb != cb) ? (rb == 1 ? i1 : -i1) : 0.0;
            break;
          case 'Z':
            v *= (rb == cb) ? (rb == 0 ? 1.0 : -1.0) : 0.0;
            break;
          default:
            FAIL("bad pauli");
        }
      }
      m[r * dim + c] = v;
    }
  return m;
}

// exp(-i theta/2 P) = cos(theta/2) I - i sin(theta/2) P for a Pauli string P.
inline Matrix pauli_rotation(const std::string& paulis, double theta) {
  const Matrix p = pauli(paulis);
  const std::size_t dim = std::size_t{1} << paulis.size();
  Matrix m(dim * dim);
  for (std::size_t i = 0; i < m.size(); ++i) m[i] = Complex(0.0, -std::sin(theta / 2)) * p[i];
  for (std::size_t i = 0; i < dim; ++i) m[i * dim + i] += std::cos(theta / 2);
  return m;
}

// X on `target` controlled by every other qubit of an n-qubit register.
inline Matrix multi_controlled_x(unsigned n, unsigned target) {
  const std::size_t dim = std::size_t{1} << n;
  Matrix m(dim * dim, 0.0);
  const std::size_t controls = (dim - 1) & ~(std::size_t{1} << target);
  for (std::size_t c = 0; c < dim; ++c) {
    const std::size_t r = (c & controls) == controls ? c ^ (std::size_t{1} << target) : c;
    m[r * dim + c] = 1.0;
  }
  return m;
}

}  // namespace qasm_test
