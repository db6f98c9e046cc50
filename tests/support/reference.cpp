// The dense reference simulator: full operators built column by column, the state as an Eigen
// vector, branching over measurement outcomes, random states and unitaries. Its gate table (the
// matrices by name) is in reference_gates.cpp.
#include "tests/support/reference.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <random>
#include <stdexcept>

#include "circuits/gates.hpp"

namespace qstate::test {
namespace {

using std::numbers::pi;

std::string format_key(const std::vector<std::uint8_t>& bits, const Circuit& c) {
  // Qiskit: registers from the last declared to the first, space separated, bit 0 rightmost.
  std::vector<std::string> parts;
  for (const Register& reg : c.cregs) {
    std::string s(reg.size, '0');
    for (std::uint32_t j = 0; j < reg.size; ++j)
      if (bits[reg.first + j] != 0) s[reg.size - 1 - j] = '1';
    parts.push_back(s);
  }
  std::string key;
  for (std::size_t i = parts.size(); i-- > 0;) {
    key += parts[i];
    if (i != 0) key += ' ';
  }
  return key;
}

}  // namespace

CMatrix embed(const CMatrix& u, std::span<const Qubit> qubits, unsigned n) {
  const std::uint64_t dim = std::uint64_t{1} << n;
  const std::uint64_t sub_dim = std::uint64_t{1} << qubits.size();
  if (static_cast<std::uint64_t>(u.rows()) != sub_dim || u.rows() != u.cols())
    throw std::invalid_argument("embed: matrix size does not match the qubits");
  std::uint64_t mask = 0;
  for (Qubit q : qubits) {
    if (q >= n || ((mask >> q) & 1U) != 0)
      throw std::invalid_argument("embed: qubits out of range or repeated");
    mask |= std::uint64_t{1} << q;
  }
  CMatrix full = CMatrix::Zero(static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(dim));
  for (std::uint64_t col = 0; col < dim; ++col) {
    // Where the gate's matrix sends basis state |col>: column `sub` of u, spread back.
    std::uint64_t sub = 0;
    for (std::size_t j = 0; j < qubits.size(); ++j) sub |= ((col >> qubits[j]) & 1U) << j;
    const std::uint64_t rest = col & ~mask;
    for (std::uint64_t r = 0; r < sub_dim; ++r) {
      std::uint64_t row = rest;
      for (std::size_t j = 0; j < qubits.size(); ++j) row |= ((r >> j) & 1U) << qubits[j];
      full(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(col)) =
          u(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(sub));
    }
  }
  return full;
}

CMatrix controlled(const CMatrix& u, std::span<const Qubit> controls, std::uint64_t control_values,
                   std::span<const Qubit> targets, unsigned n) {
  const Eigen::Index dim = Eigen::Index{1} << n;
  for (Qubit c : controls)
    for (Qubit t : targets)
      if (c == t) throw std::invalid_argument("controlled: a control is also a target");
  // P: projector onto the basis states where every control holds its value (a diagonal, so
  // P * U scales rows: no dense 2^n x 2^n product).
  CVector holds = CVector::Zero(dim);
  for (Eigen::Index i = 0; i < dim; ++i) {
    bool h = true;
    for (std::size_t j = 0; j < controls.size(); ++j)
      h = h &&
          ((static_cast<std::uint64_t>(i) >> controls[j]) & 1U) == ((control_values >> j) & 1U);
    if (h) holds(i) = 1.0;
  }
  const auto proj = holds.asDiagonal();
  const CMatrix id = CMatrix::Identity(dim, dim);
  const CMatrix target_op = targets.empty() ? CMatrix(u(0, 0) * id) : embed(u, targets, n);
  return (id - CMatrix(proj)) + proj * target_op;
}

// ---- Reference ---------------------------------------------------------------------------------

Reference::Reference(unsigned num_qubits)
    : num_qubits_(num_qubits), state_(CVector::Zero(Eigen::Index{1} << num_qubits)) {
  state_(0) = 1.0;
}

Reference::Reference(unsigned num_qubits, CVector state) : num_qubits_(num_qubits) {
  set_state(std::move(state));
}

void Reference::set_state(CVector state) {
  if (state.size() != (Eigen::Index{1} << num_qubits_))
    throw std::invalid_argument("reference: state of the wrong size");
  state_ = std::move(state);
}

std::vector<Cplx> Reference::amplitudes() const {
  return std::vector<Cplx>(state_.data(), state_.data() + state_.size());
}

void Reference::apply_full(const CMatrix& full_operator) {
  state_ = full_operator * state_;
}

void Reference::apply_matrix(const CMatrix& u, std::span<const Qubit> qubits) {
  apply_full(embed(u, qubits, num_qubits_));
}

void Reference::apply_controlled(const CMatrix& u, std::span<const Qubit> controls,
                                 std::uint64_t control_values, std::span<const Qubit> targets) {
  apply_full(controlled(u, controls, control_values, targets, num_qubits_));
}

void Reference::apply_named(std::string_view name, std::span<const double> params,
                            std::span<const Qubit> qubits) {
  apply_matrix(reference_gate_matrix(name, params, static_cast<unsigned>(qubits.size())), qubits);
}

void Reference::apply_named(std::string_view name, std::initializer_list<double> params,
                            std::initializer_list<Qubit> qubits) {
  apply_named(name, std::span<const double>(params.begin(), params.size()),
              std::span<const Qubit>(qubits.begin(), qubits.size()));
}

void Reference::apply_op_matrix(const GateOp& op) {
  const Eigen::Index d = Eigen::Index{1} << op.matrix.num_targets;
  const std::vector<Complex> dense = op.matrix.to_dense();
  CMatrix u(d, d);
  for (Eigen::Index r = 0; r < d; ++r)
    for (Eigen::Index c = 0; c < d; ++c) u(r, c) = dense[static_cast<std::size_t>(r * d + c)];
  std::uint64_t values = 0;
  for (std::size_t j = 0; j < op.controls.size(); ++j)
    if (((op.open_controls >> j) & 1U) == 0) values |= std::uint64_t{1} << j;
  apply_controlled(u, op.controls, values, op.targets);
}

void Reference::apply_global_phase(double phase) {
  state_ *= std::polar(1.0, phase);
}

namespace {

bool use_table(const GateOp& op) {
  if (op.open_controls != 0) return false;
  if (find_standard_gate(op.name, ~0U) == nullptr || !has_reference_gate(op.name)) return false;
  const unsigned nq = reference_gate_qubits(op.name);
  return op.params.size() == reference_gate_params(op.name) && (nq == 0 || nq == op.num_qubits());
}

void apply_gate(Reference& ref, const GateOp& op, Reference::GateSource source) {
  if (source == Reference::GateSource::kOwnTable && use_table(op)) {
    std::vector<Qubit> qubits(op.controls);
    qubits.insert(qubits.end(), op.targets.begin(), op.targets.end());
    ref.apply_named(op.name, op.params, qubits);
  } else {
    ref.apply_op_matrix(op);
  }
}

}  // namespace

void Reference::apply_circuit(const Circuit& circuit, GateSource source) {
  if (circuit.num_qubits != num_qubits_)
    throw std::invalid_argument("reference: circuit and state sizes differ");
  std::vector<bool> measured(num_qubits_, false);
  for (const Op& op : circuit.ops) {
    if (const auto* g = std::get_if<GateOp>(&op)) {
      for (Qubit q : g->controls)
        if (measured[q]) throw std::logic_error("reference: gate after a measurement");
      for (Qubit q : g->targets)
        if (measured[q]) throw std::logic_error("reference: gate after a measurement");
      apply_gate(*this, *g, source);
    } else if (const auto* m = std::get_if<MeasureOp>(&op)) {
      measured[m->qubit] = true;
    } else if (std::holds_alternative<BarrierOp>(op)) {
      continue;
    } else {
      throw std::logic_error("reference: reset or if in a circuit applied as unitary");
    }
  }
  apply_global_phase(circuit.global_phase);
}

std::vector<double> Reference::probabilities() const {
  std::vector<double> p(static_cast<std::size_t>(state_.size()));
  for (Eigen::Index i = 0; i < state_.size(); ++i)
    p[static_cast<std::size_t>(i)] = std::norm(state_(i));
  return p;
}

double Reference::expectation(std::string_view label) const {
  if (label.size() != num_qubits_)
    throw std::invalid_argument("reference: label length differs from the number of qubits");
  CMatrix op = pauli(label[0]);
  for (std::size_t i = 1; i < label.size(); ++i) op = kron(op, pauli(label[i]));
  return (state_.adjoint() * op * state_)(0, 0).real();
}

double Reference::probability_one(Qubit q) const {
  double p = 0;
  for (Eigen::Index i = 0; i < state_.size(); ++i)
    if (((static_cast<std::uint64_t>(i) >> q) & 1U) != 0) p += std::norm(state_(i));
  return p;
}

void Reference::collapse(Qubit q, bool outcome) {
  for (Eigen::Index i = 0; i < state_.size(); ++i)
    if ((((static_cast<std::uint64_t>(i) >> q) & 1U) != 0) != outcome) state_(i) = 0.0;
  const double norm = state_.norm();
  if (norm == 0.0) throw std::logic_error("reference: collapse onto an outcome of weight 0");
  state_ /= norm;
}

// ---- branching over measurement outcomes -------------------------------------------------------

namespace {

struct Branch {
  Reference state;
  double probability;
  std::vector<std::uint8_t> clbits;
};

constexpr double kDropBelow = 1e-14;
constexpr std::size_t kMaxBranches = std::size_t{1} << 16;

bool condition_holds(const Condition& c, const std::vector<std::uint8_t>& clbits) {
  // The register's value as an integer (bit j = bits[j]) compared with the literal.
  bool equal = true;
  for (std::size_t j = 0; j < c.bits.size(); ++j) {
    const bool want = j < 64 && ((c.value >> j) & 1U) != 0;
    if ((clbits[c.bits[j]] != 0) != want) equal = false;
  }
  if (c.bits.size() < 64 && (c.value >> c.bits.size()) != 0) equal = false;
  return c.negated ? !equal : equal;
}

std::vector<Branch> run_branches(const std::vector<Op>& ops, std::vector<Branch> branches,
                                 Reference::GateSource source) {
  for (const Op& op : ops) {
    if (branches.empty()) break;
    if (const auto* g = std::get_if<GateOp>(&op)) {
      for (Branch& b : branches) apply_gate(b.state, *g, source);
    } else if (std::holds_alternative<MeasureOp>(op) || std::holds_alternative<ResetOp>(op)) {
      const bool is_reset = std::holds_alternative<ResetOp>(op);
      const Qubit q = is_reset ? std::get<ResetOp>(op).qubit : std::get<MeasureOp>(op).qubit;
      std::vector<Branch> next;
      for (Branch& b : branches) {
        const double p1 = b.state.probability_one(q);
        for (int outcome = 0; outcome < 2; ++outcome) {
          const double p = outcome == 1 ? p1 : 1.0 - p1;
          if (p * b.probability < kDropBelow) continue;
          Branch child = b;
          child.state.collapse(q, outcome == 1);
          child.probability *= p;
          if (is_reset) {
            if (outcome == 1) child.state.apply_named("x", {}, {q});
          } else {
            child.clbits[std::get<MeasureOp>(op).clbit] = static_cast<std::uint8_t>(outcome);
          }
          next.push_back(std::move(child));
        }
      }
      if (next.size() > kMaxBranches) throw std::logic_error("reference: too many branches");
      branches = std::move(next);
    } else if (const auto* branch = std::get_if<IfOp>(&op)) {
      std::vector<Branch> taken;
      std::vector<Branch> not_taken;
      for (Branch& b : branches)
        (condition_holds(branch->condition, b.clbits) ? taken : not_taken).push_back(std::move(b));
      taken = run_branches(branch->then_ops, std::move(taken), source);
      not_taken = run_branches(branch->else_ops, std::move(not_taken), source);
      branches = std::move(taken);
      for (Branch& b : not_taken) branches.push_back(std::move(b));
    }
  }
  return branches;
}

}  // namespace

std::map<std::string, double> outcome_distribution(const Circuit& circuit,
                                                   Reference::GateSource source) {
  std::vector<Branch> start;
  start.push_back(
      Branch{Reference(circuit.num_qubits), 1.0, std::vector<std::uint8_t>(circuit.num_clbits, 0)});
  const std::vector<Branch> done = run_branches(circuit.ops, std::move(start), source);
  std::map<std::string, double> dist;
  for (const Branch& b : done) dist[format_key(b.clbits, circuit)] += b.probability;
  return dist;
}

// ---- random inputs and comparisons -------------------------------------------------------------

namespace {

// Standard normal numbers by Box-Muller from mt19937_64 (specified bit for bit by the standard).
class Gaussian {
 public:
  explicit Gaussian(std::uint64_t seed) : engine_(seed) {}
  double operator()() {
    const double u1 = (static_cast<double>(engine_() >> 11) + 0.5) * 0x1p-53;
    const double u2 = static_cast<double>(engine_() >> 11) * 0x1p-53;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * pi * u2);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace

CVector random_state(unsigned num_qubits, std::uint64_t seed) {
  Gaussian g(seed);
  CVector v(Eigen::Index{1} << num_qubits);
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    const double re = g();
    v(i) = Cplx(re, g());
  }
  return v / v.norm();
}

CMatrix random_unitary(unsigned num_qubits, std::uint64_t seed) {
  Gaussian g(seed);
  const Eigen::Index d = Eigen::Index{1} << num_qubits;
  CMatrix a(d, d);
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index j = 0; j < d; ++j) {
      const double re = g();
      a(i, j) = Cplx(re, g());
    }
  const Eigen::HouseholderQR<CMatrix> qr(a);
  CMatrix q = qr.householderQ();
  const CMatrix r = qr.matrixQR().triangularView<Eigen::Upper>();
  for (Eigen::Index j = 0; j < d; ++j) q.col(j) *= r(j, j) / std::abs(r(j, j));
  return q;
}

double max_abs_diff(std::span<const Cplx> a, std::span<const Cplx> b) {
  if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

double max_abs_diff(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

double max_abs_diff_up_to_phase(std::span<const Cplx> a, std::span<const Cplx> b) {
  if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
  std::size_t big = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i]) > std::abs(a[big])) big = i;
  if (std::abs(b[big]) == 0.0) return max_abs_diff(a, b);
  const Cplx phase = (a[big] / b[big]) / std::abs(a[big] / b[big]);
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - phase * b[i]));
  return m;
}

}  // namespace qstate::test
