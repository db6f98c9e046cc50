// OpenQASM 3 lowering: the program, declarations, operands, measurement, reset, barrier, delay and
// includes (see qasm3_lowerer.hpp; expressions and control flow are in qasm3_lower_flow.cpp,
// gates in qasm3_lower_gates.cpp).
#include <algorithm>
#include <limits>

#include "circuits/qasm/lower.hpp"
#include "circuits/qasm/qasm3.hpp"
#include "circuits/qasm/qasm3_lowerer.hpp"
#include "circuits/qasm/qasm3_parser.hpp"

namespace qstate::qasm3 {

namespace fs = std::filesystem;

std::string quote_name(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '\'';
  out += name;
  out += '\'';
  return out;
}

namespace {

constexpr std::size_t kMaxIncludeDepth = 64;

const char* kind_name(const Symbol& s) {
  switch (s.kind) {
    case Symbol::Kind::kQubits:
      return "qubits";
    case Symbol::Kind::kClbits:
      return "bits";
    case Symbol::Kind::kStretch:
      return "a stretch";
    case Symbol::Kind::kVar:
      break;
  }
  if (s.is_input) return "an input";
  switch (s.type) {
    case TypeKind::kInt:
      return "an 'int' variable";
    case TypeKind::kUint:
      return "a 'uint' variable";
    case TypeKind::kFloat:
      return "a 'float' variable";
    case TypeKind::kAngle:
      return "an 'angle' variable";
    case TypeKind::kBool:
      return "a 'bool' variable";
    default:
      return "a classical variable";
  }
}

}  // namespace

Circuit Lowerer::run(std::string_view text, const std::string& file, const fs::path& dir) {
  scopes_.emplace_back();
  circuit_.source = file;
  reserve_ops(circuit_.ops, qasm::expected_ops(text));
  out_ = &circuit_.ops;
  GateInfo u;
  u.kind = GateInfo::Kind::kStandard;
  u.name = "U";
  u.num_params = 3;
  u.num_qubits = 1;
  u.standard = find_standard_gate("U", kLibBuiltin);
  gates_.emplace("U", u);
  GateInfo phase;
  phase.kind = GateInfo::Kind::kPhase;
  phase.name = "gphase";
  phase.num_params = 1;
  gates_.emplace("gphase", phase);
  std::error_code ec;
  if (fs::exists(fs::path(file), ec)) include_stack_.push_back(fs::weakly_canonical(file, ec));
  lower_file(text, file, dir);
  if (physical_max_ >= 0) circuit_.add_qreg("q", static_cast<std::uint32_t>(physical_max_ + 1));
  circuit_.written_counts = counts_;
  return std::move(circuit_);
}

void Lowerer::lower_file(std::string_view text, const std::string& file, const fs::path& dir) {
  const std::string& name = file_names_.emplace_back(file);
  const std::string* saved_file = file_;
  const fs::path saved_dir = dir_;
  file_ = &name;
  dir_ = dir;
  Parser parser(text, name);
  Stmt st;
  ExprTree exprs;
  while (parser.next(st, exprs)) {
    statement(st, exprs);
    exprs.clear();
  }
  file_ = saved_file;
  dir_ = saved_dir;
}

Flow Lowerer::statements(const std::vector<Stmt>& list, const ExprTree& e) {
  for (const Stmt& st : list) {
    const Flow f = statement(st, e);
    if (f != Flow::kNormal) return f;
  }
  return Flow::kNormal;
}

Flow Lowerer::scoped(const std::vector<Stmt>& list, const ExprTree& e) {
  scopes_.emplace_back();
  Flow f = Flow::kNormal;
  try {
    f = statements(list, e);
  } catch (...) {
    scopes_.pop_back();
    throw;
  }
  scopes_.pop_back();
  return f;
}

Flow Lowerer::statement(const Stmt& st, const ExprTree& e) {
  switch (st.kind) {
    case StmtKind::kVersion:
      version(st);
      break;
    case StmtKind::kInclude:
      include(st);
      break;
    case StmtKind::kQubitDecl:
      declare_qubits(st, e);
      break;
    case StmtKind::kBitDecl:
      declare_bits(st, e);
      break;
    case StmtKind::kVarDecl:
      declare_variable(st, e);
      break;
    case StmtKind::kInput:
      declare_input(st, e);
      break;
    case StmtKind::kStretch: {
      Symbol s;
      s.kind = Symbol::Kind::kStretch;
      declare(st.name.name, st.name.pos, std::move(s));
      break;
    }
    case StmtKind::kAlias:
      declare_alias(st, e);
      break;
    case StmtKind::kGateDef:
      define_gate(st);
      break;
    case StmtKind::kGateCall:
      gate_call(st, e);
      break;
    case StmtKind::kMeasure:
      measure(st, e);
      break;
    case StmtKind::kReset:
      reset(st, e);
      break;
    case StmtKind::kBarrier:
      barrier(st, e);
      break;
    case StmtKind::kDelay:
      delay(st, e);
      break;
    case StmtKind::kAssign:
      assign(st, e);
      break;
    case StmtKind::kIf:
      return if_statement(st, e);
    case StmtKind::kFor:
      return for_statement(st, e);
    case StmtKind::kWhile:
      return while_statement(st, e);
    case StmtKind::kBreak:
    case StmtKind::kContinue:
      return loop_exit(st);
    case StmtKind::kSwitch:
      return switch_statement(st, e);
    case StmtKind::kBlock:
      return scoped(st.body, e);
  }
  return Flow::kNormal;
}

void Lowerer::version(const Stmt& st) const {
  const std::string_view v = st.name.name;
  if (v == "3" || v.starts_with("3.")) return;
  if (v == "2" || v.starts_with("2."))
    throw Error(at(st.name.pos),
                "an OpenQASM 3 program cannot include an OpenQASM " + std::string(v) + " file");
  throw Error(at(st.name.pos), "unsupported OpenQASM version " + std::string(v) +
                                   " (qstate reads OpenQASM 2.0 and 3)");
}

void Lowerer::require_global(const Stmt& st, const char* what) const {
  if (scopes_.size() != 1 || gate_depth_ > 0)
    throw Error(at(st.pos), std::string(what) + " must be at the top level of the program");
}

void Lowerer::require_not_in_gate(Pos pos, const char* what) const {
  if (gate_depth_ > 0)
    throw Error(at(pos), std::string("a gate body cannot ") + what +
                             " (a gate is unitary: only gates, gphase and barrier)");
}

void Lowerer::include(const Stmt& st) {
  require_global(st, "'include'");
  const std::string_view name = st.name.name;
  if (name == "stdgates.inc") {
    include_library(kLibStdgates);
    return;
  }
  if (name == "qelib1.inc") {
    include_library(kLibQelib1);
    return;
  }
  fs::path path{std::string(name)};
  if (path.is_relative()) path = dir_ / path;
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  if (ec) canonical = path.lexically_normal();
  if (std::find(include_stack_.begin(), include_stack_.end(), canonical) != include_stack_.end())
    throw Error(at(st.name.pos), "include cycle: " + quote_name(name) + " is already being read");
  if (include_stack_.size() >= kMaxIncludeDepth)
    throw Error(at(st.name.pos), "includes are nested more than " +
                                     std::to_string(kMaxIncludeDepth) + " levels deep");
  std::string text;
  if (fs::is_directory(path, ec) || !qasm::read_text_file(path, text))
    throw Error(at(st.name.pos), "cannot read included file " + quote_name(name) + " (looked for " +
                                     quote_name(path.string()) + ")");
  const std::string& stored = sources_.emplace_back(std::move(text));
  include_stack_.push_back(canonical);
  lower_file(stored, path.string(), path.parent_path());
  include_stack_.pop_back();
}

Symbol& Lowerer::declare(std::string_view name, Pos pos, Symbol symbol) {
  Scope& scope = scopes_.back();
  if (const auto it = scope.symbols.find(name); it != scope.symbols.end())
    throw Error(at(pos),
                quote_name(name) + " is already declared at " + it->second.where.to_string());
  if (scopes_.size() == 1 && gates_.count(name) != 0 &&
      gates_.at(std::string(name)).kind == GateInfo::Kind::kUser)
    throw Error(at(pos), quote_name(name) + " is already the name of a gate");
  symbol.where = at(pos);
  symbol.level = runtime_depth_;
  return scope.symbols.emplace(std::string(name), std::move(symbol)).first->second;
}

Symbol* Lowerer::lookup(std::string_view name) {
  if (scopes_.size() == 1) {
    if (Symbol* cached = top_symbol_cache_.find(name)) return cached;
    const auto it = scopes_[0].symbols.find(name);
    if (it == scopes_[0].symbols.end()) return nullptr;
    top_symbol_cache_.put(name, &it->second);
    return &it->second;
  }
  for (std::size_t k = scopes_.size(); k-- > 0;) {
    Scope& s = scopes_[k];
    if (const auto it = s.symbols.find(name); it != s.symbols.end()) return &it->second;
    if (s.gate_body) {
      // Inside a gate only its own names and global constants are visible.
      const auto it = scopes_[0].symbols.find(name);
      if (it != scopes_[0].symbols.end() && it->second.kind == Symbol::Kind::kVar &&
          it->second.is_const)
        return &it->second;
      return nullptr;
    }
  }
  return nullptr;
}

std::uint32_t Lowerer::register_size(NodeId width, const ExprTree& e, Pos pos, const char* what) {
  if (width == kNoNode) return 1;
  const std::int64_t n = eval_int(width, e, "the size of a register");
  constexpr std::int64_t kMax = std::numeric_limits<std::uint32_t>::max();
  const std::int64_t used =
      std::string_view(what) == "qubits" ? circuit_.num_qubits : circuit_.num_clbits;
  if (n < 0 || n > kMax - used)
    throw Error(at(pos), "register size " + std::to_string(n) + " is out of range (a circuit " +
                             "holds at most " + std::to_string(kMax) + " " + what + ")");
  return static_cast<std::uint32_t>(n);
}

void Lowerer::declare_qubits(const Stmt& st, const ExprTree& e) {
  require_global(st, "qubit declarations");
  if (physical_max_ >= 0)
    throw Error(at(st.pos), "qubits cannot be declared in a program that uses physical qubits ($" +
                                std::to_string(physical_max_) + ")");
  const std::uint32_t size = register_size(st.type.width, e, st.pos, "qubits");
  const Register& r = circuit_.add_qreg(std::string(st.name.name), size);
  Symbol s;
  s.kind = Symbol::Kind::kQubits;
  s.single = st.type.width == kNoNode;
  for (std::uint32_t j = 0; j < size; ++j) s.ids.push_back(r.first + j);
  declare(st.name.name, st.name.pos, std::move(s));
}

void Lowerer::declare_bits(const Stmt& st, const ExprTree& e) {
  require_global(st, "bit declarations");
  const std::uint32_t size = register_size(st.type.width, e, st.pos, "clbits");
  const Register& r = circuit_.add_creg(std::string(st.name.name), size);
  clbit_writes_.resize(circuit_.num_clbits, 0);
  Symbol s;
  s.kind = Symbol::Kind::kClbits;
  s.single = st.type.width == kNoNode;
  for (std::uint32_t j = 0; j < size; ++j) s.ids.push_back(r.first + j);
  const Symbol& declared = declare(st.name.name, st.name.pos, std::move(s));
  if (!st.operands.empty()) {
    const Bits q = operand_bits(st.operands[0], e);
    measure_into(q, Bits{declared.ids, declared.single, false}, st.pos);
  } else if (st.value != kNoNode) {
    const Value v = eval(st.value, e);
    if (!v.known() || truthy(v))
      throw Error(at(st.pos), "bits start at 0 in every shot; an initial value other than 0 (" +
                                  describe(v) + ") is not supported");
  }
}

void Lowerer::declare_variable(const Stmt& st, const ExprTree& e) {
  Symbol s;
  s.kind = Symbol::Kind::kVar;
  s.type = st.type.kind == TypeKind::kBit ? TypeKind::kUint : st.type.kind;
  s.width = type_width(st.type, e);
  if (st.type.kind == TypeKind::kBit && st.type.width == kNoNode) s.width = 1;
  s.is_const = st.is_const;
  if (s.type == TypeKind::kStretch)
    throw Error(at(st.type.pos), "a stretch is declared as 'stretch name;'");
  if (st.value != kNoNode) {
    const Value v = eval(st.value, e);
    if (st.is_const && !v.known())
      throw Error(at(st.pos), "the value of constant " + quote_name(st.name.name) +
                                  " must be known when the file is read, but it is " + describe(v));
    s.value = convert_for(s, v, st.pos);
    if (s.value.kind == Value::Kind::kBits) {
      for (const Clbit c : s.value.bits)
        s.bits_snapshot.push_back(c == kZeroBit ? 0 : clbit_writes_[c]);
      s.loop_depth = loops_.size();
    }
  }
  declare(st.name.name, st.name.pos, std::move(s));
}

void Lowerer::declare_input(const Stmt& st, const ExprTree& e) {
  require_global(st, "'input' declarations");
  if (st.type.kind != TypeKind::kFloat && st.type.kind != TypeKind::kAngle)
    throw Error(at(st.type.pos), "an input of type '" + std::string(st.type.name) +
                                     "' is not supported: inputs are gate parameters, declared "
                                     "'input float[64] name;' or 'input angle name;'");
  (void)type_width(st.type, e);
  const auto slot = static_cast<std::uint32_t>(circuit_.inputs.size());
  const std::string name(st.name.name);
  Symbol s;
  s.kind = Symbol::Kind::kVar;
  s.type = st.type.kind;
  s.is_input = true;
  s.value = Value::input(inputs_.slot(slot, name));
  declare(st.name.name, st.name.pos, std::move(s));
  circuit_.inputs.push_back(name);
}

void Lowerer::declare_alias(const Stmt& st, const ExprTree& e) {
  Bits bits = operand_bits(st.value, e);
  Symbol s;
  s.kind = bits.quantum ? Symbol::Kind::kQubits : Symbol::Kind::kClbits;
  s.ids = std::move(bits.ids);
  s.single = bits.single;
  declare(st.name.name, st.name.pos, std::move(s));
}

void Lowerer::assign(const Stmt& st, const ExprTree& e) {
  const Node& target = e[st.target];
  if (target.kind != NodeKind::kIdent) {
    const Bits b = operand_bits(st.target, e);
    throw Error(at(st.pos), b.quantum ? "qubits cannot be assigned"
                                      : "bits can only be assigned a measurement "
                                        "('c[0] = measure q[0];'); other assignments to bits are "
                                        "not supported");
  }
  Symbol* s = lookup(target.text);
  if (s == nullptr) throw Error(at(target.pos), "undeclared name " + quote_name(target.text));
  if (s->kind == Symbol::Kind::kClbits)
    throw Error(at(st.pos),
                "bits can only be assigned a measurement ('c = measure q;'); other assignments "
                "to bits are not supported");
  if (s->kind != Symbol::Kind::kVar)
    throw Error(at(target.pos),
                quote_name(target.text) + " is " + kind_name(*s) + " and cannot be assigned");
  if (s->is_const)
    throw Error(at(target.pos), "cannot assign to constant " + quote_name(target.text));
  if (s->is_input) throw Error(at(target.pos), "cannot assign to input " + quote_name(target.text));
  Value v = eval(st.value, e);
  if (st.assign_op != "=") {
    static const std::pair<std::string_view, qasm::TokenKind> kOps[] = {
        {"+=", qasm::TokenKind::kPlus},    {"-=", qasm::TokenKind::kMinus},
        {"*=", qasm::TokenKind::kStar},    {"/=", qasm::TokenKind::kSlash},
        {"%=", qasm::TokenKind::kPercent}, {"**=", qasm::TokenKind::kStarStar},
        {"&=", qasm::TokenKind::kAmp},     {"|=", qasm::TokenKind::kPipe},
        {"^=", qasm::TokenKind::kCaret},   {"<<=", qasm::TokenKind::kShl},
        {">>=", qasm::TokenKind::kShr},
    };
    const auto* op = std::find_if(std::begin(kOps), std::end(kOps),
                                  [&](const auto& p) { return p.first == st.assign_op; });
    if (op == std::end(kOps))
      throw Error(at(st.pos), "the assignment " + quote_name(st.assign_op) + " is not supported");
    const Value current = eval_identifier(target);
    v = apply_binary(op->second, current, v, inputs_, where(st.pos));
  }
  if (runtime_depth_ > s->level) {
    // Whether this runs depends on measured bits: the variable's value is only known then.
    s->runtime_at = at(st.pos);
    return;
  }
  s->value = convert_for(*s, v, st.pos);
  s->bits_snapshot.clear();
  if (s->value.kind == Value::Kind::kBits) {
    for (const Clbit c : s->value.bits)
      s->bits_snapshot.push_back(c == kZeroBit ? 0 : clbit_writes_[c]);
    s->loop_depth = loops_.size();
  }
}

void Lowerer::measure(const Stmt& st, const ExprTree& e) {
  require_not_in_gate(st.pos, "measure");
  const Bits q = operand_bits(st.operands[0], e);
  if (!q.quantum) throw Error(at(e[st.operands[0]].pos), "'measure' reads qubits, not bits");
  if (st.target == kNoNode)
    throw Error(at(st.pos),
                "a measurement must be stored: write 'c = measure q;' or "
                "'measure q -> c;'");
  const Node& t = e[st.target];
  if (t.kind == NodeKind::kIdent || t.kind == NodeKind::kIndex) {
    NodeId base = st.target;
    while (e[base].kind == NodeKind::kIndex) base = e[base].a;
    if (e[base].kind == NodeKind::kIdent) {
      const Symbol* s = lookup(e[base].text);
      if (s != nullptr && s->kind == Symbol::Kind::kVar)
        throw Error(at(t.pos), "measurement results can only be stored in bits, but " +
                                   quote_name(e[base].text) + " is " + kind_name(*s));
    }
  }
  const Bits c = operand_bits(st.target, e);
  if (c.quantum) throw Error(at(t.pos), "a measurement is stored in bits, not in qubits");
  measure_into(q, c, st.pos);
}

void Lowerer::measure_into(const Bits& q, const Bits& c, Pos pos) {
  if (q.ids.size() != c.ids.size())
    throw Error(at(pos), "cannot measure " + std::to_string(q.ids.size()) + " qubit" +
                             (q.ids.size() == 1 ? "" : "s") + " into " +
                             std::to_string(c.ids.size()) + " bit" +
                             (c.ids.size() == 1 ? "" : "s"));
  for (std::size_t j = 0; j < q.ids.size(); ++j) {
    out_->emplace_back(MeasureOp{q.ids[j], c.ids[j]});
    ++clbit_writes_[c.ids[j]];
  }
  counts_["measure"] += q.ids.size();
}

void Lowerer::reset(const Stmt& st, const ExprTree& e) {
  require_not_in_gate(st.pos, "reset qubits");
  for (const NodeId id : st.operands) {
    const Bits q = operand_bits(id, e);
    if (!q.quantum) throw Error(at(e[id].pos), "'reset' acts on qubits, not bits");
    for (const Qubit qubit : q.ids) out_->emplace_back(ResetOp{qubit});
    counts_["reset"] += q.ids.size();
  }
}

void Lowerer::barrier(const Stmt& st, const ExprTree& e) {
  BarrierOp op;
  if (st.operands.empty()) {
    if (gate_depth_ > 0) {
      op.qubits = gate_qubits_.back();
    } else {
      const auto n =
          physical_max_ >= 0 ? static_cast<Qubit>(physical_max_ + 1) : circuit_.num_qubits;
      for (Qubit q = 0; q < n; ++q) op.qubits.push_back(q);
    }
  }
  for (const NodeId id : st.operands) {
    const Bits q = operand_bits(id, e);
    if (!q.quantum) throw Error(at(e[id].pos), "'barrier' acts on qubits, not bits");
    for (const Qubit qubit : q.ids)
      if (std::find(op.qubits.begin(), op.qubits.end(), qubit) == op.qubits.end())
        op.qubits.push_back(qubit);
  }
  if (op.qubits.empty()) return;
  out_->emplace_back(std::move(op));
  if (gate_depth_ == 0) ++counts_["barrier"];
}

void Lowerer::delay(const Stmt& st, const ExprTree& e) {
  // Timing is not simulated: the duration is not evaluated; the operands must still be qubits.
  std::size_t n = 0;
  for (const NodeId id : st.operands) {
    const Bits q = operand_bits(id, e);
    if (!q.quantum) throw Error(at(e[id].pos), "'delay' acts on qubits, not bits");
    n += q.ids.size();
  }
  if (gate_depth_ == 0 && n > 0) counts_["delay"] += n;
}

Bits Lowerer::operand_bits(NodeId id, const ExprTree& e) {
  const Node& n = e[id];
  switch (n.kind) {
    case NodeKind::kPhysical: {
      if (!circuit_.qregs.empty())
        throw Error(at(n.pos), "physical qubits (" + std::string(n.text) +
                                   ") cannot be mixed with declared qubit registers");
      if (gate_depth_ > 0)
        throw Error(at(n.pos), "a gate body uses its own qubit arguments, not physical qubits");
      physical_max_ = std::max<std::int64_t>(physical_max_, static_cast<std::int64_t>(n.ival));
      return Bits{{static_cast<std::uint32_t>(n.ival)}, true, true};
    }
    case NodeKind::kIdent: {
      const Symbol* s = lookup(n.text);
      if (s == nullptr) throw Error(at(n.pos), "undeclared name " + quote_name(n.text));
      if (s->kind != Symbol::Kind::kQubits && s->kind != Symbol::Kind::kClbits)
        throw Error(at(n.pos),
                    quote_name(n.text) + " is " + kind_name(*s) + ", not a qubit or bit register");
      return Bits{s->ids, s->single, s->kind == Symbol::Kind::kQubits};
    }
    case NodeKind::kIndex: {
      // `q[i]` selects from the register's own list (no copy of the register per operand).
      const Node& a = e[n.a];
      Bits copy;
      std::span<const std::uint32_t> ids;
      bool single = false;
      bool quantum = true;
      if (const Symbol* s = a.kind == NodeKind::kIdent ? lookup(a.text) : nullptr;
          s != nullptr && (s->kind == Symbol::Kind::kQubits || s->kind == Symbol::Kind::kClbits)) {
        ids = s->ids;
        single = s->single;
        quantum = s->kind == Symbol::Kind::kQubits;
      } else {
        copy = operand_bits(n.a, e);  // reports an undeclared or wrong name
        ids = copy.ids;
        single = copy.single;
        quantum = copy.quantum;
      }
      std::string_view name = a.kind == NodeKind::kIdent ? a.text : "this operand";
      if (single)
        throw Error(at(n.pos), quote_name(name) + " is a single " + (quantum ? "qubit" : "bit") +
                                   " and cannot be indexed");
      if (n.count != 1) throw Error(at(n.pos), "registers have one dimension: use a single index");
      return select(ids, quantum, e.item(n, 0), e, name);
    }
    case NodeKind::kSet:
    case NodeKind::kBinary: {
      if (n.kind == NodeKind::kBinary && n.op != qasm::TokenKind::kPlusPlus) break;
      Bits all;
      all.quantum = true;
      bool first = true;
      auto add = [&](NodeId part) {
        const Bits b = operand_bits(part, e);
        if (!first && b.quantum != all.quantum)
          throw Error(at(e[part].pos), "cannot join qubits and bits");
        all.quantum = b.quantum;
        first = false;
        all.ids.insert(all.ids.end(), b.ids.begin(), b.ids.end());
      };
      if (n.kind == NodeKind::kSet) {
        for (std::uint32_t j = 0; j < n.count; ++j) add(e.item(n, j));
      } else {
        add(n.a);
        add(n.b);
      }
      return all;
    }
    default:
      break;
  }
  throw Error(at(n.pos), "expected a qubit, a bit or a register");
}

Bits Lowerer::select(std::span<const std::uint32_t> base, bool quantum, NodeId index,
                     const ExprTree& e, std::string_view name) {
  const Node& ix = e[index];
  const auto size = static_cast<std::int64_t>(base.size());
  auto element = [&](std::int64_t k, Pos pos) {
    const std::int64_t j = k < 0 ? k + size : k;
    if (j < 0 || j >= size)
      throw Error(at(pos), "index " + std::to_string(k) + " is out of range for " +
                               quote_name(name) + " of size " + std::to_string(size));
    return base[static_cast<std::size_t>(j)];
  };
  Bits out;
  out.quantum = quantum;
  if (ix.kind == NodeKind::kRange) {
    const std::int64_t start = ix.a == kNoNode ? 0 : eval_int(ix.a, e, "a range bound");
    const std::int64_t step = ix.b == kNoNode ? 1 : eval_int(ix.b, e, "a range step");
    const std::int64_t end = ix.c == kNoNode ? size - 1 : eval_int(ix.c, e, "a range bound");
    if (step == 0) throw Error(at(ix.pos), "a range step cannot be 0");
    for (std::int64_t k = start; step > 0 ? k <= end : k >= end; k += step) {
      out.ids.push_back(element(k, ix.pos));
      if (out.ids.size() > base.size())
        throw Error(at(ix.pos),
                    "the range selects more elements than " + quote_name(name) + " has");
    }
    return out;
  }
  if (ix.kind == NodeKind::kSet) {
    for (std::uint32_t j = 0; j < ix.count; ++j) {
      const NodeId item = e.item(ix, j);
      out.ids.push_back(element(eval_int(item, e, "an index"), e[item].pos));
    }
    return out;
  }
  out.ids.push_back(element(eval_int(index, e, "an index"), ix.pos));
  out.single = true;
  return out;
}

double Lowerer::constant(std::string_view text, const std::string& name) {
  Lowerer l;
  l.scopes_.emplace_back();
  l.file_names_.emplace_back(name);
  l.file_ = &l.file_names_.back();
  ExprTree exprs;
  const NodeId id = Parser::parse_expression(text, name, exprs);
  return l.eval_number(id, exprs, "a parameter value");
}

Circuit lower_qasm3(std::string_view text, const std::string& file,
                    const std::filesystem::path& include_dir) {
  Lowerer lowerer;
  return lowerer.run(text, file, include_dir);
}

double evaluate_constant(std::string_view text, const std::string& name) {
  return Lowerer::constant(text, name);
}

}  // namespace qstate::qasm3
