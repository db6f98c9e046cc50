// OpenQASM 3 lowering: expressions, conditions and control flow (see qasm3_lowerer.hpp). Values
// known when the file is read are folded; `for` loops and `while` loops on known values are
// unrolled; `if`, `while` and `switch` on measured bits become IfOps (compound conditions become
// nested IfOps).
#include <cmath>
#include <limits>
#include <numbers>

#include "circuits/qasm/qasm3_lowerer.hpp"

namespace qstate::qasm3 {
namespace {

// Loop iterations a program may unroll in all (a guard against `for i in [0:1000000000]`).
constexpr std::uint64_t kMaxLoopRounds = std::uint64_t{1} << 24;

CondPtr const_cond(bool value) {
  auto c = std::make_shared<CondTree>();
  c->kind = CondTree::Kind::kConst;
  c->value = value;
  return c;
}

CondPtr combine(CondTree::Kind kind, CondPtr a, CondPtr b) {
  auto c = std::make_shared<CondTree>();
  c->kind = kind;
  c->a = std::move(a);
  c->b = std::move(b);
  return c;
}

[[noreturn]] void input_in_condition(const SourceLocation& where) {
  throw Error(where,
              "this condition depends on an input, which is bound only when the circuit runs; "
              "conditions must be known when the file is read or test measured bits");
}

}  // namespace

unsigned Lowerer::type_width(const TypeSpec& type, const ExprTree& e) {
  if (type.width == kNoNode) return 0;
  const std::int64_t w = eval_int(type.width, e, "a type width");
  if (w < 1 || ((type.kind == TypeKind::kInt || type.kind == TypeKind::kUint ||
                 type.kind == TypeKind::kBit) &&
                w > 64))
    throw Error(at(e[type.width].pos), "width " + std::to_string(w) + " of '" +
                                           std::string(type.name) + "' is not supported (1 to 64)");
  return static_cast<unsigned>(w);
}

std::int64_t Lowerer::eval_int(NodeId id, const ExprTree& e, const char* what) {
  const Value v = eval(id, e);
  if (v.kind == Value::Kind::kInt || v.kind == Value::Kind::kBool) return v.i;
  if (v.kind == Value::Kind::kFloat && v.f == std::trunc(v.f) && std::fabs(v.f) < 9.0e18)
    return static_cast<std::int64_t>(v.f);
  throw Error(at(e[id].pos), std::string(what) + " must be an integer known when the file is " +
                                 "read, but it is " + describe(v));
}

double Lowerer::eval_number(NodeId id, const ExprTree& e, const char* what) {
  const Value v = eval(id, e);
  if (v.known()) return v.as_double();
  throw Error(at(e[id].pos), std::string(what) + " must be a number known when the file is " +
                                 "read, but it is " + describe(v));
}

Value Lowerer::eval(NodeId id, const ExprTree& e) {
  const Node& n = e[id];
  switch (n.kind) {
    case NodeKind::kInteger:
      return n.overflow ? Value::real(n.fval) : Value::integer(static_cast<std::int64_t>(n.ival));
    case NodeKind::kReal:
      return Value::real(n.fval);
    case NodeKind::kBool:
      return Value::boolean(n.ival != 0);
    case NodeKind::kBitString: {
      std::int64_t v = 0;
      int bits = 0;
      for (const char c : n.text) {
        if (c == '_') continue;
        if (++bits > 63) throw Error(at(n.pos), "bit string is longer than 63 bits");
        v = (v << 1) | (c == '1' ? 1 : 0);
      }
      return Value::integer(v);
    }
    case NodeKind::kDuration:
    case NodeKind::kDurationOf:
      throw Error(at(n.pos), "durations are only accepted in 'delay[...]' (qstate ignores timing)");
    case NodeKind::kImaginary:
      throw Error(at(n.pos), "complex numbers are not supported");
    case NodeKind::kIdent:
      return eval_identifier(n);
    case NodeKind::kPhysical:
      throw Error(at(n.pos), "a qubit is not a value");
    case NodeKind::kUnary:
      return apply_unary(n.op, eval(n.a, e), inputs_, where(n.pos));
    case NodeKind::kBinary:
      return apply_binary(n.op, eval(n.a, e), eval(n.b, e), inputs_, where(n.pos));
    case NodeKind::kIndex:
      return eval_index(n, e);
    case NodeKind::kCall: {
      std::vector<Value> args;
      for (std::uint32_t j = 0; j < n.count; ++j) args.push_back(eval(e.item(n, j), e));
      return apply_function(n.text, args, inputs_, where(n.pos));
    }
    case NodeKind::kCast:
      return cast(eval(n.a, e), n.type.kind, type_width(n.type, e), n.pos);
    case NodeKind::kRange:
    case NodeKind::kSet:
      break;
  }
  throw Error(at(n.pos), "a range or set is not a value here");
}

Value Lowerer::eval_identifier(const Node& n) {
  Symbol* s = lookup(n.text);
  if (s == nullptr) {
    if (n.text == "pi" || n.text == "\xCF\x80") return Value::real(std::numbers::pi);
    if (n.text == "tau" || n.text == "\xCF\x84") return Value::real(2 * std::numbers::pi);
    if (n.text == "euler" || n.text == "\xE2\x84\x87") return Value::real(std::numbers::e);
    for (const Scope& scope : scopes_)
      if (scope.symbols.count(n.text) != 0)
        throw Error(at(n.pos), quote_name(n.text) +
                                   " is not visible inside a gate body: a gate sees only its "
                                   "parameters, its qubits and global constants");
    throw Error(at(n.pos), "undeclared name " + quote_name(n.text));
  }
  switch (s->kind) {
    case Symbol::Kind::kQubits:
      throw Error(at(n.pos), quote_name(n.text) + " names qubits, not a value");
    case Symbol::Kind::kStretch:
      throw Error(at(n.pos), "stretch " + quote_name(n.text) +
                                 " can only be used in 'delay[...]' (qstate ignores timing)");
    case Symbol::Kind::kClbits: {
      Value v;
      v.kind = Value::Kind::kBits;
      v.bits = s->ids;
      return v;
    }
    case Symbol::Kind::kVar:
      break;
  }
  if (s->runtime_at)
    throw Error(at(n.pos),
                quote_name(n.text) + " is assigned at " + s->runtime_at->to_string() +
                    " under a condition on measured bits, so its value is only known at run "
                    "time; qstate evaluates classical variables when it reads the file (only "
                    "bits may depend on measurements)");
  if (s->value.kind == Value::Kind::kNone) {
    // Declared without a value: reads as zero of its type.
    if (s->type == TypeKind::kFloat || s->type == TypeKind::kAngle) return Value::real(0.0);
    if (s->type == TypeKind::kBool) return Value::boolean(false);
    return Value::integer(0);
  }
  if (s->value.kind == Value::Kind::kBits) {
    bool same = s->loop_depth == loops_.size();
    for (std::size_t j = 0; j < s->value.bits.size() && same; ++j)
      if (s->value.bits[j] != kZeroBit && clbit_writes_[s->value.bits[j]] != s->bits_snapshot[j])
        same = false;
    if (!same)
      throw Error(at(n.pos), quote_name(n.text) +
                                 " holds measured bits that were measured again (or are in a "
                                 "loop) since it was assigned; test the bits themselves");
  }
  return s->value;
}

Value Lowerer::eval_index(const Node& n, const ExprTree& e) {
  if (n.count != 1) throw Error(at(n.pos), "only one index is supported");
  const NodeId index = e.item(n, 0);
  const Node& base = e[n.a];
  const Value v = eval(n.a, e);
  if (v.kind == Value::Kind::kBits) {
    Bits all{v.bits, false, false};
    const Bits picked =
        select(all.ids, all.quantum, index, e, base.kind == NodeKind::kIdent ? base.text : "bits");
    Value r;
    r.kind = Value::Kind::kBits;
    r.bits = picked.ids;
    if (r.bits.size() == 1 && r.bits[0] == kZeroBit) return Value::boolean(false);  // masked off
    return r;
  }
  if (v.kind == Value::Kind::kInt || v.kind == Value::Kind::kBool) {
    const std::int64_t k = eval_int(index, e, "a bit index");
    if (k < 0 || k > 63)
      throw Error(at(e[index].pos), "bit index " + std::to_string(k) + " is out of range");
    return Value::boolean(((static_cast<std::uint64_t>(v.i) >> k) & 1U) != 0);
  }
  throw Error(at(n.pos), "only bits and integers can be indexed here, but this is " + describe(v));
}

Value Lowerer::cast(const Value& v, TypeKind type, unsigned width, Pos pos) {
  if (v.kind == Value::Kind::kNone) throw Error(at(pos), "this value is not set");
  switch (type) {
    case TypeKind::kBool:
      if (v.kind == Value::Kind::kBits) return v;
      if (v.kind == Value::Kind::kInput) input_in_condition(at(pos));
      return Value::boolean(truthy(v));
    case TypeKind::kInt:
    case TypeKind::kUint:
    case TypeKind::kBit: {
      if (v.kind == Value::Kind::kBits) {
        Value r = v;
        if (width > 0 && width < r.bits.size()) {
          if (r.inverted) throw Error(at(pos), "cannot narrow a negated bit");
          r.bits.resize(width);
        }
        return r;
      }
      if (v.kind == Value::Kind::kInput)
        throw Error(at(pos),
                    "an input is a real number bound when the circuit runs; it cannot "
                    "become an integer");
      std::int64_t i = v.i;
      if (v.kind == Value::Kind::kFloat) {
        if (!(std::fabs(v.f) < 9.2e18))
          throw Error(at(pos), "the value is too large for an integer");
        i = static_cast<std::int64_t>(v.f);  // toward zero
      }
      if (width > 0 && width < 64) {
        const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
        std::uint64_t u = static_cast<std::uint64_t>(i) & mask;
        if (type == TypeKind::kInt && ((u >> (width - 1)) & 1U) != 0) u |= ~mask;  // sign
        i = static_cast<std::int64_t>(u);
      }
      return Value::integer(i);
    }
    case TypeKind::kFloat:
    case TypeKind::kAngle:
      if (v.kind == Value::Kind::kBits)
        throw Error(at(pos),
                    "measured bits cannot become a real number (they are only known at "
                    "run time)");
      if (v.kind == Value::Kind::kInput) return v;
      return Value::real(v.as_double());
    default:
      throw Error(at(pos), "this cast is not supported");
  }
}

Value Lowerer::convert_for(const Symbol& var, const Value& v, Pos pos) {
  if (v.kind == Value::Kind::kInput &&
      (var.type == TypeKind::kInt || var.type == TypeKind::kUint || var.type == TypeKind::kBool))
    throw Error(at(pos), "an input can only be stored in a float or angle variable");
  return cast(v, var.type, var.width, pos);
}

// ---- conditions --------------------------------------------------------------------------

CondPtr Lowerer::compare(const Value& bits, const Value& constant_value, bool equal, Pos pos) {
  if (constant_value.kind == Value::Kind::kFloat &&
      constant_value.f != std::trunc(constant_value.f))
    return const_cond(!equal);
  if (!constant_value.known())
    throw Error(at(pos), "measured bits can only be compared with a constant");
  const std::int64_t k = constant_value.kind == Value::Kind::kFloat
                             ? static_cast<std::int64_t>(constant_value.f)
                             : constant_value.i;
  if (k < 0) return const_cond(!equal);
  auto value = static_cast<std::uint64_t>(k);
  Condition c;
  if (bits.inverted) {
    if (value > 1) return const_cond(!equal);
    value ^= 1U;
  }
  std::uint64_t packed = 0;
  for (std::size_t j = 0; j < bits.bits.size(); ++j) {
    const std::uint64_t want = j < 64 ? (value >> j) & 1U : 0U;
    if (bits.bits[j] == kZeroBit) {
      if (want != 0) return const_cond(!equal);
      continue;
    }
    if (c.bits.size() < 64) packed |= want << c.bits.size();
    c.bits.push_back(bits.bits[j]);
  }
  if (bits.bits.size() < 64 && (value >> bits.bits.size()) != 0) return const_cond(!equal);
  if (c.bits.empty()) return const_cond(equal == (value == 0));
  c.value = packed;
  c.negated = !equal;
  auto node = std::make_shared<CondTree>();
  node->kind = CondTree::Kind::kAtom;
  node->atom = std::move(c);
  return node;
}

CondPtr Lowerer::condition(NodeId id, const ExprTree& e) {
  const Node& n = e[id];
  if (n.kind == NodeKind::kBinary &&
      (n.op == qasm::TokenKind::kAmpAmp || n.op == qasm::TokenKind::kPipePipe)) {
    const bool is_and = n.op == qasm::TokenKind::kAmpAmp;
    CondPtr a = condition(n.a, e);
    CondPtr b = condition(n.b, e);
    if (a->kind == CondTree::Kind::kConst) return a->value == is_and ? b : a;
    if (b->kind == CondTree::Kind::kConst) return b->value == is_and ? a : b;
    return combine(is_and ? CondTree::Kind::kAnd : CondTree::Kind::kOr, a, b);
  }
  if (n.kind == NodeKind::kUnary && n.op == qasm::TokenKind::kBang) {
    CondPtr a = condition(n.a, e);
    if (a->kind == CondTree::Kind::kConst) return const_cond(!a->value);
    return combine(CondTree::Kind::kNot, a, nullptr);
  }
  if (n.kind == NodeKind::kBinary) {
    const bool eq = n.op == qasm::TokenKind::kEqEq || n.op == qasm::TokenKind::kNotEq;
    const bool order = n.op == qasm::TokenKind::kLess || n.op == qasm::TokenKind::kLessEq ||
                       n.op == qasm::TokenKind::kGreater || n.op == qasm::TokenKind::kGreaterEq;
    if (eq || order) {
      const Value a = eval(n.a, e);
      const Value b = eval(n.b, e);
      if (a.kind == Value::Kind::kInput || b.kind == Value::Kind::kInput)
        input_in_condition(at(n.pos));
      const bool a_bits = a.kind == Value::Kind::kBits;
      const bool b_bits = b.kind == Value::Kind::kBits;
      if (!a_bits && !b_bits)
        return const_cond(truthy(apply_binary(n.op, a, b, inputs_, where(n.pos))));
      if (order)
        throw Error(at(n.pos),
                    "measured bits can only be tested with == or != against a "
                    "constant (" +
                        std::string(qasm::describe(n.op)) + " is not supported)");
      if (a_bits && b_bits)
        throw Error(at(n.pos),
                    "comparing two sets of measured bits is not supported; compare "
                    "each with a constant");
      return compare(a_bits ? a : b, a_bits ? b : a, n.op == qasm::TokenKind::kEqEq, n.pos);
    }
  }
  const Value v = eval(id, e);
  if (v.kind == Value::Kind::kInput) input_in_condition(at(n.pos));
  if (v.kind == Value::Kind::kBits) return compare(v, Value::integer(0), false, n.pos);
  return const_cond(truthy(v));
}

std::vector<Op> Lowerer::branch_ops(const CondPtr& c, std::vector<Op> then_ops,
                                    std::vector<Op> else_ops) {
  switch (c->kind) {
    case CondTree::Kind::kConst:
      return c->value ? then_ops : else_ops;
    case CondTree::Kind::kAtom: {
      std::vector<Op> out;
      if (then_ops.empty() && else_ops.empty()) return out;
      IfOp op;
      op.condition = c->atom;
      op.then_ops = std::move(then_ops);
      op.else_ops = std::move(else_ops);
      out.emplace_back(std::move(op));
      return out;
    }
    case CondTree::Kind::kNot:
      return branch_ops(c->a, std::move(else_ops), std::move(then_ops));
    case CondTree::Kind::kAnd: {
      std::vector<Op> inner = branch_ops(c->b, std::move(then_ops), else_ops);
      return branch_ops(c->a, std::move(inner), std::move(else_ops));
    }
    case CondTree::Kind::kOr: {
      std::vector<Op> inner = branch_ops(c->b, then_ops, std::move(else_ops));
      return branch_ops(c->a, std::move(then_ops), std::move(inner));
    }
  }
  return {};
}

std::vector<Op> Lowerer::lower_runtime_block(const std::vector<Stmt>& body, const ExprTree& e,
                                             Flow* flow, bool is_loop) {
  std::vector<Op> ops;
  std::vector<Op>* saved = out_;
  out_ = &ops;
  ++runtime_depth_;
  if (is_loop) loops_.push_back(runtime_depth_);
  Flow f = Flow::kNormal;
  try {
    f = scoped(body, e);
  } catch (...) {
    out_ = saved;
    --runtime_depth_;
    if (is_loop) loops_.pop_back();
    throw;
  }
  out_ = saved;
  --runtime_depth_;
  if (is_loop) loops_.pop_back();
  if (flow != nullptr) *flow = f;
  return ops;
}

Flow Lowerer::if_statement(const Stmt& st, const ExprTree& e) {
  const CondPtr c = condition(st.value, e);
  if (c->kind == CondTree::Kind::kConst) return scoped(c->value ? st.body : st.else_body, e);
  std::vector<Op> then_ops = lower_runtime_block(st.body, e, nullptr, false);
  std::vector<Op> else_ops = lower_runtime_block(st.else_body, e, nullptr, false);
  for (Op& op : branch_ops(c, std::move(then_ops), std::move(else_ops)))
    out_->push_back(std::move(op));
  if (gate_depth_ == 0) ++counts_["if_else"];
  return Flow::kNormal;
}

Flow Lowerer::for_statement(const Stmt& st, const ExprTree& e) {
  std::vector<Value> values;
  const Node& set = e[st.value];
  auto guard = [&](std::uint64_t rounds) {
    loop_rounds_ += rounds;
    if (loop_rounds_ > kMaxLoopRounds)
      throw Error(at(st.pos), "the program's loops unroll to more than " +
                                  std::to_string(kMaxLoopRounds) + " iterations");
  };
  if (set.kind == NodeKind::kRange) {
    if (set.a == kNoNode || set.c == kNoNode)
      throw Error(at(set.pos), "a loop range needs a start and an end: [a:b] or [a:step:b]");
    const std::int64_t start = eval_int(set.a, e, "a loop bound");
    const std::int64_t step = set.b == kNoNode ? 1 : eval_int(set.b, e, "a loop step");
    const std::int64_t end = eval_int(set.c, e, "a loop bound");
    if (step == 0) throw Error(at(set.pos), "a loop step cannot be 0");
    const long double count = std::floor((static_cast<long double>(end) - start) / step) + 1;
    if (count > 0) guard(static_cast<std::uint64_t>(std::min<long double>(count, 1e18L)));
    for (std::int64_t k = start; step > 0 ? k <= end : k >= end; k += step) {
      values.push_back(Value::integer(k));
      if ((step > 0 && k > std::numeric_limits<std::int64_t>::max() - step) ||
          (step < 0 && k < std::numeric_limits<std::int64_t>::min() - step))
        break;
    }
  } else if (set.kind == NodeKind::kSet) {
    guard(set.count);
    for (std::uint32_t j = 0; j < set.count; ++j) {
      const Value v = eval(e.item(set, j), e);
      if (!v.known())
        throw Error(at(e[e.item(set, j)].pos), "loop values must be known when the file is read");
      values.push_back(v);
    }
  } else {
    throw Error(at(set.pos), "a loop must run over a range [a:b] or a set {a, b, ...}");
  }
  Symbol var;
  var.kind = Symbol::Kind::kVar;
  var.type = st.type.kind == TypeKind::kNone ? TypeKind::kInt : st.type.kind;
  var.width = type_width(st.type, e);
  for (const Value& v : values) {
    scopes_.emplace_back();
    loops_.push_back(runtime_depth_);
    Flow f = Flow::kNormal;
    try {
      Symbol s = var;
      s.value = convert_for(var, v, st.name.pos);
      declare(st.name.name, st.name.pos, std::move(s));
      f = statements(st.body, e);
    } catch (...) {
      loops_.pop_back();
      scopes_.pop_back();
      throw;
    }
    loops_.pop_back();
    scopes_.pop_back();
    if (f == Flow::kBreak) break;
  }
  return Flow::kNormal;
}

Flow Lowerer::while_statement(const Stmt& st, const ExprTree& e) {
  CondPtr c = condition(st.value, e);
  if (c->kind == CondTree::Kind::kConst) {
    // A loop on known values: unrolled while its condition holds.
    while (c->value) {
      loop_rounds_ += 1;
      if (loop_rounds_ > kMaxLoopRounds)
        throw Error(at(st.pos), "this 'while' loop on known values does not end (more than " +
                                    std::to_string(kMaxLoopRounds) + " iterations)");
      loops_.push_back(runtime_depth_);
      Flow f = Flow::kNormal;
      try {
        f = scoped(st.body, e);
      } catch (...) {
        loops_.pop_back();
        throw;
      }
      loops_.pop_back();
      if (f == Flow::kBreak) break;
      c = condition(st.value, e);
      if (c->kind != CondTree::Kind::kConst)
        throw Error(at(e[st.value].pos),
                    "this condition started on known values and now tests measured bits; "
                    "qstate cannot unroll such a loop");
    }
    return Flow::kNormal;
  }
  require_not_in_gate(st.pos, "wait on measured bits");
  Condition cond;
  if (c->kind == CondTree::Kind::kAtom) {
    cond = c->atom;
  } else if (c->kind == CondTree::Kind::kNot && c->a->kind == CondTree::Kind::kAtom) {
    cond = c->a->atom;
    cond.negated = !cond.negated;
  } else {
    throw Error(at(e[st.value].pos),
                "a 'while' on measured bits must test one condition (c == 3, c[0], !c[0]); "
                "'&&' and '||' are not supported there");
  }
  Flow f = Flow::kNormal;
  std::vector<Op> body = lower_runtime_block(st.body, e, &f, true);
  IfOp op;
  op.condition = std::move(cond);
  op.then_ops = std::move(body);
  op.is_while = f != Flow::kBreak;  // a body that ends in `break` runs at most once
  out_->emplace_back(std::move(op));
  if (gate_depth_ == 0) ++counts_["while_loop"];
  return Flow::kNormal;
}

Flow Lowerer::switch_statement(const Stmt& st, const ExprTree& e) {
  const Value target = eval(st.value, e);
  if (target.known()) {
    const SwitchCase* chosen = nullptr;
    for (const SwitchCase& c : st.cases) {
      if (c.is_default) {
        if (chosen == nullptr) chosen = &c;
        continue;
      }
      for (const NodeId v : c.values)
        if (eval_int(v, e, "a case value") == static_cast<std::int64_t>(target.as_double()))
          return scoped(c.body, e);
    }
    return chosen != nullptr ? scoped(chosen->body, e) : Flow::kNormal;
  }
  if (target.kind != Value::Kind::kBits)
    throw Error(at(e[st.value].pos),
                "a switch needs an integer known when the file is read or "
                "measured bits, but this is " +
                    describe(target));
  std::vector<Op> else_ops;
  for (const SwitchCase& c : st.cases)
    if (c.is_default) else_ops = lower_runtime_block(c.body, e, nullptr, false);
  for (auto it = st.cases.rbegin(); it != st.cases.rend(); ++it) {
    if (it->is_default) continue;
    CondPtr cond = const_cond(false);
    for (const NodeId v : it->values) {
      const CondPtr one =
          compare(target, Value::integer(eval_int(v, e, "a case value")), true, e[v].pos);
      cond = cond->kind == CondTree::Kind::kConst && !cond->value
                 ? one
                 : combine(CondTree::Kind::kOr, cond, one);
    }
    std::vector<Op> body = lower_runtime_block(it->body, e, nullptr, false);
    else_ops = branch_ops(cond, std::move(body), std::move(else_ops));
  }
  for (Op& op : else_ops) out_->push_back(std::move(op));
  if (gate_depth_ == 0) ++counts_["switch_case"];
  return Flow::kNormal;
}

Flow Lowerer::loop_exit(const Stmt& st) {
  const char* word = st.kind == StmtKind::kBreak ? "'break'" : "'continue'";
  if (loops_.empty()) throw Error(at(st.pos), std::string(word) + " is only allowed in a loop");
  if (loops_.back() != runtime_depth_)
    throw Error(at(st.pos), std::string(word) +
                                " under a condition on measured bits is not supported: qstate "
                                "unrolls loops when it reads the file, so a " +
                                word + " must not depend on measurement results");
  return st.kind == StmtKind::kBreak ? Flow::kBreak : Flow::kContinue;
}

}  // namespace qstate::qasm3
