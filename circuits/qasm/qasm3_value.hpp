// Classical values of the OpenQASM 3 lowering. Everything the lowering computes is known when the
// file is read (an integer, a real, a bool), or an expression over the circuit's inputs (a tree in
// the shared qasm::ExprPool, evaluated again for every binding by the parametric gates), or a
// view of measured bits (what an `if`/`while`/`switch` may test at run time). Arithmetic on
// known values is folded at once; arithmetic that involves an input builds the tree.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/error.hpp"
#include "circuits/qasm/expr.hpp"
#include "circuits/qasm/lexer.hpp"

namespace qstate::qasm3 {

// A bit of a measured value that is known to be 0 (from a mask or a widening cast).
inline constexpr Clbit kZeroBit = 0xFFFFFFFFU;

struct Value {
  enum class Kind : std::uint8_t {
    kNone,   // no value (a variable declared without one reads as 0, see zero_of)
    kBool,   // i is 0 or 1
    kInt,    // i
    kFloat,  // f (float and angle)
    kInput,  // expr: a tree over the inputs, in the InputExprs pool
    kBits,   // bits measured at run time: bit j of the value is clbit bits[j] (kZeroBit: 0)
  };
  Kind kind = Kind::kNone;
  std::int64_t i = 0;
  double f = 0.0;
  qasm::ExprId expr = qasm::kNoExpr;
  std::vector<Clbit> bits;
  bool inverted = false;  // kBits of one bit: the value is !bit

  static Value boolean(bool b) {
    Value v;
    v.kind = Kind::kBool;
    v.i = b ? 1 : 0;
    return v;
  }
  static Value integer(std::int64_t n) {
    Value v;
    v.kind = Kind::kInt;
    v.i = n;
    return v;
  }
  static Value real(double x) {
    Value v;
    v.kind = Kind::kFloat;
    v.f = x;
    return v;
  }
  static Value input(qasm::ExprId e) {
    Value v;
    v.kind = Kind::kInput;
    v.expr = e;
    return v;
  }
  bool known() const { return kind == Kind::kBool || kind == Kind::kInt || kind == Kind::kFloat; }
  bool numeric() const { return known() || kind == Kind::kInput; }
  double as_double() const { return kind == Kind::kFloat ? f : static_cast<double>(i); }
};

// The pool of expressions over the inputs, shared by every parametric gate of a circuit. Names of
// inputs are owned here, so the pool's nodes stay valid after the source text is gone.
class InputExprs {
 public:
  InputExprs() : pool_(std::make_shared<qasm::ExprPool>()) {}

  // A node that reads input `slot`.
  qasm::ExprId slot(std::uint32_t slot, const std::string& name);
  qasm::ExprId number(double v) { return pool_->number(v, 0, 0); }
  // The node of a numeric value (a number node for a known value).
  qasm::ExprId node_of(const Value& v);

  std::shared_ptr<qasm::ExprPool> pool() const { return pool_; }
  qasm::ExprPool& operator*() { return *pool_; }

 private:
  std::shared_ptr<qasm::ExprPool> pool_;
  std::deque<std::string> names_;
};

// Where an operation is written, for messages.
struct Where {
  const std::string* file = nullptr;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  SourceLocation location() const { return SourceLocation{file ? *file : "", line, column}; }
};

// Operators on values. `op` is the operator token; a known result is folded, an input-dependent
// one becomes a tree in `exprs`. Throws qstate::Error (at `where`) for operands of the wrong kind:
// measured bits in arithmetic, comparisons of inputs, division by zero of known values, ...
Value apply_unary(qasm::TokenKind op, const Value& a, InputExprs& exprs, const Where& where);
Value apply_binary(qasm::TokenKind op, const Value& a, const Value& b, InputExprs& exprs,
                   const Where& where);
// A built-in function (sin, cos, tan, arcsin/asin, arccos/acos, arctan/atan, exp, log/ln, sqrt,
// floor, ceiling/ceil, abs, mod, pow) applied to its arguments.
Value apply_function(std::string_view name, const std::vector<Value>& args, InputExprs& exprs,
                     const Where& where);

// Truthiness of a known value.
bool truthy(const Value& v);
// A text for messages: "3", "0.5", "true", "an input expression", "measured bits".
std::string describe(const Value& v);

}  // namespace qstate::qasm3
