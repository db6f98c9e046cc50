// The independent reference the crosscheck tests compare the engine with: a plain dense-matrix
// simulator on Eigen. Every gate is applied as its FULL 2^n x 2^n operator (built column by
// column from basis states, or from Kronecker products of Pauli matrices), from its own table of
// gate matrices written from Qiskit's documentation (qiskit.circuit.library.*Gate), not from
// circuits/gates.cpp. Slow and obviously correct; meant for n <= ~10 qubits.
// Qubit k is bit k of the amplitude index (Qiskit's order).
#pragma once

#include <Eigen/Dense>
#include <complex>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "circuits/circuit.hpp"

namespace qstate::test {

using CMatrix = Eigen::MatrixXcd;
using CVector = Eigen::VectorXcd;
using Cplx = std::complex<double>;

// ---- the reference's own gate table --------------------------------------------------------

// Names the table knows: every name of qstate::standard_gates() plus the gates Qiskit's
// OpenQASM 2 exporter writes as `gate` definitions (rzx, ecr, r, ryy, iswap, dcx, xx_plus_yy,
// xx_minus_yy, ccz, cs, csdg, rcccx, rcccx_dg, mcx with 3 or more controls).
bool has_reference_gate(std::string_view name);
// Number of parameters and of qubit arguments of a table gate; `mcx` takes num_qubits from the
// caller (controls + 1).
unsigned reference_gate_params(std::string_view name);
unsigned reference_gate_qubits(std::string_view name);

// The matrix of `name(params)` on its qubit arguments: bit j of a row/column index is the j-th
// qubit argument as written (controls included). `num_qubits` matters only for `mcx`.
// Throws std::invalid_argument for an unknown name or a wrong number of parameters.
CMatrix reference_gate_matrix(std::string_view name, std::span<const double> params,
                              unsigned num_qubits = 0);
CMatrix reference_gate_matrix(std::string_view name, std::initializer_list<double> params,
                              unsigned num_qubits = 0);

// ---- building blocks (public so the tests can check them too) -------------------------------

// Pauli matrices by letter I, X, Y, Z.
CMatrix pauli(char letter);
// Kronecker product a (x) b (a acts on the more significant bits).
CMatrix kron(const CMatrix& a, const CMatrix& b);
// exp(-i theta/2 P) for a Hermitian involution P (P^2 = I): cos(theta/2) I - i sin(theta/2) P.
CMatrix pauli_rotation(const CMatrix& p, double theta);
// The full operator on n qubits of a k-qubit matrix u whose index bit j is qubit qubits[j]:
// built one basis column at a time.
CMatrix embed(const CMatrix& u, std::span<const Qubit> qubits, unsigned n);
// The full operator on n qubits of u on `targets`, applied where controls[j] holds bit j of
// control_values: (I - P) + P * embed(u), P the projector onto the control condition (for one
// control, |0><0| (x) I + |1><1| (x) U).
CMatrix controlled(const CMatrix& u, std::span<const Qubit> controls, std::uint64_t control_values,
                   std::span<const Qubit> targets, unsigned n);

// ---- the simulator ---------------------------------------------------------------------------

class Reference {
 public:
  // n qubits in |0...0>.
  explicit Reference(unsigned num_qubits);
  // n qubits in the given state (2^n amplitudes).
  Reference(unsigned num_qubits, CVector state);

  unsigned num_qubits() const { return num_qubits_; }
  const CVector& state() const { return state_; }
  std::vector<Cplx> amplitudes() const;
  void set_state(CVector state);

  // state <- full_operator * state.
  void apply_full(const CMatrix& full_operator);
  // A k-qubit matrix on `qubits` (bit j of its index = qubits[j]).
  void apply_matrix(const CMatrix& u, std::span<const Qubit> qubits);
  // u on targets under controls (control_values bit j for controls[j]).
  void apply_controlled(const CMatrix& u, std::span<const Qubit> controls,
                        std::uint64_t control_values, std::span<const Qubit> targets);
  // A gate of the reference's own table, by name.
  void apply_named(std::string_view name, std::span<const double> params,
                   std::span<const Qubit> qubits);
  void apply_named(std::string_view name, std::initializer_list<double> params,
                   std::initializer_list<Qubit> qubits);
  // The generic path: op.controls (with op.open_controls), op.targets and op.matrix.to_dense().
  void apply_op_matrix(const GateOp& op);
  // Multiplies the state by e^{i phase}.
  void apply_global_phase(double phase);

  // How apply_circuit turns a GateOp into an operator.
  enum class GateSource {
    kOwnTable,  // by op.name and op.params from the reference's table when it knows the name and
                // the op has no open controls and the table's arity; else the op's matrix
    kOpMatrix,  // always the op's own matrix
  };
  // Applies the gates of a circuit (then its global phase). Barriers are skipped and measurements
  // are taken as final (the state is that before them); a gate on a measured qubit, a reset or
  // an IfOp throws std::logic_error (use outcome_distribution for such circuits).
  void apply_circuit(const Circuit& circuit, GateSource source = GateSource::kOwnTable);

  std::vector<double> probabilities() const;
  // <psi|P|psi> for a Pauli label over all qubits; the rightmost letter acts on qubit 0.
  double expectation(std::string_view label) const;
  // Probability that qubit q reads 1.
  double probability_one(Qubit q) const;
  // Projects qubit q onto `outcome` and renormalises (the outcome must have weight > 0).
  void collapse(Qubit q, bool outcome);

 private:
  unsigned num_qubits_;
  CVector state_;
};

// The exact distribution of the classical registers' final values of a circuit with
// measurements, resets and IfOps, by following every branch of every measurement (branches of
// probability below 1e-14 are dropped). Keys are formatted as Qiskit formats counts keys (last
// declared register first, a space between registers, bit 0 rightmost), written here
// independently of qstate::format_counts_key. Meant for circuits with few measurements.
std::map<std::string, double> outcome_distribution(
    const Circuit& circuit, Reference::GateSource source = Reference::GateSource::kOwnTable);

// Random normalised state of n qubits (complex Gaussian entries), from a seed.
CVector random_state(unsigned num_qubits, std::uint64_t seed);
// Random k-qubit unitary: Q of the QR decomposition of a complex Gaussian matrix, with the phases
// of R's diagonal moved into Q (Haar distributed).
CMatrix random_unitary(unsigned num_qubits, std::uint64_t seed);

// Largest |a_i - b_i|.
double max_abs_diff(std::span<const Cplx> a, std::span<const Cplx> b);
double max_abs_diff(std::span<const double> a, std::span<const double> b);
// min over phases phi of max_i |a_i - e^{i phi} b_i|, with phi taken from the largest entry.
double max_abs_diff_up_to_phase(std::span<const Cplx> a, std::span<const Cplx> b);

}  // namespace qstate::test
