// Operators on OpenQASM 3 values (see qasm3_value.hpp): folding of known values with the
// language's rules (integer division truncates, `**` of integers stays an integer), trees over
// the inputs for everything else that is numeric.
#include "circuits/qasm/qasm3_value.hpp"

#include "circuits/qasm/diagnostics.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>

namespace qstate::qasm3 {
namespace {

using qasm::ExprFunc;
using qasm::ExprOp;
using qasm::TokenKind;

[[noreturn]] void fail(const Where& where, const std::string& message) {
  throw Error(where.location(), message);
}

std::string op_text(TokenKind op) {
  return std::string(qasm::describe(op));
}

bool is_integral(const Value& v) {
  return v.kind == Value::Kind::kInt || v.kind == Value::Kind::kBool;
}

[[noreturn]] void overflow(const Where& where) {
  fail(where, "integer overflow: the result does not fit in 64 bits");
}

Value add(std::int64_t a, std::int64_t b, const Where& where) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) overflow(where);
  return Value::integer(r);
}
Value sub(std::int64_t a, std::int64_t b, const Where& where) {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) overflow(where);
  return Value::integer(r);
}
Value mul(std::int64_t a, std::int64_t b, const Where& where) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) overflow(where);
  return Value::integer(r);
}

Value finite(double x, const Where& where) {
  if (!std::isfinite(x)) fail(where, "the expression's value is not a finite number");
  return Value::real(x);
}

[[noreturn]] void bits_in_arithmetic(TokenKind op, const Where& where) {
  fail(where, "measured bits cannot be used with " + op_text(op) +
                  " here: qstate evaluates classical expressions when it reads the file, and "
                  "measured bits are only known at run time (they may be tested with == or != "
                  "against a constant in an 'if', 'while' or 'switch')");
}

Value input_binary(TokenKind op, const Value& a, const Value& b, InputExprs& exprs,
                   const Where& where) {
  ExprOp e;
  switch (op) {
    case TokenKind::kPlus:
      e = ExprOp::kAdd;
      break;
    case TokenKind::kMinus:
      e = ExprOp::kSub;
      break;
    case TokenKind::kStar:
      e = ExprOp::kMul;
      break;
    case TokenKind::kSlash:
      e = ExprOp::kDiv;
      break;
    case TokenKind::kStarStar:
      e = ExprOp::kPow;
      break;
    default:
      fail(where, "the operator " + op_text(op) +
                      " cannot be applied to an input: inputs are bound when the circuit runs, "
                      "and only + - * / ** and functions such as sin may use them");
  }
  const qasm::ExprId lhs = exprs.node_of(a);
  const qasm::ExprId rhs = exprs.node_of(b);
  return Value::input((*exprs).binary(e, lhs, rhs, where.line, where.column));
}

}  // namespace

qasm::ExprId InputExprs::slot(std::uint32_t slot, const std::string& name) {
  const std::string& stored = names_.emplace_back(name);
  const qasm::ExprId id = pool_->symbol(stored, 0, 0);
  (*pool_)[id].op = ExprOp::kSlot;
  (*pool_)[id].slot = slot;
  return id;
}

qasm::ExprId InputExprs::node_of(const Value& v) {
  if (v.kind == Value::Kind::kInput) return v.expr;
  return number(v.as_double());
}

bool truthy(const Value& v) {
  return v.kind == Value::Kind::kFloat ? v.f != 0.0 : v.i != 0;
}

std::string describe(const Value& v) {
  std::ostringstream out;
  out.precision(17);
  switch (v.kind) {
    case Value::Kind::kNone:
      return "no value";
    case Value::Kind::kBool:
      return v.i ? "true" : "false";
    case Value::Kind::kInt:
      out << v.i;
      return out.str();
    case Value::Kind::kFloat:
      out << v.f;
      return out.str();
    case Value::Kind::kInput:
      return "an expression over the inputs";
    case Value::Kind::kBits:
      return "measured bits";
  }
  return "?";
}

Value apply_unary(TokenKind op, const Value& a, InputExprs& exprs, const Where& where) {
  if (a.kind == Value::Kind::kBits) {
    if (op == TokenKind::kBang && a.bits.size() == 1) {
      Value r = a;
      r.inverted = !r.inverted;
      return r;
    }
    bits_in_arithmetic(op, where);
  }
  if (a.kind == Value::Kind::kNone) fail(where, "this value is not set");
  switch (op) {
    case TokenKind::kMinus:
      if (a.kind == Value::Kind::kInput)
        return Value::input((*exprs).unary(ExprOp::kNeg, a.expr, where.line, where.column));
      if (is_integral(a)) return sub(0, a.i, where);
      return Value::real(-a.f);
    case TokenKind::kBang:
      if (a.kind == Value::Kind::kInput) break;
      return Value::boolean(!truthy(a));
    case TokenKind::kTilde:
      if (!is_integral(a)) break;
      if (a.kind == Value::Kind::kBool) return Value::boolean(a.i == 0);
      return Value::integer(~a.i);
    default:
      break;
  }
  if (a.kind == Value::Kind::kInput)
    fail(where, "the operator " + op_text(op) +
                    " cannot be applied to an input: inputs are bound when the circuit runs");
  fail(where, "the operator " + op_text(op) + " needs an integer, but the value is " + describe(a));
}

Value apply_binary(TokenKind op, const Value& a, const Value& b, InputExprs& exprs,
                   const Where& where) {
  if (a.kind == Value::Kind::kBits || b.kind == Value::Kind::kBits) {
    // `bits & constant` keeps the bits where the constant has a one (Qiskit: `(cr & 3) == 3`).
    const Value& bits = a.kind == Value::Kind::kBits ? a : b;
    const Value& mask = a.kind == Value::Kind::kBits ? b : a;
    if (op == TokenKind::kAmp && is_integral(mask) && !bits.inverted) {
      Value r = bits;
      for (std::size_t j = 0; j < r.bits.size(); ++j)
        if (j >= 63 || ((mask.i >> j) & 1) == 0) r.bits[j] = kZeroBit;
      return r;
    }
    bits_in_arithmetic(op, where);
  }
  if (a.kind == Value::Kind::kNone || b.kind == Value::Kind::kNone)
    fail(where, "this value is not set");
  if (a.kind == Value::Kind::kInput || b.kind == Value::Kind::kInput)
    return input_binary(op, a, b, exprs, where);

  const bool ints = is_integral(a) && is_integral(b);
  const double x = a.as_double();
  const double y = b.as_double();
  switch (op) {
    case TokenKind::kPlus:
      return ints ? add(a.i, b.i, where) : finite(x + y, where);
    case TokenKind::kMinus:
      return ints ? sub(a.i, b.i, where) : finite(x - y, where);
    case TokenKind::kStar:
      return ints ? mul(a.i, b.i, where) : finite(x * y, where);
    case TokenKind::kSlash:
      if (ints) {
        if (b.i == 0) fail(where, "division by zero");
        if (a.i == std::numeric_limits<std::int64_t>::min() && b.i == -1) overflow(where);
        return Value::integer(a.i / b.i);
      }
      if (y == 0.0) fail(where, "division by zero");
      return finite(x / y, where);
    case TokenKind::kPercent:
      if (ints) {
        if (b.i == 0) fail(where, "division by zero");
        if (b.i == -1) return Value::integer(0);
        return Value::integer(a.i % b.i);
      }
      if (y == 0.0) fail(where, "division by zero");
      return finite(std::fmod(x, y), where);
    case TokenKind::kStarStar:
      if (ints && b.i >= 0) {
        std::int64_t r = 1;
        for (std::int64_t k = 0; k < b.i; ++k) {
          r = mul(r, a.i, where).i;
          if (r == 0 || r == 1) break;  // 0^k, 1^k
          if (r == -1 && a.i == -1) {
            r = (b.i % 2 == 0) ? 1 : -1;
            break;
          }
        }
        return Value::integer(b.i == 0 ? 1 : r);
      }
      return finite(std::pow(x, y), where);
    case TokenKind::kEqEq:
      return Value::boolean(x == y && (ints ? a.i == b.i : true));
    case TokenKind::kNotEq:
      return Value::boolean(!(x == y && (ints ? a.i == b.i : true)));
    case TokenKind::kLess:
      return Value::boolean(ints ? a.i < b.i : x < y);
    case TokenKind::kLessEq:
      return Value::boolean(ints ? a.i <= b.i : x <= y);
    case TokenKind::kGreater:
      return Value::boolean(ints ? a.i > b.i : x > y);
    case TokenKind::kGreaterEq:
      return Value::boolean(ints ? a.i >= b.i : x >= y);
    case TokenKind::kAmpAmp:
      return Value::boolean(truthy(a) && truthy(b));
    case TokenKind::kPipePipe:
      return Value::boolean(truthy(a) || truthy(b));
    default:
      break;
  }
  if (!ints)
    fail(where, "the operator " + op_text(op) + " needs integers, but the values are " +
                    describe(a) + " and " + describe(b));
  const bool both_bool = a.kind == Value::Kind::kBool && b.kind == Value::Kind::kBool;
  switch (op) {
    case TokenKind::kAmp:
      return both_bool ? Value::boolean(a.i & b.i) : Value::integer(a.i & b.i);
    case TokenKind::kPipe:
      return both_bool ? Value::boolean(a.i | b.i) : Value::integer(a.i | b.i);
    case TokenKind::kCaret:
      return both_bool ? Value::boolean(a.i ^ b.i) : Value::integer(a.i ^ b.i);
    case TokenKind::kShl:
    case TokenKind::kShr:
      if (b.i < 0 || b.i > 63) fail(where, "shift by " + std::to_string(b.i) + " is out of range");
      return Value::integer(op == TokenKind::kShl
                                ? static_cast<std::int64_t>(static_cast<std::uint64_t>(a.i) << b.i)
                                : a.i >> b.i);
    default:
      fail(where, "the operator " + op_text(op) + " is not supported here");
  }
}

Value apply_function(std::string_view name, const std::vector<Value>& args, InputExprs& exprs,
                     const Where& where) {
  struct Unary {
    std::string_view name;
    ExprFunc func;
    double (*f)(double);
  };
  static constexpr Unary kUnary[] = {
      {"sin", ExprFunc::kSin, [](double x) { return std::sin(x); }},
      {"cos", ExprFunc::kCos, [](double x) { return std::cos(x); }},
      {"tan", ExprFunc::kTan, [](double x) { return std::tan(x); }},
      {"exp", ExprFunc::kExp, [](double x) { return std::exp(x); }},
      {"sqrt", ExprFunc::kSqrt, [](double x) { return std::sqrt(x); }},
      {"log", ExprFunc::kLn, [](double x) { return std::log(x); }},
      {"ln", ExprFunc::kLn, [](double x) { return std::log(x); }},
      {"arcsin", ExprFunc::kAsin, [](double x) { return std::asin(x); }},
      {"asin", ExprFunc::kAsin, [](double x) { return std::asin(x); }},
      {"arccos", ExprFunc::kAcos, [](double x) { return std::acos(x); }},
      {"acos", ExprFunc::kAcos, [](double x) { return std::acos(x); }},
      {"arctan", ExprFunc::kAtan, [](double x) { return std::atan(x); }},
      {"atan", ExprFunc::kAtan, [](double x) { return std::atan(x); }},
  };
  auto arity = [&](std::size_t n) {
    if (args.size() != n)
      fail(where, qasm::in_quotes(name) + " takes " + std::to_string(n) + " argument" +
                      (n == 1 ? "" : "s") + ", but " + std::to_string(args.size()) + " " +
                      (args.size() == 1 ? "was" : "were") + " given");
  };
  for (const Value& v : args) {
    if (v.kind == Value::Kind::kBits) bits_in_arithmetic(TokenKind::kLParen, where);
    if (v.kind == Value::Kind::kNone) fail(where, "this value is not set");
  }
  for (const Unary& u : kUnary) {
    if (u.name != name) continue;
    arity(1);
    const Value& x = args[0];
    if (x.kind == Value::Kind::kInput)
      return Value::input((*exprs).call(u.func, x.expr, where.line, where.column));
    const double v = x.as_double();
    if (u.func == ExprFunc::kLn && !(v > 0.0)) fail(where, "log of a non-positive number");
    if (u.func == ExprFunc::kSqrt && v < 0.0) fail(where, "sqrt of a negative number");
    if ((u.func == ExprFunc::kAsin || u.func == ExprFunc::kAcos) && (v < -1.0 || v > 1.0))
      fail(where, std::string(name) + " of a number outside [-1, 1]");
    return finite(u.f(v), where);
  }
  if (name == "pow") {
    arity(2);
    return apply_binary(TokenKind::kStarStar, args[0], args[1], exprs, where);
  }
  if (name == "mod") {
    arity(2);
    return apply_binary(TokenKind::kPercent, args[0], args[1], exprs, where);
  }
  if (name == "floor" || name == "ceiling" || name == "ceil" || name == "abs") {
    arity(1);
    const Value& x = args[0];
    if (x.kind == Value::Kind::kInput)
      fail(where, qasm::in_quotes(name) + " cannot be applied to an input");
    if (is_integral(x)) return name == "abs" && x.i < 0 ? sub(0, x.i, where) : Value::integer(x.i);
    if (name == "abs") return Value::real(std::fabs(x.f));
    return Value::real(name == "floor" ? std::floor(x.f) : std::ceil(x.f));
  }
  fail(where, "unknown function '" + std::string(name) +
                  "' (the built-in functions are sin, cos, tan, arcsin, arccos, arctan, exp, log, "
                  "sqrt, floor, ceiling, abs, mod and pow)");
}

}  // namespace qstate::qasm3
