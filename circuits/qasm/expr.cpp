// Building, binding and evaluating parameter expressions (see expr.hpp).
#include "circuits/qasm/expr.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>
#include <sstream>

#include "circuits/error.hpp"

namespace qstate::qasm {

std::string_view func_name(ExprFunc f) {
  switch (f) {
    case ExprFunc::kSin:
      return "sin";
    case ExprFunc::kCos:
      return "cos";
    case ExprFunc::kTan:
      return "tan";
    case ExprFunc::kExp:
      return "exp";
    case ExprFunc::kLn:
      return "ln";
    case ExprFunc::kSqrt:
      return "sqrt";
    case ExprFunc::kAsin:
      return "asin";
    case ExprFunc::kAcos:
      return "acos";
    case ExprFunc::kAtan:
      return "atan";
  }
  return "?";
}

ExprId ExprPool::push(const ExprNode& n) {
  nodes_.push_back(n);
  return static_cast<ExprId>(nodes_.size() - 1);
}

ExprId ExprPool::number(double v, std::uint32_t line, std::uint32_t column) {
  ExprNode n;
  n.op = ExprOp::kNumber;
  n.value = v;
  n.line = line;
  n.column = column;
  return push(n);
}

ExprId ExprPool::pi(std::uint32_t line, std::uint32_t column) {
  ExprNode n;
  n.op = ExprOp::kPi;
  n.value = std::numbers::pi;
  n.line = line;
  n.column = column;
  return push(n);
}

ExprId ExprPool::symbol(std::string_view name, std::uint32_t line, std::uint32_t column) {
  ExprNode n;
  n.op = ExprOp::kSymbol;
  n.name = name;
  n.line = line;
  n.column = column;
  return push(n);
}

ExprId ExprPool::unary(ExprOp op, ExprId operand, std::uint32_t line, std::uint32_t column) {
  assert(op == ExprOp::kNeg);
  ExprNode n;
  n.op = op;
  n.lhs = operand;
  n.depth = nodes_[operand].depth + 1;
  n.line = line;
  n.column = column;
  return push(n);
}

ExprId ExprPool::binary(ExprOp op, ExprId lhs, ExprId rhs, std::uint32_t line,
                        std::uint32_t column) {
  ExprNode n;
  n.op = op;
  n.lhs = lhs;
  n.rhs = rhs;
  n.depth = std::max(nodes_[lhs].depth, nodes_[rhs].depth) + 1;
  n.line = line;
  n.column = column;
  return push(n);
}

ExprId ExprPool::call(ExprFunc f, ExprId arg, std::uint32_t line, std::uint32_t column) {
  ExprNode n;
  n.op = ExprOp::kCall;
  n.func = f;
  n.lhs = arg;
  n.depth = nodes_[arg].depth + 1;
  n.line = line;
  n.column = column;
  return push(n);
}

ExprId bind_symbols(ExprPool& pool, ExprId root, std::span<const std::string_view> names) {
  ExprNode& n = pool[root];
  switch (n.op) {
    case ExprOp::kNumber:
    case ExprOp::kPi:
    case ExprOp::kSlot:
      return kNoExpr;
    case ExprOp::kSymbol: {
      const auto it = std::find(names.begin(), names.end(), n.name);
      if (it == names.end()) return root;
      n.op = ExprOp::kSlot;
      n.slot = static_cast<std::uint32_t>(it - names.begin());
      return kNoExpr;
    }
    case ExprOp::kNeg:
    case ExprOp::kCall:
      return bind_symbols(pool, n.lhs, names);
    case ExprOp::kAdd:
    case ExprOp::kSub:
    case ExprOp::kMul:
    case ExprOp::kDiv:
    case ExprOp::kPow: {
      const ExprId rhs = n.rhs;  // `n` may not survive: no push happens here, but stay safe
      const ExprId bad = bind_symbols(pool, n.lhs, names);
      if (bad != kNoExpr) return bad;
      return bind_symbols(pool, rhs, names);
    }
  }
  return kNoExpr;
}

namespace {

[[noreturn]] void fail(const ExprNode& n, const std::string& file, const std::string& message) {
  throw Error(SourceLocation{file, n.line, n.column}, message);
}

double eval(const ExprPool& pool, ExprId id, std::span<const double> slots,
            const std::string& file) {
  const ExprNode& n = pool[id];
  switch (n.op) {
    case ExprOp::kNumber:
    case ExprOp::kPi:
      return n.value;
    case ExprOp::kSlot:
      assert(n.slot < slots.size());
      return slots[n.slot];
    case ExprOp::kSymbol:
      fail(n, file, "unknown identifier '" + std::string(n.name) + "' in an expression");
    case ExprOp::kNeg:
      return -eval(pool, n.lhs, slots, file);
    case ExprOp::kAdd:
      return eval(pool, n.lhs, slots, file) + eval(pool, n.rhs, slots, file);
    case ExprOp::kSub:
      return eval(pool, n.lhs, slots, file) - eval(pool, n.rhs, slots, file);
    case ExprOp::kMul:
      return eval(pool, n.lhs, slots, file) * eval(pool, n.rhs, slots, file);
    case ExprOp::kDiv: {
      const double a = eval(pool, n.lhs, slots, file);
      const double b = eval(pool, n.rhs, slots, file);
      if (b == 0.0) fail(n, file, "division by zero");
      return a / b;
    }
    case ExprOp::kPow:
      return std::pow(eval(pool, n.lhs, slots, file), eval(pool, n.rhs, slots, file));
    case ExprOp::kCall: {
      const double x = eval(pool, n.lhs, slots, file);
      switch (n.func) {
        case ExprFunc::kSin:
          return std::sin(x);
        case ExprFunc::kCos:
          return std::cos(x);
        case ExprFunc::kTan:
          return std::tan(x);
        case ExprFunc::kExp:
          return std::exp(x);
        case ExprFunc::kLn:
          if (!(x > 0.0)) fail(n, file, "ln of a non-positive number");
          return std::log(x);
        case ExprFunc::kSqrt:
          if (x < 0.0) fail(n, file, "sqrt of a negative number");
          return std::sqrt(x);
        case ExprFunc::kAsin:
          if (x < -1.0 || x > 1.0) fail(n, file, "asin of a number outside [-1, 1]");
          return std::asin(x);
        case ExprFunc::kAcos:
          if (x < -1.0 || x > 1.0) fail(n, file, "acos of a number outside [-1, 1]");
          return std::acos(x);
        case ExprFunc::kAtan:
          return std::atan(x);
      }
      return 0.0;
    }
  }
  return 0.0;
}

void print(const ExprPool& pool, ExprId id, std::ostringstream& out) {
  const ExprNode& n = pool[id];
  switch (n.op) {
    case ExprOp::kNumber:
      out << n.value;
      return;
    case ExprOp::kPi:
      out << "pi";
      return;
    case ExprOp::kSymbol:
    case ExprOp::kSlot:
      out << n.name;
      return;
    case ExprOp::kNeg:
      out << "(-";
      print(pool, n.lhs, out);
      out << ')';
      return;
    case ExprOp::kCall:
      out << func_name(n.func) << '(';
      print(pool, n.lhs, out);
      out << ')';
      return;
    case ExprOp::kAdd:
    case ExprOp::kSub:
    case ExprOp::kMul:
    case ExprOp::kDiv:
    case ExprOp::kPow: {
      static constexpr char kSymbols[] = "+-*/^";
      const int k = static_cast<int>(n.op) - static_cast<int>(ExprOp::kAdd);
      out << '(';
      print(pool, n.lhs, out);
      out << ' ' << kSymbols[k] << ' ';
      print(pool, n.rhs, out);
      out << ')';
      return;
    }
  }
}

}  // namespace

double evaluate(const ExprPool& pool, ExprId root, std::span<const double> slots,
                const std::string& file) {
  const double v = eval(pool, root, slots, file);
  if (!std::isfinite(v)) fail(pool[root], file, "the expression's value is not a finite number");
  return v;
}

std::string to_string(const ExprPool& pool, ExprId root) {
  std::ostringstream out;
  out.precision(17);
  print(pool, root, out);
  return out.str();
}

}  // namespace qstate::qasm
