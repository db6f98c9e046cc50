// OpenQASM 3 lowering: the gate table, gate definitions, gate calls with their modifiers, and the
// expansion of user gates (see qasm3_lowerer.hpp).
//
// A call `mods @ name(params) qubits;` is lowered in three steps: the gate alone on its target
// qubits becomes a list of ops (one GateOp for a standard gate or gphase; the body's ops for a
// user gate); `inv` and `pow` then transform that list, innermost modifier first; last, the
// controls of every `ctrl`/`negctrl` are added to each op. Controls can be added last because
// they commute with inverses and (principal) powers: inv(C(U)) = C(inv U), C(U)^k = C(U^k).
#include <algorithm>
#include <cmath>
#include <sstream>
#include <variant>

#include "circuits/qasm/qasm3_lowerer.hpp"
#include "circuits/qasm/qasm3_matrix.hpp"
#include "circuits/qasm/qasm3_stdgates.hpp"

namespace qstate::qasm3 {
namespace {

// Largest number of ops one gate call may expand to through integer powers.
constexpr std::size_t kMaxPowerOps = std::size_t{1} << 22;

struct EvaluatedModifier {
  ModifierKind kind = ModifierKind::kCtrl;
  unsigned count = 1;
  double exponent = 1.0;
};

std::string number_text(double x) {
  std::ostringstream out;
  out.precision(15);
  out << x;
  return out.str();
}

std::string modifier_prefix(const std::vector<EvaluatedModifier>& mods) {
  std::string out;
  for (const EvaluatedModifier& m : mods) {
    switch (m.kind) {
      case ModifierKind::kCtrl:
        out += m.count == 1 ? "ctrl@" : "ctrl(" + std::to_string(m.count) + ")@";
        break;
      case ModifierKind::kNegCtrl:
        out += m.count == 1 ? "negctrl@" : "negctrl(" + std::to_string(m.count) + ")@";
        break;
      case ModifierKind::kInv:
        out += "inv@";
        break;
      case ModifierKind::kPow:
        out += "pow(" + number_text(m.exponent) + ")@";
        break;
    }
  }
  return out;
}

// A copy of op's recipe with one more transform.
std::shared_ptr<Recipe> extended(const GateOp& op) {
  return std::make_shared<Recipe>(*recipe_of(op));
}

void set_recipe(GateOp& op, std::shared_ptr<const Recipe> recipe) {
  const auto* g = dynamic_cast<const RecipeGate*>(op.parametric.get());
  op.parametric = std::make_shared<RecipeGate>(g->pool(), std::move(recipe), g->file(), g->kind());
}

}  // namespace

void Lowerer::include_library(unsigned libraries) {
  for (const StandardGate& g : standard_gates()) {
    if ((g.libraries & libraries) == 0) continue;
    const auto it = gates_.find(g.name);
    if (it != gates_.end()) continue;  // a user gate keeps its name; U is there already
    GateInfo info;
    info.kind = GateInfo::Kind::kStandard;
    info.name = std::string(g.name);
    info.num_params = g.num_params;
    info.num_qubits = g.num_qubits;
    info.standard = &g;
    if (g.num_params == 0) info.fixed_matrix = g.base(nullptr);
    gates_.emplace(info.name, std::move(info));
  }
  libraries_ |= libraries;
}

void Lowerer::define_gate(const Stmt& st) {
  require_global(st, "gate definitions");
  const GateDef& def = *st.gate;
  const std::string name(def.name.name);
  if (const auto it = gates_.find(name);
      it != gates_.end() && it->second.kind == GateInfo::Kind::kUser)
    throw Error(at(def.name.pos), "gate " + quote_name(name) + " is already defined at " +
                                      it->second.where.to_string());
  if (scopes_[0].symbols.count(name) != 0)
    throw Error(at(def.name.pos),
                quote_name(name) + " is already declared as a variable or register");
  for (std::size_t i = 0; i < def.params.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (def.params[i].name == def.params[j].name)
        throw Error(at(def.params[i].pos), "parameter " + quote_name(def.params[i].name) +
                                               " of gate " + quote_name(name) +
                                               " is declared twice");
  for (std::size_t i = 0; i < def.qubits.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (def.qubits[i].name == def.qubits[j].name)
        throw Error(at(def.qubits[i].pos), "qubit " + quote_name(def.qubits[i].name) + " of gate " +
                                               quote_name(name) + " is declared twice");
    for (const Identifier& p : def.params)
      if (p.name == def.qubits[i].name)
        throw Error(at(def.qubits[i].pos), quote_name(p.name) +
                                               " is both a parameter and a qubit of "
                                               "gate " +
                                               quote_name(name));
  }
  if (def.qubits.empty())
    throw Error(at(def.name.pos), "gate " + quote_name(name) + " must act on at least one qubit");
  check_gate_body(def, def.body);
  GateInfo info;
  info.kind = GateInfo::Kind::kUser;
  info.name = name;
  info.num_params = static_cast<unsigned>(def.params.size());
  info.num_qubits = static_cast<unsigned>(def.qubits.size());
  info.def = st.gate;
  info.where = at(def.name.pos);
  gates_.insert_or_assign(name, std::move(info));
}

void Lowerer::check_gate_body(const GateDef& def, const std::vector<Stmt>& body) const {
  for (const Stmt& st : body) {
    const char* refused = nullptr;
    switch (st.kind) {
      case StmtKind::kGateCall:
        if (st.name.name == def.name.name)
          throw Error(at(st.name.pos),
                      "gate " + quote_name(def.name.name) + " cannot apply itself");
        if (gates_.count(st.name.name) == 0) {
          std::string msg = "unknown gate " + quote_name(st.name.name);
          if ((libraries_ & kLibStdgates) == 0 && find_standard_gate(st.name.name, kLibStdgates))
            msg += "; it is defined in \"stdgates.inc\": add 'include \"stdgates.inc\";'";
          throw Error(at(st.name.pos), msg + " (a gate body can only use gates defined before it)");
        }
        break;
      case StmtKind::kMeasure:
        refused = "measure";
        break;
      case StmtKind::kReset:
        refused = "reset qubits";
        break;
      case StmtKind::kQubitDecl:
      case StmtKind::kBitDecl:
      case StmtKind::kInput:
        refused = "declare qubits, bits or inputs";
        break;
      case StmtKind::kGateDef:
        refused = "define gates";
        break;
      case StmtKind::kInclude:
      case StmtKind::kVersion:
        refused = "include files";
        break;
      default:
        break;
    }
    if (refused != nullptr)
      throw Error(at(st.pos), std::string("a gate body cannot ") + refused +
                                  " (a gate is unitary: only gates, gphase and barrier)");
    check_gate_body(def, st.body);
    check_gate_body(def, st.else_body);
    for (const SwitchCase& c : st.cases) check_gate_body(def, c.body);
  }
}

ParamSource Lowerer::param_source(const Value& v, Pos pos) const {
  if (v.known()) return ParamSource{v.as_double(), qasm::kNoExpr};
  if (v.kind == Value::Kind::kInput) return ParamSource{0.0, v.expr};
  throw Error(at(pos),
              "a gate parameter must be a number or depend on inputs, but it is " + describe(v));
}

void Lowerer::gate_call(const Stmt& st, const ExprTree& e) {
  GateInfo* found = gate_cache_.find(st.name.name);
  if (found == nullptr) {
    const auto it = gates_.find(st.name.name);
    if (it != gates_.end()) {
      found = &it->second;
      gate_cache_.put(st.name.name, found);
    }
  }
  if (found == nullptr) {
    std::string msg = "unknown gate " + quote_name(st.name.name);
    if ((libraries_ & kLibStdgates) == 0 && find_standard_gate(st.name.name, kLibStdgates))
      msg += "; it is defined in \"stdgates.inc\": add 'include \"stdgates.inc\";'";
    throw Error(at(st.name.pos), msg);
  }
  GateInfo& g = *found;
  if (call_scratch_.size() <= static_cast<std::size_t>(gate_depth_))
    call_scratch_.resize(gate_depth_ + 1);
  CallScratch& scratch = call_scratch_[static_cast<std::size_t>(gate_depth_)];
  if (st.params.size() != g.num_params)
    throw Error(at(st.params_pos), quote_name(g.name) + " takes " + std::to_string(g.num_params) +
                                       " parameter" + (g.num_params == 1 ? "" : "s") + ", but " +
                                       std::to_string(st.params.size()) + " " +
                                       (st.params.size() == 1 ? "was" : "were") + " given");
  std::vector<Value>& params = scratch.params;
  params.clear();
  for (const NodeId id : st.params) {
    Value v = eval(id, e);
    (void)param_source(v, e[id].pos);  // checks the kind
    params.push_back(std::move(v));
  }
  std::vector<EvaluatedModifier> mods;
  unsigned num_controls = 0;
  for (const Modifier& m : st.modifiers) {
    EvaluatedModifier em;
    em.kind = m.kind;
    if (m.kind == ModifierKind::kPow) {
      const Value v = eval(m.arg, e);
      if (!v.known())
        throw Error(at(m.pos),
                    "the exponent of 'pow' must be a number known when the file is "
                    "read, but it is " +
                        describe(v));
      em.exponent = v.as_double();
    } else if (m.arg != kNoNode) {
      const std::int64_t k = eval_int(m.arg, e, "the number of controls");
      if (k < 1 || k > 64)
        throw Error(at(m.pos),
                    "the number of controls must be from 1 to 64, not " + std::to_string(k));
      em.count = static_cast<unsigned>(k);
    }
    if (m.kind == ModifierKind::kCtrl || m.kind == ModifierKind::kNegCtrl) num_controls += em.count;
    mods.push_back(em);
  }
  const std::size_t expected = num_controls + g.num_qubits;
  if (st.operands.size() != expected)
    throw Error(at(st.name.pos), quote_name(g.name) + " takes " + std::to_string(expected) +
                                     " qubit argument" + (expected == 1 ? "" : "s") +
                                     (num_controls > 0 ? " with its controls" : "") + ", but " +
                                     std::to_string(st.operands.size()) + " " +
                                     (st.operands.size() == 1 ? "was" : "were") + " given");
  std::vector<Bits>& operands = scratch.operands;
  operands.clear();
  std::size_t count = 1;
  const Bits* first_list = nullptr;
  for (const NodeId id : st.operands) {
    Bits b = operand_bits(id, e);
    if (!b.quantum) throw Error(at(e[id].pos), "a gate acts on qubits, not bits");
    operands.push_back(std::move(b));
  }
  for (std::size_t j = 0; j < operands.size(); ++j) {
    if (operands[j].single) continue;
    if (first_list == nullptr) {
      first_list = &operands[j];
      count = operands[j].ids.size();
    } else if (operands[j].ids.size() != count) {
      throw Error(at(e[st.operands[j]].pos), "cannot broadcast " + quote_name(g.name) +
                                                 " over registers of different sizes (" +
                                                 std::to_string(operands[j].ids.size()) + " and " +
                                                 std::to_string(count) + ")");
    }
  }
  const std::string prefix = modifier_prefix(mods);
  SmallVector<Qubit, 8> qubits(operands.size());
  std::vector<Op>& ops = scratch.ops;
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t j = 0; j < operands.size(); ++j) {
      qubits[j] = operands[j].single ? operands[j].ids[0] : operands[j].ids[i];
      for (std::size_t k = 0; k < j; ++k)
        if (qubits[k] == qubits[j])
          throw Error(at(e[st.operands[j]].pos),
                      "the same qubit appears twice in one application of " + quote_name(g.name) +
                          " (the qubits of a gate must be distinct)");
    }
    ops.clear();
    expand(g, params, std::span<const Qubit>(qubits).subspan(num_controls), st.name.pos, ops);
    for (auto m = mods.rbegin(); m != mods.rend(); ++m) {
      if (m->kind == ModifierKind::kInv) invert(ops);
      if (m->kind == ModifierKind::kPow) power(ops, m->exponent, st.pos);
    }
    // Controls: the first modifier's come first among the qubit arguments.
    const std::span<const Qubit> controls(qubits.begin(), num_controls);
    std::uint64_t open = 0;
    std::size_t next = 0;
    for (const EvaluatedModifier& m : mods) {
      if (m.kind != ModifierKind::kCtrl && m.kind != ModifierKind::kNegCtrl) continue;
      for (unsigned c = 0; c < m.count; ++c, ++next)
        if (m.kind == ModifierKind::kNegCtrl) open |= std::uint64_t{1} << next;
    }
    for (Op& op : ops) {
      auto* gate = std::get_if<GateOp>(&op);
      if (gate == nullptr) continue;
      if (num_controls > 0) {
        if (gate->controls.size() + num_controls > 64)
          throw Error(at(st.pos), "a gate may have at most 64 controls");
        gate->open_controls = open | (gate->open_controls << num_controls);
        gate->controls.insert(gate->controls.begin(), controls.begin(), controls.end());
      }
      if (!prefix.empty()) gate->name = prefix + gate->name;
    }
    emit(ops);
  }
  if (gate_depth_ > 0) return;
  if (!prefix.empty()) {
    counts_[prefix + std::string(count_name(g.name))] += count;
    return;
  }
  if (g.count == nullptr) g.count = &counts_[std::string(count_name(g.name))];
  *g.count += count;
}

void Lowerer::expand(const GateInfo& g, const std::vector<Value>& params,
                     std::span<const Qubit> qubits, Pos call, std::vector<Op>& out) {
  if (g.kind != GateInfo::Kind::kUser) {
    GateOp& op = std::get<GateOp>(out.emplace_back(std::in_place_type<GateOp>));  // built in place
    op.name = g.name;
    const bool known =
        std::all_of(params.begin(), params.end(), [](const Value& v) { return v.known(); });
    if (g.kind == GateInfo::Kind::kStandard) {
      const std::size_t nc = g.standard->num_controls;
      op.controls.assign(qubits.begin(), qubits.begin() + static_cast<std::ptrdiff_t>(nc));
      op.targets.assign(qubits.begin() + static_cast<std::ptrdiff_t>(nc), qubits.end());
    }
    if (known) {
      for (const Value& v : params) op.params.push_back(v.as_double());
      const double* values = op.params.data();
      if (g.kind == GateInfo::Kind::kPhase)
        op.matrix = GateMatrix::diagonal(0, {std::polar(1.0, values[0])});
      else if (g.fixed_matrix)
        op.matrix = *g.fixed_matrix;
      else
        op.matrix = g.standard->base(values);
    } else {
      auto recipe = std::make_shared<Recipe>();
      recipe->base =
          g.kind == GateInfo::Kind::kPhase ? Recipe::Base::kPhase : Recipe::Base::kStandard;
      recipe->standard = g.standard;
      for (std::size_t j = 0; j < params.size(); ++j)
        recipe->params.push_back(param_source(params[j], call));
      op.parametric = std::make_shared<RecipeGate>(inputs_.pool(), std::move(recipe), *file_,
                                                   MatrixKind::kDense);
    }
    return;
  }
  const GateDef& def = *g.def;
  if (std::find(expanding_.begin(), expanding_.end(), g.name) != expanding_.end())
    throw Error(at(call), "gate " + quote_name(g.name) + " applies itself");
  if (expanding_.size() > 1000) throw Error(at(call), "gates are nested too deeply");
  // The body runs in a scope of its own: parameters, qubits and global constants only.
  std::vector<Op>* saved_out = out_;
  const std::string* saved_file = file_;
  std::vector<int> saved_loops;
  saved_loops.swap(loops_);
  const int saved_runtime = runtime_depth_;
  Scope scope;
  scope.gate_body = true;
  for (std::size_t j = 0; j < def.params.size(); ++j) {
    Symbol s;
    s.kind = Symbol::Kind::kVar;
    s.type = TypeKind::kFloat;
    s.is_const = true;
    s.value = params[j];
    s.where = SourceLocation{def.file, def.params[j].pos.line, def.params[j].pos.column};
    scope.symbols.emplace(std::string(def.params[j].name), std::move(s));
  }
  for (std::size_t j = 0; j < def.qubits.size(); ++j) {
    Symbol s;
    s.kind = Symbol::Kind::kQubits;
    s.single = true;
    s.ids = {qubits[j]};
    s.where = SourceLocation{def.file, def.qubits[j].pos.line, def.qubits[j].pos.column};
    scope.symbols.emplace(std::string(def.qubits[j].name), std::move(s));
  }
  scopes_.push_back(std::move(scope));
  expanding_.push_back(g.name);
  gate_qubits_.emplace_back(qubits.begin(), qubits.end());
  out_ = &out;
  file_ = &def.file;
  runtime_depth_ = 0;
  ++gate_depth_;
  auto restore = [&] {
    --gate_depth_;
    runtime_depth_ = saved_runtime;
    file_ = saved_file;
    out_ = saved_out;
    gate_qubits_.pop_back();
    expanding_.pop_back();
    scopes_.pop_back();
    loops_.swap(saved_loops);
  };
  try {
    statements(def.body, *def.exprs);
  } catch (const Error& err) {
    restore();
    // Say which application of the gate led here.
    std::string msg = err.what();
    const std::string where_prefix = err.location().to_string() + ": ";
    if (msg.starts_with(where_prefix)) msg.erase(0, where_prefix.size());
    throw Error(err.location(),
                msg + " (in " + quote_name(g.name) + " applied at " + at(call).to_string() + ")");
  } catch (...) {
    restore();
    throw;
  }
  restore();
}

void Lowerer::invert(std::vector<Op>& ops) const {
  std::reverse(ops.begin(), ops.end());
  for (Op& op : ops) {
    auto* g = std::get_if<GateOp>(&op);
    if (g == nullptr) continue;
    if (g->parametric) {
      auto r = extended(*g);
      r->transforms.push_back(Recipe::Transform{true, 1.0});
      set_recipe(*g, std::move(r));
    } else {
      g->matrix = g->matrix.adjoint();
    }
  }
}

void Lowerer::power(std::vector<Op>& ops, double k, Pos pos) const {
  std::size_t gates = 0;
  GateOp* only = nullptr;
  for (Op& op : ops)
    if (auto* g = std::get_if<GateOp>(&op)) {
      ++gates;
      only = g;
    }
  const bool integral = k == std::round(k) && std::fabs(k) < 1e15;
  if (gates == 1) {
    // One gate: the power of its matrix (its own controls commute with it).
    if (only->parametric) {
      auto r = extended(*only);
      r->transforms.push_back(Recipe::Transform{false, k});
      set_recipe(*only, std::move(r));
    } else {
      only->matrix = matrix_power(only->matrix, k);
    }
    if (integral && k == 0) ops.clear();
    return;
  }
  if (gates == 0) return;
  if (integral) {
    auto n = static_cast<std::int64_t>(k);
    if (n < 0) {
      invert(ops);
      n = -n;
    }
    if (static_cast<double>(ops.size()) * static_cast<double>(n) >
        static_cast<double>(kMaxPowerOps))
      throw Error(at(pos), "pow(" + number_text(k) + ") repeats the gate's " +
                               std::to_string(ops.size()) + " operations too often");
    std::vector<Op> repeated;
    repeated.reserve(ops.size() * static_cast<std::size_t>(n));
    for (std::int64_t r = 0; r < n; ++r) repeated.insert(repeated.end(), ops.begin(), ops.end());
    ops = std::move(repeated);
    return;
  }
  // A fractional power of several gates: multiply them into one matrix first.
  std::vector<Qubit> wires;
  auto local = [&](Qubit q) {
    const auto it = std::find(wires.begin(), wires.end(), q);
    if (it != wires.end()) return static_cast<unsigned>(it - wires.begin());
    wires.push_back(q);
    return static_cast<unsigned>(wires.size() - 1);
  };
  std::vector<RecipePart> parts;
  std::vector<ProductPart> fixed;
  bool parametric = false;
  for (const Op& op : ops) {
    const auto* g = std::get_if<GateOp>(&op);
    if (g == nullptr) continue;
    RecipePart part;
    for (const Qubit q : g->controls) part.controls.push_back(local(q));
    for (const Qubit q : g->targets) part.targets.push_back(local(q));
    part.open_controls = g->open_controls;
    part.recipe = recipe_of(*g);
    parametric = parametric || static_cast<bool>(g->parametric);
    fixed.push_back(ProductPart{part.controls, part.targets, part.open_controls, g->matrix});
    parts.push_back(std::move(part));
  }
  if (wires.size() > kMaxProductQubits)
    throw Error(at(pos), "pow(" + number_text(k) + ") of a gate on " +
                             std::to_string(wires.size()) + " qubits is not supported (a " +
                             "fractional power needs the gate's matrix: at most " +
                             std::to_string(kMaxProductQubits) + " qubits)");
  GateOp result;
  result.name = std::get<GateOp>(ops.front()).name;
  for (const Op& op : ops)
    if (const auto* g = std::get_if<GateOp>(&op)) result.name = g->name;
  result.targets = wires;
  const auto width = static_cast<unsigned>(wires.size());
  if (parametric) {
    auto r = std::make_shared<Recipe>();
    r->base = Recipe::Base::kProduct;
    r->parts = std::move(parts);
    r->width = width;
    r->transforms.push_back(Recipe::Transform{false, k});
    result.parametric =
        std::make_shared<RecipeGate>(inputs_.pool(), std::move(r), *file_, MatrixKind::kDense);
  } else {
    result.matrix = matrix_power(product_matrix(fixed, width), k);
  }
  ops.clear();
  ops.emplace_back(std::move(result));
}

void Lowerer::emit(std::vector<Op>& ops) {
  if (gate_depth_ > 0) {
    for (Op& op : ops) out_->push_back(std::move(op));
    return;
  }
  for (Op& op : ops) {
    if (auto* g = std::get_if<GateOp>(&op)) {
      finalize(*g, *out_);
    } else {
      out_->push_back(std::move(op));
    }
  }
}

void Lowerer::finalize(GateOp& op, std::vector<Op>& out) {
  if (op.targets.empty()) {
    if (!op.controls.empty()) {
      // A controlled global phase is a phase gate on its last control.
      const std::size_t last = op.controls.size() - 1;
      const int value = op.control_value(last) ? 1 : 0;
      op.targets.push_back(op.controls.back());
      op.controls.pop_back();
      op.open_controls &= ~(std::uint64_t{1} << last);
      if (op.parametric) {
        auto r = extended(op);
        r->phase_target_value = value;
        set_recipe(op, std::move(r));
      } else {
        const Complex phase = op.matrix.entries[0];
        op.matrix = value == 1 ? GateMatrix::diagonal(1, {1.0, phase})
                               : GateMatrix::diagonal(1, {phase, 1.0});
      }
    } else if (!op.parametric && runtime_depth_ == 0) {
      circuit_.global_phase += std::arg(op.matrix.entries[0]);
      return;
    }
  }
  if (op.parametric)
    make_parametric(op, recipe_of(op), inputs_.pool(), *file_, circuit_.inputs.size());
  out.emplace_back(std::move(op));
}

}  // namespace qstate::qasm3
