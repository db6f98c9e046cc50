// OpenQASM 3 parser, expressions, operands and types (see qasm3_parser.hpp for the precedence).
#include <array>

#include "circuits/error.hpp"
#include "circuits/qasm/diagnostics.hpp"
#include "circuits/qasm/qasm3_parser.hpp"

namespace qstate::qasm3 {
namespace {

using qasm::TokenKind;

Pos pos_of(const qasm::Token& t) {
  return Pos{t.line, t.column};
}

// Binary operators by level, loosest first (0: ||, ..., 9: * / %); -1 for any other token.
int binary_level_of(TokenKind k) {
  switch (k) {
    case TokenKind::kPipePipe:
      return 0;
    case TokenKind::kAmpAmp:
      return 1;
    case TokenKind::kPipe:
      return 2;
    case TokenKind::kCaret:
      return 3;
    case TokenKind::kAmp:
      return 4;
    case TokenKind::kEqEq:
    case TokenKind::kNotEq:
      return 5;
    case TokenKind::kLess:
    case TokenKind::kLessEq:
    case TokenKind::kGreater:
    case TokenKind::kGreaterEq:
      return 6;
    case TokenKind::kShl:
    case TokenKind::kShr:
      return 7;
    case TokenKind::kPlus:
    case TokenKind::kMinus:
      return 8;
    case TokenKind::kStar:
    case TokenKind::kSlash:
    case TokenKind::kPercent:
      return 9;
    default:
      return -1;
  }
}

struct TypeWord {
  std::string_view word;
  TypeKind kind;
};
constexpr std::array kTypeWords = {
    TypeWord{"int", TypeKind::kInt},         TypeWord{"uint", TypeKind::kUint},
    TypeWord{"float", TypeKind::kFloat},     TypeWord{"angle", TypeKind::kAngle},
    TypeWord{"bool", TypeKind::kBool},       TypeWord{"bit", TypeKind::kBit},
    TypeWord{"complex", TypeKind::kComplex}, TypeWord{"duration", TypeKind::kDuration},
    TypeWord{"stretch", TypeKind::kStretch},
};

// Counts the parser's recursion depth for the life of one nested call.
struct DepthGuard {
  explicit DepthGuard(std::uint32_t& d) : depth(d) { ++depth; }
  ~DepthGuard() { --depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  std::uint32_t& depth;
};

}  // namespace

bool Parser::at_type_keyword() const {
  if (cur_.kind != TokenKind::kIdentifier) return false;
  for (const TypeWord& t : kTypeWords)
    if (t.word == cur_.text) return true;
  return false;
}

TypeSpec Parser::parse_type(ExprTree& e) {
  TypeSpec type;
  type.pos = pos_of(cur_);
  type.name = cur_.text;
  for (const TypeWord& t : kTypeWords)
    if (t.word == cur_.text) type.kind = t.kind;
  if (type.kind == TypeKind::kComplex || type.kind == TypeKind::kDuration) refuse(cur_);
  advance();
  if (at(TokenKind::kLBracket)) {
    const Token open = cur_;
    advance();
    if (type.kind == TypeKind::kBool || type.kind == TypeKind::kStretch)
      fail_at(open, qasm::in_quotes(type.name) + " takes no width");
    type.width = expression(e);
    if (at(TokenKind::kComma)) fail_at(cur_, "a type has a single width");
    expect(TokenKind::kRBracket, "']' after the width");
  }
  return type;
}

void Parser::check_depth(const Token& t) const {
  if (depth_ > qasm::kMaxExprDepth)
    fail_at(t, "expression is nested too deeply (more than " + std::to_string(qasm::kMaxExprDepth) +
                   " levels)");
}

NodeId Parser::expression(ExprTree& e) {
  return binary_level(e, 0);
}

// Precedence climbing: the operands of operators at `level` or tighter, left-associative (the
// same tree as one recursive function per level, without descending through all ten levels for
// every operand).
NodeId Parser::binary_level(ExprTree& e, int level) {
  NodeId lhs = unary(e);
  for (int op_level = binary_level_of(cur_.kind); op_level >= level;
       op_level = binary_level_of(cur_.kind)) {
    const Token op = cur_;
    advance();
    Node n;
    n.kind = NodeKind::kBinary;
    n.op = op.kind;
    n.pos = pos_of(op);
    n.a = lhs;
    n.b = binary_level(e, op_level + 1);
    lhs = make(e, n);
  }
  return lhs;
}

NodeId Parser::unary(ExprTree& e) {
  const DepthGuard guard(depth_);
  const Token op = cur_;
  check_depth(op);
  if (at(TokenKind::kMinus) || at(TokenKind::kBang) || at(TokenKind::kTilde)) {
    advance();
    Node n;
    n.kind = NodeKind::kUnary;
    n.op = op.kind;
    n.pos = pos_of(op);
    n.a = unary(e);
    return make(e, n);
  }
  if (at(TokenKind::kPlus)) {
    advance();
    return unary(e);
  }
  return power(e);
}

NodeId Parser::power(ExprTree& e) {
  const NodeId base = postfix(e);
  if (!at(TokenKind::kStarStar)) return base;
  const Token op = cur_;
  advance();
  Node n;
  n.kind = NodeKind::kBinary;
  n.op = op.kind;
  n.pos = pos_of(op);
  n.a = base;
  n.b = unary(e);
  return make(e, n);
}

NodeId Parser::postfix(ExprTree& e) {
  NodeId id = primary(e);
  while (at(TokenKind::kLBracket)) {
    const Token open = cur_;
    id = index_suffix(e, id, open);
  }
  return id;
}

NodeId Parser::index_suffix(ExprTree& e, NodeId base, const Token& open) {
  advance();  // '['
  NodeList entries;
  entries.push_back(index_entry(e));
  while (at(TokenKind::kComma)) {
    advance();
    entries.push_back(index_entry(e));
  }
  expect(TokenKind::kRBracket, "']' to close the index");
  Node n;
  n.kind = NodeKind::kIndex;
  n.pos = pos_of(open);
  n.a = base;
  e.set_list(n, entries);
  return make(e, n);
}

NodeId Parser::index_entry(ExprTree& e) {
  if (at(TokenKind::kLBrace)) return set_literal(e);
  return range_or_expression(e, true);
}

NodeId Parser::range_or_expression(ExprTree& e, bool bracketed) {
  const Token first = cur_;
  auto ends = [&] {
    return at(TokenKind::kColon) || at(TokenKind::kRBracket) || at(TokenKind::kComma);
  };
  const NodeId start = ends() ? kNoNode : expression(e);
  if (!at(TokenKind::kColon)) {
    if (start == kNoNode) fail_expected("an index");
    return start;
  }
  (void)bracketed;
  advance();
  Node n;
  n.kind = NodeKind::kRange;
  n.pos = pos_of(first);
  n.a = start;
  const NodeId second = ends() ? kNoNode : expression(e);
  if (at(TokenKind::kColon)) {
    advance();
    n.b = second;
    n.c = ends() ? kNoNode : expression(e);
  } else {
    n.c = second;
  }
  return make(e, n);
}

NodeId Parser::set_literal(ExprTree& e) {
  const Token open = expect(TokenKind::kLBrace, "'{'");
  NodeList items;
  if (!at(TokenKind::kRBrace)) {
    items.push_back(expression(e));
    while (at(TokenKind::kComma)) {
      advance();
      items.push_back(expression(e));
    }
  }
  expect(TokenKind::kRBrace, "',' or '}' in the set");
  Node n;
  n.kind = NodeKind::kSet;
  n.pos = pos_of(open);
  e.set_list(n, items);
  return make(e, n);
}

NodeId Parser::operand(ExprTree& e) {
  if (at(TokenKind::kHardwareQubit)) return primary(e);
  if (at(TokenKind::kLBrace)) return set_literal(e);
  if (!at(TokenKind::kIdentifier)) fail_expected("a qubit or register");
  const Token t = cur_;
  advance();
  Node n;
  n.kind = NodeKind::kIdent;
  n.pos = pos_of(t);
  n.text = t.text;
  NodeId id = make(e, n);
  while (at(TokenKind::kLBracket)) {
    const Token open = cur_;
    id = index_suffix(e, id, open);
  }
  return id;
}

NodeId Parser::literal(ExprTree& e, const Token& t) {
  Node n;
  n.pos = pos_of(t);
  n.text = t.text;
  switch (t.kind) {
    case TokenKind::kInteger:
      n.kind = NodeKind::kInteger;
      n.overflow = !qasm::parse_integer_literal(t.text, n.ival);
      n.fval = static_cast<double>(n.ival);
      if (n.overflow) {
        // Still usable as a real number (Qiskit writes big integers out in full).
        qasm::parse_real_literal(t.text, n.fval);
      }
      break;
    case TokenKind::kReal:
      n.kind = NodeKind::kReal;
      if (!qasm::parse_real_literal(t.text, n.fval))
        fail_at(t, "number " + std::string(t.text) + " is out of the range of a double");
      break;
    case TokenKind::kDuration:
      n.kind = NodeKind::kDuration;
      break;
    case TokenKind::kImaginary:
      n.kind = NodeKind::kImaginary;
      break;
    case TokenKind::kString: {
      n.kind = NodeKind::kBitString;
      n.text = t.text.substr(1, t.text.size() - 2);
      for (const char c : n.text)
        if (c != '0' && c != '1' && c != '_')
          fail_at(t, "a string in an expression must be a bit string such as \"0101\"");
      break;
    }
    default:
      fail_expected("an expression");
  }
  return make(e, n);
}

NodeId Parser::primary(ExprTree& e) {
  const Token t = cur_;
  switch (t.kind) {
    case TokenKind::kInteger:
    case TokenKind::kReal:
    case TokenKind::kDuration:
    case TokenKind::kImaginary:
    case TokenKind::kString:
      advance();
      return literal(e, t);
    case TokenKind::kHardwareQubit: {
      advance();
      Node n;
      n.kind = NodeKind::kPhysical;
      n.pos = pos_of(t);
      n.text = t.text;
      if (!qasm::parse_integer_literal(t.text.substr(1), n.ival) || n.ival > 0xFFFFFFFEULL)
        fail_at(t, "physical qubit " + std::string(t.text) + " is out of range");
      return make(e, n);
    }
    case TokenKind::kLParen: {
      const DepthGuard guard(depth_);
      check_depth(t);
      advance();
      const NodeId inner = expression(e);
      expect(TokenKind::kRParen,
             "')' to close the '(' at " + std::to_string(t.line) + ":" + std::to_string(t.column));
      return inner;
    }
    case TokenKind::kLBrace:
      return set_literal(e);
    case TokenKind::kIdentifier:
      break;
    default:
      fail_expected("an expression");
  }
  if (t.text == "measure")
    fail_at(t,
            "'measure' cannot be part of an expression; store the result first: 'c = measure q;'");
  if (t.text == "durationof") refuse(t);
  if (t.text == "sizeof") fail_at(t, "'sizeof' is not supported (arrays are not supported)");
  Node n;
  n.pos = pos_of(t);
  n.text = t.text;
  if (at_type_keyword()) {
    n.kind = NodeKind::kCast;
    n.type = parse_type(e);
    if (!at(TokenKind::kLParen))
      fail_at(t, "a type name in an expression must be a cast such as int[8](x)");
    const DepthGuard guard(depth_);
    check_depth(t);
    advance();
    n.a = expression(e);
    expect(TokenKind::kRParen, "')' to close the cast");
    return make(e, n);
  }
  advance();
  if (t.text == "true" || t.text == "false") {
    n.kind = NodeKind::kBool;
    n.ival = t.text == "true" ? 1 : 0;
    return make(e, n);
  }
  if (at(TokenKind::kLParen)) {
    const DepthGuard guard(depth_);
    check_depth(t);
    advance();
    NodeList args;
    if (!at(TokenKind::kRParen)) {
      args.push_back(expression(e));
      while (at(TokenKind::kComma)) {
        advance();
        args.push_back(expression(e));
      }
    }
    expect(TokenKind::kRParen, "')' to close the arguments of '" + std::string(t.text) + "'");
    n.kind = NodeKind::kCall;
    e.set_list(n, args);
    return make(e, n);
  }
  n.kind = NodeKind::kIdent;
  return make(e, n);
}

NodeId Parser::parse_expression(std::string_view text, const std::string& name, ExprTree& exprs) {
  Parser p(text, name);
  const NodeId id = p.expression(exprs);
  if (!p.at(TokenKind::kEnd)) p.fail_expected("the end of the expression");
  return id;
}

}  // namespace qstate::qasm3
