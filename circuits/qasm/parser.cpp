// OpenQASM 2 recursive-descent parser (see parser.hpp for the grammar of expressions).
#include "circuits/qasm/parser.hpp"

#include <charconv>

#include "circuits/error.hpp"

namespace qstate::qasm {
namespace {

std::string shown(const Token& t) {
  switch (t.kind) {
    case TokenKind::kEnd:
      return "the end of the file";
    case TokenKind::kString:
      return std::string(t.text);
    default: {
      std::string out;
      out.reserve(t.text.size() + 2);
      out += '\'';
      out += t.text;
      out += '\'';
      return out;
    }
  }
}

Pos pos_of(const Token& t) {
  return Pos{t.line, t.column};
}

bool is_function_keyword(TokenKind k, ExprFunc& f) {
  switch (k) {
    case TokenKind::kSin:
      f = ExprFunc::kSin;
      return true;
    case TokenKind::kCos:
      f = ExprFunc::kCos;
      return true;
    case TokenKind::kTan:
      f = ExprFunc::kTan;
      return true;
    case TokenKind::kExp:
      f = ExprFunc::kExp;
      return true;
    case TokenKind::kLn:
      f = ExprFunc::kLn;
      return true;
    case TokenKind::kSqrt:
      f = ExprFunc::kSqrt;
      return true;
    default:
      return false;
  }
}

// Functions that Qiskit's QuantumCircuit.from_qasm_str also accepts (its LEGACY_CUSTOM_CLASSICAL);
// they are not keywords, so they are only functions when followed by '('.
bool is_extra_function(std::string_view name, ExprFunc& f) {
  if (name == "asin")
    f = ExprFunc::kAsin;
  else if (name == "acos")
    f = ExprFunc::kAcos;
  else if (name == "atan")
    f = ExprFunc::kAtan;
  else
    return false;
  return true;
}

}  // namespace

Parser::Parser(std::string_view text, const std::string& file) : lexer_(text, file) {
  cur_ = lexer_.next();
}

void Parser::advance() {
  prev_end_line_ = cur_.line;
  prev_end_column_ = cur_.column + static_cast<std::uint32_t>(cur_.text.size());
  cur_ = lexer_.next();
}

void Parser::fail_at(const Token& t, const std::string& msg) const {
  throw Error(SourceLocation{file(), t.line, t.column}, msg);
}

void Parser::fail_expected(std::string_view what) const {
  fail_at(cur_, "expected " + std::string(what) + " but found " + shown(cur_));
}

Token Parser::expect(TokenKind k, std::string_view what) {
  if (cur_.kind != k) fail_expected(what);
  const Token t = cur_;
  advance();
  return t;
}

void Parser::expect_semicolon() {
  if (cur_.kind == TokenKind::kSemicolon) {
    advance();
    return;
  }
  // Point just after the previous token: that is where the ';' is missing.
  throw Error(SourceLocation{file(), prev_end_line_, prev_end_column_},
              "expected ';' but found " + shown(cur_));
}

Identifier Parser::parse_identifier(std::string_view what) {
  const Token t = expect(TokenKind::kIdentifier, what);
  return Identifier{t.text, pos_of(t)};
}

IntLiteral Parser::parse_integer(std::string_view what) {
  const Token t = expect(TokenKind::kInteger, what);
  IntLiteral lit;
  lit.pos = pos_of(t);
  lit.text = t.text;
  const auto r = std::from_chars(t.text.data(), t.text.data() + t.text.size(), lit.value);
  if (r.ec == std::errc::result_out_of_range) {
    lit.value = 0;
    lit.overflow = true;
  }
  return lit;
}

Operand Parser::parse_operand() {
  Operand op;
  op.id = parse_identifier("a register or qubit name");
  if (at(TokenKind::kLBracket)) {
    advance();
    op.indexed = true;
    op.index = parse_integer("an integer index");
    expect(TokenKind::kRBracket, "']'");
  }
  return op;
}

void Parser::parse_operand_list(Statement& out) {
  if (!at(TokenKind::kIdentifier)) return;
  out.operands.push_back(parse_operand());
  while (at(TokenKind::kComma)) {
    advance();
    if (!at(TokenKind::kIdentifier)) break;  // a trailing comma (Qiskit accepts it)
    out.operands.push_back(parse_operand());
  }
}

bool Parser::next(Statement& out, ExprPool& pool) {
  while (at(TokenKind::kSemicolon)) advance();  // empty statements
  if (at(TokenKind::kEnd)) return false;
  out.reset();
  out.pos = pos_of(cur_);
  const bool first = !seen_statement_;
  seen_statement_ = true;
  switch (cur_.kind) {
    case TokenKind::kOpenqasm: {
      if (!first)
        fail_at(cur_, "the 'OPENQASM' version line must be the first statement of the file");
      advance();
      if (!at(TokenKind::kReal) && !at(TokenKind::kInteger))
        fail_expected("a version number such as 2.0");
      out.kind = StatementKind::kVersion;
      out.name = Identifier{cur_.text, pos_of(cur_)};
      advance();
      expect_semicolon();
      return true;
    }
    case TokenKind::kInclude: {
      advance();
      const Token t = expect(TokenKind::kString, "a file name in quotes");
      out.kind = StatementKind::kInclude;
      out.name = Identifier{t.text.substr(1, t.text.size() - 2), pos_of(t)};
      expect_semicolon();
      return true;
    }
    case TokenKind::kQreg:
    case TokenKind::kCreg: {
      out.kind = at(TokenKind::kQreg) ? StatementKind::kQreg : StatementKind::kCreg;
      advance();
      out.name = parse_identifier("a register name");
      expect(TokenKind::kLBracket, "'[' and the register size");
      out.size = parse_integer("the register size (an integer)");
      expect(TokenKind::kRBracket, "']'");
      expect_semicolon();
      return true;
    }
    case TokenKind::kGate:
      parse_gate_decl(out, false);
      return true;
    case TokenKind::kOpaque:
      parse_gate_decl(out, true);
      return true;
    case TokenKind::kIf: {
      const Token if_tok = cur_;
      advance();
      expect(TokenKind::kLParen, "'(' after 'if'");
      const Identifier reg = parse_identifier("a classical register name");
      expect(TokenKind::kEqEq, "'=='");
      const IntLiteral value = parse_integer("an integer to compare with");
      expect(TokenKind::kRParen, "')'");
      if (!at(TokenKind::kIdentifier) && !at(TokenKind::kMeasure) && !at(TokenKind::kReset))
        fail_expected("a gate application, 'measure' or 'reset' after 'if (...)'");
      // Parse the operation (there is one: checked above), then attach the condition; next()
      // resets `out`, so the condition is set afterwards.
      next(out, pool);
      out.conditioned = true;
      out.if_pos = pos_of(if_tok);
      out.cond_reg = reg;
      out.cond_value = value;
      return true;
    }
    case TokenKind::kIdentifier:
      parse_apply(out, pool);
      return true;
    case TokenKind::kMeasure: {
      out.kind = StatementKind::kMeasure;
      advance();
      out.operands.push_back(parse_operand());
      expect(TokenKind::kArrow, "'->'");
      out.operands.push_back(parse_operand());
      expect_semicolon();
      return true;
    }
    case TokenKind::kReset:
      out.kind = StatementKind::kReset;
      advance();
      out.operands.push_back(parse_operand());
      expect_semicolon();
      return true;
    case TokenKind::kBarrier:
      out.kind = StatementKind::kBarrier;
      advance();
      parse_operand_list(out);
      expect_semicolon();
      return true;
    default:
      fail_at(cur_, "expected a statement but found " + shown(cur_));
  }
}

void Parser::parse_apply(Statement& out, ExprPool& pool) {
  out.kind = StatementKind::kApply;
  out.name = parse_identifier("a gate name");
  out.params_pos = out.name.pos;
  if (at(TokenKind::kLParen)) {
    out.params_pos = pos_of(cur_);
    advance();
    while (!at(TokenKind::kRParen)) {
      out.params.push_back(parse_expr(pool));
      if (!at(TokenKind::kComma)) break;
      advance();  // a trailing comma before ')' is accepted, as Qiskit does
    }
    expect(TokenKind::kRParen, "',' or ')' in the parameter list");
  }
  parse_operand_list(out);
  expect_semicolon();
}

void Parser::parse_gate_decl(Statement& out, bool opaque) {
  const Token keyword = cur_;
  advance();
  auto decl = std::make_shared<GateDecl>();
  decl->opaque = opaque;
  decl->pos = pos_of(keyword);
  decl->name = parse_identifier("a gate name");
  if (at(TokenKind::kLParen)) {
    advance();
    while (at(TokenKind::kIdentifier)) {
      decl->params.push_back(parse_identifier("a parameter name"));
      if (!at(TokenKind::kComma)) break;
      advance();
    }
    expect(TokenKind::kRParen, "a parameter name, ',' or ')'");
  }
  while (at(TokenKind::kIdentifier)) {
    decl->qubits.push_back(parse_identifier("a qubit name"));
    if (!at(TokenKind::kComma)) break;
    advance();
  }
  const char* text_end = nullptr;
  if (opaque) {
    text_end = cur_.text.data();
    expect_semicolon();
  } else {
    const Token lbrace =
        expect(TokenKind::kLBrace, "a qubit name, ',' or '{' to open the gate body");
    for (;;) {
      if (at(TokenKind::kRBrace)) {
        text_end = cur_.text.data() + 1;
        advance();
        break;
      }
      if (at(TokenKind::kSemicolon)) {
        advance();
        continue;
      }
      Statement& st = decl->body.emplace_back();
      st.pos = pos_of(cur_);
      if (at(TokenKind::kIdentifier)) {
        parse_apply(st, decl->exprs);
      } else if (at(TokenKind::kBarrier)) {
        st.kind = StatementKind::kBarrier;
        advance();
        parse_operand_list(st);
        expect_semicolon();
      } else if (at(TokenKind::kEnd)) {
        throw Error(SourceLocation{file(), lbrace.line, lbrace.column},
                    "the body of gate '" + std::string(decl->name.name) +
                        "' is not closed: missing '}' before the end of the file");
      } else {
        fail_at(cur_, "only gate applications and 'barrier' may appear in a gate body, but found " +
                          shown(cur_));
      }
    }
  }
  decl->text = std::string_view(keyword.text.data(),
                                static_cast<std::size_t>(text_end - keyword.text.data()));
  out.kind = opaque ? StatementKind::kOpaque : StatementKind::kGate;
  out.name = decl->name;
  out.gate = std::move(decl);
}

// ---- expressions --------------------------------------------------------------------------

namespace {

// Counts the parser's recursion depth for the life of one nested call.
struct DepthGuard {
  explicit DepthGuard(std::uint32_t& d) : depth(d) { ++depth; }
  ~DepthGuard() { --depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  std::uint32_t& depth;
};

}  // namespace

void Parser::check_depth(const Token& t) const {
  if (depth_ > kMaxExprDepth)
    fail_at(t, "expression is nested too deeply (more than " + std::to_string(kMaxExprDepth) +
                   " levels)");
}

ExprId Parser::checked(ExprPool& pool, ExprId id, const Token& t) const {
  if (pool[id].depth > kMaxExprDepth)
    fail_at(t, "expression is nested too deeply (more than " + std::to_string(kMaxExprDepth) +
                   " levels)");
  return id;
}

ExprId Parser::parse_expr(ExprPool& pool) {
  ExprId lhs = parse_term(pool);
  while (at(TokenKind::kPlus) || at(TokenKind::kMinus)) {
    const Token op = cur_;
    advance();
    const ExprId rhs = parse_term(pool);
    lhs = checked(pool,
                  pool.binary(op.kind == TokenKind::kPlus ? ExprOp::kAdd : ExprOp::kSub, lhs, rhs,
                              op.line, op.column),
                  op);
  }
  return lhs;
}

ExprId Parser::parse_term(ExprPool& pool) {
  ExprId lhs = parse_unary(pool);
  while (at(TokenKind::kStar) || at(TokenKind::kSlash)) {
    const Token op = cur_;
    advance();
    const ExprId rhs = parse_unary(pool);
    lhs = checked(pool,
                  pool.binary(op.kind == TokenKind::kStar ? ExprOp::kMul : ExprOp::kDiv, lhs, rhs,
                              op.line, op.column),
                  op);
  }
  return lhs;
}

ExprId Parser::parse_unary(ExprPool& pool) {
  const DepthGuard guard(depth_);
  const Token op = cur_;
  check_depth(op);
  if (at(TokenKind::kMinus)) {
    advance();
    const ExprId operand = parse_unary(pool);
    return checked(pool, pool.unary(ExprOp::kNeg, operand, op.line, op.column), op);
  }
  if (at(TokenKind::kPlus)) {
    advance();
    return parse_unary(pool);
  }
  return parse_power(pool);
}

ExprId Parser::parse_power(ExprPool& pool) {
  const ExprId base = parse_primary(pool);
  if (!at(TokenKind::kCaret)) return base;
  const Token op = cur_;
  advance();
  const ExprId exponent = parse_unary(pool);
  return checked(pool, pool.binary(ExprOp::kPow, base, exponent, op.line, op.column), op);
}

ExprId Parser::parse_primary(ExprPool& pool) {
  const Token t = cur_;
  ExprFunc f{};
  switch (t.kind) {
    case TokenKind::kInteger:
    case TokenKind::kReal: {
      double v = 0.0;
      const auto r = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
      if (r.ec == std::errc::result_out_of_range)
        fail_at(t, "number " + std::string(t.text) + " is out of the range of a double");
      if (r.ec != std::errc() || r.ptr != t.text.data() + t.text.size())
        fail_at(t, "malformed number '" + std::string(t.text) + "'");
      advance();
      return pool.number(v, t.line, t.column);
    }
    case TokenKind::kPi:
      advance();
      return pool.pi(t.line, t.column);
    case TokenKind::kIdentifier: {
      advance();
      if (at(TokenKind::kLParen)) {
        if (!is_extra_function(t.text, f))
          fail_at(t, "unknown function '" + std::string(t.text) +
                         "' (OpenQASM 2 has sin, cos, tan, exp, ln, sqrt; asin, acos, atan are "
                         "accepted too)");
        break;  // parse the call below
      }
      return pool.symbol(t.text, t.line, t.column);
    }
    case TokenKind::kLParen: {
      const DepthGuard guard(depth_);
      check_depth(t);
      advance();
      const ExprId inner = parse_expr(pool);
      expect(TokenKind::kRParen,
             "')' to close the '(' at " + std::to_string(t.line) + ":" + std::to_string(t.column));
      return inner;
    }
    default:
      if (is_function_keyword(t.kind, f)) {
        advance();
        break;
      }
      fail_expected("an expression");
  }
  // A function call: `t` is the function name, the '(' comes next.
  const DepthGuard guard(depth_);
  check_depth(t);
  expect(TokenKind::kLParen, "'(' after the function name");
  const ExprId arg = parse_expr(pool);
  expect(TokenKind::kRParen, "')' to close the argument of '" + std::string(t.text) + "'");
  return checked(pool, pool.call(f, arg, t.line, t.column), t);
}

}  // namespace qstate::qasm
