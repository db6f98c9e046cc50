// Classical parameter expressions of the OpenQASM front ends: a small tree stored flat in an
// ExprPool (no per-node heap allocation), built by a parser and evaluated by the lowering with a
// binding of parameter slots to values. It knows nothing of OpenQASM 2 syntax, so the OpenQASM 3
// front end can share it: names are bound to slots once (bind_symbols), then evaluated many times.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qstate::qasm {

// Index of a node in its ExprPool.
using ExprId = std::uint32_t;

// Deepest expression tree a parser should build (evaluation recurses once per level).
inline constexpr std::uint32_t kMaxExprDepth = 1000;

enum class ExprOp : std::uint8_t {
  kNumber,  // value
  kPi,      // the constant pi
  kSymbol,  // an unbound name (`name`); bind_symbols turns it into kSlot
  kSlot,    // the value bound to slot `slot`
  kNeg,     // -lhs
  kAdd,     // lhs + rhs
  kSub,     // lhs - rhs
  kMul,     // lhs * rhs
  kDiv,     // lhs / rhs (a zero divisor is an error)
  kPow,     // lhs ^ rhs
  kCall,    // func(lhs)
};

enum class ExprFunc : std::uint8_t { kSin, kCos, kTan, kExp, kLn, kSqrt, kAsin, kAcos, kAtan };

// The name of a function as written ("sin", ...).
std::string_view func_name(ExprFunc f);

struct ExprNode {
  ExprOp op = ExprOp::kNumber;
  ExprFunc func = ExprFunc::kSin;
  ExprId lhs = 0;
  ExprId rhs = 0;
  std::uint32_t slot = 0;
  std::uint32_t depth = 1;  // height of the subtree rooted here
  std::uint32_t line = 0;   // where the node's token is, for messages
  std::uint32_t column = 0;
  double value = 0.0;
  std::string_view name;  // kSymbol / kSlot: the name as written (points into the source text)
};

class ExprPool {
 public:
  ExprId number(double v, std::uint32_t line, std::uint32_t column);
  ExprId pi(std::uint32_t line, std::uint32_t column);
  ExprId symbol(std::string_view name, std::uint32_t line, std::uint32_t column);
  ExprId unary(ExprOp op, ExprId operand, std::uint32_t line, std::uint32_t column);
  ExprId binary(ExprOp op, ExprId lhs, ExprId rhs, std::uint32_t line, std::uint32_t column);
  ExprId call(ExprFunc f, ExprId arg, std::uint32_t line, std::uint32_t column);

  const ExprNode& operator[](ExprId id) const { return nodes_[id]; }
  ExprNode& operator[](ExprId id) { return nodes_[id]; }
  std::size_t size() const { return nodes_.size(); }
  void clear() { nodes_.clear(); }

 private:
  ExprId push(const ExprNode& n);
  std::vector<ExprNode> nodes_;
};

// Turns every kSymbol reachable from `root` whose name is names[k] into kSlot k (symbols bound by
// an earlier call stay as they are). Returns the id of the first symbol, left to right, that
// matches no name, or `kNoExpr` when all were bound.
inline constexpr ExprId kNoExpr = 0xFFFFFFFFU;
ExprId bind_symbols(ExprPool& pool, ExprId root, std::span<const std::string_view> names);

// Evaluates `root` with slot k holding slots[k]. Throws qstate::Error (file:line:col of the
// offending operator or name) on division by zero, ln of a non-positive number, sqrt of a negative
// number, asin/acos outside [-1, 1], an unbound symbol, or a result that is not finite.
double evaluate(const ExprPool& pool, ExprId root, std::span<const double> slots,
                const std::string& file);

// The expression written back as text (fully parenthesised), for messages and tests.
std::string to_string(const ExprPool& pool, ExprId root);

}  // namespace qstate::qasm
