// OpenQASM 2 recursive-descent parser: pulls tokens from the Lexer and hands out one Statement at a
// time (so a 10^6-line file never exists as a whole tree). Only syntax is checked here; every
// mistake is a qstate::Error with file:line:col.
//
// Expression grammar (Qiskit's qasm2 precedence, which is Python's):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary ('^' unary)?          right-associative: 2^3^2 = 2^9
//   primary := number | 'pi' | name | func '(' expr ')' | '(' expr ')'
// so -x^2 = -(x^2), 2*-3 = -6 and 2^-1 = 0.5.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "circuits/qasm/ast.hpp"
#include "circuits/qasm/expr.hpp"
#include "circuits/qasm/lexer.hpp"

namespace qstate::qasm {

class Parser {
 public:
  // `text` must outlive the parser and every statement it returns.
  Parser(std::string_view text, const std::string& file);

  // Reads the next statement into `out`, its parameter expressions into `pool` (gate bodies keep
  // theirs in the GateDecl). Returns false at the end of the text.
  bool next(Statement& out, ExprPool& pool);

  const std::string& file() const { return lexer_.file(); }

 private:
  void advance();
  bool at(TokenKind k) const { return cur_.kind == k; }
  Token expect(TokenKind k, std::string_view what);
  void expect_semicolon();
  [[noreturn]] void fail_at(const Token& t, const std::string& msg) const;
  [[noreturn]] void fail_expected(std::string_view what) const;

  void parse_gate_decl(Statement& out, bool opaque);
  void parse_apply(Statement& out, ExprPool& pool);
  void parse_operand_list(Statement& out);
  Operand parse_operand();
  IntLiteral parse_integer(std::string_view what);
  Identifier parse_identifier(std::string_view what);

  ExprId parse_expr(ExprPool& pool);
  ExprId parse_term(ExprPool& pool);
  ExprId parse_unary(ExprPool& pool);
  ExprId parse_power(ExprPool& pool);
  ExprId parse_primary(ExprPool& pool);
  ExprId checked(ExprPool& pool, ExprId id, const Token& t) const;
  void check_depth(const Token& t) const;

  Lexer lexer_;
  Token cur_;
  std::uint32_t prev_end_line_ = 1;  // just after the previous token, for "expected ';'"
  std::uint32_t prev_end_column_ = 1;
  bool seen_statement_ = false;
  std::uint32_t depth_ = 0;  // expression recursion depth
};

}  // namespace qstate::qasm
