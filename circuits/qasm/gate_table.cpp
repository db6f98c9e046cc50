// Gate declarations, visibility and inlining of user gates (see gate_table.hpp).
#include "circuits/qasm/gate_table.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "circuits/qasm/diagnostics.hpp"
#include "circuits/qasm/lexer.hpp"
#include "circuits/qasm/qiskit_defs.hpp"

namespace qstate::qasm {
namespace {

// A buffer of n values on the stack when n is small, on the heap otherwise.
template <class T, std::size_t N>
class Scratch {
 public:
  explicit Scratch(std::size_t n) : size_(n) {
    if (n > N) {
      heap_ = std::make_unique<T[]>(n);
      data_ = heap_.get();
    } else {
      data_ = inline_.data();
    }
  }
  T& operator[](std::size_t i) { return data_[i]; }
  std::span<const T> span() const { return {data_, size_}; }

 private:
  std::array<T, N> inline_{};
  std::unique_ptr<T[]> heap_;
  T* data_;
  std::size_t size_;
};

}  // namespace

std::string normalized_tokens(std::string_view text, const std::string& file) {
  Lexer lexer(text, file);
  std::string out;
  for (Token t = lexer.next(); t.kind != TokenKind::kEnd; t = lexer.next()) {
    if (!out.empty()) out += ' ';
    out += t.text;
  }
  return out;
}

GateTable::GateTable() {
  include_library(kLibBuiltin);
}

GateEntry* GateTable::add(std::unique_ptr<GateEntry> entry) {
  entries_.push_back(std::move(entry));
  GateEntry* e = entries_.back().get();
  visible_.insert_or_assign(e->name, e);
  return e;
}

void GateTable::include_library(unsigned libraries) {
  if ((libraries & ~libraries_) == 0) return;
  for (const StandardGate& g : standard_gates()) {
    if ((g.libraries & libraries) == 0 || (g.libraries & libraries_) != 0) continue;
    const GateEntry* current = find(g.name);
    if (current != nullptr) continue;  // a user declaration keeps its name
    auto e = std::make_unique<GateEntry>();
    e->kind = GateKind::kStandard;
    e->name = std::string(g.name);
    e->num_params = g.num_params;
    e->num_qubits = g.num_qubits;
    e->standard = &g;
    if (g.num_params == 0) e->fixed_matrix = g.base(nullptr);
    add(std::move(e));
  }
  libraries_ |= libraries;
}

std::string GateTable::unknown_gate_message(std::string_view name) const {
  std::string msg = "unknown gate " + in_quotes(name);
  if ((libraries_ & kLibQelib1) == 0 && find_standard_gate(name, kLibQelib1) != nullptr)
    msg +=
        "; it is defined in \"qelib1.inc\": add 'include \"qelib1.inc\";' after the OPENQASM line";
  return msg;
}

void GateTable::define(GateDecl& decl, const std::string& file) {
  const std::string name(decl.name.name);
  const SourceLocation where = location(file, decl.name.pos);
  // Names of parameters and qubits: distinct.
  for (std::size_t i = 0; i < decl.params.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (decl.params[i].name == decl.params[j].name)
        throw Error(location(file, decl.params[i].pos),
                    "parameter " + in_quotes(decl.params[i].name) + " of gate " + in_quotes(name) +
                        " is declared twice");
  for (std::size_t i = 0; i < decl.qubits.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (decl.qubits[i].name == decl.qubits[j].name)
        throw Error(location(file, decl.qubits[i].pos), "qubit " + in_quotes(decl.qubits[i].name) +
                                                            " of gate " + in_quotes(name) +
                                                            " is declared twice");
    for (const Identifier& p : decl.params)
      if (p.name == decl.qubits[i].name)
        throw Error(location(file, decl.qubits[i].pos),
                    in_quotes(p.name) + " is declared both as a parameter and as a qubit of gate " +
                        in_quotes(name));
  }
  if (decl.qubits.empty())
    throw Error(where, "gate " + in_quotes(name) + " must act on at least one qubit");

  const auto num_params = static_cast<unsigned>(decl.params.size());
  const auto num_qubits = static_cast<unsigned>(decl.qubits.size());
  std::string text = normalized_tokens(decl.text, file);
  const GateEntry* existing = find(name);
  const bool same_signature = existing != nullptr && existing->num_params == num_params &&
                              existing->num_qubits == num_qubits;
  if (existing != nullptr && existing->kind != GateKind::kStandard) {
    if (existing->text == text) return;         // an identical re-declaration
    if (decl.opaque && same_signature) return;  // declares a gate that is already defined
    const bool defines_opaque = !decl.opaque && existing->kind == GateKind::kOpaque;
    if (!(defines_opaque && same_signature))
      throw Error(where, "gate " + in_quotes(name) + " is already " +
                             (existing->kind == GateKind::kOpaque ? "declared" : "defined") +
                             " at " + existing->where.to_string() + " with a different " +
                             (same_signature ? "body" : "signature") + " (" +
                             plural(existing->num_params, "parameter") + ", " +
                             plural(existing->num_qubits, "qubit") + ")");
  }
  if (decl.opaque && existing != nullptr && existing->kind == GateKind::kStandard && same_signature)
    return;  // `opaque` of a standard gate that is visible: it keeps its matrix

  auto e = std::make_unique<GateEntry>();
  e->name = name;
  e->num_params = num_params;
  e->num_qubits = num_qubits;
  e->where = where;
  e->text = std::move(text);
  if (decl.opaque) {
    e->kind = GateKind::kOpaque;
    e->identity = is_identity_opaque(name, num_params, num_qubits);
  } else {
    e->kind = GateKind::kUser;
    e->user = std::make_unique<UserGate>();
    check_body(decl, file, *e->user);
  }
  add(std::move(e));
}

void GateTable::check_body(GateDecl& decl, const std::string& file, UserGate& user) const {
  const std::string gate_name(decl.name.name);
  user.file = file;
  user.exprs = std::move(decl.exprs);
  std::vector<std::string_view> param_names;
  for (const Identifier& p : decl.params) param_names.push_back(p.name);

  // The index of a gate qubit written as `op` in the body.
  auto qubit_index = [&](const Operand& op) -> std::uint32_t {
    if (op.indexed)
      throw Error(location(file, op.id.pos),
                  "gate bodies use the gate's qubit arguments without an index, but found " +
                      in_quotes(std::string(op.id.name) + "[" + std::string(op.index.text) + "]"));
    for (std::size_t k = 0; k < decl.qubits.size(); ++k)
      if (decl.qubits[k].name == op.id.name) return static_cast<std::uint32_t>(k);
    if (std::find(param_names.begin(), param_names.end(), op.id.name) != param_names.end())
      throw Error(location(file, op.id.pos), in_quotes(op.id.name) + " is a parameter of gate " +
                                                 in_quotes(gate_name) + ", not a qubit");
    throw Error(location(file, op.id.pos), "unknown qubit " + in_quotes(op.id.name) +
                                               " in the body of gate " + in_quotes(gate_name));
  };

  for (const Statement& st : decl.body) {
    BodyOp& op = user.body.emplace_back();
    op.pos = st.pos;
    if (st.kind == StatementKind::kBarrier) {
      op.barrier = true;
      for (const Operand& o : st.operands) {
        const std::uint32_t k = qubit_index(o);
        if (std::find(op.qubits.begin(), op.qubits.end(), k) == op.qubits.end())
          op.qubits.push_back(k);
      }
      if (st.operands.empty())
        for (std::uint32_t k = 0; k < decl.qubits.size(); ++k) op.qubits.push_back(k);
      continue;
    }
    assert(st.kind == StatementKind::kApply);
    const GateEntry* g = find(st.name.name);
    if (g == nullptr) {
      if (st.name.name == decl.name.name)
        throw Error(location(file, st.name.pos),
                    "gate " + in_quotes(gate_name) +
                        " used before definition: a gate body can only use gates defined "
                        "before it, so a gate cannot apply itself");
      throw Error(location(file, st.name.pos),
                  unknown_gate_message(st.name.name) +
                      " (a gate body can only use gates defined before it)");
    }
    if (st.params.size() != g->num_params)
      throw Error(location(file, st.params_pos),
                  in_quotes(g->name) + " takes " + plural(g->num_params, "parameter") + ", but " +
                      std::to_string(st.params.size()) + " " +
                      (st.params.size() == 1 ? "was" : "were") + " given");
    if (st.operands.size() != g->num_qubits)
      throw Error(location(file, st.name.pos),
                  in_quotes(g->name) + " takes " + plural(g->num_qubits, "qubit argument") +
                      ", but " + std::to_string(st.operands.size()) + " " +
                      (st.operands.size() == 1 ? "was" : "were") + " given");
    op.gate = g;
    for (std::size_t j = 0; j < st.operands.size(); ++j) {
      const std::uint32_t k = qubit_index(st.operands[j]);
      if (std::find(op.qubits.begin(), op.qubits.end(), k) != op.qubits.end())
        throw Error(location(file, st.operands[j].id.pos),
                    "qubit " + in_quotes(st.operands[j].id.name) +
                        " appears twice in one application of " + in_quotes(g->name));
      op.qubits.push_back(k);
    }
    for (const ExprId e : st.params) {
      const ExprId bad = bind_symbols(user.exprs, e, param_names);
      if (bad != kNoExpr) {
        const ExprNode& n = user.exprs[bad];
        const bool is_qubit = std::any_of(decl.qubits.begin(), decl.qubits.end(),
                                          [&](const Identifier& q) { return q.name == n.name; });
        throw Error(SourceLocation{file, n.line, n.column},
                    is_qubit ? in_quotes(n.name) + " is a qubit of gate " + in_quotes(gate_name) +
                                   ", not a parameter"
                             : "unknown parameter " + in_quotes(n.name) + " in the body of gate " +
                                   in_quotes(gate_name));
      }
      op.params.push_back(e);
    }
  }
}

void GateTable::append_standard(const GateEntry& gate, std::span<const double> params,
                                std::span<const Qubit> qubits, std::vector<Op>& out) {
  assert(gate.kind == GateKind::kStandard);
  GateOp& op = std::get<GateOp>(out.emplace_back(std::in_place_type<GateOp>));
  if (!gate.fixed_matrix) {
    make_gate_into(*gate.standard, params, qubits, op);
    return;
  }
  op.name = gate.name;
  const std::size_t nc = gate.standard->num_controls;
  op.controls.assign(qubits.begin(), qubits.begin() + static_cast<std::ptrdiff_t>(nc));
  op.targets.assign(qubits.begin() + static_cast<std::ptrdiff_t>(nc), qubits.end());
  op.matrix = *gate.fixed_matrix;
}

void GateTable::expand(const GateEntry& gate, std::span<const double> params,
                       std::span<const Qubit> qubits, std::vector<Op>& out) const {
  switch (gate.kind) {
    case GateKind::kStandard:
      append_standard(gate, params, qubits, out);
      return;
    case GateKind::kOpaque:
      assert(gate.identity);  // callers reject applying other opaque gates
      return;
    case GateKind::kUser:
      break;
  }
  const UserGate& user = *gate.user;
  for (const BodyOp& op : user.body) {
    Scratch<Qubit, 8> mapped(op.qubits.size());
    for (std::size_t j = 0; j < op.qubits.size(); ++j) mapped[j] = qubits[op.qubits[j]];
    if (op.barrier) {
      const auto s = mapped.span();
      out.emplace_back(BarrierOp{std::vector<Qubit>(s.begin(), s.end())});
      continue;
    }
    if (op.gate->kind == GateKind::kOpaque && !op.gate->identity)
      throw Error(location(user.file, op.pos),
                  "gate " + in_quotes(gate.name) + " applies opaque gate " +
                      in_quotes(op.gate->name) +
                      ", which has no definition to simulate (declared at " +
                      op.gate->where.to_string() + ")");
    Scratch<double, 4> values(op.params.size());
    for (std::size_t j = 0; j < op.params.size(); ++j)
      values[j] = evaluate(user.exprs, op.params[j], params, user.file);
    expand(*op.gate, values.span(), mapped.span(), out);
  }
}

}  // namespace qstate::qasm
