// The API's circuit side: parameter expressions, circuits built in code (standard gates bound to
// symbolic parameters through ParametricGate), loading OpenQASM, Pauli sums.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "api/counters.hpp"
#include "circuits/gates.hpp"
#include "circuits/qasm/qasm.hpp"
#include "qstate/qstate.hpp"
#include "simulator/pauli.hpp"

namespace qstate::api {

namespace detail {
AtomicCounters& global_counters() {
  static AtomicCounters counters;
  return counters;
}
}  // namespace detail

Counters counters() {
  auto& c = detail::global_counters();
  return Counters{c.parses.load(), c.plans.load(), c.allocations.load(), c.binds.load(),
                  c.runs.load()};
}

void reset_counters() {
  auto& c = detail::global_counters();
  c.parses = 0;
  c.plans = 0;
  c.allocations = 0;
  c.binds = 0;
  c.runs = 0;
}

// ---- Param ---------------------------------------------------------------------------------

Param::Param(std::string symbol) {
  if (symbol.empty()) throw Error("a parameter name must not be empty");
  terms_.emplace_back(std::move(symbol), 1.0);
}

Param operator+(const Param& a, const Param& b) {
  if (a.is_constant() && b.is_constant()) return Param(a.constant_ + b.constant_);
  if (b.is_constant() || a.is_constant()) {
    const Param& sym = a.is_constant() ? b : a;
    Param out = sym;
    out.constant_ = a.constant_ + b.constant_;
    return out;
  }
  // Merge two sorted term lists.
  Param out(a.constant_ + b.constant_);
  std::map<std::string, double> sum;
  for (const auto& [s, k] : a.terms_) sum[s] += k;
  for (const auto& [s, k] : b.terms_) sum[s] += k;
  for (const auto& [s, k] : sum)
    if (k != 0.0) out.terms_.emplace_back(s, k);
  return out;
}

Param operator-(const Param& a, const Param& b) {
  return a + (-b);
}

Param operator-(const Param& a) {
  return a * -1.0;
}

Param operator*(const Param& a, double k) {
  Param out(a.constant_ * k);
  if (k == 0.0) return out;
  for (const auto& [s, c] : a.terms_) out.terms_.emplace_back(s, c * k);
  return out;
}

double Param::evaluate(const Values& values) const {
  double v = constant_;
  for (const auto& [s, k] : terms_) {
    const auto it = values.find(s);
    if (it == values.end()) throw Error("parameter '" + s + "' has no value");
    v += k * it->second;
  }
  return v;
}

std::string Param::to_string() const {
  std::ostringstream out;
  out.precision(17);
  bool first = true;
  for (const auto& [s, k] : terms_) {
    if (!first) out << (k < 0 ? " - " : " + ");
    if (first && k < 0) out << "-";
    if (std::abs(k) != 1.0) out << std::abs(k) << "*";
    out << s;
    first = false;
  }
  if (first) {
    out << constant_;
  } else if (constant_ != 0.0) {
    out << (constant_ < 0 ? " - " : " + ") << std::abs(constant_);
  }
  return out.str();
}

// ---- Circuit -------------------------------------------------------------------------------

namespace {

// A standard gate whose parameters are affine in the circuit's inputs.
class AffineGate final : public ParametricGate {
 public:
  struct Affine {
    double constant = 0;
    std::vector<std::pair<std::size_t, double>> terms;  // (input index, coefficient)
  };
  AffineGate(const StandardGate& gate, std::vector<Affine> params)
      : gate_(gate), params_(std::move(params)) {}

  std::vector<double> values(std::span<const double> inputs) const {
    std::vector<double> v(params_.size());
    for (std::size_t i = 0; i < params_.size(); ++i) {
      v[i] = params_[i].constant;
      for (const auto& [index, k] : params_[i].terms) v[i] += k * inputs[index];
    }
    return v;
  }

  void bind(std::span<const double> inputs, GateOp& op) const override {
    op.params = values(inputs);
    op.matrix = gate_.base(op.params.data()).as_kind(op.matrix.kind);
  }

 private:
  const StandardGate& gate_;
  std::vector<Affine> params_;
};

// The kind a parametric gate keeps for every binding: that of generic parameter values (exact
// zeros there are structural, so any binding has at least those zeros).
MatrixKind generic_kind(const StandardGate& gate) {
  std::vector<double> generic(gate.num_params);
  for (std::size_t i = 0; i < generic.size(); ++i) generic[i] = 0.7310585786 + 0.3183098862 * i;
  return gate.base(generic.data()).kind;
}

}  // namespace

Circuit::Circuit(unsigned num_qubits, unsigned num_clbits) {
  if (num_qubits > 0) model_.add_qreg("q", num_qubits);
  if (num_clbits > 0) model_.add_creg("c", num_clbits);
  model_.source = "circuit";
}

Circuit::Circuit(qstate::Circuit model) : model_(std::move(model)) {}

Circuit Circuit::from_qasm(std::string_view text, const std::string& name) {
  ++detail::global_counters().parses;
  return Circuit(qasm::parse_string(text, name));
}

Circuit Circuit::from_file(const std::string& path) {
  ++detail::global_counters().parses;
  return Circuit(qasm::parse_file(path));
}

Circuit& Circuit::set_name(std::string name) {
  model_.source = std::move(name);
  return *this;
}

Circuit& Circuit::set_global_phase(double radians) {
  model_.global_phase = radians;
  return *this;
}

void Circuit::check_qubit(unsigned q) const {
  if (q >= model_.num_qubits)
    throw Error("qubit " + std::to_string(q) + " is out of range: the circuit has " +
                std::to_string(model_.num_qubits) + " qubits");
}

unsigned Circuit::input_index(const std::string& symbol) {
  const auto it = std::find(model_.inputs.begin(), model_.inputs.end(), symbol);
  if (it != model_.inputs.end()) return static_cast<unsigned>(it - model_.inputs.begin());
  model_.inputs.push_back(symbol);
  return static_cast<unsigned>(model_.inputs.size() - 1);
}

Circuit& Circuit::gate(std::string_view name, const std::vector<unsigned>& qubits,
                       const std::vector<Param>& params) {
  const StandardGate* g = find_standard_gate(name, ~0U);
  if (g == nullptr)
    throw Error("unknown gate '" + std::string(name) + "' (Circuit::gate_names() lists them)");
  if (qubits.size() != g->num_qubits || params.size() != g->num_params)
    throw Error("gate '" + std::string(name) + "' takes " + std::to_string(g->num_params) +
                " parameter(s) and " + std::to_string(g->num_qubits) + " qubit(s), not " +
                std::to_string(params.size()) + " and " + std::to_string(qubits.size()));
  for (std::size_t i = 0; i < qubits.size(); ++i) {
    check_qubit(qubits[i]);
    for (std::size_t j = 0; j < i; ++j)
      if (qubits[j] == qubits[i])
        throw Error("gate '" + std::string(name) + "' names qubit " + std::to_string(qubits[i]) +
                    " twice");
  }
  const std::vector<Qubit> q(qubits.begin(), qubits.end());
  const bool symbolic =
      std::any_of(params.begin(), params.end(), [](const Param& p) { return !p.is_constant(); });
  if (!symbolic) {
    std::vector<double> values;
    for (const Param& p : params) values.push_back(p.constant());
    model_.ops.emplace_back(make_gate(*g, values, q));
  } else {
    std::vector<AffineGate::Affine> affine;
    for (const Param& p : params) {
      AffineGate::Affine a{p.constant(), {}};
      for (const auto& [s, k] : p.terms()) a.terms.emplace_back(input_index(s), k);
      affine.push_back(std::move(a));
    }
    auto parametric = std::make_shared<const AffineGate>(*g, std::move(affine));
    // Unbound parameters read 0 until bound; the matrix keeps the generic kind.
    const std::vector<double> zeros(model_.inputs.size(), 0.0);
    const std::vector<double> values = parametric->values(zeros);
    GateOp op = make_gate(*g, values, q);
    op.matrix = g->base(values.data()).as_kind(generic_kind(*g));
    op.parametric = parametric;
    model_.ops.emplace_back(std::move(op));
  }
  ++model_.written_counts[std::string(name)];
  return *this;
}

Circuit& Circuit::unitary(const std::vector<Complex>& matrix, const std::vector<unsigned>& qubits,
                          const std::string& name) {
  const std::size_t k = qubits.size();
  if (k == 0 || k > 12) throw Error("unitary: give 1 to 12 qubits");
  const std::size_t d = std::size_t{1} << k;
  if (matrix.size() != d * d)
    throw Error("unitary on " + std::to_string(k) + " qubits needs " + std::to_string(d * d) +
                " entries (row-major), not " + std::to_string(matrix.size()));
  for (std::size_t i = 0; i < k; ++i) {
    check_qubit(qubits[i]);
    for (std::size_t j = 0; j < i; ++j)
      if (qubits[i] == qubits[j]) throw Error("unitary names a qubit twice");
  }
  for (std::size_t r = 0; r < d; ++r)
    for (std::size_t c = 0; c < d; ++c) {
      Complex dot = 0;
      for (std::size_t m = 0; m < d; ++m) dot += std::conj(matrix[m * d + r]) * matrix[m * d + c];
      if (std::abs(dot - (r == c ? 1.0 : 0.0)) > 1e-9)
        throw Error("unitary: the matrix is not unitary (columns " + std::to_string(r) + " and " +
                    std::to_string(c) + ")");
    }
  GateOp op;
  op.name = name;
  op.targets.assign(qubits.begin(), qubits.end());
  op.matrix = GateMatrix::classify(static_cast<unsigned>(k), matrix);
  model_.ops.emplace_back(std::move(op));
  ++model_.written_counts[name];
  return *this;
}

Circuit& Circuit::measure(unsigned qubit, unsigned clbit) {
  check_qubit(qubit);
  if (clbit >= model_.num_clbits)
    throw Error("clbit " + std::to_string(clbit) + " is out of range: the circuit has " +
                std::to_string(model_.num_clbits) + " clbits");
  model_.ops.emplace_back(MeasureOp{qubit, clbit});
  ++model_.written_counts["measure"];
  return *this;
}

Circuit& Circuit::measure_all() {
  const Register meas = model_.add_creg("meas", model_.num_qubits);
  barrier();
  for (unsigned q = 0; q < model_.num_qubits; ++q) {
    model_.ops.emplace_back(MeasureOp{q, meas.first + q});
    ++model_.written_counts["measure"];
  }
  return *this;
}

Circuit& Circuit::reset(unsigned qubit) {
  check_qubit(qubit);
  model_.ops.emplace_back(ResetOp{qubit});
  ++model_.written_counts["reset"];
  return *this;
}

Circuit& Circuit::barrier() {
  BarrierOp b;
  for (Qubit q = 0; q < model_.num_qubits; ++q) b.qubits.push_back(q);
  model_.ops.emplace_back(std::move(b));
  ++model_.written_counts["barrier"];
  return *this;
}

std::vector<std::string> Circuit::gate_names() {
  std::vector<std::string> names;
  for (const StandardGate& g : standard_gates())
    if (std::find(names.begin(), names.end(), g.name) == names.end()) names.emplace_back(g.name);
  return names;
}

// ---- PauliSum ------------------------------------------------------------------------------

PauliSum::PauliSum(std::string_view text) {
  const qstate::PauliSum parsed = parse_pauli_sum(text);
  for (const PauliTerm& t : parsed.terms) terms_.emplace_back(t.coefficient, t.label);
}

PauliSum::PauliSum(const std::vector<std::pair<std::string, double>>& terms) {
  for (const auto& [label, k] : terms) add(label, k);
}

PauliSum& PauliSum::add(const std::string& label, double coefficient) {
  if (label.empty()) throw Error("a Pauli label must not be empty");
  std::string upper;
  for (char c : label) {
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (u != 'I' && u != 'X' && u != 'Y' && u != 'Z')
      throw Error("Pauli label '" + label + "': '" + std::string(1, c) +
                  "' is not a Pauli letter (use I, X, Y, Z)");
    upper.push_back(u);
  }
  if (!terms_.empty() && upper.size() != terms_[0].second.size())
    throw Error("Pauli label '" + label + "' has " + std::to_string(upper.size()) +
                " letters but the first term has " + std::to_string(terms_[0].second.size()));
  if (!std::isfinite(coefficient))
    throw Error("Pauli coefficient of '" + label + "' is not finite");
  terms_.emplace_back(coefficient, std::move(upper));
  return *this;
}

std::string PauliSum::to_string() const {
  std::ostringstream out;
  out.precision(17);
  for (std::size_t i = 0; i < terms_.size(); ++i) {
    const auto& [k, label] = terms_[i];
    if (i > 0)
      out << (k < 0 ? " - " : " + ");
    else if (k < 0)
      out << "-";
    out << std::abs(k) << "*" << label;
  }
  return out.str();
}

}  // namespace qstate::api
